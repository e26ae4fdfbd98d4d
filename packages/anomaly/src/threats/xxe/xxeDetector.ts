/**
 * XML external entity and related XML-parser attacks for one decoded request value.
 *
 * The DOCTYPE and every <!ENTITY> are read by a small lenient DTD reader (dtdReader.ts) and judged
 * by what the parser would do with them: fetch a URI (external general or parameter entities,
 * an external DTD by SYSTEM id), pull in parameter entities (`%x;` in the subset, entity values
 * that declare further entities: the out-of-band pattern), or expand exponentially (entities
 * whose values reference other entities several times). XInclude elements, XSLT document(),
 * unparsed-text(), xsl:include/import and extension-function namespaces, and file: hrefs in
 * XML/SVG are judged alongside. Ordinary XML, SOAP, RSS and `<!DOCTYPE html>` declare none of
 * this; a PUBLIC DTD of a well-known standard (XHTML, SVG 1.1, plist, RSS 0.91) is left alone.
 * Values with no `<!` and no XInclude/XSLT marker leave after one scan. A document that hides
 * its markup in UTF-7 (`+ADwAIQ-DOCTYPE`, which a parser honouring encoding="UTF-7" reads as
 * `<!DOCTYPE`) is judged decoded.
 */

import { readDtd, type Dtd, type EntityDecl } from './dtdReader';
import type { ThreatMatch } from '../threatMatch';
import { decodeUtf7 } from '../utf7';

const MAX_JUDGED = 16384;
const MAX_FRAGMENT = 120;

/** Hosts that publish the standard DTDs honest documents name in a PUBLIC id. */
const STANDARD_DTD_HOSTS = /^https?:\/\/(?:www\.)?(?:w3\.org|apple\.com|my\.netscape\.com|netscape\.com|oasis-open\.org|docbook\.org|springframework\.org|hibernate\.org|hibernate\.sourceforge\.net|java\.sun\.com|jboss\.org|apache\.org|struts\.apache\.org|mybatis\.org|ibatis\.apache\.org|jcp\.org|xmlns\.jcp\.org|eclipse\.org)\//i;

interface Finding {
  confidence: number;
  fingerprint: string;
  reason: string;
  start: number;
  end: number;
}

export function detectXxe(value: string): ThreatMatch | undefined {
  const direct = judgeXml(value);
  if (direct !== undefined || value.indexOf('+A') < 0) return direct;
  const decoded = decodeUtf7(value);
  const hidden = decoded === undefined ? undefined : judgeXml(decoded);
  return hidden && { ...hidden, fingerprint: `utf7+${hidden.fingerprint}`, reason: `${hidden.reason} (hidden in UTF-7)` };
}

function judgeXml(value: string): ThreatMatch | undefined {
  const len = Math.min(value.length, MAX_JUDGED);
  if (len < 6) return undefined;
  let bang = false;
  let lt = false;
  let paren = false;
  for (let i = 0; i < len; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x3c) {
      lt = true;
      if (value.charCodeAt(i + 1) === 0x21) bang = true;
    } else if (c === 0x28) paren = true;
  }
  if (!lt && !paren) return undefined;
  const s = len < value.length ? value.slice(0, len) : value;
  const lower = s.toLowerCase();
  let best: Finding | undefined;
  const consider = (f: Finding | undefined): void => {
    if (f !== undefined && (best === undefined || f.confidence > best.confidence)) best = f;
  };
  if (bang) consider(judgeDtd(readDtd(s, lower)));
  if (lt) {
    consider(judgeXInclude(lower));
    consider(judgeXslt(lower));
    consider(judgeFileHref(lower));
  }
  if (paren) consider(judgeXPathFunctions(lower, lt));
  if (best === undefined) return undefined;
  const f: Finding = best;
  return { fingerprint: f.fingerprint, fragment: s.slice(f.start, Math.min(f.end, f.start + MAX_FRAGMENT)), confidence: f.confidence, reason: f.reason };
}

