// Parameter profiles after Kruegel & Vigna, "Anomaly Detection of Web-based Attacks" (CCS 2003):
// per endpoint and parameter, learn what values look like, then list how a request deviates.
// Memory is bounded by configuration; hostile requests cost bounded work and never throw.
import type { Counters, Event } from '@sidetap/core';
import { deviationsOf } from './deviationScoring';
import { EndpointProfile, endpointKey } from './endpointProfile';
import type { ExtractedParameter, ExtractionNotes } from './extractedParameter';
import { extractWithNotes } from './extractParameters';
import { endpointsFromModel } from './modelImport';
import { modelOf } from './modelExport';
import type { ParameterProfilesModel } from './parameterProfilesModel';
import type { ParameterDeviation } from './parameterDeviation';
import type { ParameterProfilesConfig } from './parameterProfilesConfig';
import { summarize } from './profilesSummary';
import { ValueFeatures } from './valueFeatures';

export interface ParameterProfilesDeps {
  counters: Counters;
}

export class ParameterProfiles {
  private readonly endpoints = new Map<string, EndpointProfile>();
  /** One scratch analysis reused for every value: the hot path allocates no per-value state. */
  private readonly features = new ValueFeatures();
  private readonly querySequence: number[] = [];
  private readonly formSequence: number[] = [];
  /** Stamps mark which parameters a request carried without allocating a set per request. */
  private stamp = 0;
  // A detector scores an event and then learns it when clean: extract it once for both.
  private lastEvent: Event | undefined;
  private last: { params: ExtractedParameter[]; notes: ExtractionNotes } | undefined;

  constructor(
    private readonly config: ParameterProfilesConfig,
    private readonly deps: ParameterProfilesDeps,
  ) {}

  learn(event: Event): void {
    const key = endpointKey(event.http.request.method, event.sidetap.endpoint);
    let endpoint = this.endpoints.get(key);
    if (endpoint === undefined) {
      if (this.endpoints.size >= this.config.maxEndpoints) {
        this.deps.counters.inc('anomaly_parameter_endpoints_dropped_total');
        return;
      }
      endpoint = new EndpointProfile(event.http.request.method, event.sidetap.endpoint);
      this.endpoints.set(key, endpoint);
    }
    const params = this.extracted(event).params;
    const config = this.config;
    const counters = this.deps.counters;
    const stamp = ++this.stamp;
    const query = this.querySequence;
    const form = this.formSequence;
    // Emptied only when they hold something: setting an array's length is a runtime call (~50 ns) even when it is 0.
    if (query.length !== 0) query.length = 0;
    if (form.length !== 0) form.length = 0;
    endpoint.requests++;
    for (const param of params) {
      let profile = endpoint.find(param.location, param.name);
      if (profile === undefined) {
        profile = endpoint.add(param.location, param.name, config.maxParamsPerEndpoint);
        if (profile === undefined) {
          counters.inc('anomaly_parameter_parameters_dropped_total');
          continue;
        }
      }
      if (profile.stamp !== stamp) {
        profile.stamp = stamp;
        profile.requests++;
        if (param.location === 'query' && query.length < config.maxOrderParams) query.push(profile.index);
        else if (param.location === 'form' && form.length < config.maxOrderParams) form.push(profile.index);
      }
      if (param.secret) {
        profile.secretValues++;
        continue;
      }
      this.features.analyse(param.value);
      if (profile.learnValue(param.length, param.value, this.features, config)) counters.inc('anomaly_parameter_enum_sets_dropped_total');
    }
    const dropped = endpoint.learnOrder(query, config.maxOrderPairsPerEndpoint) + endpoint.learnOrder(form, config.maxOrderPairsPerEndpoint);
    if (dropped > 0) counters.inc('anomaly_parameter_order_pairs_dropped_total', dropped);
  }

  /** Deviations at or above the threshold, highest score first, at most maxDeviationsPerEvent. */
  score(event: Event): ParameterDeviation[] {
    const endpoint = this.endpoints.get(endpointKey(event.http.request.method, event.sidetap.endpoint));
    if (endpoint === undefined) return [];
    const { params, notes } = this.extracted(event);
    const deviations = deviationsOf(endpoint, params, {
      incomplete: notes.incomplete,
      config: this.config,
      features: this.features,
      stamp: ++this.stamp,
      querySequence: this.querySequence,
      formSequence: this.formSequence,
    });
    if (deviations.length <= 1) return deviations;
    // Stable sort: equal scores keep request order, so the output is deterministic.
    deviations.sort((a, b) => b.score - a.score);
    const max = this.config.maxDeviationsPerEvent;
    if (deviations.length > max) {
      this.deps.counters.inc('anomaly_parameter_deviations_dropped_total', deviations.length - max);
      deviations.length = max;
    }
    return deviations;
  }

  /** The learned profiles as a versioned, readable JSON document (`sidetap models show`). */
  exportModel(): ParameterProfilesModel {
    return modelOf(this.endpoints.values());
  }

  /** Profiles from an exported document; throws ParameterProfilesModelError naming what is wrong. */
  static importModel(doc: unknown, config: ParameterProfilesConfig, deps: ParameterProfilesDeps): ParameterProfiles {
    const profiles = new ParameterProfiles(config, deps);
    for (const endpoint of endpointsFromModel(doc, config)) profiles.endpoints.set(endpoint.key, endpoint);
    return profiles;
  }

  /** Per endpoint and parameter, what was learned, in words. */
  summary(): string {
    return summarize([...this.endpoints.values()], this.config);
  }

  private extracted(event: Event): { params: ExtractedParameter[]; notes: ExtractionNotes } {
    if (event === this.lastEvent && this.last !== undefined) return this.last;
    this.lastEvent = event;
    this.last = extractWithNotes(event, this.config, this.deps.counters);
    return this.last;
  }
}
