import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readIfaceDrops } from './ifaceDrops';
import { readUdpSocketDrops } from './udpSocketDrops';

const dir = mkdtempSync(join(tmpdir(), 'sidetap-proc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('drop counters the kernel keeps', () => {
  it('reads an interface\'s receive drops, and nothing for an unknown or odd name', () => {
    mkdirSync(join(dir, 'sys/eth0/statistics'), { recursive: true });
    writeFileSync(join(dir, 'sys/eth0/statistics/rx_dropped'), '42\n');
    expect(readIfaceDrops('eth0', join(dir, 'sys'))).toBe(42);
    expect(readIfaceDrops('eth9', join(dir, 'sys'))).toBeUndefined();
    expect(readIfaceDrops('../eth0', join(dir, 'sys'))).toBeUndefined();
  });

  it('sums the drops column of the sockets bound to a UDP port', () => {
    const header = '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops            ';
    const row = (local: string, drops: number) => ` 2488: ${local} 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 619393 2 00000000fd2eaa6d ${drops}        `;
    mkdirSync(join(dir, 'net'), { recursive: true });
    writeFileSync(join(dir, 'net/udp'), [header, row('0100007F:12B5', 3), row('00000000:12B5', 4), row('0100007F:17C1', 100), ''].join('\n'));
    expect(readUdpSocketDrops(4789, 4, join(dir, 'net'))).toBe(7);
    expect(readUdpSocketDrops(6081, 4, join(dir, 'net'))).toBe(100);
    expect(readUdpSocketDrops(9999, 4, join(dir, 'net'))).toBe(0);
    expect(readUdpSocketDrops(4789, 6, join(dir, 'net'))).toBeUndefined();
  });
});
