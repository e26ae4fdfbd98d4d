export { captureConfigSchema, defaultCaptureConfig } from './captureConfig';
export type { CaptureConfig } from './captureConfig';
export { captureFiles, STDIN_FILE } from './capturePipeline';
export type { CaptureFilesOptions, CaptureProgress, CaptureSummary } from './capturePipeline';
export { CaptureFileError } from './sources';
export { captureFilesParallel } from './parallel/parallelCapture';
export type { ParallelCaptureOptions } from './parallel/parallelCapture';
export type { CaptureShard } from './parallel/shardFilter';
export { PacketCapture } from './packetCapture';
export { SegmentCapture } from './segmentCapture';
export type { SegmentCaptureOptions, SegmentSink } from './segmentCapture';
export {
  CaptureSourceError,
  DEFAULT_BUFFER_SIZE_MB,
  DEFAULT_RECEIVE_BUFFER_BYTES,
  DEFAULT_SNAPLEN,
  LIBPCAP_INSTALL_HINT,
  LIVE_IFACE_DROPPED,
  LIVE_PACKETS_TRUNCATED,
  LiveEngine,
  loadCap,
  startLiveCapture,
  startTunnelListener,
  wallClockUs,
  WORKER_SEGMENTS_DROPPED,
} from './sources/live';
export type { CapModule, LiveCapture, LiveCaptureOptions, LiveEngineOptions, TunnelKind, TunnelListener, TunnelListenerOptions } from './sources/live';
export { isHarFileName, mirrorServerConfigSchema, parseListenAddress, readHarFile, readMirrorToken, readMirrorTls, startMirrorServer } from './sources/mirror';
export type { HarFileOptions, HarFileSummary, MirrorServer, MirrorServerConfig, MirrorServerConfigInput, MirrorServerOptions, MirrorTls, NativeRecord, RecordFault } from './sources/mirror';
