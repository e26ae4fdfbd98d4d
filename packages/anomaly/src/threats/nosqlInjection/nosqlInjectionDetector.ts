/**
 * NoSQL (MongoDB, CouchDB Mango) injection for one decoded request value, parameter name or
 * serialised JSON sub-object.
 *
 * Two mechanisms. Operators: every `$name` is looked up in the operator table and then judged by
 * where it sits; an operator is only an injection when it is a key: in bracket notation
 * (`password[$ne]`, `[$regex]`), an object key (`{"$gt": ""}`, `{$where: ...}`) or a query-string
 * key (`$where=...`). So `$5.00`, `$USD` and "use $set to update" in prose never count, and
 * extended-JSON or JSON-Schema keys (`$oid`, `$date`, `$ref`, `$schema`) are not operators.
 * Server-side JavaScript: a value that closes a string and continues in JavaScript, the way one
 * escapes a `$where` clause (`'; return true; var x='`, `' || 'a'=='a`, `this.password.match(..)`,
 * `sleep(5000)` after a break) is judged on its JS constructs.
 */

import type { ThreatMatch } from '../threatMatch';

const MAX_JUDGED = 4096;
const MAX_FRAGMENT = 120;

type OpFamily = 'js' | 'compare' | 'logic' | 'expr' | 'stage' | 'update';

// $type is left out: Json.NET and other serialisers use it as a type discriminator.
const OP_TABLE: Readonly<Record<string, OpFamily>> = {
  where: 'js', function: 'js', accumulator: 'js',
  ne: 'compare', eq: 'compare', gt: 'compare', gte: 'compare', lt: 'compare', lte: 'compare', in: 'compare', nin: 'compare',
  exists: 'compare', regex: 'compare', size: 'compare', all: 'compare', elemMatch: 'compare', mod: 'compare',
  not: 'compare', options: 'compare', allMatch: 'compare', keyMapMatch: 'compare', beginsWith: 'compare',
  or: 'logic', and: 'logic', nor: 'logic',
  expr: 'expr', jsonSchema: 'expr',
  lookup: 'stage', unionWith: 'stage', graphLookup: 'stage', out: 'stage', merge: 'stage', match: 'stage', group: 'stage',
  project: 'stage', search: 'stage', addFields: 'stage', replaceRoot: 'stage', replaceWith: 'stage', facet: 'stage', sample: 'stage',
  set: 'update', unset: 'update', inc: 'update', push: 'update', pull: 'update', rename: 'update', addToSet: 'update',
  setOnInsert: 'update', currentDate: 'update', pullAll: 'update', mul: 'update', max: 'update', min: 'update',
};

const OPS = new Map<string, OpFamily>(Object.entries(OP_TABLE));

const FAMILY_CONFIDENCE: Readonly<Record<OpFamily, number>> = { js: 0.95, compare: 0.85, logic: 0.8, expr: 0.85, stage: 0.75, update: 0.6 };
const FAMILY_REASON: Readonly<Record<OpFamily, string>> = {
  js: 'runs server-side JavaScript',
  compare: 'turns a value into a comparison (always-true login bypass or blind extraction)',
  logic: 'adds a logical clause to the query',
  expr: 'adds an aggregation expression to the query',
  stage: 'injects an aggregation stage reading other collections',
  update: 'injects an update operator (mass assignment)',
};

