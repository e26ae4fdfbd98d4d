export { createResponder } from './responder';
export { responderConfigSchema } from './responderConfig';
export type { ResponderConfig } from './responderConfig';
