// A small evaluator for Log4j 2 lookups, enough to see what a nested `${...}` spells once Log4j
// has substituted it: inner lookups first, `$${` as an escaped `${`, `${name:-default}` falling
// back to its default (we assume no variable resolves), `${lower:x}`, `${upper:x}`,
// `${date:'j'}`, `${base64:...}`, and results substituted again. Bounded in depth and work.

export interface JndiHit {
  /** What followed `jndi:` once resolved, such as `ldap://host/a`. */
  target: string;
  /** The lookup was spelled through other lookups or odd case. */
  obfuscated: boolean;
  /** The `${` was never closed. */
  unterminated: boolean;
}

export interface Evaluation {
  jndi: JndiHit | undefined;
  /** Log4j-only lookup prefixes seen (lower, upper, ::-, date, java, base64...), for weak reports. */
  log4jLookups: number;
  /** Any lookup resolved through another (nesting), a sign of evasion. */
  nested: boolean;
}

const MAX_DEPTH = 12;
const MAX_STEPS = 2000;

/** Prefixes only Log4j gives meaning to; env/sys are shared with other template systems. */
const LOG4J_ONLY = new Set(['lower', 'upper', 'date', 'java', 'base64', 'main', 'jvmrunargs']);

class Evaluator {
  steps = 0;
  result: Evaluation = { jndi: undefined, log4jLookups: 0, nested: false };

  /** Substitutes every lookup in `s`, returning the text Log4j would produce. */
  substitute(s: string, depth: number): string {
    let out = '';
    let i = 0;
    while (i < s.length) {
      if (++this.steps > MAX_STEPS) return out + s.slice(i);
      const c = s.charCodeAt(i);
      if (c === 0x24 && s.charCodeAt(i + 1) === 0x24 && s.charCodeAt(i + 2) === 0x7b) {
        // $${ is Log4j's escape for a literal ${, which a later pass may still substitute.
        out += '${';
        i += 3;
        continue;
      }
      if (c === 0x24 && s.charCodeAt(i + 1) === 0x7b) {
        const [text, next] = this.variable(s, i + 2, depth);
        out += text;
        i = next;
        continue;
      }
      out += s[i];
      i++;
    }
    return out;
  }

  /** Reads a variable body from `i` (just after `${`); returns its value and where it ended. */
  private variable(s: string, i: number, depth: number): [string, number] {
    let body = '';
    let innerLookups = false;
    while (i < s.length) {
      if (++this.steps > MAX_STEPS) break;
      const c = s.charCodeAt(i);
      if (c === 0x24 && s.charCodeAt(i + 1) === 0x24 && s.charCodeAt(i + 2) === 0x7b) {
        // An escaped $${ inside a variable is substituted once the outer result is read again.
        i++;
        continue;
      }
      if (c === 0x24 && s.charCodeAt(i + 1) === 0x7b && depth < MAX_DEPTH) {
        const [text, next] = this.variable(s, i + 2, depth + 1);
        body += text;
        innerLookups = true;
        i = next;
        continue;
      }
      if (c === 0x7d) return [this.resolve(body, innerLookups, false, depth), i + 1];
      body += s[i];
      i++;
    }
    return [this.resolve(body, innerLookups, true, depth), i];
  }

  private resolve(body: string, nested: boolean, unterminated: boolean, depth: number): string {
    if (nested) this.result.nested = true;
    // Log4j reads the default after the first `:-`.
    const dflt = body.indexOf(':-');
    const colon = body.indexOf(':');
    const name = dflt >= 0 && dflt === colon ? '' : colon >= 0 ? body.slice(0, colon).trim().toLowerCase() : '';
    const arg = colon >= 0 ? body.slice(colon + 1) : body;
    if (name === 'jndi' && /^\s*[a-z][a-z0-9+.-]*:/i.test(arg)) {
      if (this.result.jndi === undefined) {
        const spelledOddly = nested || body.slice(0, colon) !== 'jndi';
        this.result.jndi = { target: this.again(arg, depth), obfuscated: spelledOddly, unterminated };
      }
      return '';
    }
    if ((LOG4J_ONLY.has(name) && arg.trim() !== '') || (colon < 0 && body.trim().toLowerCase() === 'jvmrunargs')) this.result.log4jLookups++;
    if (dflt >= 0) {
      // ${::-x} and ${prefix:key:-x} are Log4j's; ${VAR:-x} is also the shell's and counts for nothing.
      if (body.startsWith('::-') || dflt > colon) this.result.log4jLookups++;
      return this.again(body.slice(dflt + 2), depth);
    }
    switch (name) {
      case 'lower':
        return this.again(arg, depth).toLowerCase();
      case 'upper':
        return this.again(arg, depth).toUpperCase();
      case 'date':
        return dateLiteral(arg);
      case 'base64':
        return this.again(decodeBase64(arg), depth);
      default:
        // Unresolved variables stay as written, as Log4j leaves them.
        return name === '' ? `\${${body}}` : '';
    }
  }

  /** Log4j substitutes a lookup's result again, so `${::-$${::-j}}` still spells `j`. */
  private again(text: string, depth: number): string {
    return text.indexOf('${') >= 0 && depth < MAX_DEPTH ? this.substitute(text, depth + 1) : text;
  }
}

/** SimpleDateFormat keeps quoted text literally: ${date:'j'} is `j`. */
function dateLiteral(pattern: string): string {
  let out = '';
  const re = /'([^']*)'/g;
  for (let m = re.exec(pattern); m !== null; m = re.exec(pattern)) out += m[1];
  return out;
}

function decodeBase64(s: string): string {
  if (!/^[A-Za-z0-9+/=]+$/.test(s)) return '';
  return Buffer.from(s, 'base64').toString('latin1');
}

export function evaluateLookups(value: string): { text: string; evaluation: Evaluation } {
  const e = new Evaluator();
  const text = e.substitute(value, 0);
  return { text, evaluation: e.result };
}
