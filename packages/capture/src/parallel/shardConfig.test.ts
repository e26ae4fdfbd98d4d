import { defaultCaptureConfig } from '../captureConfig';
import { shardConfig } from './parallelCapture';

describe('shardConfig', () => {
  it('splits the limits shared by all connections so W workers hold no more than one', () => {
    const base = { ...defaultCaptureConfig(), maxFlows: 1001, tcpRetainTotalBytes: 1000 };
    const shard = shardConfig(base, 2);
    expect(shard.maxFlows).toBe(501);
    expect(shard.tcpRetainTotalBytes).toBe(500);
    expect(shard.tcpMaxBufferedBytes).toBe(base.tcpMaxBufferedBytes);
    expect(shardConfig({ ...base, maxFlows: 1 }, 4).maxFlows).toBe(1);
  });
});