function judgeDtd(dtd: Dtd): Finding | undefined {
  let best: Finding | undefined;
  const take = (f: Finding): void => {
    if (best === undefined || f.confidence > best.confidence) best = f;
  };
  const declared = new Set(dtd.entities.map((e) => e.name));
  for (const e of dtd.entities) {
    if (e.external) {
      const scheme = schemeOf(e.uri);
      take({
        confidence: 0.95,
        fingerprint: `xxe:external-${e.parameter ? 'parameter-entity' : 'entity'}+${scheme}`,
        reason: `declares ${e.parameter ? 'parameter' : 'external'} entity ${e.parameter ? '%' : ''}${e.name} loading ${e.uri.slice(0, 60) || 'a URI'}`,
        start: e.start,
        end: e.end,
      });
      continue;
    }
    if (/<!entity/i.test(e.literal) || /&#x?25;|&#37;/i.test(e.literal)) {
      take({ confidence: 0.95, fingerprint: 'xxe:nested-declaration', reason: `entity ${e.name} declares further entities (out-of-band exfiltration pattern)`, start: e.start, end: e.end });
      continue;
    }
    const refs = countReferences(e, declared);
    if (refs >= 2) {
      take({ confidence: 0.95, fingerprint: 'xxe:entity-expansion', reason: `entity ${e.name} expands ${refs} references to other entities (billion laughs)`, start: e.start, end: e.end });
    } else if (e.literal.length > 2000) {
      take({ confidence: 0.7, fingerprint: 'xxe:entity-expansion', reason: `entity ${e.name} holds ${e.literal.length} characters (quadratic blowup)`, start: e.start, end: e.end });
    } else {
      take({ confidence: 0.55, fingerprint: 'xxe:internal-entity', reason: `declares internal entity ${e.name} (an XXE probe)`, start: e.start, end: e.end });
    }
  }
  const d = dtd.doctype;
  if (d !== undefined) {
    if (dtd.peReferences > 0) take({ confidence: 0.9, fingerprint: 'xxe:parameter-entity-ref', reason: 'the internal subset expands parameter entities', start: d.start, end: d.end });
    if (d.systemUri !== '' && d.systemUri.toLowerCase() !== 'about:legacy-compat') {
      const standard = d.publicId !== '' && /^[-+]\/\/|^iso/i.test(d.publicId) && STANDARD_DTD_HOSTS.test(d.systemUri);
      if (!standard) {
        const scheme = schemeOf(d.systemUri);
        const confidence = d.publicId === '' ? (scheme === 'http' || scheme === 'https' ? 0.8 : 0.85) : 0.45;
        take({ confidence, fingerprint: `xxe:external-dtd+${scheme}`, reason: `DOCTYPE ${d.root} loads an external DTD from ${d.systemUri.slice(0, 60)}`, start: d.start, end: d.end });
      }
    }
    if (best === undefined && d.hasSubset) take({ confidence: 0.3, fingerprint: 'xxe:internal-subset', reason: `DOCTYPE ${d.root} carries an internal subset`, start: d.start, end: d.end });
  }
  return best;
}

/** References in an entity's value to other declared entities: &a;&a;&a; is how a bomb grows. */
function countReferences(e: EntityDecl, declared: ReadonlySet<string>): number {
  let n = 0;
  const v = e.literal;
  for (let i = v.indexOf('&'); i >= 0; i = v.indexOf('&', i + 1)) {
    const semi = v.indexOf(';', i);
    if (semi < 0 || semi - i > 64) continue;
    if (declared.has(v.slice(i + 1, semi)) || (e.parameter && declared.has(v.slice(i + 1, semi)))) n++;
  }
  for (let i = v.indexOf('%'); i >= 0; i = v.indexOf('%', i + 1)) {
    const semi = v.indexOf(';', i);
    if (semi > i && semi - i <= 64 && declared.has(v.slice(i + 1, semi))) n++;
  }
  return n;
}

