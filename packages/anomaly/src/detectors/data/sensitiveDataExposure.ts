// sensitive_data_exposure: card numbers, SSNs, IBANs, private and cloud keys, tokens, passwords
// and bulk personal data in response bodies, quoted masked. A signature, so it fires while the
// baseline learns too; after learning, what an endpoint returned in most learned responses is
// lowered and reported once per endpoint per routineCooldownMs (the user's own card on a wallet
// page must not flood), and a kind it never returned is raised.
import { z } from 'zod';
import type { CaptureFlag, Event } from '@sidetap/core';
import type { Detector } from '../../detector';
import { actorOf } from '../../findingDraft';
import type { FindingDraft } from '../../findingDraft';
import { KeyMemo } from '../../keyMemo';
import { eventEvidence, firstFiring } from '../../slidingWindow';
import { ExposureProfiles } from '../../threats/sensitiveData/exposureProfiles';
import type { Novelty } from '../../threats/sensitiveData/exposureProfiles';
import { GROUP_RULES, KIND_GROUPS, KIND_INFO, nounFor, scanSensitiveData, SENSITIVE_KINDS } from '../../threats/sensitiveData';
import type { KindGroup, SensitiveHit, SensitiveKind, Severity } from '../../threats/sensitiveData';

const MINUTE = 60_000;

export const sensitiveDataExposureConfigSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Run this detector.'),
    maxScanBytes: z.number().int().min(1024).default(262_144).describe('Characters of each response body sample scanned; the rest is skipped (counted).'),
    bulkEmails: z.number().int().min(2).default(20).describe('Distinct email addresses in one response that make it bulk personal data.'),
    bulkPhones: z.number().int().min(2).default(20).describe('Distinct phone numbers in one response that make it bulk personal data.'),
    ignoreKinds: z.array(z.enum(SENSITIVE_KINDS)).default([]).describe('Kinds never reported, such as google_api_key where browser keys are served on purpose.'),
    tokenIssuerWords: z
      .array(z.string().min(1))
      .default(['login', 'signin', 'token', 'tokens', 'oauth', 'oauth2', 'auth', 'authorize', 'authenticate', 'refresh', 'session', 'sessions', 'sso', 'saml', 'openid'])
      .describe('A JWT in the response of a login, or of an endpoint with one of these words in its path, is a token being issued, not exposed.'),
    cooldownMs: z.number().int().min(0).default(10 * MINUTE).describe('At most one finding per actor, endpoint and set of kinds within this (event time).'),
    routineCooldownMs: z.number().int().min(0).default(60 * MINUTE).describe('At most one finding per endpoint and set of kinds it routinely returned while learning, within this.'),
    routineShare: z.number().gt(0).max(1).default(0.5).describe('Share of its learned responses an endpoint must have returned a kind in for the kind to be routine there.'),
    minLearnedResponses: z.number().int().min(1).default(10).describe('Learned responses with a body an endpoint needs before what it returned is judged new or routine.'),
    maxEndpoints: z.number().int().min(1).default(5000).describe('Endpoints whose returned kinds are learned; beyond it new ones are not learned (counted).'),
    maxFieldsPerKind: z.number().int().min(1).default(16).describe('Fields remembered per endpoint and kind.'),
  })
  .strict();

export type SensitiveDataExposureConfig = z.output<typeof sensitiveDataExposureConfigSchema>;

interface Judged {
  hit: SensitiveHit;
  novelty: Novelty;
  severity: Severity;
  confidence: number;
}

/** Severity of one hit before what the endpoint learned is taken into account. */
export function baseSeverity(hit: SensitiveHit, config: Pick<SensitiveDataExposureConfig, 'bulkEmails' | 'bulkPhones'>): Severity {
  let s: number = KIND_INFO[hit.kind].severity;
  if (hit.kind === 'email' || hit.kind === 'phone') s = hit.count >= 10 * (hit.kind === 'email' ? config.bulkEmails : config.bulkPhones) ? 3 : 2;
  if (hit.kind === 'aws_access_key' && hit.paired === true) s = 4;
  // capture hashed the value: the field's name is all there is to go on (it may have been empty or masked).
  if (hit.redacted === true) s -= 1;
  return clamp(s);
}

function clamp(s: number): Severity {
  return Math.min(4, Math.max(1, s)) as Severity;
}

