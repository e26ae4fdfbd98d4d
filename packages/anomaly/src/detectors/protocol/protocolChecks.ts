// protocol_checks: requests whose framing, syntax, method or size is an attack or an attack's
// tool mark. Capture names the framing oddities (flags) and this detector judges them; methods
// and body sizes are judged against what each endpoint template learned, and absolute caps and
// always-unusual methods hold without learning. One finding per actor and rule per cooldown.
import { z } from 'zod';
import type { CaptureFlag, Event } from '@sidetap/core';
import type { Detector, DetectorEnv } from '../../detector';
import { actorOf } from '../../findingDraft';
import type { FindingDraft } from '../../findingDraft';
import { addDistinct, addToWindow, eventEvidence, firstFiring, windowEvidence } from '../../slidingWindow';
import { EndpointBaselines, learnedRequests } from './endpointBaseline';
import type { Baseline } from './endpointBaseline';
import { FLAG_RULES } from './flagRules';
import { headerHits } from './headerConflicts';
import { looksLikeJson, scanJson } from './jsonShape';
import type { JsonShape } from './jsonShape';
import { methodHits } from './methodChecks';
import type { AcceptedMethods } from './methodChecks';
import { duplicateKeyHit, formParams, paramCount, pollutionHits, queryParams, repeatedNames } from './parameterPollution';
import { sizeHits } from './payloadSize';
import { CATEGORY_TAXONOMY } from './protocolHit';
import type { ProtocolHit } from './protocolHit';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const KIB = 1024;
const MIB = 1024 * KIB;
const FORM = 'application/x-www-form-urlencoded';

const methods = (d: string[], text: string) => z.array(z.string().min(1)).default(d).describe(text);

export const protocolChecksConfigSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Run this detector.'),
    cooldownMs: z.number().int().min(MINUTE).default(HOUR).describe('At most one finding per actor and rule within this (event time); malformed requests count per actor over all their flags.'),
    malformedRepeatCount: z
      .number()
      .int()
      .min(2)
      .default(20)
      .describe('Malformed requests from one actor within the cooldown that raise malformed_request.repeated (medium); fewer give one low finding.'),
    serverHabitActors: z
      .number()
      .int()
      .min(1)
      .default(5)
      .describe('Flags capture cannot place on the request or the response (bare LF, obs-fold, invalid header lines, oversized heads) are taken for the server\'s habit, and not reported, once more actors than this show them on one server within serverHabitWindowMs.'),
    serverHabitWindowMs: z.number().int().min(MINUTE).default(HOUR).describe('Window the distinct actors of serverHabitActors are counted in.'),
    knownMethods: methods(
      ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      'Methods judged by what each endpoint learned or the spec declares; any other method (a made-up token, lower-case "get") is reported on every endpoint. Add custom methods the API serves (PURGE).',
    ),
    alwaysUnusualMethods: methods(
      ['TRACE', 'TRACK', 'DEBUG', 'CONNECT', 'PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'SEARCH', 'REPORT', 'MKCALENDAR', 'MKACTIVITY', 'CHECKOUT', 'MERGE', 'ACL', 'BIND', 'UNBIND', 'REBIND', 'ORDERPATCH', 'VERSION-CONTROL', 'BASELINE-CONTROL', 'LABEL', 'UPDATE'],
      'Diagnostic, proxy and WebDAV methods reported on every endpoint, with or without learning.',
    ),
    implicitMethods: methods(['OPTIONS'], 'Methods never judged against learning or the spec (browsers send OPTIONS preflights to any endpoint). HEAD is accepted wherever GET is.'),
    specMethods: z
      .record(z.string(), z.array(z.string().min(1)))
      .default({})
      .describe(
        'Methods the API specification declares per endpoint template (`/v2/pets/{petId}: [GET, DELETE]`); for these templates they replace what was learned. The CLI fills it from --spec.',
      ),
    overrideHeaders: z
      .array(z.string().min(1))
      .default(['x-http-method-override', 'x-http-method', 'x-method-override'])
      .describe('Headers (lower case) that ask frameworks to treat a request as another method.'),
    overrideParams: z.array(z.string().min(1)).default(['_method']).describe('Query or form parameters that ask frameworks to treat a request as another method.'),
    minLearnedRequests: z
      .number()
      .int()
      .min(1)
      .default(20)
      .describe('Requests an endpoint (for methods) or an endpoint and method (for body sizes) must have learned before unlearned methods and body sizes are judged.'),
    bodyFactor: z.number().min(2).default(10).describe('How many times the largest learned request body of its endpoint and method a body must be.'),
    minBodyBytes: z.number().int().min(0).default(256 * KIB).describe('Never report a body under this as larger than learned.'),
    maxBodyBytes: z.number().int().min(1).default(10 * MIB).describe('Request bodies over this are reported without learning, unless the endpoint learned bodies this large.'),
    maxHeaders: z.number().int().min(1).default(100).describe('Distinct request header names over this are reported.'),
    maxUrlBytes: z.number().int().min(1).default(8 * KIB).describe('Request targets (path and query) longer than this are reported.'),
    maxQueryParams: z.number().int().min(1).default(200).describe('Query parameters over this are reported (hash flooding).'),
    maxFormParams: z.number().int().min(1).default(1000).describe('Form body fields (in the sample) over this are reported (hash flooding).'),
    maxJsonDepth: z.number().int().min(1).default(64).describe('JSON bodies nested deeper than this are reported.'),
    maxJsonMembers: z.number().int().min(1).default(1000).describe('JSON objects or arrays with more members than this within the body sample are reported.'),
    scanBytes: z.number().int().min(256).default(64 * KIB).describe('Body sample bytes read for JSON depth, size and duplicate keys.'),
    sensitiveParams: z
      .array(z.string().min(1))
      .default([
        'id', 'uid', 'user', 'userid', 'user_id', 'username', 'email', 'account', 'accountid', 'account_id', 'role', 'roles', 'admin', 'is_admin', 'isadmin',
        'scope', 'permission', 'permissions', 'group', 'tenant', 'tenant_id', 'org', 'org_id', 'token', 'access_token', 'api_key', 'apikey',
        'redirect', 'redirect_uri', 'redirect_url', 'return', 'return_url', 'returnurl', 'next', 'url', 'callback', 'continue', 'dest', 'destination',
        'amount', 'price', 'total', 'quantity', 'qty', 'currency', 'discount', 'coupon', 'action', '_method', 'debug',
      ])
      .describe('Parameter and JSON key names (lower case) whose repetition with different values is reported; other names may repeat (ids=1&ids=2).'),
  })
  .strict();