function judgeXInclude(lower: string): Finding | undefined {
  const ns = lower.indexOf('http://www.w3.org/2001/xinclude');
  let prefix = 'xi';
  if (ns >= 0) {
    const m = /xmlns:([a-z0-9_-]+)\s*=\s*["']http:\/\/www\.w3\.org\/2001\/xinclude["']/.exec(lower);
    if (m !== null) prefix = m[1]!;
  }
  const tag = lower.indexOf(`<${prefix}:include`);
  if (tag < 0) {
    return ns >= 0 ? { confidence: 0.6, fingerprint: 'xxe:xinclude-namespace', reason: 'binds the XInclude namespace', start: Math.max(0, ns - 20), end: ns + 40 } : undefined;
  }
  const close = lower.indexOf('>', tag);
  const element = lower.slice(tag, close < 0 ? lower.length : close + 1);
  const href = /href\s*=\s*["']([^"']*)["']/.exec(element)?.[1];
  if (href === undefined && ns < 0) return undefined; // `<xi:include>` named in prose
  const local = href !== undefined && (href.startsWith('file:') || href.startsWith('/') || /^[a-z]:[\\/]/.test(href) || href.indexOf('../') >= 0);
  return {
    confidence: local ? 0.95 : 0.9,
    fingerprint: `xxe:xinclude${local ? '+file' : ''}`,
    reason: `XInclude pulls ${href !== undefined && href !== '' ? href.slice(0, 60) : 'another document'} into the document`,
    start: tag,
    end: close < 0 ? lower.length : close + 1,
  };
}

function judgeXslt(lower: string): Finding | undefined {
  const ext = /xmlns:[a-z0-9_-]+\s*=\s*["'](?:http:\/\/php\.net\/xsl|http:\/\/xml\.apache\.org\/xalan\/java[^"']*|http:\/\/saxon\.sf\.net\/java-type|java:[^"']*|urn:schemas-microsoft-com:xslt)["']/.exec(lower);
  if (ext !== null) {
    return { confidence: 0.9, fingerprint: 'xxe:xslt-extension', reason: 'binds an XSLT extension namespace that calls PHP, Java or script', start: ext.index, end: ext.index + ext[0].length };
  }
  const inc = /<xsl:(include|import)\b[^>]*href\s*=\s*["']([^"']*)["']/.exec(lower);
  if (inc !== null && /^(?:[a-z][a-z0-9+.-]+:|\/|\\\\)|\.\.\//.test(inc[2]!)) {
    return { confidence: 0.8, fingerprint: `xxe:xslt-${inc[1]}`, reason: `xsl:${inc[1]} loads ${inc[2]!.slice(0, 60)}`, start: inc.index, end: inc.index + inc[0].length };
  }
  const vendor = /system-property\s*\(\s*["']xsl:(?:vendor|version|vendor-url)["']\s*\)/.exec(lower);
  if (vendor !== null && lower.indexOf('<xsl:') >= 0) {
    return { confidence: 0.6, fingerprint: 'xxe:xslt-probe', reason: 'asks which XSLT processor runs the stylesheet', start: vendor.index, end: vendor.index + vendor[0].length };
  }
  return undefined;
}

/** document('/etc/passwd'), unparsed-text('file:...'), php:function('system'): XPath/XSLT that reads or runs. */
function judgeXPathFunctions(lower: string, markup: boolean): Finding | undefined {
  const m = /\b(document|unparsed-text|unparsed-text-lines|doc|collection)\s*\(\s*["']([^"']*)["']/.exec(lower);
  if (m !== null) {
    const target = m[2]!;
    const reads = /^(?:file:|\/|[a-z]:[\\/]|https?:|ftp:|jar:|\.\.)/.test(target);
    if (reads) {
      const confidence = markup ? 0.9 : 0.8;
      return { confidence, fingerprint: `xxe:xpath-${m[1]}`, reason: `${m[1]}() reads ${target.slice(0, 60) || 'a document'}`, start: m.index, end: m.index + m[0].length };
    }
  }
  const f = /php:function\s*\(\s*["'](?:system|exec|passthru|shell_exec|file_get_contents|readfile|popen)["']/.exec(lower);
  if (f !== null) return { confidence: 0.95, fingerprint: 'xxe:xslt-php-function', reason: 'php:function() calls a PHP process or file function', start: f.index, end: f.index + f[0].length };
  const j = /\b[a-z]+:exec\s*\(\s*[a-z]+:getruntime\s*\(/.exec(lower);
  if (j !== null) return { confidence: 0.95, fingerprint: 'xxe:xslt-java', reason: 'calls Runtime.exec through a Java extension', start: j.index, end: j.index + j[0].length };
  return undefined;
}

/** <image xlink:href="file:///etc/passwd"> and the like: an XML or SVG document pointing at a local file. */
function judgeFileHref(lower: string): Finding | undefined {
  const m = /<[a-z][\w:-]*\s[^>]*?\b(?:xlink:href|href|src)\s*=\s*["']((?:file|expect|php|jar|netdoc|gopher):[^"']*)["']/.exec(lower);
  if (m === null) return undefined;
  return { confidence: 0.75, fingerprint: `xxe:href+${schemeOf(m[1]!)}`, reason: `markup references ${m[1]!.slice(0, 60)}`, start: m.index, end: m.index + m[0].length };
}

function schemeOf(uri: string): string {
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(uri.trim());
  if (m === null) return uri.startsWith('/') || uri.startsWith('.') ? 'path' : 'relative';
  const scheme = m[1]!.toLowerCase();
  return scheme.length === 1 ? 'path' : scheme;
}
