// The flags `sidetap findings` and `findings export` choose findings by, turned into a store
// query filter. A bad flag is reported before the store is read.
import { existsSync } from 'node:fs';
import { RULE_CATEGORIES, RULE_CATEGORY_FAMILIES } from '@sidetap/core';
import { newestFindingTime } from '@sidetap/indexer';
import type { FindingsFilter } from '@sidetap/indexer';
import type { ParseArgsConfig } from 'node:util';
import { stringOption } from './args';
import type { ParsedArgs } from './args';
import { SEVERITY_NAMES } from './findingsTable';
import { parseTimeOrAge } from './timeOption';
import { UsageError } from './usageError';

export const FINDINGS_FILTER_OPTIONS = {
  store: { type: 'string' },
  category: { type: 'string' },
  severity: { type: 'string' },
  actor: { type: 'string' },
  endpoint: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  limit: { type: 'string' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

export const FINDINGS_FILTER_USAGE = '[--store DIR] [--category C] [--severity N|low|medium|high|critical] [--actor A] [--endpoint E] [--since T] [--until T] [--limit N]';

/** The filter the flags ask for; undefined when an age was given and the store holds no findings to count back from. */
export function findingsFilterOf(args: ParsedArgs, store: string): FindingsFilter | undefined {
  const filter: FindingsFilter = {
    ...categoryFilter(stringOption(args, 'category')),
    ...severityFilter(stringOption(args, 'severity')),
    ...nonEmpty('actor', stringOption(args, 'actor')),
    ...nonEmpty('endpoint', stringOption(args, 'endpoint')),
    ...limitFilter(stringOption(args, 'limit')),
  };
  const sinceText = stringOption(args, 'since');
  const untilText = stringOption(args, 'until');
  // Checked before the store is read, so a bad flag is reported as one even on an empty store.
  const since = sinceText === undefined ? undefined : parseTimeOrAge('--since', sinceText);
  const until = untilText === undefined ? undefined : parseTimeOrAge('--until', untilText);
  if (!existsSync(store)) throw new UsageError(`--store ${store}: no such directory; run \`sidetap replay <capture> --store ${store}\` first.`);

  if (since?.ago !== undefined || until?.ago !== undefined) {
    // Replays are of the past: "the last 24 hours" means of the capture, before its newest finding.
    const newest = newestFindingTime(store);
    if (newest === undefined) return undefined;
    if (since?.ago !== undefined) since.ms = newest - since.ago;
    if (until?.ago !== undefined) until.ms = newest - until.ago;
  }
  if (since !== undefined) filter.since = since.ms;
  if (until !== undefined) filter.until = until.ms;
  if (since !== undefined && until !== undefined && until.ms <= since.ms) throw new UsageError(`--until ${untilText}: must be later than --since ${sinceText}.`);
  return filter;
}

function categoryFilter(text: string | undefined): FindingsFilter {
  if (text === undefined) return {};
  const families = RULE_CATEGORY_FAMILIES as Record<string, { categories: Record<string, string> }>;
  const categories: string[] = [];
  for (const name of text.split(',').map((s) => s.trim())) {
    if ((RULE_CATEGORIES as readonly string[]).includes(name)) categories.push(name);
    else if (families[name] !== undefined) categories.push(...Object.keys(families[name].categories));
    else throw new UsageError(`--category: "${name}" is neither a rule category (such as sqli, enumeration) nor a family (${Object.keys(families).join(', ')}); docs/detectors.md lists them.`);
  }
  return { categories };
}

function severityFilter(text: string | undefined): FindingsFilter {
  if (text === undefined) return {};
  const exact = text.startsWith('=');
  const value = exact ? text.slice(1) : text;
  const named = (SEVERITY_NAMES as readonly string[]).indexOf(value.toLowerCase());
  const n = named > 0 ? named : /^[1-4]$/.test(value) ? Number(value) : undefined;
  if (n === undefined) throw new UsageError(`--severity: expected 1-4 or low, medium, high, critical (=high for exactly high), got "${text}".`);
  return exact ? { severity: n } : { minSeverity: n };
}

function limitFilter(text: string | undefined): FindingsFilter {
  if (text === undefined) return {};
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`--limit: expected a positive whole number, got "${text}".`);
  return { limit: n };
}

function nonEmpty(flag: 'actor' | 'endpoint', text: string | undefined): FindingsFilter {
  if (text === undefined) return {};
  if (text.trim() === '') throw new UsageError(`--${flag}: expected a value, got an empty string.`);
  return { [flag]: text };
}
