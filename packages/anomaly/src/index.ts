export { createAnomalyEngine } from './anomalyEngine';
export { anomalyConfigSchema } from './anomalyConfig';
export type { AnomalyConfig } from './anomalyConfig';