export function detectNosqlInjection(value: string): ThreatMatch | undefined {
  const len = Math.min(value.length, MAX_JUDGED);
  if (len < 3) return undefined;
  let dollar = false;
  let quote = false;
  let glue = false; // ; | & = after which JavaScript would continue
  let jsWord = false;
  let call = false;
  for (let i = 0; i < len; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x24) dollar = true;
    else if (c === 0x27 || c === 0x22) quote = true;
    else if (c === 0x3b || c === 0x7c || c === 0x26 || c === 0x3d || c === 0x2b) glue = true;
    else if (c === 0x28) call = true;
    else if (c === 0x25 && value.charCodeAt(i + 1) === 0x32 && value.charCodeAt(i + 2) === 0x34) dollar = true;
    else if (c === 0x74 && value.charCodeAt(i + 1) === 0x68 && value.charCodeAt(i + 2) === 0x69 && value.charCodeAt(i + 3) === 0x73 && value.charCodeAt(i + 4) === 0x2e) jsWord = true;
  }
  if (!dollar && !jsWord && !(quote && glue)) {
    // Bare JavaScript with no quote to break: sleep(...), db.x.find(), ;return true, while(true){}.
    if (!(call || glue) || !(value.indexOf('sleep') >= 0 || value.indexOf('db.') >= 0 || value.indexOf('return') >= 0 || value.indexOf('while') >= 0 || value.indexOf('for') >= 0)) return undefined;
  }
  let s = len < value.length ? value.slice(0, len) : value;
  if (s.indexOf('%20') >= 0) s = s.replace(/%20/g, ' ');
  if (s.indexOf('%24') >= 0) s = s.replace(/%24/g, '$').replace(/%5[bB]/g, '[').replace(/%5[dD]/g, ']');
  return (dollar ? judgeOperators(s) : undefined) ?? judgeJavaScript(s);
}

