// Test kit: a hand-made connection and an HttpContext that collects (and schema-checks) exchanges.
import { BoundedTally, Counters, createRedactor, httpExchangeSchema } from '@sidetap/core';
import type { ActorKeyOptions, HttpExchange } from '@sidetap/core';
import { defaultCaptureConfig } from '../../captureConfig';
import type { CaptureConfig } from '../../captureConfig';
import type { CloseReason, ConnectionInfo, Direction, StreamConsumer } from '../../tcp/streamConsumer';
import { createHttpConsumer } from '../httpConnection';
import type { HttpContext } from '../httpContext';
import { SampleBudget } from '../sampleBudget';

export const REDACTION_KEY = Buffer.from('0123456789abcdef0123456789abcdef');
export const redactor = createRedactor({ key: REDACTION_KEY });

export interface Harness {
  consumer: StreamConsumer;
  exchanges: HttpExchange[];
  counters: Counters;
  ctx: HttpContext;
  info: ConnectionInfo;
  /** Sends latin1 text (or bytes) in one direction; ts in microseconds. */
  send(dir: Direction, data: string | Buffer, tsUs?: number): void;
  gap(dir: Direction, bytes: number, tsUs?: number): void;
  end(dir: Direction, tsUs?: number): void;
  close(reason?: CloseReason, tsUs?: number): HttpExchange[];
}

export interface HarnessOptions {
  handshake?: boolean;
  config?: Partial<CaptureConfig>;
  ipVersion?: 4 | 6;
  vlan?: number[];
  vni?: number;
  /** How actor keys are worked out (default: core's defaults with `redactor`). */
  actor?: ActorKeyOptions;
  /** Raw sample bytes all messages may hold together (default: plenty). */
  sampleBudgetBytes?: number;
}

export const T0 = 1_700_000_000_000_000;

export function harness(options: HarnessOptions = {}): Harness {
  const counters = new Counters();
  const exchanges: HttpExchange[] = [];
  const v6 = options.ipVersion === 6;
  const info: ConnectionInfo = {
    id: 'conn-1',
    a: { ip: v6 ? '2001:db8::1' : '10.0.0.1', port: 51000 },
    b: { ip: v6 ? '2001:db8::2' : '10.0.0.2', port: 8080 },
    ipVersion: v6 ? 6 : 4,
    vlan: options.vlan,
    vni: options.vni,
    tunnel: undefined,
    startUs: T0,
    handshakeSeen: options.handshake ?? true,
  };
  const ctx: HttpContext = {
    config: { ...defaultCaptureConfig(), ...options.config },
    counters,
    redactor,
    actor: options.actor ?? { redactor },
    source: 'pcap',
    file: 'test.pcap',
    tlsServerNames: new BoundedTally(10),
    sampleBudget: new SampleBudget(options.sampleBudgetBytes ?? 1 << 30),
    emit(exchange) {
      const parsed = httpExchangeSchema.safeParse(exchange);
      if (!parsed.success) throw new Error(`exchange does not match the schema: ${parsed.error.message}`);
      exchanges.push(exchange);
    },
  };
  const consumer = createHttpConsumer(info, ctx);
  let now = T0;
  const at = (ts: number | undefined): number => (now = ts ?? now + 1000);
  return {
    consumer,
    exchanges,
    counters,
    ctx,
    info,
    send(dir, data, tsUs) {
      consumer.onData(dir, typeof data === 'string' ? Buffer.from(data, 'latin1') : data, at(tsUs));
    },
    gap(dir, bytes, tsUs) {
      consumer.onGap(dir, bytes, at(tsUs));
    },
    end(dir, tsUs) {
      consumer.onEnd(dir, at(tsUs));
    },
    close(reason = 'fin', tsUs) {
      consumer.onClose(reason, at(tsUs));
      return exchanges;
    },
  };
}

/** The exchange's capture flags. */
export const flagsOf = (x: HttpExchange | undefined): string[] => x?.sidetap.capture.flags ?? [];
