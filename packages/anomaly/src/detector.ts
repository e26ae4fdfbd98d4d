// What a detector is to the anomaly engine: it watches events (and event time) and drafts
// findings. Detectors keep their state in the shared state store, so several engine instances
// over Kafka count together, and read their thresholds from their own config section.
import type { Counters, Event, RuleCategory, StateStore } from '@sidetap/core';
import type { FindingDraft } from './findingDraft';

export interface DetectorEnv {
  state: StateStore;
  counters: Counters;
  /** Whether event time `t` falls inside the learning period (baselines learn, nothing is scored). */
  learning(t: number): boolean;
  /**
   * Learning from the event being observed: `teach` runs once every detector has seen the event,
   * unless a finding came from the event or about its actor within `anomaly.learningHoldMs`
   * (LearningGate), so what one detector reports never teaches another's baseline.
   */
  teach(teach: () => void | Promise<void>): void;
  /**
   * Whether a window of `actorKey`'s traffic that began at event time `since` (a session, a run of
   * calls, an hour of bytes) may teach once it closes: no detector reported the actor since
   * `anomaly.learningHoldMs` before it began.
   */
  windowMayTeach(actorKey: string | undefined, since: number): boolean;
}

export interface Detector {
  /** Config name and `sidetap.detector` value, such as brute_force. */
  readonly name: string;
  readonly categories: readonly RuleCategory[];
  /**
   * Drafts for one event. A detector that needs no state for an event (most events, for most
   * detectors) may answer synchronously: the engine awaits only promises.
   */
  observe(event: Event, t: number, env: DetectorEnv): Promise<FindingDraft[]> | FindingDraft[];
  /** Event time reached `watermark`: findings that only a closed window shows. */
  flush?(watermark: number, env: DetectorEnv): Promise<FindingDraft[]>;
  /** What it learned, for the model document (`sidetap models train`); left out by detectors whose baselines live only in the state store. */
  exportModel?(): unknown;
  /** What its model holds, in a few readable lines (`sidetap models show`). */
  modelSummary?(): string;
}
