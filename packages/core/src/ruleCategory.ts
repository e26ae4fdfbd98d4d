// The `rule.category` taxonomy of findings (DESIGN.md §2), grouped by family: the exact values
// detectors emit and Kibana filters on, each with the one line docs/fields.md shows.
import { z } from 'zod';

export const RULE_CATEGORY_FAMILIES = {
  request_threats: {
    title: 'Request threats',
    categories: {
      sqli: 'SQL injection: SQL syntax in a parameter, header or body meant to change a database query.',
      xss: 'Cross-site scripting: script or markup in input meant to run in another user\'s browser.',
      xxe: 'XML external entity: an XML body declaring external entities to read files or reach other hosts.',
      path_traversal: 'Path traversal: `../` sequences or their encodings reaching outside the intended directory.',
      command_injection: 'OS command injection: shell metacharacters and commands in input.',
      ssrf: 'Server-side request forgery: a URL in input pointing the server at internal or cloud metadata addresses; and remote file inclusion, a URL to a script or text file on a public host written for the server to include (truncated with ?, %00 or #, or naming a web shell).',
      nosql_injection: 'NoSQL injection: query operators such as `$ne` or `$where` smuggled into JSON or parameters.',
      template_injection: 'Server-side template injection: template expressions such as `{{7*7}}` in input.',
      jndi_injection: 'JNDI lookup injection (Log4Shell): `${jndi:...}` strings in headers or input.',
    },
  },
  protocol: {
    title: 'Protocol',
    categories: {
      malformed_request: 'A request that breaks HTTP syntax: bad request line, invalid header lines.',
      unusual_method: 'A method the API does not serve or that is rarely legitimate (TRACE, TRACK, DEBUG, ...).',
      oversized_payload: 'A body, header section or URL far larger than the endpoint accepts.',
      protocol_violation: 'Framing or headers that HTTP forbids or calls faulty, short of a smuggling pattern.',
      request_smuggling: 'Conflicting message framing (Content-Length with chunked, odd Transfer-Encoding) that proxies and servers may read differently.',
    },
  },
  rate_and_abuse: {
    title: 'Rate and abuse',
    categories: {
      credential_stuffing: 'Logins with many different credentials, typically leaked pairs, from one source or a coordinated set.',
      brute_force: 'Many login or secret guesses against one account or token.',
      rate_limit_probing: 'Request rates held just under a limit, or stepped up to find it.',
      scraping: 'Systematic bulk reading of data endpoints.',
      enumeration: 'Walking object ids (BOLA walks), user names or other keys to find the ones that exist.',
      distributed_attack: 'One attack spread over many sources to stay under per-source limits.',
    },
  },
  data: {
    title: 'Data',
    categories: {
      data_exfiltration: 'An actor reading far more data than its baseline, in bytes or records.',
      response_size_anomaly: 'A response much larger than usual for its endpoint.',
      sensitive_data_exposure: 'Responses carrying sensitive data: card numbers, national ids, secrets, object properties the caller should not see.',
    },
  },
  session_and_behaviour: {
    title: 'Session and behaviour',
    categories: {
      impossible_travel: 'One actor seen from places too far apart for the time between the requests.',
      device_change: 'An actor\'s session continuing from a different device fingerprint.',
      off_hours: 'Activity outside the hours the actor is usually active.',
      token_reuse: 'A token used after logout or expiry, or by several devices or places at once.',
      lateral_movement: 'An actor reaching endpoints, tenants or objects beyond its usual set.',
      sequence_anomaly: 'Requests in an order the workflow does not allow (workflow or business-logic abuse).',
      behavior_anomaly: 'A session that is a multivariate outlier against learned behaviour.',
      volume_anomaly: 'A per-endpoint or per-actor time series leaving its expected band.',
    },
  },
  posture: {
    title: 'Posture',
    categories: {
      shadow_api: 'Traffic to an endpoint missing from the API specification.',
      zombie_api: 'Traffic to an endpoint the specification marks deprecated or retired.',
      schema_drift: 'Requests or responses that do not match the schema in the specification.',
      unauthenticated_access: 'Successful access without credentials to an endpoint that should require them.',
      weak_token: 'Tokens weak by construction: `alg: none`, guessable HMAC secrets, no expiry, very long lifetimes.',
    },
  },
} as const;

export type RuleCategoryFamily = keyof typeof RULE_CATEGORY_FAMILIES;

type Families = typeof RULE_CATEGORY_FAMILIES;
export type RuleCategory = { [F in RuleCategoryFamily]: keyof Families[F]['categories'] }[RuleCategoryFamily];

/** Every category value, family by family in taxonomy order. */
export const RULE_CATEGORIES = Object.values(RULE_CATEGORY_FAMILIES).flatMap((family) =>
  Object.keys(family.categories),
) as readonly RuleCategory[];

export const ruleCategorySchema = z
  .enum(RULE_CATEGORIES)
  .describe('Kind of threat or gap, from the sidetap taxonomy (see the rule.category table below).');
