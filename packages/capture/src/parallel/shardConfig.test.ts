import { defaultCaptureConfig } from '../captureConfig';
import { shardConfig } from './parallelCapture';

describe('shardConfig', () => {
  it('splits the limits shared by all connections so W workers hold no more than one', () => {
    const base = { ...defaultCaptureConfig(), maxFlows: 1001, tcpRetainTotalBytes: 1000, tcpBufferedTotalBytes: 3001, httpSampleTotalBytes: 4001 };
    const shard = shardConfig(base, 2);
    expect(shard.maxFlows).toBe(501);
    expect(shard.tcpRetainTotalBytes).toBe(500);
    expect(shard.tcpBufferedTotalBytes).toBe(1500);
    expect(shard.httpSampleTotalBytes).toBe(2000);
    expect(shard.tcpMaxBufferedBytes).toBe(base.tcpMaxBufferedBytes);
    expect(shardConfig({ ...base, maxFlows: 1 }, 4).maxFlows).toBe(1);
    expect(shardConfig({ ...base, tcpBufferedTotalBytes: 3 }, 4).tcpBufferedTotalBytes).toBe(1);
  });
});
