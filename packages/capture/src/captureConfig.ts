// Every limit the capture stage holds state under, with its default. Memory is bounded by these,
// never by the input (DESIGN.md §5).
import { z } from 'zod';

export const captureConfigSchema = z
  .object({
    maxFlows: z.number().int().positive().default(100_000).describe('TCP connections tracked at once; the least recently active is evicted (counted) beyond this. As many connections that ended by FIN or RST are remembered for 10 s of capture time, so their late segments and SPAN copies open nothing.'),
    flowIdleTimeoutSec: z.number().positive().default(300).describe('A connection idle this long in capture time is closed.'),
    tcpMaxBufferedBytes: z.number().int().positive().default(1 << 20).describe('Out-of-order bytes held per direction before the hole is declared a gap.'),
    tcpMaxBufferedSegments: z.number().int().positive().default(1024).describe('Out-of-order segments held per direction before the hole is declared a gap.'),
    tcpBufferedTotalBytes: z.number().int().positive().default(256 << 20).describe('Out-of-order bytes held across all connections; beyond this the direction that has held data longest declares its hole a gap (counted).'),
    tcpRetainUnackedBytes: z.number().int().min(0).default(64 * 1024).describe('Delivered bytes kept per direction, until a peer ACK after the first one covering them, so a retransmission that differs from them is reported (tcp_overlap_conflict); 0 turns the check off.'),
    tcpRetainTotalBytes: z.number().int().min(0).default(64 << 20).describe('Storage for those delivered bytes across all connections; when it or the per-direction limit is reached, new bytes are not kept (counted).'),
    ipFragmentMaxDatagrams: z.number().int().positive().default(4096).describe('IP datagrams being reassembled at once; the oldest is dropped (counted) beyond this.'),
    ipFragmentMaxBytes: z.number().int().positive().default(65_535 + 64).describe('Largest reassembled IP datagram accepted.'),
    ipFragmentTimeoutSec: z.number().positive().default(30).describe('Incomplete IP datagrams are dropped (counted) after this much capture time.'),
    maxTunnelDepth: z.number().int().min(0).max(8).default(4).describe('Nested encapsulations followed (VXLAN, GENEVE, GRE, ERSPAN, IP-in-IP, MPLS pseudowires).'),
    vxlanPorts: z.array(z.number().int().min(1).max(65535)).default([4789]).describe('UDP destination ports decapsulated as VXLAN.'),
    genevePorts: z.array(z.number().int().min(1).max(65535)).default([6081]).describe('UDP destination ports decapsulated as GENEVE.'),
    httpMaxHeaderBytes: z.number().int().positive().default(64 * 1024).describe('Largest request or response header section parsed.'),
    httpMaxPendingRequests: z.number().int().positive().default(64).describe('Requests waiting for their response per connection (pipelining) before the oldest is emitted unanswered.'),
    bodySampleBytes: z.number().int().min(0).default(8192).describe('Decoded body bytes kept as the sample in http.*.body.content.'),
    bodyRawSampleBytes: z.number().int().min(0).default(64 * 1024).describe('Raw (still content-encoded) body bytes kept to decode the sample from.'),
    httpSampleTotalBytes: z.number().int().min(0).default(256 << 20).describe('Raw body sample bytes held across all connections; beyond it bodies keep their true size but no further sample (flagged body_sample_capped, counted).'),
    decompressMaxBytes: z.number().int().positive().default(4 << 20).describe('Decompressing a body sample stops at this many bytes (decompression bomb cap).'),
    redactHeaders: z.array(z.string()).default([]).describe('Header names whose values are replaced by a keyed hash, in addition to Authorization, Cookie and the other defaults.'),
  })
  .strict();

export type CaptureConfig = z.output<typeof captureConfigSchema>;

export const defaultCaptureConfig = (): CaptureConfig => captureConfigSchema.parse({});
