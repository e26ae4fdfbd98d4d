// Loads an exported document back into profiles after checking it: the schema first, then what
// a schema cannot say (unique names, order pairs naming known parameters, the configured bounds).
import { FEATURE_COUNT, featureKey } from './charClasses';
import { bandLabel, CharDistributionModel, LENGTH_BANDS } from './charDistributionModel';
import { EndpointProfile, ORDER_STRIDE } from './endpointProfile';
import { EnumModel } from './enumModel';
import { LengthModel } from './lengthModel';
import type { ParameterProfile } from './parameterProfile';
import type { EndpointProfileDocument, ParameterProfileDocument } from './parameterProfilesModel';
import { ParameterProfilesModelError, parameterProfilesModelSchema } from './parameterProfilesModel';
import type { ParameterProfilesConfig } from './parameterProfilesConfig';
import { ShapeModel } from './shapeModel';
import { BIN_COUNT } from './valueFeatures';
import { FORMAT_NAMES } from './valueFormats';

const BAND_LABELS = Array.from({ length: LENGTH_BANDS }, (_, b) => bandLabel(b));

export function endpointsFromModel(doc: unknown, config: ParameterProfilesConfig): EndpointProfile[] {
  const parsed = parameterProfilesModelSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? 'document' : issue.path.join('.');
    throw new ParameterProfilesModelError(`parameter profiles model: ${where}: ${issue?.message ?? 'invalid'}.`);
  }
  const endpoints = parsed.data.endpoints;
  if (endpoints.length > config.maxEndpoints) {
    fail('endpoints', `${endpoints.length} endpoints exceed maxEndpoints (${config.maxEndpoints})`);
  }
  const seen = new Set<string>();
  return endpoints.map((doc, i) => {
    const endpoint = endpointFrom(doc, `endpoints.${i}`, config);
    if (seen.has(endpoint.key)) fail(`endpoints.${i}`, `endpoint "${endpoint.key}" appears twice`);
    seen.add(endpoint.key);
    return endpoint;
  });
}

function endpointFrom(doc: EndpointProfileDocument, at: string, config: ParameterProfilesConfig): EndpointProfile {
  const endpoint = new EndpointProfile(doc.method, doc.endpoint);
  if (doc.parameters.length > config.maxParamsPerEndpoint) {
    fail(`${at}.parameters`, `${doc.parameters.length} parameters exceed maxParamsPerEndpoint (${config.maxParamsPerEndpoint})`);
  }
  endpoint.requests = doc.requests;
  endpoint.paramsDropped = doc.parametersDropped;
  endpoint.orderPairsDropped = doc.orderPairsDropped;
  doc.parameters.forEach((p, i) => {
    const where = `${at}.parameters.${i}`;
    if (endpoint.find(p.location, p.name) !== undefined) fail(where, `parameter ${p.location} "${p.name}" appears twice`);
    if (p.requests > doc.requests) fail(`${where}.requests`, `${p.requests} exceeds the endpoint's ${doc.requests} requests`);
    const profile = endpoint.add(p.location, p.name, config.maxParamsPerEndpoint);
    if (profile !== undefined) fillProfile(profile, p, where, config);
  });
  if (doc.order.length > config.maxOrderPairsPerEndpoint) {
    fail(`${at}.order`, `${doc.order.length} pairs exceed maxOrderPairsPerEndpoint (${config.maxOrderPairsPerEndpoint})`);
  }
  doc.order.forEach((pair, i) => {
    const where = `${at}.order.${i}`;
    const before = endpoint.find(pair.location, pair.before);
    const after = endpoint.find(pair.location, pair.after);
    if (before === undefined || after === undefined || before === after) {
      fail(where, `pair ${pair.location} "${pair.before}" before "${pair.after}" does not name two parameters of the endpoint`);
    }
    const key = before.index * ORDER_STRIDE + after.index;
    if (endpoint.order.has(key)) fail(where, `pair "${pair.before}" before "${pair.after}" appears twice`);
    endpoint.order.set(key, pair.requests);
  });
  return endpoint;
}

function fillProfile(profile: ParameterProfile, doc: ParameterProfileDocument, at: string, config: ParameterProfilesConfig): void {
  profile.requests = doc.requests;
  profile.values = doc.values;
  profile.secretValues = doc.secretValues;
  profile.length = new LengthModel(doc.length.mean, doc.length.variance, doc.length.max);

  const samples = new Array<number>(LENGTH_BANDS).fill(0);
  const icd = Array.from({ length: LENGTH_BANDS }, () => new Array<number>(BIN_COUNT).fill(0));
  for (const band of doc.chars) {
    const b = BAND_LABELS.indexOf(band.lengths);
    if ((samples[b] ?? 0) > 0) fail(`${at}.chars`, `length band ${band.lengths} appears twice`);
    samples[b] = band.samples;
    icd[b] = band.bins;
  }
  profile.chars = new CharDistributionModel(samples, icd);

  const features = new Array<number>(FEATURE_COUNT).fill(0);
  for (let i = 0; i < FEATURE_COUNT; i++) features[i] = (doc.shape.features as Record<string, number | undefined>)[featureKey(i)] ?? 0;
  const formats = FORMAT_NAMES.map((name) => doc.shape.formats[name] ?? 0);
  profile.shape = new ShapeModel(features, formats);

  if (doc.enum === null) {
    profile.enumeration = new EnumModel(null);
  } else {
    if (doc.enum.length > config.maxEnumValues) fail(`${at}.enum`, `${doc.enum.length} values exceed maxEnumValues (${config.maxEnumValues})`);
    const values = new Map<string, number>();
    for (const { value, count } of doc.enum) {
      if (values.has(value)) fail(`${at}.enum`, `value ${JSON.stringify(value)} appears twice`);
      values.set(value, count);
    }
    profile.enumeration = new EnumModel(values);
  }
}

function fail(where: string, what: string): never {
  throw new ParameterProfilesModelError(`parameter profiles model: ${where}: ${what}.`);
}
