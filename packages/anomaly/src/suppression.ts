// Suppressions: findings an analyst has judged benign, by rule (id or category) and scope (actor,
// user, source address, endpoint, request part), optionally until a time. A suppressed finding is counted, not lost.
import { z } from 'zod';
import type { Finding } from '@sidetap/core';

export const suppressionSchema = z
  .object({
    rule: z.string().min(1).describe('Rule id (brute_force.account) or category (brute_force) to suppress.'),
    actor: z.string().min(1).optional().describe('Only findings about this actor key, user name or user id.'),
    sourceIp: z.string().min(1).optional().describe('Only findings from this source address.'),
    endpoint: z.string().min(1).optional().describe('Only findings on this endpoint template.'),
    parameter: z
      .string()
      .regex(/^(path|query|form|multipart|json|xml|header|cookie):/, 'parameter must be <part>:<name>, such as query:q or json:$.user.name')
      .optional()
      .describe('Only findings pointing at this request part, written part:name (query:q, json:$.user.name, header:user-agent).'),
    until: z.iso.datetime().optional().describe('Only findings whose window ends before this time.'),
    reason: z.string().optional().describe('Why, for the next analyst.'),
  })
  .strict();

export type Suppression = z.output<typeof suppressionSchema>;

export function isSuppressed(f: Finding, list: readonly Suppression[]): boolean {
  return list.some(
    (s) =>
      (s.rule === f.rule.id || s.rule === f.rule.category) &&
      (s.actor === undefined || s.actor === f.sidetap.actor_key || s.actor === f.user?.name || s.actor === f.user?.id) &&
      (s.sourceIp === undefined || s.sourceIp === f.source?.ip) &&
      (s.endpoint === undefined || s.endpoint === f.sidetap.endpoint) &&
      (s.parameter === undefined || (f.sidetap.location !== undefined && s.parameter === parameterOf(f.sidetap.location))) &&
      (s.until === undefined || f.sidetap.evidence.window.end < s.until),
  );
}

/** A finding's request part as suppressions write it: `query:q`, `json:$.user.name`. */
export function parameterOf(location: { part: string; name: string }): string {
  return `${location.part}:${location.name}`;
}