function adjust(base: Severity, confidence: number, novelty: Novelty): { severity: Severity; confidence: number } {
  switch (novelty.verdict) {
    case 'new':
      return { severity: clamp(base + 1), confidence: Math.min(1, confidence + 0.1) };
    case 'routine':
      return { severity: clamp(base - 1), confidence };
    case 'seen':
    case 'unlearned':
      return { severity: base, confidence };
  }
}

/** Counter names by kind, made once rather than for every hit. */
const HIT_COUNTERS = Object.fromEntries(SENSITIVE_KINDS.map((k) => [k, `anomaly_sensitive_hits_total{kind="${k}"}`])) as Record<SensitiveKind, string>;

function pathWords(endpoint: string): string[] {
  return endpoint.toLowerCase().split(/[/\-_.{}]+/);
}

export interface SensitiveDataExposureDetector extends Detector {
  readonly profiles: ExposureProfiles;
}

export function createSensitiveDataExposure(config: SensitiveDataExposureConfig, deps: { counters: import('@sidetap/core').Counters; model?: unknown }): SensitiveDataExposureDetector {
  const limits = { maxEndpoints: config.maxEndpoints, maxFieldsPerKind: config.maxFieldsPerKind };
  const profiles = deps.model === undefined ? new ExposureProfiles(limits, deps.counters) : ExposureProfiles.importModel(deps.model, limits, deps.counters);
  const ignored = new Set(config.ignoreKinds);
  const issuerWords = new Set(config.tokenIssuerWords.map((w) => w.toLowerCase()));
  const scanOptions = { maxScanChars: config.maxScanBytes, bulkEmails: config.bulkEmails, bulkPhones: config.bulkPhones };

  /** Whether an endpoint's path names a token issuer, decided once per endpoint. */
  const issuerPaths = new KeyMemo((endpoint) => pathWords(endpoint).some((w) => issuerWords.has(w)));

  /** The hits worth reporting: configured kinds, and JWTs only where no token is being issued. */
  function relevant(e: Event, hits: SensitiveHit[]): SensitiveHit[] {
    if (hits.length === 0) return hits;
    // Whether a token is being issued only matters to a JWT.
    const issuing = hits.some((h) => h.kind === 'jwt') && (e.sidetap.login !== undefined || issuerPaths.of(e.sidetap.endpoint));
    return hits.filter((h) => !ignored.has(h.kind) && !(h.kind === 'jwt' && issuing));
  }

  return {
    name: 'sensitive_data_exposure',
    categories: ['sensitive_data_exposure'],
    profiles,
    exportModel: () => profiles.exportModel(),
    modelSummary: () => profiles.summary(),
    observe(e, t, env) {
      const content = e.http.response?.body.content;
      if (content === undefined || content.length === 0) return [];
      env.counters.inc('anomaly_sensitive_bodies_scanned_total');
      let scanned;
      try {
        scanned = scanSensitiveData(content, scanOptions, e.http.response?.mime_type);
      } catch {
        // A scanner bug must not stop the stage; it is counted so it gets noticed.
        env.counters.inc('anomaly_sensitive_scan_errors_total');
        return [];
      }
      if (scanned.capped) env.counters.inc('anomaly_sensitive_scans_capped_total');
      const hits = relevant(e, scanned.hits);
      for (const h of hits) env.counters.inc(HIT_COUNTERS[h.kind], h.count);
      const endpoint = `${e.http.request.method} ${e.sidetap.endpoint}`;
      const learning = env.learning(t);
      if (learning) profiles.learn(endpoint, hits);
      // The scan needs no state: only a body with hits waits on the store (for its cooldown latch).
      if (hits.length === 0) return [];
      return (async (): Promise<FindingDraft[]> => {
        const out: FindingDraft[] = [];
        for (const group of KIND_GROUPS) {
          const inGroup = hits.filter((h) => KIND_INFO[h.kind].group === group);
          if (inGroup.length === 0) continue;
          const judged = inGroup.map((hit): Judged => {
            const novelty: Novelty = learning ? { verdict: 'unlearned', responses: 0 } : profiles.judge(endpoint, hit, config.minLearnedResponses, config.routineShare);
            return { hit, novelty, ...adjust(baseSeverity(hit, config), hit.confidence, novelty) };
          });
          const kinds = [...new Set(inGroup.map((h) => h.kind))].join(',');
          const routine = judged.every((j) => j.novelty.verdict === 'routine');
          const latch = routine ? `sde:routine:${endpoint}:${group}:${kinds}` : `sde:${e.sidetap.actor_key}:${endpoint}:${group}:${kinds}`;
          if (!(await firstFiring(env.state, latch, t, routine ? config.routineCooldownMs : config.cooldownMs))) {
            env.counters.inc('anomaly_sensitive_repeats_suppressed_total');
            continue;
          }
          out.push(draft(e, t, endpoint, group, judged, learning, routine));
        }
        return out;
      })();
    },
  };

  function draft(e: Event, t: number, endpoint: string, group: KindGroup, judged: Judged[], learning: boolean, routine: boolean): FindingDraft {
    const severity = judged.reduce<Severity>((s, j) => (j.severity > s ? j.severity : s), 1);
    const confidence = Math.max(...judged.map((j) => j.confidence));
    const partial = e.sidetap.capture.flags.includes('body_sample_capped');
    const observed = judged.map(({ hit }) => `${partial ? 'at least ' : ''}${hit.count} ${nounFor(hit.kind, hit.count)} in ${hit.field ?? 'the body'}${hit.redacted === true ? ' (value redacted by capture)' : ''}`).join('; ');
    const evidence = eventEvidence(e);
    const excerpts = [...evidence.excerpts, ...judged.map(({ hit }) => `${hit.kind} ${hit.masked}${hit.field !== undefined ? ` in ${hit.field}` : ''}${hit.count > 1 ? ` (${hit.count} distinct)` : ''}`)];
    const news = judged.filter((j) => j.novelty.verdict === 'new');
    const who = e.user?.name ?? e.user?.id ?? e.sidetap.actor_key;
    const what = judged.map(({ hit }) => `${hit.count} ${nounFor(hit.kind, hit.count)}`).join(', ');
    let tail = '';
    if (news.length > 0) tail = `; this endpoint never returned ${[...new Set(news.map((j) => KIND_INFO[j.hit.kind].plural))].join(' or ')} in ${news[0]!.novelty.responses} learned responses`;
    else if (routine) tail = '; it routinely returns them (reported once per endpoint and cooldown)';
    return {
      detector: 'sensitive_data_exposure',
      rule: { id: `sensitive_data_exposure.${group}`, name: GROUP_RULES[group].name, category: 'sensitive_data_exposure' },
      severity,
      confidence,
      owasp: 'API3:2023',
      techniques: judged.some((j) => j.hit.kind === 'private_key') ? [...GROUP_RULES[group].techniques, 'T1552.004'] : GROUP_RULES[group].techniques,
      ...actorOf(e, true),
      window: { start: t, end: t },
      exchangeIds: evidence.exchangeIds,
      excerpts,
      observed,
      expected: expectedLine(endpoint, judged, learning),
      flags: e.sidetap.capture.flags as CaptureFlag[],
      message: `${endpoint} returned ${what} to ${who}${tail}.`,
    };
  }

  function expectedLine(endpoint: string, judged: Judged[], learning: boolean): string {
    if (learning) return 'no sensitive data in responses (learning what this endpoint returns)';
    const seen = new Set<string>();
    const parts: string[] = [];
    for (const { hit, novelty } of judged) {
      if (seen.has(hit.kind)) continue;
      seen.add(hit.kind);
      const noun = KIND_INFO[hit.kind].plural;
      const pct = (share: number): string => `${Math.round(share * 100)}%`;
      switch (novelty.verdict) {
        case 'unlearned':
          parts.push(novelty.responses === 0 ? `no ${noun}: nothing learned for this endpoint` : `no ${noun} (only ${novelty.responses} learned responses, too few to judge)`);
          break;
        case 'new':
          parts.push(`no ${noun}: none in ${novelty.responses} learned responses`);
          break;
        case 'seen': {
          const fields = novelty.reason === 'in other fields' ? ` (${profiles.fieldsOf(endpoint, hit.kind).join(', ') || 'unnamed fields'})` : '';
          parts.push(`${noun} in ${pct(novelty.share)} of ${novelty.responses} learned responses, ${novelty.reason}${fields}`);
          break;
        }
        case 'routine':
          parts.push(`${noun} in ${pct(novelty.share)} of ${novelty.responses} learned responses (routine here)`);
          break;
      }
    }
    return parts.join('; ');
  }
}
