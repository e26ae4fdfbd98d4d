// The methods an OpenAPI spec declares per endpoint template, handed to protocol_checks as its
// `specMethods`: the CLI wires stages together, so the spec is read once by the sessionizer's
// loader here rather than by a second loader inside the anomaly engine.
import { loadOpenApiSpec } from '@sidetap/sessionizer';
import type { SidetapConfig } from './sidetapConfig';

export function withSpecMethods(config: SidetapConfig): SidetapConfig {
  const file = config.sessionizer.endpoints.specFile;
  const checks = config.anomaly.detectors.protocol_checks;
  if (file === undefined || !checks.enabled) return config;
  const specMethods: Record<string, string[]> = {};
  for (const route of loadOpenApiSpec(file).routes) {
    const methods = route.operations.map((o) => o.method.toUpperCase());
    for (const template of route.templates) specMethods[template] = [...new Set([...(specMethods[template] ?? []), ...methods])];
  }
  // What the configuration lists itself wins over the spec.
  const merged = { ...specMethods, ...checks.specMethods };
  return { ...config, anomaly: { ...config.anomaly, detectors: { ...config.anomaly.detectors, protocol_checks: { ...checks, specMethods: merged } } } };
}
