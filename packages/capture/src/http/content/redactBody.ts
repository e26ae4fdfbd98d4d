// Hashes password-like fields in request and response body samples before anything is stored
// (DESIGN.md §6): JSON documents, form-urlencoded bodies and multipart/form-data parts.
import { firstMultipartDelimiter } from '@sidetap/core';
import type { Redactor } from '@sidetap/core';
import { redactJson } from './redactJson';
import { isSecretFieldName, mayContainSecretName } from './secretFieldName';
import { mimeTypeOf } from './textBody';

/** Replace values of password-like fields in a JSON or form-urlencoded body sample with redactor.hash(value). */
export function redactBody(content: string, mimeType: string | undefined, redactor: Redactor): string {
  if (content.length === 0 || !mayContainSecretName(content)) return content;
  const type = mimeTypeOf(mimeType);
  switch (syntaxOf(type, content)) {
    case 'json':
      return redactJson(content, redactor);
    case 'form':
      return redactForm(content, redactor);
    case 'multipart':
      return redactMultipart(content, redactor);
    case 'none':
      return content;
  }
}

type Syntax = 'json' | 'form' | 'multipart' | 'none';

function syntaxOf(type: string | undefined, content: string): Syntax {
  if (type === 'application/x-www-form-urlencoded') return 'form';
  if (type === 'multipart/form-data') return 'multipart';
  if (type !== undefined && isJsonType(type)) return 'json';
  if (type !== undefined && !type.startsWith('text/plain')) return 'none';
  // Untyped or text/plain: judge by the first character, as clients that omit the type send JSON or forms.
  const first = content.trimStart().charCodeAt(0);
  if (first === 0x7b || first === 0x5b) return 'json';
  return looksLikeForm(content) ? 'form' : 'none';
}

function isJsonType(type: string): boolean {
  return (
    type === 'application/json' ||
    type === 'text/json' ||
    type === 'application/x-ndjson' ||
    type === 'application/jsonl' ||
    type.endsWith('+json')
  );
}

/** name=value pairs joined by &, with no whitespace: the shape of a form-urlencoded body. */
function looksLikeForm(content: string): boolean {
  const eq = content.indexOf('=');
  if (eq <= 0) return false;
  for (let i = 0; i < Math.min(content.length, 512); i++) {
    const c = content.charCodeAt(i);
    if (c <= 0x20) return false;
  }
  return true;
}

/** `a=1&password=x` → `a=1&password=h:...`; everything else byte-identical. */
export function redactForm(content: string, redactor: Redactor): string {
  let out = '';
  let start = 0;
  let changed = false;
  while (start <= content.length) {
    let end = content.indexOf('&', start);
    if (end < 0) end = content.length;
    const eq = content.indexOf('=', start);
    if (eq >= 0 && eq < end && isSecretFieldName(formDecode(content.slice(start, eq)))) {
      out += content.slice(start, eq + 1) + redactor.hash(formDecode(content.slice(eq + 1, end)));
      changed = true;
    } else {
      out += content.slice(start, end);
    }
    if (end < content.length) out += '&';
    start = end + 1;
  }
  return changed ? out : content;
}

/** application/x-www-form-urlencoded decoding; a malformed escape is kept as written. */
function formDecode(raw: string): string {
  const plus = raw.includes('+') ? raw.replace(/\+/g, ' ') : raw;
  if (!plus.includes('%')) return plus;
  try {
    return decodeURIComponent(plus);
  } catch {
    return plus;
  }
}

const PART_NAME = /^content-disposition:[^\r\n]*?;\s*name="([^"\r\n]*)"/im;

/**
 * Hashes the bodies of form-data parts named like secrets. The boundary is taken from the first
 * delimiter line, since the media type reaches us without its parameters.
 */
export function redactMultipart(content: string, redactor: Redactor): string {
  // A leading line break lets the first delimiter match like the others ("\n--boundary").
  const text = '\n' + content;
  const delimiter = firstMultipartDelimiter(text);
  if (delimiter === undefined) return content;
  let pos = text.indexOf(delimiter);
  let out = text.slice(0, pos);
  let changed = false;
  while (pos >= 0) {
    const next = text.indexOf(delimiter, pos + delimiter.length);
    const part = text.slice(pos, next < 0 ? text.length : next);
    const redacted = redactPart(part, redactor);
    if (redacted !== part) changed = true;
    out += redacted;
    pos = next;
  }
  return changed ? out.slice(1) : content;
}


const BLANK_LINE = /\r?\n\r?\n/;

/** One part from its delimiter line up to (not including) the line break before the next delimiter. */
function redactPart(part: string, redactor: Redactor): string {
  const blank = BLANK_LINE.exec(part);
  if (blank === null) return part;
  const name = PART_NAME.exec(part.slice(0, blank.index))?.[1];
  if (name === undefined || !isSecretFieldName(name)) return part;
  const bodyStart = blank.index + blank[0].length;
  // The line break before the next delimiter belongs to the delimiter (RFC 2046 §5.1.1).
  const bodyEnd = part.endsWith('\r') ? part.length - 1 : part.length;
  if (bodyEnd < bodyStart) return part;
  return part.slice(0, bodyStart) + redactor.hash(part.slice(bodyStart, bodyEnd)) + part.slice(bodyEnd);
}
