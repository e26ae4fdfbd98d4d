// The labels file `models evaluate` reads (format sidetap-labels/1, documented in
// scripts/fixtures/incidents/README.md): which incidents a capture holds, when, and by whom.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ruleCategorySchema } from '@sidetap/core';
import { UsageError } from '../usageError';

const actorSchema = z
  .object({
    user: z.string().optional(),
    users: z.array(z.string()).optional(),
    userId: z.string().optional(),
    userIds: z.array(z.string()).optional(),
    ip: z.string().optional(),
    ips: z.array(z.string()).optional(),
    endpoint: z.string().optional(),
    method: z.string().optional(),
  })
  .passthrough();

const incidentSchema = z
  .object({
    id: z.string(),
    category: ruleCategorySchema,
    actor: actorSchema,
    matchOn: z.array(z.enum(['user', 'ip', 'endpoint'])).min(1),
    related: z.array(ruleCategorySchema).default([]),
    window: z.object({ start: z.iso.datetime(), end: z.iso.datetime() }),
  })
  .passthrough();

export const labelsSchema = z
  .object({
    format: z.literal('sidetap-labels/1'),
    captureStart: z.iso.datetime(),
    learningEnd: z.iso.datetime(),
    matchSlackSeconds: z.number().min(0).default(0),
    categories: z.array(ruleCategorySchema),
    incidents: z.array(incidentSchema),
  })
  .passthrough();

export type Labels = z.output<typeof labelsSchema>;
export type Incident = Labels['incidents'][number];

export function readLabels(file: string): Labels {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(`${file}: ${e.code === 'ENOENT' ? 'no such file' : `not JSON (${e.message.replace(/\.$/, '')})`}.`);
  }
  const parsed = labelsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`${file}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'} (expected a sidetap-labels/1 document).`);
  }
  return parsed.data;
}
