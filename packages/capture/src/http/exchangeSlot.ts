// A request and its response while they are being read; emitted as one HttpExchange once both
// are finished (or the connection ends).
import type { CaptureFlag } from '@sidetap/core';
import type { HttpMessage } from './httpMessage';

export class ExchangeSlot {
  req: HttpMessage | undefined = undefined;
  res: HttpMessage | undefined = undefined;
  reqDone = false;
  resDone = false;
  emitted = false;
  /** Flags about the pairing rather than either message (pipelined, unanswered_request, ...). */
  flags: CaptureFlag[] = [];
  /** Wire bytes of 1xx interim responses that preceded the final one. */
  interimBytes = 0;

  constructor(readonly index: number) {}

  addFlag(flag: CaptureFlag): void {
    if (!this.flags.includes(flag)) this.flags.push(flag);
  }
}
