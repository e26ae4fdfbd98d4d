export { readCaptureFile } from './readCaptureFile';
export type { ReadCaptureOptions, ReadCaptureSummary } from './readCaptureFile';
export { CaptureFileError } from './captureFileError';
export type { PacketHandler, PacketView } from './packetView';
export { LINKTYPE, normalizeLinktype } from './linktypes';
