// Watermarks travel in the data topics as control messages, one per partition, so they stay in
// order with the records they follow.
import { decode } from '@msgpack/msgpack';

export const WATERMARK_HEADER = 'sidetap-watermark';

export interface WatermarkMessage {
  producer: string;
  watermark: number;
}

export function readWatermarkMessage(value: Buffer | null): WatermarkMessage | undefined {
  if (value === null) return undefined;
  try {
    const m = decode(value) as Partial<WatermarkMessage> | null;
    if (m !== null && typeof m === 'object' && typeof m.producer === 'string' && typeof m.watermark === 'number') {
      return { producer: m.producer, watermark: m.watermark };
    }
  } catch {
    // fall through: a malformed control message is reported by the caller
  }
  return undefined;
}
