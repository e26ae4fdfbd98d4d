// Device fingerprints: the public face of the sessionizer's device/ folder.
export { createDeviceFingerprinter, DEVICE_COUNTERS } from './deviceFingerprinter';
export type { DeviceFingerprinterDeps } from './deviceFingerprinter';
export { deviceConfigSchema, DEFAULT_IGNORED_HEADERS } from './deviceConfig';
export type { DeviceConfig } from './deviceConfig';
export { DEVICE_TYPES } from './deviceFingerprint';
export type { DeviceFingerprint, DeviceFingerprinter, DeviceType } from './deviceFingerprint';
export { REQUEST_SPECIFIC_HEADERS } from './requestSpecificHeaders';
export { DEVICE_ID_VERSION } from './deviceId';
