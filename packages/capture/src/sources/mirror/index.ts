// Gateway mirror streams: the listener, the HAR file reader, and the per-format parsers.
export { startMirrorServer } from './mirrorServer';
export type { MirrorServer, MirrorServerOptions, MirrorTls } from './mirrorServer';
export { mirrorServerConfigSchema } from './mirrorServerConfig';
export type { MirrorServerConfig, MirrorServerConfigInput } from './mirrorServerConfig';
export { readHarFile, MAX_HAR_BYTES } from './readHarFile';
export { isHarFile, isHarFileName } from './harInput';
export type { HarFileOptions, HarFileSummary } from './readHarFile';
export { parseListenAddress, readMirrorToken, readMirrorTls } from './mirrorSetup';
export type { RecordFault } from './recordFault';
export type { NativeRecord } from './nativeRecord';
