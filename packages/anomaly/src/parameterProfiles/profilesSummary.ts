// The human-readable account of learned profiles: per endpoint, per parameter, what is expected.
// Names come from traffic, so they are escaped before they reach a terminal.
import { bandLabel, LENGTH_BANDS } from './charDistributionModel';
import { nameText } from './deviationText';
import type { EndpointProfile } from './endpointProfile';
import { ORDER_STRIDE } from './endpointProfile';
import type { ParameterProfile } from './parameterProfile';
import type { ParameterProfilesConfig } from './parameterProfilesConfig';

export function summarize(endpoints: readonly EndpointProfile[], config: ParameterProfilesConfig): string {
  if (endpoints.length === 0) return 'No endpoints learned yet.';
  const lines: string[] = [];
  for (const endpoint of endpoints) {
    const scored = endpoint.requests >= config.minSamples ? '' : ` (presence and order not scored before ${config.minSamples})`;
    lines.push(`${nameText(endpoint.method)} ${nameText(endpoint.template)}: ${endpoint.requests} requests, ${endpoint.params.length} parameters${scored}`);
    if (endpoint.paramsDropped > 0) lines.push(`  ${endpoint.paramsDropped} parameters not learned (table full); unexpected parameters are not reported`);
    for (const profile of endpoint.params) lines.push(...parameterLines(profile, endpoint.requests, config));
    const order = orderLine(endpoint);
    if (order !== '') lines.push(order);
  }
  return lines.join('\n');
}

function parameterLines(profile: ParameterProfile, requests: number, config: ParameterProfilesConfig): string[] {
  const share = requests === 0 ? 0 : Math.round((100 * profile.requests) / requests);
  const head = `  ${profile.location} ${nameText(profile.name)}: in ${share}% of requests`;
  if (profile.values === 0) return [`${head}; ${profile.secretValues > 0 ? 'secret (hashed), presence and order only' : 'no values'}`];
  const lines = [`${head}; ${profile.values} values${profile.values < config.minSamples ? ` (not scored before ${config.minSamples})` : ''}`];
  const length = profile.length;
  lines.push(`    length ${length.mean.toFixed(1)} ± ${Math.sqrt(length.variance).toFixed(1)}, at most ${length.max}`);
  lines.push(`    shape ${profile.shape.describe(profile.values)}`);
  const bands: string[] = [];
  for (let b = 0; b < LENGTH_BANDS; b++) {
    const n = profile.chars.samples[b] ?? 0;
    const top = profile.chars.icd[b]?.[0] ?? 0;
    if (n > 0) bands.push(`${bandLabel(b)}: ${n} (top character ${Math.round(top * 100)}%)`);
  }
  if (bands.length > 0) lines.push(`    characters by length ${bands.join('; ')}`);
  if (profile.enumeration.isEnumeration(config)) lines.push(`    enumeration: ${profile.enumeration.describe()}`);
  return lines;
}

function orderLine(endpoint: EndpointProfile): string {
  const pairs: string[] = [];
  for (const [key, count] of endpoint.order) {
    const before = endpoint.params[Math.floor(key / ORDER_STRIDE)];
    const after = endpoint.params[key % ORDER_STRIDE];
    if (before === undefined || after === undefined) continue;
    // Only the pairs that never appeared the other way round are an order worth stating.
    if (endpoint.order.has((key % ORDER_STRIDE) * ORDER_STRIDE + Math.floor(key / ORDER_STRIDE))) continue;
    pairs.push(`${nameText(before.name)} before ${nameText(after.name)} (${count})`);
  }
  return pairs.length === 0 ? '' : `  order: ${pairs.slice(0, 12).join(', ')}${pairs.length > 12 ? `, and ${pairs.length - 12} more` : ''}`;
}
