// The HTTP/1.x parser's public face: one StreamConsumer per TCP connection.
export { createHttpConsumer, MIDSTREAM_HUNT_LIMIT_BYTES } from './httpConnection';
export type { HttpContext } from './httpContext';
