// Long-running packet sources: live interfaces (libpcap) and UDP tunnel listeners (VXLAN, GENEVE).
export { CaptureSourceError } from './captureSourceError';
export { loadCap, LIBPCAP_INSTALL_HINT } from './capModule';
export type { CapModule } from './capModule';
export { createExchangeRecordCodec, EncodedExchangeWriter, readEncodedExchanges } from './encodedExchanges';
export type { EncodedExchangeBatch, EncodedExchangeVisitor } from './encodedExchanges';
export { LiveEngine } from './liveEngine';
export type { LiveEngineOptions } from './liveEngine';
export { startLiveCapture, DEFAULT_BUFFER_SIZE_MB, DEFAULT_SNAPLEN, LIVE_IFACE_DROPPED, LIVE_KERNEL_DROPPED, LIVE_KERNEL_RECEIVED, LIVE_PACKETS_TRUNCATED } from './liveCapture';
export type { LiveCapture, LiveCaptureOptions } from './liveCapture';
export { startTunnelListener, DEFAULT_RECEIVE_BUFFER_BYTES } from './tunnelListener';
export type { TunnelKind, TunnelListener, TunnelListenerOptions } from './tunnelListener';
export { WORKER_SEGMENTS_DROPPED } from './segmentWorkerPool';
export { wallClockUs } from './wallClock';
