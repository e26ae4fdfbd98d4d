export { captureConfigSchema, defaultCaptureConfig } from './captureConfig';
export type { CaptureConfig } from './captureConfig';
export { captureFiles } from './capturePipeline';
export type { CaptureFilesOptions, CaptureProgress, CaptureSummary } from './capturePipeline';
export { CaptureFileError } from './sources';
