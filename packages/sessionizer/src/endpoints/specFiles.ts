// Reads and parses the files of one OpenAPI document (the spec and the files its $refs name),
// each once, so every error can name the file as the user would find it.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type * as Yaml from 'yaml';

/** Distinct files one spec may pull in through $refs; a guard against runaway ref graphs. */
const MAX_FILES = 256;

export interface SpecFile {
  /** Absolute path, the identity used for ref targets and cycle checks. */
  abs: string;
  /** The path shown in messages: the spec as given, others relative to it. */
  shown: string;
  doc: unknown;
}

export class SpecFiles {
  private readonly files = new Map<string, SpecFile>();
  readonly root: SpecFile;

  constructor(readonly rootShown: string) {
    this.root = this.read(resolve(rootShown), rootShown, undefined);
  }

  /** The file `ref` (a path, relative to `from`) names; reads it on first use. */
  open(ref: string, from: SpecFile, refText: string, at: string): SpecFile {
    const abs = resolve(dirname(from.abs), ref);
    const known = this.files.get(abs);
    if (known !== undefined) return known;
    if (this.files.size >= MAX_FILES) {
      throw new Error(`${this.rootShown}: $ref "${refText}" at ${at} would read more than ${MAX_FILES} files.`);
    }
    return this.read(abs, join(dirname(from.shown), ref), { refText, at });
  }

  private read(abs: string, shown: string, via: { refText: string; at: string } | undefined): SpecFile {
    let text: string;
    try {
      text = readFileSync(abs, 'utf8');
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code ?? 'unreadable';
      if (via === undefined) throw new Error(`${shown}: cannot be read (${why}).`);
      throw new Error(`${this.rootShown}: $ref "${via.refText}" at ${via.at} does not resolve (${shown} cannot be read: ${why}).`);
    }
    const file: SpecFile = { abs, shown, doc: parseSpecText(text, shown) };
    this.files.set(abs, file);
    return file;
  }
}

/** JSON for `.json` files (exact messages, faster), YAML for everything else. */
function parseSpecText(text: string, shown: string): unknown {
  if (shown.toLowerCase().endsWith('.json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new Error(`${shown}: not valid JSON (${firstLine(err)}).`);
    }
  }
  // Loaded here, not at start-up: most runs have no spec, or a JSON one, and yaml is ~70 modules.
  const { parse } = require('yaml') as typeof Yaml;
  try {
    // yaml's alias cap (its default, stated here so it is not loosened by accident) makes a
    // "billion laughs" document fail instead of eating memory.
    return parse(text, { maxAliasCount: 100 }) as unknown;
  } catch (err) {
    throw new Error(`${shown}: not valid YAML (${firstLine(err)}).`);
  }
}

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return (message.split('\n')[0] ?? '').replace(/[.:]\s*$/, '');
}
