// Sensitive data in response bodies: the scanner, its hit kinds and the per-endpoint profile of what each returns.
export { scanSensitiveData } from './sensitiveDataScanner';
export type { ScanOptions, ScanResult } from './sensitiveDataScanner';
export type { SensitiveHit } from './scanContext';
export { GROUP_RULES, KIND_GROUPS, KIND_INFO, SENSITIVE_KINDS, nounFor } from './sensitiveKinds';
export type { KindGroup, SensitiveKind, Severity } from './sensitiveKinds';