export type ProtocolChecksConfig = z.output<typeof protocolChecksConfigSchema>;

const BASELINE_TTL_MS = 30 * 24 * HOUR;
/** Flags whose oddities may come from where capture joined the stream rather than from the client. */
const RESYNC_FLAGS: readonly CaptureFlag[] = ['gap', 'midstream'];
const CONTROL_EXPLAINED: ReadonlySet<CaptureFlag> = new Set<CaptureFlag>(['http_invalid_header', 'http_bad_request_line']);
const NOTHING_EXPLAINED: ReadonlySet<CaptureFlag> = new Set<CaptureFlag>();
/** Responses that say the server does not serve the method: never learned as accepted. */
const METHOD_REFUSED = new Set([405, 501]);

export function createProtocolChecks(config: ProtocolChecksConfig): Detector {
  const sensitive = new Set(config.sensitiveParams.map((s) => s.toLowerCase()));
  const specMethods = new Map(Object.entries(config.specMethods).map(([t, m]) => [t, new Set(m)]));
  let baselines: EndpointBaselines | undefined;

  /** Whether an ambiguous flag is the server's habit: many actors show it on one server. */
  const serverHabit = async (flag: CaptureFlag, e: Event, t: number, env: DetectorEnv): Promise<boolean> => {
    const key = `pc:habit:${flag}:${e.destination.ip}:${e.destination.port}`;
    return (await addDistinct(env.state, key, t, config.serverHabitWindowMs, e.sidetap.actor_key)) > config.serverHabitActors;
  };

  const flagHits = async (e: Event, t: number, env: DetectorEnv, explained: ReadonlySet<CaptureFlag>): Promise<ProtocolHit[]> => {
    // The schema's enum is built from CAPTURE_FLAG_NAMES, so every value is a CaptureFlag.
    const flags = e.sidetap.capture.flags as CaptureFlag[];
    if (flags.length === 0) return [];
    const h = e.http.request.headers;
    const resync = flags.some((f) => RESYNC_FLAGS.includes(f));
    const byReason = new Map<string, ProtocolHit>();
    const malformed: CaptureFlag[] = [];
    for (const flag of flags) {
      const rule = FLAG_RULES[flag];
      if (rule === undefined || explained.has(flag)) continue;
      if (rule.category === 'malformed_request' && resync) continue;
      const fromRequest = rule.fromRequest(h, e);
      if (fromRequest === false) continue;
      // "5, 17" is invalid only as a list of two lengths, which conflicting_content_length names.
      if (flag === 'http_invalid_content_length' && flags.includes('http_duplicate_content_length') && /^\d+(\s*,\s*\d+)+$/.test((h['content-length'] ?? '').trim())) continue;
      if (fromRequest === undefined && (await serverHabit(flag, e, t, env))) continue;
      if (rule.category === 'malformed_request') {
        malformed.push(flag);
        continue;
      }
      let reason = rule.reason;
      let severity: ProtocolHit['severity'] = rule.category === 'request_smuggling' ? 3 : 2;
      if (flag === 'http_duplicate_content_length') {
        const values = new Set((h['content-length'] ?? '').split(',').map((v) => v.trim()));
        // Identical repeats are what RFC 9110 §8.6 lets a recipient merge; different ones are the CL.CL desync.
        if (values.size > 1) reason = 'conflicting_content_length';
        else severity = 2;
      }
      const seen = byReason.get(reason);
      if (seen !== undefined) {
        seen.flags!.push(flag);
        continue;
      }
      byReason.set(reason, flagHit(e, rule.category, reason, severity, [flag], rule.why));
    }
    const hits = [...byReason.values()];
    if (malformed.length > 0) {
      const first = FLAG_RULES[malformed[0]!]!;
      hits.push(flagHit(e, 'malformed_request', first.reason, 1, malformed, first.why));
    }
    return hits;
  };

  const accepted = (e: Event, b: Baseline, judged: boolean): AcceptedMethods | undefined => {
    const spec = specMethods.get(e.sidetap.endpoint);
    if (spec !== undefined) return { source: 'spec', methods: spec };
    if (!judged) return undefined;
    return { source: 'learned', methods: new Set(b.methods.keys()), learned: learnedRequests(b) };
  };

  const toDraft = async (e: Event, t: number, env: DetectorEnv, hit: ProtocolHit): Promise<FindingDraft[]> => {
    const ruleId = `${hit.category}.${hit.reason}`;
    // Malformed requests are one story per actor whatever the flags; other rules one per actor each.
    const k = `pc:${hit.category === 'malformed_request' ? hit.category : ruleId}:${e.sidetap.actor_key}`;
    const ev1 = eventEvidence(e);
    const tag = hit.flags !== undefined && hit.flags.length > 0 ? ` [${hit.flags.join(',')}]` : '';
    const n = await addToWindow(env.state, `${k}:e`, t, `${e.event.id}\t${ev1.excerpts[0]}${tag}`, config.cooldownMs);
    const out: FindingDraft[] = [];
    if (await firstFiring(env.state, `${k}:f`, t, config.cooldownMs)) out.push(draft(e, hit, ruleId, ev1.exchangeIds, ev1.excerpts, { start: t, end: t }));
    if (hit.category === 'malformed_request' && n >= config.malformedRepeatCount && (await firstFiring(env.state, `${k}:many`, t, config.cooldownMs))) {
      const ev = await windowEvidence(env.state, `${k}:e`, t - config.cooldownMs + 1, t);
      const named = [...new Set(ev.excerpts.flatMap((x) => /\[([a-z0-9_,]+)\]$/.exec(x)?.[1]?.split(',') ?? []))] as CaptureFlag[];
      out.push(
        draft(
          e,
          {
            ...hit,
            reason: 'repeated',
            name: 'Many malformed requests from one actor',
            severity: 2,
            observed: `${n} malformed requests`,
            expected: `fewer than ${config.malformedRepeatCount} within ${Math.round(config.cooldownMs / MINUTE)} minutes`,
            message: `${n} malformed requests from ${e.sidetap.actor_key} within ${Math.round(config.cooldownMs / MINUTE)} minutes (${named.join(', ')}): a fuzzer or a desync probe rather than a broken client.`,
            flags: named,
          },
          'malformed_request.repeated',
          ev.exchangeIds,
          ev.excerpts,
          { start: ev.start, end: ev.end },
        ),
      );
    }
    return out;
  };

  return {
    name: 'protocol_checks',
    categories: ['request_smuggling', 'malformed_request', 'unusual_method', 'oversized_payload', 'protocol_violation'],
    async observe(e, t, env) {
      const req = e.http.request;
      // A response with no request before it: nothing the client sent is known.
      if (req.method === '') return [];
      const endpoints = (baselines ??= new EndpointBaselines(env.state, BASELINE_TTL_MS));
      const learning = env.learning(t);
      const endpoint = e.sidetap.endpoint;
      const b = await endpoints.read(endpoint, t);
      const judged = !learning && learnedRequests(b) >= config.minLearnedRequests;

      const hits = headerHits(e);
      // A control byte the head checks named already explains capture's invalid-line flags.
      const explained = hits.some((x) => x.reason === 'control_characters') ? CONTROL_EXPLAINED : NOTHING_EXPLAINED;
      // Most requests carry no capture flag: they need not wait on the flag checks.
      if (e.sidetap.capture.flags.length > 0) hits.push(...(await flagHits(e, t, env, explained)));
      const body = req.body.content;
      const form = req.mime_type === FORM;
      const query = queryParams(e.url.query);
      const fields = form ? formParams(body) : [];
      // The method checks read the same parameters (override parameters): parsed once for both.
      hits.push(...methodHits(e, config, accepted(e, b, judged), { query, form: fields }));
      let json: JsonShape | undefined;
      if (body !== undefined && body !== '' && (req.mime_type?.includes('json') === true || looksLikeJson(body))) json = scanJson(body, config.scanBytes);
      hits.push(...sizeHits(e, config, b.methods.get(req.method), judged, { query: paramCount(e.url.query), form: form ? paramCount(body) : 0 }, json));
      if (json !== undefined) hits.push(...duplicateKeyHit(e, json, sensitive));
      // Which names an endpoint's clients repeat is learned, so repetition is judged after learning.
      if (!learning) hits.push(...pollutionHits(e, 'query', query, sensitive, b.repeats), ...pollutionHits(e, 'form', fields, sensitive, b.repeats));

      // Baselines learn from all traffic of the learning period (an upload endpoint learns its
      // large bodies even though the first one passed the absolute cap), then from traffic that
      // raised nothing here or in any other detector. Methods learn only when known, not implicit,
      // and not refused by the server.
      if (learning || hits.length === 0) {
        const status = e.http.response?.status_code;
        const learnable = config.knownMethods.includes(req.method) && !config.implicitMethods.includes(req.method) && (status === undefined || !METHOD_REFUSED.has(status));
        const learn = (): Promise<void> => endpoints.learn(endpoint, b, learnable ? req.method : undefined, req.body.bytes, repeatedNames([...query, ...fields]), t);
        if (learning) await learn();
        else env.teach(learn);
      }
      if (hits.length === 0) return [];
      const out: FindingDraft[] = [];
      for (const hit of hits) out.push(...(await toDraft(e, t, env, hit)));
      return out;
    },
  };
}

