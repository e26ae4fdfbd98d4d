// Reads shell words the way sh and cmd.exe would join them: quotes, backslashes, `^` and empty
// expansions ($@, ${x:0:0}) vanish from inside a word, ${IFS} counts as a space. One reader is
// reused for every call; its fields describe the last word read.

export class ShellWordReader {
  /** The word as the shell would run it, lowercased, at most 64 characters. */
  text = '';
  /** Where the word ended in the value. */
  end = 0;
  /** Quotes, escapes or empty expansions changed the word (w'h'o'am'i, wh\oami, w^hoami). */
  obfuscated = false;
  /** The word was preceded by an ${IFS}-style space. */
  ifsSpace = false;
  /** The word held an upper-case letter as typed: Unix commands are lower case, cmd.exe does not care. */
  upper = false;

  /** Skips spaces, tabs and ${IFS} forms from `i`; returns where the next word starts. */
  skipSpace(s: string, i: number): number {
    this.ifsSpace = false;
    const len = s.length;
    while (i < len) {
      const c = s.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0b || c === 0x0c) {
        i++;
        continue;
      }
      const ifs = ifsAt(s, i);
      if (ifs > 0) {
        this.ifsSpace = true;
        i += ifs;
        continue;
      }
      break;
    }
    return i;
  }

  /** Reads one word from `i` (which must not be a space); returns false when there is none. */
  read(s: string, i: number): boolean {
    const len = s.length;
    let out = '';
    let obfuscated = false;
    let upper = false;
    while (i < len && out.length < 64) {
      const c = s.charCodeAt(i);
      if (c === 0x60 && s.charCodeAt(i + 1) === 0x60 && out !== '') {
        // wh``oami: an empty substitution inside a word vanishes.
        i += 2;
        obfuscated = true;
        continue;
      }
      if (isWordEnd(c)) break;
      if (c === 0x24) {
        // $ inside a word: ${IFS} ends it, $@ $* and ${x:0:0}-style empties vanish.
        if (ifsAt(s, i) > 0) break;
        const n = s.charCodeAt(i + 1);
        if (n === 0x40 || n === 0x2a) {
          i += 2;
          obfuscated = true;
          continue;
        }
        if (n === 0x28) {
          // wh$()oami: an empty substitution vanishes; any other $( starts one, read separately.
          if (s.charCodeAt(i + 2) !== 0x29) break;
          i += 3;
          obfuscated = true;
          continue;
        }
        if (n === 0x27) {
          // $'...' ANSI-C quoting: keep the text, the escapes are evasion.
          const close = s.indexOf("'", i + 2);
          if (close < 0) break;
          out += decodeAnsiC(s.slice(i + 2, close));
          obfuscated = true;
          i = close + 1;
          continue;
        }
        out += '$';
        i++;
        continue;
      }
      if (c === 0x27 || c === 0x22) {
        const close = s.indexOf(String.fromCharCode(c), i + 1);
        if (close < 0 && out !== '') {
          // An unclosed quote inside a word (w"h"o"a"m"i): cmd.exe reads it to the end of the line, so the word goes on.
          let k = i + 1;
          while (k < len && !isWordEnd(s.charCodeAt(k)) && s.charCodeAt(k) !== 0x27 && s.charCodeAt(k) !== 0x22) k++;
          const rest = s.slice(i + 1, k);
          const lower = rest.toLowerCase();
          out += lower;
          upper ||= rest !== lower;
          obfuscated = true;
          i = k;
          continue;
        }
        if (close < 0 || close - i > 64) break;
        const inner = s.slice(i + 1, close);
        if (inner.indexOf(' ') >= 0 && out === '') {
          // A quoted phrase is prose or an argument, not a command word.
          out += inner;
          i = close + 1;
          continue;
        }
        if (out !== '' || (close + 1 < len && !isWordEnd(s.charCodeAt(close + 1)))) obfuscated = true;
        out += inner;
        i = close + 1;
        continue;
      }
      if (c === 0x5c) {
        // A backslash before a letter escapes it in sh; before a path it is a Windows separator.
        const n = s.charCodeAt(i + 1);
        // At the start of a word only a run of escaped single letters (\u\n\a\m\e) is sh's: \windows\ is a path.
        if (isLetter(n) && (out !== '' ? !looksLikeWindowsPath(out) : escapesOneLetter(s, i + 2))) {
          obfuscated = true;
          out += String.fromCharCode(n | 0x20);
          i += 2;
          continue;
        }
        out += '\\';
        i++;
        continue;
      }
      if (c === 0x5e && i + 1 < len && !isWordEnd(s.charCodeAt(i + 1))) {
        // cmd.exe's ^ escapes the next character: w^h^o^a^m^i.
        obfuscated = true;
        i++;
        continue;
      }
      const isUpper = c >= 0x41 && c <= 0x5a;
      upper ||= isUpper;
      out += isUpper ? String.fromCharCode(c | 0x20) : s[i];
      i++;
    }
    this.text = out;
    this.end = i;
    this.obfuscated = obfuscated;
    this.upper = upper;
    return out !== '';
  }
}

/** Length of an ${IFS}, $IFS$9 or $IFS form at `i`, else 0. */
export function ifsAt(s: string, i: number): number {
  if (s.charCodeAt(i) !== 0x24) return 0;
  if (s.charCodeAt(i + 1) === 0x7b) {
    if (s.substr(i + 2, 4).toUpperCase() === 'IFS}') return 6;
    return 0;
  }
  if (s.substr(i + 1, 3).toUpperCase() !== 'IFS') return 0;
  const n = s.charCodeAt(i + 4);
  if (n === 0x24 && s.charCodeAt(i + 5) >= 0x30 && s.charCodeAt(i + 5) <= 0x39) return 6;
  return isLetter(n) || (n >= 0x30 && n <= 0x39) || n === 0x5f ? 0 : 4;
}

/** Characters that end a shell word: space, separators, redirections, grouping. */
export function isWordEnd(c: number): boolean {
  switch (c) {
    case 0x20: case 0x09: case 0x0a: case 0x0d: case 0x0b: case 0x0c:
    case 0x3b: case 0x7c: case 0x26: case 0x3c: case 0x3e: case 0x28: case 0x29: case 0x60: case 0x7d: case 0x2c:
      return true;
    default:
      return Number.isNaN(c);
  }
}

export function isLetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

/** After `\x` at a word's start: another escape or the word's end follows, as in \u\n\a\m\e. */
function escapesOneLetter(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c === 0x5c || isWordEnd(c);
}

/** `c:` or `%SYSTEMROOT%` before a backslash: a Windows path, not an escape. */
function looksLikeWindowsPath(word: string): boolean {
  if (word.length >= 2 && word.charCodeAt(1) === 0x3a) return true;
  // %SystemRoot%\system32\...: a path under a cmd.exe variable.
  return word.length >= 3 && word.charCodeAt(0) === 0x25 && word.indexOf('%', 1) > 1;
}

function decodeAnsiC(s: string): string {
  return s.replace(/\\x([0-9a-fA-F]{2})|\\([0-7]{1,3})|\\(.)/g, (_, hex: string | undefined, oct: string | undefined, ch: string | undefined) =>
    hex !== undefined ? String.fromCharCode(parseInt(hex, 16)) : oct !== undefined ? String.fromCharCode(parseInt(oct, 8)) : ch === 'n' ? '\n' : (ch ?? ''),
  ).toLowerCase();
}
