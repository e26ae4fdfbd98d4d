// Turns learned profiles into the exported document: internal state copied as is (so a reload
// scores bit for bit the same), keyed by readable names rather than bit positions.
import { FEATURE_COUNT, featureKey } from './charClasses';
import { bandLabel, LENGTH_BANDS } from './charDistributionModel';
import { ORDER_STRIDE } from './endpointProfile';
import type { EndpointProfile } from './endpointProfile';
import type { ParameterProfile } from './parameterProfile';
import type { EndpointProfileDocument, ParameterProfileDocument, ParameterProfilesModel } from './parameterProfilesModel';
import { PARAMETER_PROFILES_FORMAT } from './parameterProfilesModel';
import { FORMAT_NAMES } from './valueFormats';

export function modelOf(endpoints: Iterable<EndpointProfile>): ParameterProfilesModel {
  const docs: EndpointProfileDocument[] = [];
  for (const endpoint of endpoints) docs.push(endpointDocument(endpoint));
  return { format: PARAMETER_PROFILES_FORMAT, endpoints: docs };
}

function endpointDocument(endpoint: EndpointProfile): EndpointProfileDocument {
  const order: EndpointProfileDocument['order'] = [];
  for (const [key, requests] of endpoint.order) {
    const before = endpoint.params[Math.floor(key / ORDER_STRIDE)];
    const after = endpoint.params[key % ORDER_STRIDE];
    if (before === undefined || after === undefined) continue;
    const location = before.location === 'form' ? 'form' : 'query';
    order.push({ location, before: before.name, after: after.name, requests });
  }
  return {
    method: endpoint.method,
    endpoint: endpoint.template,
    requests: endpoint.requests,
    parametersDropped: endpoint.paramsDropped,
    orderPairsDropped: endpoint.orderPairsDropped,
    parameters: endpoint.params.map(parameterDocument),
    order,
  };
}

function parameterDocument(profile: ParameterProfile): ParameterProfileDocument {
  const chars: ParameterProfileDocument['chars'] = [];
  for (let band = 0; band < LENGTH_BANDS; band++) {
    const samples = profile.chars.samples[band] ?? 0;
    if (samples > 0) chars.push({ lengths: bandLabel(band), samples, bins: [...(profile.chars.icd[band] ?? [])] });
  }
  const features: Record<string, number> = {};
  for (let i = 0; i < FEATURE_COUNT; i++) {
    const k = profile.shape.featureCounts[i] ?? 0;
    if (k > 0) features[featureKey(i)] = k;
  }
  const formats: Record<string, number> = {};
  FORMAT_NAMES.forEach((name, i) => {
    const k = profile.shape.formatCounts[i] ?? 0;
    if (k > 0) formats[name] = k;
  });
  const values = profile.enumeration.values;
  return {
    location: profile.location,
    name: profile.name,
    requests: profile.requests,
    values: profile.values,
    secretValues: profile.secretValues,
    length: { mean: profile.length.mean, variance: profile.length.variance, max: profile.length.max },
    chars,
    shape: { features, formats },
    enum: values === null ? null : [...values].map(([value, count]) => ({ value, count })),
  };
}
