// device_change: the same credentials sent from a different device fingerprint than before (the
// sessionizer's device_changed fact), one finding per credential per cooldown.
import { z } from 'zod';
import { actorOf } from '../../findingDraft';
import type { Detector } from '../../detector';
import type { FindingDraft } from '../../findingDraft';
import { eventEvidence, firstFiring } from '../../slidingWindow';

export const deviceChangeConfigSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Run this detector.'),
    cooldownMs: z.number().int().min(1000).default(3_600_000).describe('At most one finding per credential within this (event time).'),
  })
  .strict();

export type DeviceChangeConfig = z.output<typeof deviceChangeConfigSchema>;

export function createDeviceChange(config: DeviceChangeConfig): Detector {
  return {
    name: 'device_change',
    categories: ['device_change'],
    observe(e, t, env) {
      // Only a device change the sessionizer noted counts: every other event is answered without touching the state.
      if (!e.sidetap.facts?.includes('device_changed') || e.sidetap.actor.kind === 'ip') return [];
      return (async (): Promise<FindingDraft[]> => {
        if (!(await firstFiring(env.state, `dc:${e.sidetap.credential?.hash ?? e.sidetap.actor_key}`, t, config.cooldownMs))) return [];
        return [
          {
            detector: 'device_change',
            rule: { id: 'device_change.same_credentials', name: 'Credentials used from a new device', category: 'device_change' },
            severity: 2,
            confidence: 0.6,
            owasp: 'API2:2023',
            techniques: ['T1550'],
            ...actorOf(e, true),
            window: { start: t, end: t },
            ...eventEvidence(e),
            observed: e.sidetap.device?.id ?? 'unknown device',
            message: `${e.sidetap.session.timeline} sent the same credentials from a different device (${e.sidetap.device?.browser ?? e.sidetap.device?.type ?? 'unknown'} on ${e.sidetap.device?.os ?? 'unknown OS'}).`,
          },
        ];
      })();
    },
  };
}
