// What TCP reassembly hands its in-order byte streams to. One consumer per connection.

export interface Endpoint {
  ip: string;
  port: number;
}

export interface ConnectionInfo {
  /** Deterministic id of the connection: start time, endpoints, VLAN and VNI. */
  id: string;
  /** The endpoint that sent the SYN, or when no SYN was seen, the sender of the first packet. */
  a: Endpoint;
  b: Endpoint;
  ipVersion: 4 | 6;
  vlan: number[] | undefined;
  vni: number | undefined;
  tunnel: 'vxlan' | 'geneve' | undefined;
  startUs: number;
  /** True when the SYN from `a` was seen, so `a` is known to be the client and no bytes were missed at the start. */
  handshakeSeen: boolean;
}

/** 0: bytes sent by `a` to `b`; 1: bytes sent by `b` to `a`. */
export type Direction = 0 | 1;

export type CloseReason = 'fin' | 'rst' | 'idle_timeout' | 'flow_evicted' | 'capture_ended';

export interface StreamConsumer {
  /** Contiguous, in-order bytes. `data` is valid only during the call. */
  onData(dir: Direction, data: Buffer, tsUs: number): void;
  /** `bytes` bytes are missing from this direction before the next onData (0 when unknown). */
  onGap(dir: Direction, bytes: number, tsUs: number): void;
  /** Overlapping data disagreed with the copy already delivered or held; the first copy was kept. */
  onOverlapConflict(dir: Direction, tsUs: number): void;
  /** This direction sent FIN (after all its data was delivered). */
  onEnd(dir: Direction, tsUs: number): void;
  /** The connection is finished; the consumer emits whatever it still holds. Called exactly once. */
  onClose(reason: CloseReason, tsUs: number): void;
}

export type ConsumerFactory = (info: ConnectionInfo) => StreamConsumer;
