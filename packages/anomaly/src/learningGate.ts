// What may teach a baseline, decided across detectors: each detector judges only its own verdict,
// so an injection that request_threats reports would still teach parameter_profiles the payload,
// and an attacker's requests that a cooldown keeps from raising a second finding would teach every
// baseline. The gate holds each event's learning until every detector has seen the event, drops it
// when the event raised a finding, and keeps an actor's traffic from teaching for `holdMs` of event
// time after any finding about that actor. Windows that teach late (a run of calls, an hour of
// bytes, a session) ask whether their actor was reported since the window began.

type Teach = () => void | Promise<void>;

export class LearningGate {
  /** Actor key → event time of the latest finding about it; the oldest are forgotten beyond maxActors (each one told to onForget). */
  private readonly reported = new Map<string, number>();
  private pending: Teach[] = [];
  private raised = false;

  constructor(
    private readonly holdMs: number,
    private readonly maxActors = 100_000,
    private readonly onForget: () => void = () => undefined,
  ) {}

  /** Teach once the current event has been seen by every detector, unless it or its actor was reported. */
  defer(teach: Teach): void {
    this.pending.push(teach);
  }

  /** A finding about the current event (drafted while observing it; suppressed ones do not count). */
  raisedNow(): void {
    this.raised = true;
  }

  /** A finding about `actorKey` at event time `t`, from an event or a closing window. */
  noteFinding(actorKey: string | undefined, t: number): void {
    if (actorKey === undefined) return;
    const last = this.reported.get(actorKey);
    if (last !== undefined && last >= t) return;
    // Re-inserting keeps the map in report order, so the first key is the one reported longest ago.
    this.reported.delete(actorKey);
    this.reported.set(actorKey, t);
    if (this.reported.size > this.maxActors) {
      this.reported.delete(this.reported.keys().next().value as string);
      this.onForget();
    }
  }

  /** Whether a finding about `actorKey` came at or after event time `since`. */
  reportedSince(actorKey: string | undefined, since: number): boolean {
    if (actorKey === undefined) return false;
    const last = this.reported.get(actorKey);
    return last !== undefined && last >= since;
  }

  /**
   * Whether traffic of `actorKey` from event time `t` on may teach: no finding about it since holdMs
   * before `t` (for a window that began at `t`, that includes every finding while it was open).
   */
  mayTeach(actorKey: string | undefined, t: number): boolean {
    return !this.reportedSince(actorKey, t - this.holdMs);
  }

  /** After every detector saw the event of `actorKey` at `t`: runs what it deferred, or drops it. Returns how many were dropped. */
  async settle(actorKey: string | undefined, t: number): Promise<number> {
    const teach = this.pending;
    const raised = this.raised;
    this.pending = [];
    this.raised = false;
    if (teach.length === 0) return 0;
    if (raised || !this.mayTeach(actorKey, t)) return teach.length;
    for (const f of teach) {
      const r = f();
      if (r !== undefined) await r;
    }
    return 0;
  }
}
