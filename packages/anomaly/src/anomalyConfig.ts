// Options of the anomaly stage; detectors and their thresholds join with the detection issues.
import { z } from 'zod';

export const anomalyConfigSchema = z.object({}).strict().describe('Anomaly engine: detectors over events.');

export type AnomalyConfig = z.output<typeof anomalyConfigSchema>;
