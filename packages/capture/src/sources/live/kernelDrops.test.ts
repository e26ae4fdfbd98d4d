import { createSocket } from 'node:dgram';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findKernelDrops, ifaceIndex, KernelDrops, loadPacketStats, packetSocketInodes, PACKET_STATS_ADDON, socketInodes } from './kernelDrops';
import type { PacketStatistics, PacketStatsAddon } from './kernelDrops';

const dir = mkdtempSync(join(tmpdir(), 'sidetap-kernel-drops-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PROC_NET_PACKET = [
  'sk               RefCnt Type Proto  Iface R Rmem   User   Inode',
  '000000004feb3e0b 3      3    0003   1     1 0      0      754651',
  '00000000aa0b3e0c 3      2    0003   0     1 0      0      754700',
  '00000000aa0b3e0d 3      3    0003   2     1 0      0      754702',
  '',
].join('\n');

/** The real addon, which scripts/setup builds; these tests are about it, so its absence fails them. */
function addon(): PacketStatsAddon {
  const load = loadPacketStats();
  if (!load.ok) throw new Error(`${load.why}: run scripts/setup (or node-gyp rebuild in packages/capture/native)`);
  return load.addon;
}

describe('finding a capture\'s packet socket', () => {
  it('lists the packet sockets bound to an interface index from /proc/net/packet', () => {
    writeFileSync(join(dir, 'packet'), PROC_NET_PACKET);
    expect([...packetSocketInodes(1, join(dir, 'packet'))]).toEqual([754651]);
    expect([...packetSocketInodes(0, join(dir, 'packet'))]).toEqual([754700]);
    expect(packetSocketInodes(7, join(dir, 'packet')).size).toBe(0);
    expect(packetSocketInodes(1, join(dir, 'missing')).size).toBe(0);
    writeFileSync(join(dir, 'odd'), 'no header here\n1 2 3\n');
    expect(packetSocketInodes(1, join(dir, 'odd')).size).toBe(0);
  });

  it('reads an interface index from sysfs; any is 0; an odd or unknown name has none', () => {
    mkdirSync(join(dir, 'sys/eth0'), { recursive: true });
    writeFileSync(join(dir, 'sys/eth0/ifindex'), '3\n');
    expect(ifaceIndex('eth0', join(dir, 'sys'))).toBe(3);
    expect(ifaceIndex('any', join(dir, 'sys'))).toBe(0);
    expect(ifaceIndex('eth9', join(dir, 'sys'))).toBeUndefined();
    expect(ifaceIndex('../eth0', join(dir, 'sys'))).toBeUndefined();
    expect(ifaceIndex('lo')).toBe(1);
  });

  it('sees a socket this process opens in /proc/self/fd, by inode', async () => {
    const before = socketInodes();
    const udp = createSocket('udp4');
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
    try {
      const added = [...socketInodes()].filter(([inode]) => !before.has(inode));
      expect(added).toHaveLength(1);
      // Not a packet socket: nothing is found for an interface, so nothing would be read.
      const found = findKernelDrops('lo', before, { load: () => ({ packetStatistics: () => null }) });
      expect(found).toEqual({ ok: false, why: 'no new packet socket on lo (index 1) was found in /proc/self/fd and /proc/net/packet' });
    } finally {
      udp.close();
    }
  });
});

describe('the packet statistics addon', () => {
  it('gives null for a file, a UDP socket and a closed fd, and refuses what is not an fd', async () => {
    const stats = addon();
    const file = openSync(join(dir, 'packet'), 'r');
    try {
      expect(stats.packetStatistics(file)).toBeNull();
    } finally {
      closeSync(file);
    }
    const before = socketInodes();
    const udp = createSocket('udp4');
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
    try {
      const fd = [...socketInodes()].find(([inode]) => !before.has(inode))?.[1];
      expect(fd).toBeDefined();
      expect(stats.packetStatistics(fd!)).toBeNull();
    } finally {
      udp.close();
    }
    expect(stats.packetStatistics(1 << 20)).toBeNull();
    // A TypeError of the addon's realm, not jest's sandbox: matched by name.
    expect(() => stats.packetStatistics(-1)).toThrow(expect.objectContaining({ name: 'TypeError' }));
    expect(() => (stats.packetStatistics as (fd: unknown) => unknown)('3')).toThrow('packetStatistics: expected a file descriptor');
  });

  it('says why when the addon is not built or is something else, without throwing', () => {
    const absent = (id: string): never => {
      const err = new Error(`Cannot find module '${id}'`) as NodeJS.ErrnoException;
      err.code = 'MODULE_NOT_FOUND';
      throw err;
    };
    expect(loadPacketStats(absent)).toEqual({ ok: false, why: 'the packet statistics addon is not built (scripts/setup builds it with gcc and Node\'s headers)' });
    const wrongAbi = (): never => {
      throw new Error('The module was compiled against a different Node.js version\nmore');
    };
    expect(loadPacketStats(wrongAbi)).toEqual({ ok: false, why: 'the packet statistics addon could not be loaded (The module was compiled against a different Node.js version)' });
    expect(loadPacketStats(() => ({}))).toEqual({ ok: false, why: `${PACKET_STATS_ADDON} is not the packet statistics addon` });
    expect(findKernelDrops('lo', new Map(), { load: absent })).toMatchObject({ ok: false, why: expect.stringMatching(/not built/) });
  });
});

describe('KernelDrops', () => {
  it('adds up the kernel\'s per-read counts over every socket, and stops reading once closed', () => {
    const reads: Record<number, PacketStatistics[]> = {
      7: [{ packets: 10, drops: 2, freezeQueue: 0 }, { packets: 5, drops: 0, freezeQueue: 0 }],
      9: [{ packets: 1, drops: 1, freezeQueue: 1 }],
    };
    const calls: number[] = [];
    const fake: PacketStatsAddon = {
      packetStatistics: (fd) => {
        calls.push(fd);
        return reads[fd]?.shift() ?? null;
      },
    };
    const drops = new KernelDrops(fake, [7, 9]);
    expect(drops.sample()).toEqual({ received: 11, dropped: 3 });
    expect(drops.sample()).toEqual({ received: 16, dropped: 3 });
    drops.close();
    expect(drops.sample()).toEqual({ received: 16, dropped: 3 });
    expect(calls).toEqual([7, 9, 7, 9]);
  });
});
