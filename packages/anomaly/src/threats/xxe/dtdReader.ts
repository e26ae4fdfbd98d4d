// Reads the parts of XML that can make a parser fetch or expand things: the DOCTYPE (its
// external id and internal subset) and every <!ENTITY ...> declaration, leniently (any case,
// any whitespace, either quote), as a permissive parser or a WAF-evading payload would have it.

export interface EntityDecl {
  name: string;
  parameter: boolean;
  /** SYSTEM or PUBLIC: the entity's text comes from a URI. */
  external: boolean;
  uri: string;
  /** The literal replacement text of an internal entity. */
  literal: string;
  start: number;
  end: number;
}

export interface DoctypeDecl {
  root: string;
  publicId: string;
  systemUri: string;
  hasSubset: boolean;
  start: number;
  end: number;
}

export interface Dtd {
  doctype: DoctypeDecl | undefined;
  entities: EntityDecl[];
  /** %name; references in the subset, outside entity values: they pull in parameter entities. */
  peReferences: number;
}

const MAX_DECLS = 64;

export function readDtd(s: string, lower: string): Dtd {
  const dtd: Dtd = { doctype: undefined, entities: [], peReferences: 0 };
  const dt = lower.indexOf('<!doctype');
  if (dt >= 0) dtd.doctype = readDoctype(s, dt);
  for (let at = lower.indexOf('<!entity'); at >= 0 && dtd.entities.length < MAX_DECLS; at = lower.indexOf('<!entity', at + 8)) {
    const e = readEntity(s, at);
    if (e !== undefined) dtd.entities.push(e);
  }
  if (dtd.doctype?.hasSubset) dtd.peReferences = countPeReferences(s, dtd.doctype.start, dtd.doctype.end);
  return dtd;
}

function readDoctype(s: string, start: number): DoctypeDecl {
  let i = skipSpace(s, start + 9);
  const nameEnd = readName(s, i);
  const root = s.slice(i, nameEnd);
  i = skipSpace(s, nameEnd);
  let publicId = '';
  let systemUri = '';
  const kw = s.slice(i, i + 6).toUpperCase();
  if (kw === 'PUBLIC') {
    const [pid, next] = readQuoted(s, skipSpace(s, i + 6));
    publicId = pid;
    const [uri, after] = readQuoted(s, skipSpace(s, next));
    systemUri = uri;
    i = skipSpace(s, after);
  } else if (kw === 'SYSTEM') {
    const [uri, next] = readQuoted(s, skipSpace(s, i + 6));
    systemUri = uri;
    i = skipSpace(s, next);
  }
  let hasSubset = false;
  let end = i;
  if (s.charCodeAt(i) === 0x5b) {
    hasSubset = true;
    const close = s.indexOf(']', i);
    end = close < 0 ? s.length : close + 1;
  } else {
    const gt = s.indexOf('>', i);
    end = gt < 0 ? s.length : gt + 1;
  }
  return { root, publicId, systemUri, hasSubset, start, end };
}

function readEntity(s: string, start: number): EntityDecl | undefined {
  let i = skipSpace(s, start + 8);
  let parameter = false;
  if (s.charCodeAt(i) === 0x25) {
    parameter = true;
    i = skipSpace(s, i + 1);
  }
  const nameEnd = readName(s, i);
  if (nameEnd === i) return undefined;
  const name = s.slice(i, nameEnd);
  i = skipSpace(s, nameEnd);
  const kw = s.slice(i, i + 6).toUpperCase();
  let external = false;
  let uri = '';
  let literal = '';
  if (kw === 'SYSTEM' || kw === 'PUBLIC') {
    external = true;
    let [first, next] = readQuoted(s, skipSpace(s, i + 6));
    if (kw === 'PUBLIC') [first, next] = readQuoted(s, skipSpace(s, next));
    uri = first;
    i = next;
  } else {
    // An internal entity's value must be quoted; anything else is prose that mentions <!ENTITY.
    const q = s.charCodeAt(i);
    if (q !== 0x22 && q !== 0x27) return undefined;
    const [text, next] = readQuoted(s, i);
    literal = text;
    i = next;
  }
  const gt = s.indexOf('>', i);
  return { name, parameter, external, uri, literal, start, end: gt < 0 ? s.length : gt + 1 };
}

function countPeReferences(s: string, from: number, to: number): number {
  let n = 0;
  let inQuote = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (inQuote !== 0) {
      if (c === inQuote) inQuote = 0;
      continue;
    }
    if (c === 0x22 || c === 0x27) inQuote = c;
    else if (c === 0x25) {
      const e = readName(s, i + 1);
      if (e > i + 1 && s.charCodeAt(e) === 0x3b) n++;
    }
  }
  return n;
}

/** [text, index after the closing quote]; an unquoted token is read up to space or `>`. */
function readQuoted(s: string, i: number): [string, number] {
  const q = s.charCodeAt(i);
  if (q === 0x22 || q === 0x27) {
    const close = s.indexOf(String.fromCharCode(q), i + 1);
    if (close < 0) return [s.slice(i + 1, Math.min(s.length, i + 2049)), s.length];
    return [s.slice(i + 1, close), close + 1];
  }
  let k = i;
  while (k < s.length && !isSpace(s.charCodeAt(k)) && s.charCodeAt(k) !== 0x3e) k++;
  return [s.slice(i, k), k];
}

function readName(s: string, i: number): number {
  let k = i;
  while (k < s.length) {
    const c = s.charCodeAt(k);
    if (isSpace(c) || c === 0x3e || c === 0x5b || c === 0x22 || c === 0x27 || c === 0x3b || c === 0x25) break;
    k++;
  }
  return k;
}

export function skipSpace(s: string, i: number): number {
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  return i;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}
