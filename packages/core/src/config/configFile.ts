// Reads one config file, YAML or JSON by its extension, into plain data; syntax errors name the
// file and line.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type * as Yaml from 'yaml';
import { ConfigError } from './configError';
import { jsonErrorOffset } from './jsonErrorOffset';

export function readConfigFile(file: string): unknown {
  const ext = extname(file).toLowerCase();
  if (ext !== '.yaml' && ext !== '.yml' && ext !== '.json') {
    throw new ConfigError(`${file}: unknown config format "${ext}"; use .yaml, .yml or .json.`, file);
  }
  const text = readTextFile(file);
  return ext === '.json' ? parseJsonText(text, file) : parseYamlText(text, file);
}

/** The file's bytes; a missing or unreadable file is a ConfigError naming it (and the option that named it). */
export function readFileBytes(file: string, option = ''): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? String(err)})`;
    throw new ConfigError(`${file}: ${option === '' ? '' : `${option}: `}${what}.`, file, option);
  }
}

/** The file's text, without a byte-order mark. */
export function readTextFile(file: string, option = ''): string {
  const text = readFileBytes(file, option).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function parseJsonText(text: string, file: string, option = ''): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const where = lineColumn(text, jsonErrorOffset(text));
    const at = option === '' ? '' : `${option}: `;
    throw new ConfigError(`${file}: ${at}line ${where.line}, column ${where.column}: ${sentenceBody(jsonReason((err as Error).message))}.`, file, option);
  }
}

/** V8's reason without the position or the quoted excerpt of the text it appends. */
function jsonReason(message: string): string {
  return message
    .replace(/, ".*" is not valid JSON$/s, '')
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/ at position \d+.*$/s, '');
}

function parseYamlText(text: string, file: string): unknown {
  // Loaded here, not at start-up: most runs read a JSON file or none, and yaml costs ~50 ms to load.
  const { parseDocument } = require('yaml') as typeof Yaml;
  const doc = parseDocument(text, { prettyErrors: true });
  // A warning (an unknown tag, say) means the file may not say what its author thinks: refuse it.
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem !== undefined) {
    const pos = problem.linePos?.[0];
    const reason = problem.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? problem.code;
    const where = pos === undefined ? '' : `line ${pos.line}, column ${pos.col}: `;
    throw new ConfigError(`${file}: ${where}${sentenceBody(reason)}.`, file);
  }
  try {
    return doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (err) {
    // Unresolved or exploding aliases surface only when the document is turned into data.
    throw new ConfigError(`${file}: ${sentenceBody((err as Error).message)}.`, file);
  }
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** A parser's message as the body of our sentence: lower-case start, no trailing period. */
function sentenceBody(message: string): string {
  const trimmed = message.trim().replace(/[.:]+$/, '');
  return trimmed.charAt(0).toLowerCase() + trimmed.slice(1);
}
