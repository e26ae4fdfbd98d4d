export { readCaptureFile } from './readCaptureFile';
export { readCaptureStream } from './readCaptureStream';
export type { ReadCaptureOptions, ReadCaptureSummary } from './readCaptureFile';
export { CaptureFileError } from './captureFileError';
export type { PacketHandler, PacketView } from './packetView';
export { LINKTYPE, normalizeLinktype } from './linktypes';
