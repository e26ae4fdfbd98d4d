import { RULE_CATEGORIES, RULE_CATEGORY_FAMILIES, ruleCategorySchema } from './ruleCategory';
import { OWASP_API_IDS, OWASP_API_TOP_10, owaspApiSchema } from './owaspApi';

// DESIGN.md §2, copied by hand on purpose: renaming a category breaks saved searches and
// suppressions, so it must be a deliberate change to both places.
const DESIGN_CATEGORIES = [
  'sqli', 'xss', 'xxe', 'path_traversal', 'command_injection', 'ssrf', 'nosql_injection', 'template_injection', 'jndi_injection',
  'malformed_request', 'unusual_method', 'oversized_payload', 'protocol_violation', 'request_smuggling',
  'credential_stuffing', 'brute_force', 'rate_limit_probing', 'scraping', 'enumeration', 'distributed_attack',
  'data_exfiltration', 'response_size_anomaly', 'sensitive_data_exposure',
  'impossible_travel', 'device_change', 'off_hours', 'token_reuse', 'lateral_movement', 'sequence_anomaly', 'behavior_anomaly', 'volume_anomaly',
  'shadow_api', 'zombie_api', 'schema_drift', 'unauthenticated_access', 'weak_token',
];

describe('rule.category taxonomy', () => {
  it('holds exactly the values of the design, family by family', () => {
    expect(RULE_CATEGORIES).toEqual(DESIGN_CATEGORIES);
  });

  it('groups them into the six families of the design', () => {
    expect(Object.values(RULE_CATEGORY_FAMILIES).map((f) => f.title)).toEqual([
      'Request threats',
      'Protocol',
      'Rate and abuse',
      'Data',
      'Session and behaviour',
      'Posture',
    ]);
    expect(Object.keys(RULE_CATEGORY_FAMILIES.protocol.categories)).toContain('request_smuggling');
  });

  it('describes every category in one line', () => {
    for (const family of Object.values(RULE_CATEGORY_FAMILIES)) {
      for (const text of Object.values(family.categories)) expect(text).toMatch(/^[^\n]{10,}\.$/);
    }
  });

  it('parses a known category and rejects anything else', () => {
    expect(ruleCategorySchema.parse('enumeration')).toBe('enumeration');
    expect(ruleCategorySchema.safeParse('bola').success).toBe(false);
    expect(ruleCategorySchema.safeParse('SQLI').success).toBe(false);
  });
});

describe('OWASP API Security Top 10 2023', () => {
  it('lists API1:2023 to API10:2023 in rank order with their titles', () => {
    expect(OWASP_API_IDS).toEqual(Array.from({ length: 10 }, (_, i) => `API${i + 1}:2023`));
    expect(OWASP_API_TOP_10['API1:2023']).toBe('Broken Object Level Authorization');
    expect(OWASP_API_TOP_10['API6:2023']).toBe('Unrestricted Access to Sensitive Business Flows');
    expect(OWASP_API_TOP_10['API10:2023']).toBe('Unsafe Consumption of APIs');
  });

  it('rejects ids of other editions', () => {
    expect(owaspApiSchema.parse('API7:2023')).toBe('API7:2023');
    expect(owaspApiSchema.safeParse('API1:2019').success).toBe(false);
  });
});