type FlagCategory = Exclude<ProtocolHit['category'], 'unusual_method'>;

const FLAG_RULE_NAMES: Record<FlagCategory, string> = {
  request_smuggling: 'Request framing that hops may read differently',
  malformed_request: 'Request that breaks HTTP syntax',
  oversized_payload: 'Request body that expands past the decompression cap',
  protocol_violation: 'Conflicting Host',
};

const FLAG_LEADS: Record<FlagCategory, string> = {
  request_smuggling: 'carried ambiguous framing',
  malformed_request: 'was malformed',
  oversized_payload: 'carried a compressed body past the decompression cap',
  protocol_violation: 'named conflicting hosts',
};

function flagHit(e: Event, category: FlagCategory, reason: string, severity: ProtocolHit['severity'], flags: CaptureFlag[], why: string): ProtocolHit {
  const named = flags.join(', ');
  return {
    category,
    reason,
    name: FLAG_RULE_NAMES[category],
    severity,
    confidence: 0.9,
    observed: named,
    expected: 'no such capture flags',
    message: `${e.http.request.method} ${e.sidetap.endpoint} ${FLAG_LEADS[category]} (${named}): ${why}.`,
    flags,
  };
}

function draft(e: Event, hit: ProtocolHit, ruleId: string, exchangeIds: string[], excerpts: string[], window: { start: number; end: number }): FindingDraft {
  const tax = CATEGORY_TAXONOMY[hit.category];
  const d: FindingDraft = {
    detector: 'protocol_checks',
    rule: { id: ruleId, name: hit.name, category: hit.category },
    severity: hit.severity,
    confidence: hit.confidence,
    owasp: tax.owasp,
    ...actorOf(e, true),
    window,
    exchangeIds,
    excerpts,
    observed: hit.observed,
    expected: hit.expected,
    flags: [...e.sidetap.capture.flags] as CaptureFlag[],
    message: hit.message,
  };
  if (tax.techniques.length > 0) d.techniques = tax.techniques;
  return d;
}
