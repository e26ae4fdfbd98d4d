export { captureConfigSchema, defaultCaptureConfig } from './captureConfig';
export type { CaptureConfig } from './captureConfig';
export { captureFiles, STDIN_FILE } from './capturePipeline';
export type { CaptureFilesOptions, CaptureProgress, CaptureSummary } from './capturePipeline';
export { CaptureFileError } from './sources';
export { captureFilesParallel } from './parallel/parallelCapture';
export { mergeTlsServerNames } from './parallel/tlsServerNames';
export type { ParallelCaptureOptions } from './parallel/parallelCapture';
export { PacketCapture } from './packetCapture';
export { SegmentCapture } from './segmentCapture';
export type { SegmentCaptureOptions, SegmentSink } from './segmentCapture';
export {
  CaptureSourceError,
  createExchangeRecordCodec,
  DEFAULT_BUFFER_SIZE_MB,
  DEFAULT_RECEIVE_BUFFER_BYTES,
  DEFAULT_SNAPLEN,
  EncodedExchangeWriter,
  LIBPCAP_INSTALL_HINT,
  LIVE_IFACE_DROPPED,
  LIVE_KERNEL_DROPPED,
  LIVE_KERNEL_RECEIVED,
  LIVE_PACKETS_TRUNCATED,
  LiveEngine,
  loadCap,
  readEncodedExchanges,
  startLiveCapture,
  startTunnelListener,
  wallClockUs,
  WORKER_SEGMENTS_DROPPED,
} from './sources/live';
export type { CapModule, EncodedExchangeBatch, EncodedExchangeVisitor, LiveCapture, LiveCaptureOptions, LiveEngineOptions, TunnelKind, TunnelListener, TunnelListenerOptions } from './sources/live';
export { isHarFile, isHarFileName, MAX_HAR_BYTES, mirrorServerConfigSchema, parseListenAddress, readHarFile, readMirrorToken, readMirrorTls, startMirrorServer } from './sources/mirror';
export type { HarFileOptions, HarFileSummary, MirrorServer, MirrorServerConfig, MirrorServerConfigInput, MirrorServerOptions, MirrorTls, NativeRecord, RecordFault } from './sources/mirror';
