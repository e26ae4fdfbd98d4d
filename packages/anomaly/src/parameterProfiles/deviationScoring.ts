// Scores one request against its endpoint's profile: each value against the four value models,
// then the request as a whole for missing, unexpected and out-of-order parameters.
import { excerptOf, nameText, parameterPhrase } from './deviationText';
import type { EndpointProfile } from './endpointProfile';
import type { ExtractedParameter } from './extractedParameter';
import type { ParameterDeviation, ParameterLocation, ParameterModel } from './parameterDeviation';
import type { ParameterProfile } from './parameterProfile';
import type { ParameterProfilesConfig } from './parameterProfilesConfig';
import type { ValueFeatures } from './valueFeatures';

export interface ScoringContext {
  /** Extraction was cut short: a parameter's absence proves nothing, so none is reported missing. */
  incomplete: boolean;
  config: ParameterProfilesConfig;
  features: ValueFeatures;
  /** Fresh stamp for this request. */
  stamp: number;
  querySequence: number[];
  formSequence: number[];
}

export function deviationsOf(endpoint: EndpointProfile, params: readonly ExtractedParameter[], ctx: ScoringContext): ParameterDeviation[] {
  const { config, stamp } = ctx;
  const out = new DeviationList(endpoint, config.threshold);
  const wholeRequest = endpoint.requests >= config.minSamples;
  const query = ctx.querySequence;
  const form = ctx.formSequence;
  // Emptied only when they hold something: setting an array's length is a runtime call even when it is 0.
  if (query.length !== 0) query.length = 0;
  if (form.length !== 0) form.length = 0;
  let unexpected: Set<string> | undefined;

  for (const param of params) {
    const profile = endpoint.find(param.location, param.name);
    if (profile === undefined) {
      // A full table means unknown names may simply not have fitted: say nothing then.
      if (!wholeRequest || endpoint.paramsDropped > 0) continue;
      const id = `${param.location}:${param.name}`;
      if (unexpected?.has(id) === true) continue;
      (unexpected ??= new Set()).add(id);
      const why = `was never seen in ${endpoint.requests} learned requests`;
      out.add(param.location, param.name, 'presence', unexpectedP(endpoint), why, param.secret ? '' : excerptOf(param.value));
      continue;
    }
    if (profile.stamp !== stamp) {
      profile.stamp = stamp;
      if (param.location === 'query' && query.length < config.maxOrderParams) query.push(profile.index);
      else if (param.location === 'form' && form.length < config.maxOrderParams) form.push(profile.index);
    }
    if (param.secret || profile.values < config.minSamples) continue;
    scoreValue(profile, param, ctx, out);
  }

  if (!wholeRequest) return out.deviations;
  for (const profile of ctx.incomplete ? [] : endpoint.params) {
    if (profile.stamp === stamp) continue;
    const p = (endpoint.requests - profile.requests + 1) / (endpoint.requests + 1);
    const why = `is missing, though ${profile.requests} of ${endpoint.requests} learned requests carried it`;
    if (out.reportable(p)) out.add(profile.location, profile.name, 'presence', p, why, '');
  }
  scoreOrder(endpoint, query, out);
  scoreOrder(endpoint, form, out);
  return out.deviations;
}

/** The deviations of one request: only those at or above the threshold are kept. */
class DeviationList {
  readonly deviations: ParameterDeviation[] = [];

  constructor(
    private readonly endpoint: EndpointProfile,
    private readonly threshold: number,
  ) {}

  reportable(p: number): boolean {
    return 1 - p >= this.threshold;
  }

  add(location: ParameterLocation, name: string, model: ParameterModel, p: number, why: string, excerpt: string): void {
    if (!this.reportable(p)) return;
    this.deviations.push({
      endpoint: this.endpoint.template,
      method: this.endpoint.method,
      parameter: name,
      location,
      model,
      score: 1 - p,
      reason: `${parameterPhrase(location, name)} ${why}.`,
      excerpt,
    });
  }
}

function scoreValue(profile: ParameterProfile, param: ExtractedParameter, ctx: ScoringContext, out: DeviationList): void {
  const { config, features } = ctx;
  const { location, name } = profile;
  const values = profile.values;

  const lengthP = profile.length.pValue(param.length);
  if (out.reportable(lengthP)) out.add(location, name, 'length', lengthP, profile.length.describe(param.length), excerptOf(param.value));

  features.analyse(param.value);
  const chars = profile.chars.judge(features);
  if (out.reportable(chars.p)) {
    const seen = Math.round(chars.topShare * 100);
    const usual = Math.round(chars.expectedTopShare * 100);
    const why = `has an unusual character distribution: its most frequent character makes up ${seen}% of it where about ${usual}% was learned (χ² ${chars.chiSquare.toFixed(1)})`;
    out.add(location, name, 'chars', chars.p, why, excerptOf(param.value));
  }

  const shape = profile.shape.judge(features, values);
  if (out.reportable(shape.p)) out.add(location, name, 'shape', shape.p, shape.why, excerptOf(param.value));

  if (profile.enumeration.isEnumeration(config)) {
    const enumP = profile.enumeration.pValue(param.value, values);
    if (out.reportable(enumP)) {
      const why = `is "${excerptOf(param.value, 40)}", not ${profile.enumeration.describe()} as in ${values} learned values`;
      out.add(location, name, 'enum', enumP, why, excerptOf(param.value));
    }
  }
}

function scoreOrder(endpoint: EndpointProfile, sequence: readonly number[], out: DeviationList): void {
  if (sequence.length < 2) return;
  const verdict = endpoint.judgeOrder(sequence);
  if (verdict === undefined || !out.reportable(verdict.p)) return;
  const names = sequence.map((i) => endpoint.params[i]?.name ?? '?').join(', ');
  const why = `came before ${nameText(verdict.late.name)}, which preceded it in ${verdict.usual} of ${verdict.usual + verdict.seen} learned requests with both`;
  out.add(verdict.early.location, verdict.early.name, 'order', verdict.p, why, excerptOf(names));
}

/** Good–Turing again: parameters seen in exactly one request estimate how often a new one turns up. */
function unexpectedP(endpoint: EndpointProfile): number {
  let singletons = 0;
  for (const profile of endpoint.params) if (profile.requests === 1) singletons++;
  return (singletons + 1) / (endpoint.requests + 1);
}
