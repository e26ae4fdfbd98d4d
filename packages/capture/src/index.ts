export { captureConfigSchema, defaultCaptureConfig } from './captureConfig';
export type { CaptureConfig } from './captureConfig';
export { captureFiles, STDIN_FILE } from './capturePipeline';
export type { CaptureFilesOptions, CaptureProgress, CaptureSummary } from './capturePipeline';
export { CaptureFileError } from './sources';
export { captureFilesParallel } from './parallel/parallelCapture';
export type { ParallelCaptureOptions } from './parallel/parallelCapture';
export type { CaptureShard } from './parallel/shardFilter';