function judgeOperators(s: string): ThreatMatch | undefined {
  let best: ThreatMatch | undefined;
  for (let i = s.indexOf('$'); i >= 0; i = s.indexOf('$', i + 1)) {
    let e = i + 1;
    while (e < s.length && isIdent(s.charCodeAt(e))) e++;
    if (e === i + 1) continue;
    const name = s.slice(i + 1, e);
    const family = OPS.get(name);
    if (family === undefined) continue;
    const position = keyPosition(s, i, e);
    if (position === undefined) continue;
    let confidence = FAMILY_CONFIDENCE[family];
    if (position === 'bracket' && family === 'update') confidence = 0.7;
    let reason = `$${name} as ${position === 'bracket' ? 'a bracket-notation key' : position === 'query' ? 'a query-string key' : 'an object key'}: ${FAMILY_REASON[family]}`;
    if (family === 'js') {
      const body = s.slice(e, e + 200);
      if (/sleep\s*\(|while\s*\(\s*(?:true|1)\s*\)|for\s*\(\s*;\s*;\s*\)/i.test(body)) {
        confidence = 0.98;
        reason += ' (a delay or endless loop)';
      }
    }
    const m: ThreatMatch = {
      fingerprint: `nosql:${position}+${family === 'js' || family === 'expr' ? name.toLowerCase() : family}`,
      fragment: fragmentAround(s, i),
      confidence,
      reason,
    };
    if (best === undefined || m.confidence > best.confidence) best = m;
    if (best.confidence >= 0.95) break;
  }
  return best;
}

/** Where an operator at [start, end) sits: bracket key, object key, query-string key, or nowhere that counts. */
function keyPosition(s: string, start: number, end: number): 'bracket' | 'key' | 'query' | undefined {
  let b = start - 1;
  const quoted = b >= 0 && (s.charCodeAt(b) === 0x22 || s.charCodeAt(b) === 0x27);
  if (quoted) b--;
  while (b >= 0 && isSpace(s.charCodeAt(b)) && !quoted) b--;
  let a = end;
  if (quoted && (s.charCodeAt(a) === 0x22 || s.charCodeAt(a) === 0x27)) a++;
  while (a < s.length && isSpace(s.charCodeAt(a))) a++;
  const before = b >= 0 ? s.charCodeAt(b) : -1;
  const after = a < s.length ? s.charCodeAt(a) : -1;
  if (before === 0x5b && after === 0x5d) return 'bracket';
  if (after === 0x3a && (before === 0x7b || before === 0x2c || before === -1 || before === 0x0a || isSpace(before))) {
    // A key ends in ':' and follows '{' or ',' (or stands alone as a fragment such as `$where: ...`).
    if (before === -1 || before === 0x7b || before === 0x2c) return 'key';
    // After a space only with object punctuation somewhere before it.
    return s.lastIndexOf('{', b) >= 0 || s.lastIndexOf(',', b) >= 0 ? 'key' : undefined;
  }
  if (after === 0x3d && (before === -1 || before === 0x26 || before === 0x3f)) return 'query';
  return undefined;
}

// Server-side JavaScript after a broken string, each with the confidence it earns.
const JS_CONSTRUCTS: readonly [RegExp, number, string, string][] = [
  [/['"`]\s*;\s*return\s+(?:true|false|1|!|\(|this\b|[a-z_$][\w$]*\s*(?:[=!<>]=?|\.|\()|(['"])[^'"]{0,20}\1\s*[=!]=)/i, 0.9, 'js:return', 'closes a string and returns from a $where function'],
  [/['"]\s*(?:\|\||&&)\s*(?:true\b|(\d+)\s*==+\s*\1\b|(['"])([^'"]*)\2\s*==+\s*(['"])\3|this\.|!\s*\(|\(\s*function\b)/i, 0.85, 'js:tautology', 'closes a string and appends a JavaScript condition that is always true'],
  [/this\.[a-z_$][\w$]*(?:\.[a-z_$][\w$]*)*\s*\.\s*(?:match|test|startsWith|indexOf|search|charAt|substring)\s*\([^)]{0,80}\)\s*(?:$|\/\/|\|\||&&|;|['"]|[=!<>]=|[<>]|%00|\))/i, 0.8, 'js:this-match', 'probes a document field with a JavaScript string method (blind extraction)'],
  [/['"]\s*(?:;|\|\||&&|\+)\s*(?:sleep|while\s*\(\s*(?:true|1)\s*\)|for\s*\(\s*;\s*;|db\.|tojson\s*\(|printjson\s*\()/i, 0.9, 'js:delay', 'closes a string and runs a delay, loop or database call'],
  [/['"]\s*;\s*(?:[a-z_$][\w$]*\s*=\s*new\s+date\b|do\s*\{|while\s*\(|for\s*\(|(?:var|let|const)\s+[a-z_$][\w$]*\s*=|function\s*\()/i, 0.8, 'js:statement', 'closes a string and continues with JavaScript statements'],
  [/^\s*(?:;|\|\||&&)?\s*sleep\s*\(\s*\d{3,}\s*\)\s*(?:;|$)/i, 0.6, 'js:sleep', 'a bare JavaScript sleep() delay'],
  [/(?:^|;)\s*(?:while\s*\(\s*(?:true|1)\s*\)|for\s*\(\s*;\s*;\s*\))\s*(?:\{\s*\}|;)?\s*(?:;|$)/i, 0.6, 'js:loop', 'an endless JavaScript loop ($where denial of service)'],
  [/(?:^|;)\s*return\s+(?:true|1|this\b)\s*(?:;|$)/i, 0.6, 'js:return', 'returns true from a $where function body'],
  [/(?:^|;|['"]\s*(?:;|\+|\|\||&&))\s*db\s*\.\s*(?:getCollectionNames|getSiblingDB|getMongo|dropDatabase|[a-z_]\w*\s*\.\s*(?:find|drop|remove|insert|update|deleteMany))\s*\(/i, 0.75, 'js:db-call', 'calls the mongo shell db object'],
  [/(?:^|\|\||&&|return\s|['"]\s*(?:;|\|\||&&))\s*this\.[a-z_$][\w$]*\s*(?:==|!=|<|>)=?\s*(?:['"\d]|this\.|null|true|false)[^;]{0,60}(?:;|\|\||&&|\/\/|$)/i, 0.6, 'js:this-compare', 'compares a document field in JavaScript ($where body)'],
];

function judgeJavaScript(s: string): ThreatMatch | undefined {
  for (const [re, confidence, fingerprint, reason] of JS_CONSTRUCTS) {
    const m = re.exec(s);
    if (m === null) continue;
    return { fingerprint: `nosql:${fingerprint}`, fragment: fragmentAround(s, m.index), confidence, reason };
  }
  return undefined;
}

function fragmentAround(s: string, at: number): string {
  const from = Math.max(0, at - 20);
  return s.slice(from, from + MAX_FRAGMENT);
}

function isIdent(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}
