/**
 * OS command injection for one decoded request value.
 *
 * The value is read as sh and cmd.exe would read it: every place a new command can start (after
 * `;` `|` `||` `&` `&&` a newline, inside `$(...)` or backticks, a `{a,b}` brace group, `<(`)
 * is a command position. There the word is read with quotes, backslashes, `^` and `${IFS}`
 * undone (shellWords.ts), looked up (commandWords.ts), and its arguments are given a shape:
 * flag, path, URL, IP address, number, redirection, substitution. A command counts when the
 * shape fits what it does (`cat` needs something to read, `sleep` a number, `whoami` nothing at
 * all), so `cat food`, `ping me later`, `Tom & Jerry`, `Books & more` and `salt; pepper` never
 * form a command while `;cat /etc/passwd`, `|| ping -c 10 127.0.0.1` and `$(w'h'o'am'i)` do.
 *
 * Decisions: backticks in a value that reads as prose are markdown code, not substitutions;
 * a command at the very start of a value (no separator) counts only when its shape is
 * unambiguous (`nc -e /bin/sh ...`, `powershell -enc ...`) and is reported weakly otherwise;
 * `$(name)` with a word that is no command is a template, not a substitution.
 */

import { BARE, commandMatchingGlob, lookupCommand, PREFIXES, runsInAnyCase, SHELL, STRONG, type CommandWord } from './commandWords';
import { judgeCodeInjection, type CommandFinding as Finding } from './codeInjection';
import { ifsAt, isLetter, ShellWordReader } from './shellWords';
import type { ThreatMatch } from '../threatMatch';

const MAX_JUDGED = 4096;
const MAX_FRAGMENT = 120;
const MAX_ARGS = 5;

// How a command position was reached.
const enum Sep {
  Start,
  Semicolon,
  Newline,
  Pipe,
  Amp,
  And,
  Or,
  Subst,
  Backtick,
  Brace,
}

const SEP_NAME = ['start', 'semicolon', 'newline', 'pipe', 'amp', 'and', 'or', 'subst', 'backtick', 'brace'] as const;
const SEP_REASON = [
  'at the start of the value',
  'after a ;',
  'after a newline',
  'piped with |',
  'after a &',
  'chained with &&',
  'chained with ||',
  'inside $(...)',
  'inside backticks',
  'in a {cmd,arg} brace expansion',
] as const;

// Shapes an argument can have.
const FLAG = 1;
const PATH = 2;
const SENSITIVE = 4;
const URL = 8;
const IP = 16;
const NUM = 32;
const REDIR = 64;
const SUBST = 128;
const VAR = 256;
const FILE = 512;
const DOMAIN = 1024;
const REVERSE = 2048; // -e /bin/sh, -i, >& /dev/tcp, -enc
const PIPED_AFTER = 4096;
const ECHOED = 8192; // a command name printed (echo whoami)
const SHAPED = FLAG | PATH | URL | IP | REDIR | SUBST | VAR | FILE | DOMAIN | SENSITIVE | REVERSE;

const words = new ShellWordReader();


export function detectCommandInjection(value: string): ThreatMatch | undefined {
  const len = Math.min(value.length, MAX_JUDGED);
  if (len < 2) return undefined;
  let meta = false;
  let argShaped = false; // a space before - or /: a flag or path argument
  for (let i = 0; i < len; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x3b || c === 0x7c || c === 0x26 || c === 0x0a || c === 0x0d || c === 0x60 || c === 0x24 || c === 0x7b || c === 0x25 || c === 0x3c || c === 0x3e) {
      meta = true;
      break;
    }
    if (c === 0x20) {
      const n = value.charCodeAt(i + 1);
      if (n === 0x2d || n === 0x2f) argShaped = true;
    }
  }
  // A value that is itself an option (-oProxyCommand=...) may smuggle a command into a tool's arguments.
  if (value.charCodeAt(0) === 0x2d) argShaped = true;
  const s = len < value.length ? value.slice(0, len) : value;
  // Code injection needs a call or a PHP superglobal ($ is already a separator character).
  let best: Finding | undefined = meta || s.indexOf('(') >= 0 ? judgeCodeInjection(s) : undefined;
  // With no separator only a whole command line counts, and that needs a flag or path argument.
  if (!meta && !argShaped) return best === undefined ? undefined : toMatch(s, best);
  const consider = (f: Finding | undefined): void => {
    if (f !== undefined && (best === undefined || f.confidence > best.confidence)) best = f;
  };
  consider(judgeCommand(s, 0, Sep.Start, 0));
  consider(judgeArgumentInjection(s));
  if (meta) {
    const prose = readsAsProse(s);
    for (let i = 0; i < len && (best === undefined || best.confidence < 0.95); i++) {
      const c = s.charCodeAt(i);
      switch (c) {
        case 0x3b:
          consider(judgeCommand(s, i + 1, Sep.Semicolon, i));
          break;
        case 0x0a:
        case 0x0d:
          consider(judgeCommand(s, i + 1, Sep.Newline, i));
          break;
        case 0x7c:
          if (s.charCodeAt(i + 1) === 0x7c) {
            consider(judgeCommand(s, i + 2, Sep.Or, i));
            i++;
          } else consider(judgeCommand(s, i + 1, Sep.Pipe, i));
          break;
        case 0x26:
          if (s.charCodeAt(i + 1) === 0x26) {
            consider(judgeCommand(s, i + 2, Sep.And, i));
            i++;
          } else if (s.charCodeAt(i - 1) !== 0x3e && s.charCodeAt(i + 1) !== 0x3e) consider(judgeCommand(s, i + 1, Sep.Amp, i));
          break;
        case 0x60:
          if (!prose) consider(judgeCommand(s, i + 1, Sep.Backtick, i));
          break;
        case 0x24:
          if (s.charCodeAt(i + 1) === 0x28 && s.charCodeAt(i + 2) !== 0x28) consider(judgeCommand(s, i + 2, Sep.Subst, i));
          else if (s.charCodeAt(i + 1) === 0x27) consider(judgeAnsiC(s, i));
          break;
        case 0x3c:
          if (s.startsWith('<!--#', i)) consider(judgeSsi(s, i));
          if (s.charCodeAt(i + 1) === 0x28) consider(judgeCommand(s, i + 2, Sep.Subst, i));
          break;
        case 0x3e:
          if (s.charCodeAt(i + 1) === 0x28) consider(judgeCommand(s, i + 2, Sep.Subst, i));
          break;
        case 0x7b:
          consider(judgeBraceExpansion(s, i));
          break;
        case 0x25:
          consider(judgeWindowsVariable(s, i));
          break;
        default:
          break;
      }
    }
    consider(judgeDevTcp(s));
    if (s.indexOf('()') >= 0) consider(judgeShellshock(s));
    if (s.indexOf('<<<') >= 0) consider(judgeHereString(s));
    if (best === undefined && encodedDepth === 0 && ENCODED_SEPARATOR.test(s)) consider(judgeEncoded(s));
  }
  return best === undefined ? undefined : toMatch(s, best);
}

function found(confidence: number, fingerprint: string, reason: string, start: number, end: number): Finding {
  return { confidence, fingerprint, reason, start, end };
}

/** Options that make a tool run a command of the caller's choosing, when a value lands among its arguments. */
const ARGUMENT_INJECTION: readonly [RegExp, string][] = [
  [/(?:^|[\s'"])-o\s*["']?(?:ProxyCommand|LocalCommand|KnownHostsCommand)\s*=/i, 'ssh'],
  [/(?:^|[\s'"])--checkpoint-action\s*=\s*exec\s*=/i, 'tar'],
  [/(?:^|[\s'"])--(?:to-command|use-compress-program|rsh-command|info-script|new-volume-script)\s*=/i, 'tar'],
  [/(?:^|[\s'"])--(?:upload-pack|receive-pack|exec)\s*=\s*\S/i, 'git'],
  [/(?:^|\s)-exec(?:dir)?\s+\S[^;]{0,80}\\;/, 'find'],
  [/(?:^|\s)-OQueueDirectory=|(?:^|\s)-X\s*\/\S+\.php\b/, 'sendmail'],
  [/(?:^|\s)(?:--output(?:-document)?=|-o\s*)\S*\.(?:php\d?|phtml|jsp|aspx?)\b/i, 'curl'],
];

const OPTION_START = /(?:^|[\s'"])-/;

/** `x -oProxyCommand=id`, tar's `--checkpoint-action=exec=sh x`: argument injection. */
function judgeArgumentInjection(s: string): Finding | undefined {
  // Every option below starts a word: a value with no such dash (ids, dates, UUIDs) is done at once.
  if (!OPTION_START.test(s)) return undefined;
  for (const [re, tool] of ARGUMENT_INJECTION) {
    const m = re.exec(s);
    if (m !== null) return found(0.85, `cmdi:argument+${tool}`, `passes ${tool} an option that runs a command`, m.index, m.index + m[0].length);
  }
  return undefined;
}

function toMatch(s: string, f: Finding): ThreatMatch {
  return { fingerprint: f.fingerprint, fragment: s.slice(f.start, Math.min(f.end, f.start + MAX_FRAGMENT)), confidence: f.confidence, reason: f.reason };
}

/** Reads the command starting at `i` and judges it; `sepAt` is where its separator stood. */
function judgeCommand(s: string, i: number, sep: Sep, sepAt: number): Finding | undefined {
  let p = words.skipSpace(s, i);
  let ifs = words.ifsSpace;
  // Grouping and negation before the word: ;(id), ;{ id;}, ;!id
  while (p < s.length) {
    const c = s.charCodeAt(p);
    // cmd.exe also takes , and = before a command as spaces (&;,whoami).
    if (c !== 0x28 && c !== 0x7b && c !== 0x21 && !((c === 0x2c || c === 0x3d) && sep !== Sep.Start)) break;
    if (c === 0x7b && s.indexOf(',', p) > 0 && s.indexOf(',', p) < s.indexOf('}', p)) return undefined; // brace expansion is judged on its own
    p = words.skipSpace(s, p + 1);
  }
  const c0 = s.charCodeAt(p);
  if ((c0 === 0x27 || c0 === 0x22) && sep !== Sep.Start) {
    // ('who'+'ami'): PowerShell, JavaScript and Python join the strings into the command name.
    const joined = readConcatenation(s, p);
    if (joined !== undefined && lookupCommand(joined.text) !== undefined) {
      return found(0.85, `cmdi:${SEP_NAME[sep]}+assembled`, `runs ${joined.text}, its name joined from strings, ${SEP_REASON[sep]}`, sepAt, joined.end);
    }
  }
  let entry: CommandWord | undefined;
  let word = '';
  let obfuscated = false;
  let withPath = false;
  let selfShell = false;
  for (let prefix = 0; prefix < 4; prefix++) {
    if (!words.read(s, p)) return undefined;
    const raw = words.text;
    obfuscated ||= words.obfuscated;
    const afterWord = words.end;
    if (s.charCodeAt(afterWord) === 0x28 || s.charCodeAt(afterWord) === 0x2c) return undefined; // name( is a call in some language, name, a list
    const eq = raw.indexOf('=');
    if (eq > 0 && /^[a-z_][a-z0-9_]*$/.test(raw.slice(0, eq))) {
      // IFS=_ changes how the shell splits words: no value but a shell line sets it.
      if (eq === 3 && raw.startsWith('ifs') && sep !== Sep.Start) return found(0.85, `cmdi:${SEP_NAME[sep]}+ifs`, `sets IFS ${SEP_REASON[sep]}`, sepAt, afterWord);
      // VAR=value cmd: an environment assignment before the command.
      p = words.skipSpace(s, afterWord);
      ifs ||= words.ifsSpace;
      if (p >= s.length || sep === Sep.Start) return undefined;
      continue;
    }
    word = baseName(raw);
    withPath = word !== raw && (raw.charCodeAt(0) === 0x2f || raw.charCodeAt(1) === 0x3a);
    if (word.endsWith('.exe') || word.endsWith('.com')) {
      word = word.slice(0, -4);
      withPath = true;
    }
    entry = lookupCommand(word);
    if (entry !== undefined && words.upper && !runsInAnyCase(word)) return undefined;
    // One letter (w) is too easily typed by chance: it must stand alone as a command does.
    if (entry !== undefined && word.length === 1 && !isCommandEnd(s.charCodeAt(afterWord))) return undefined;
    if (entry === undefined && PREFIXES.has(word) && prefix < 3) {
      p = words.skipSpace(s, afterWord);
      continue;
    }
    if (entry === undefined && word === '%comspec%') entry = { flags: STRONG | SHELL, family: 'shell' };
    // $0 is the running shell; it counts as one only when handed a script (-c id), as random text holds $0 too.
    if (entry === undefined && raw === '$0') {
      entry = { flags: STRONG | SHELL, family: 'shell' };
      selfShell = true;
    }
    if (entry === undefined && sep !== Sep.Start) {
      // A command assembled from variables (cmd.exe: set x=who&& set y=ami&& call %x%%y%; sh: a=who;b=ami;$a$b), or a for /f loop running one.
      if (/^(?:%[a-z_][a-z0-9_]*%){2,}$/.test(word) || assignedBefore(s, sepAt, raw)) return found(0.8, `cmdi:${SEP_NAME[sep]}+assembled`, `runs a command assembled from variables ${SEP_REASON[sep]}`, sepAt, afterWord);
      if (word === 'for' && /^\s+\/[fldr]\s/i.test(s.slice(afterWord, afterWord + 5))) return found(0.8, `cmdi:${SEP_NAME[sep]}+win`, `runs a cmd.exe for loop ${SEP_REASON[sep]}`, sepAt, afterWord + 3);
    }
    // ;$env:USERNAME: PowerShell prints an environment variable where a command would stand.
    if (entry === undefined && sep !== Sep.Start && raw.startsWith('$env:') && raw.length > 5) {
      return found(0.75, `cmdi:${SEP_NAME[sep]}+env`, `prints the PowerShell variable ${raw} ${SEP_REASON[sep]}`, sepAt, afterWord);
    }
    if (entry === undefined && sep !== Sep.Start && assignedCommand(s, sepAt, raw)) {
      return found(0.8, `cmdi:${SEP_NAME[sep]}+assembled`, `runs a command stored in a variable ${SEP_REASON[sep]}`, sepAt, afterWord);
    }
    if (entry === undefined && /^\$[a-z_][a-z0-9_]{0,15}$/.test(raw) && prefix < 3) {
      // $u id: an unset variable expands to nothing and the command after it runs.
      const next = words.skipSpace(s, afterWord);
      if (words.read(s, next) && lookupCommand(baseName(words.text)) !== undefined) {
        p = next;
        obfuscated = true;
        continue;
      }
      return undefined;
    }
    // /???/c?t: a directory and a name, as the binaries a glob can find sit under one.
    if (entry === undefined && withPath && raw.indexOf('?') >= 0 && raw.indexOf('/', 1) > 0) return judgeGlob(sepAt, p, afterWord, sep);
    // /b[i]n/c[a]t: a bracket glob is judged by what it matches first, which must be a command.
    if (entry === undefined && withPath && raw.indexOf('[') > 0 && lookupCommand(baseName(firstMatch(raw))) !== undefined) return judgeGlob(sepAt, p, afterWord, sep);
    if (entry === undefined) return undefined;
    p = words.skipSpace(s, afterWord);
    ifs ||= words.ifsSpace;
    if (PREFIXES.has(word) && p < s.length && isLetter(s.charCodeAt(p)) && prefix < 3) {
      // sudo id, nohup sh x, timeout 5 ping ...: the real command follows.
      const save = p;
      if (words.read(s, p) && lookupCommand(baseName(words.text)) !== undefined) continue;
      p = save;
    }
    break;
  }
  if (entry === undefined) return undefined;

  // Arguments and their shapes, up to the next separator.
  let shape = 0;
  let args = 0;
  let end = words.end;
  let plainWords = 0;
  let trailingPipe = false;
  while (p < s.length && args < MAX_ARGS) {
    const c = s.charCodeAt(p);
    if (c === 0x3b || c === 0x0a || c === 0x0d || c === 0x60 || c === 0x29 || c === 0x7d || c === 0x23) break;
    if (c === 0x7c) {
      if (s.charCodeAt(p + 1) !== 0x7c) {
        shape |= PIPED_AFTER;
        trailingPipe = onlySpaceFrom(s, p + 1);
      }
      break;
    }
    if (c === 0x26) {
      if (s.charCodeAt(p + 1) === 0x3e) {
        shape |= REDIR;
        p = words.skipSpace(s, p + 2);
        continue;
      }
      break;
    }
    if (c === 0x3e || c === 0x3c) {
      shape |= REDIR;
      p++;
      while (s.charCodeAt(p) === 0x3e || s.charCodeAt(p) === 0x26 || s.charCodeAt(p) === 0x3c) p++;
      p = words.skipSpace(s, p);
      continue;
    }
    if (c === 0x24 && s.charCodeAt(p + 1) === 0x28) {
      shape |= SUBST;
      break;
    }
    if (!words.read(s, p)) {
      p++;
      continue;
    }
    const arg = words.text;
    obfuscated ||= words.obfuscated;
    let a = args === 0 && SUBCOMMANDS[word]?.has(arg) ? FLAG : argShape(arg, entry);
    // $(printf 'whoami') prints a command name for the shell to run; eval id and powershell iex run one.
    // printf and echo -e spell it in escapes too (wh\157ami, \x77hoami).
    if (a === 0 && (entry.family === 'echo' || entry.family === 'shell') && isCommandWord(entry.family === 'echo' ? printfText(arg) : arg, entry.family === 'echo')) a = ECHOED;
    // gcm who*, Get-Command *hoami*: a name glob that finds a command for & to run.
    if (a === 0 && entry.family === 'shell' && (arg.indexOf('*') >= 0 || arg.indexOf('?') >= 0) && commandMatchingGlob(arg) !== undefined) a = ECHOED;
    if (a === 0) plainWords++;
    shape |= a;
    args++;
    end = words.end;
    p = words.skipSpace(s, words.end);
    ifs ||= words.ifsSpace;
    // Prose runs on in plain words; a command line rarely has two plain words in a row.
    if (a === 0 && (entry.flags & STRONG) === 0 && plainWords >= 2) break;
  }
  const bareEnd = args === 0 && bareEndAt(s, p, words.end);
  if (ifs) shape |= VAR;

  if (selfShell && (shape & REVERSE) === 0) return undefined;
  if (sep === Sep.Start && trailingPipe && ((entry.flags & (STRONG | BARE)) !== 0 || withPath)) {
    // /bin/ls -al| : Perl's two-argument open() runs a file name that ends in a pipe as a command.
    return found(0.8, `cmdi:open-pipe+${entry.family}`, `runs ${word} through a trailing | (a pipe open, as Perl's open() reads it)`, 0, p + 1);
  }
  if (!accepts(word, entry, shape, bareEnd, sep, plainWords)) return undefined;

  let confidence = entry.flags & STRONG || withPath ? 0.8 : 0.7;
  if (sep === Sep.Subst || sep === Sep.Backtick) confidence += 0.1;
  else if (sep === Sep.And || sep === Sep.Or) confidence += 0.05;
  if (sepAt === 0 && sep !== Sep.Start) confidence += 0.05;
  if (shape & (SENSITIVE | REVERSE)) confidence += 0.1;
  if (obfuscated || ifs) confidence += 0.1;
  if (sep === Sep.Start) confidence = shape & (SENSITIVE | REVERSE) || obfuscated || ifs ? Math.min(confidence, 0.85) : 0.45;
  confidence = Math.min(0.98, Math.round(confidence * 100) / 100);

  const evasion = obfuscated ? '+quoted' : ifs ? '+ifs' : '';
  return {
    confidence,
    fingerprint: `cmdi:${SEP_NAME[sep]}+${entry.family}${evasion}`,
    reason: `runs ${word} ${SEP_REASON[sep]}${obfuscated ? ', with the word split by quotes or escapes' : ifs ? ', with ${IFS} for spaces' : ''}`,
    start: sep === Sep.Start ? 0 : sepAt,
    end: Math.max(end, p),
  };
}

/** Whether the argument shape fits what the command does. */
function accepts(word: string, entry: CommandWord, shape: number, bareEnd: boolean, sep: Sep, plainWords: number): boolean {
  const strong = (entry.flags & STRONG) !== 0;
  if (sep === Sep.Start) {
    // No separator: the value would have to be run as a whole; only unambiguous shapes.
    return strong && (shape & (REVERSE | SENSITIVE | REDIR | SUBST)) !== 0 && (shape & (FLAG | PATH | URL | IP)) !== 0;
  }
  if (entry.family === 'shell' && (shape & ECHOED) !== 0) return true;
  if (entry.flags & SHELL) {
    if (shape & (FLAG | PATH | URL | REDIR | REVERSE | SUBST)) return true;
    // `| sh`, `$(bash)`: data piped into an interpreter.
    return bareEnd && (sep === Sep.Pipe || sep === Sep.Subst || sep === Sep.Backtick);
  }
  if (bareEnd && entry.flags & BARE) return true;
  if (bareEnd && (sep === Sep.Subst || sep === Sep.Backtick) && strong) return true;
  switch (entry.family) {
    case 'delay':
      return (shape & NUM) !== 0;
    case 'echo':
      if ((shape & ECHOED) !== 0 && (sep === Sep.Subst || sep === Sep.Backtick)) return true;
      return (shape & (REDIR | SUBST | VAR | PIPED_AFTER)) !== 0;
    case 'read':
      if (strong) return (shape & SHAPED) !== 0 || (plainWords > 0 && sep !== Sep.Amp && sep !== Sep.Semicolon);
      if ((shape & (PATH | FILE | REDIR | SENSITIVE | VAR | SUBST)) !== 0) return true;
      // With only flags, a filter reads the command's own output (`sort | uniq -c`): nothing an attacker gains.
      return (shape & FLAG) !== 0 && !STDIN_FILTERS.has(word);
    case 'net':
      if (word === 'ping' || word === 'dig' || word === 'host' || word === 'ftp') return (shape & (FLAG | IP | DOMAIN | URL | VAR)) !== 0;
      return (shape & SHAPED) !== 0;
    case 'win':
      return strong || (shape & SHAPED) !== 0;
    case 'shell':
      // expr 12345 + 54321: arithmetic whose sum shows in the response.
      if (word === 'expr' && (shape & NUM) !== 0) return true;
      return (shape & (strong ? SHAPED : SHAPED & ~(DOMAIN | FILE))) !== 0;
    default:
      return (shape & (strong ? SHAPED : SHAPED & ~(DOMAIN | FILE))) !== 0;
  }
}

/** Read commands that, given no file, only filter standard input. */
const STDIN_FILTERS: ReadonlySet<string> = new Set(['more', 'less', 'sort', 'uniq', 'cut', 'rev', 'head', 'tail', 'nl', 'tac', 'cat', 'od', 'strings']);

function argShape(arg: string, entry: CommandWord): number {
  const c0 = arg.charCodeAt(0);
  const c1 = arg.charCodeAt(1);
  if (c0 === 0x2d) {
    if (!isLetter(c1) && c1 !== 0x2d) return /^-\d+$/.test(arg) ? NUM : 0;
    // nc -e, bash -i, powershell -enc / -e / -nop: the flags of a shell handed to an attacker.
    if (entry.family === 'shell' || entry.family === 'net') {
      if (/^-(?:e|c|i|enc|encodedcommand|ec|nop|noni|w|windowstyle|exec|executionpolicy|command)$/.test(arg)) return FLAG | REVERSE;
    }
    return FLAG;
  }
  if (entry.family === 'shell') {
    // powershell "(Get-Content ...)", Invoke-Expression 'Get-ChildItem C:\': the script it is handed runs a command.
    const m = /^\(?\s*([a-z][a-z0-9]*(?:-[a-z]+)?)[\s(;]/i.exec(arg);
    if (m !== null && ((lookupCommand(m[1]!.toLowerCase())?.flags ?? 0) & STRONG) !== 0) return SUBST;
  }
  if (c0 === 0x2f) {
    if (arg.length === 1) return PATH;
    if (arg.startsWith('/dev/tcp/') || arg.startsWith('/dev/udp/')) return PATH | REVERSE;
    if (/^\/(?:etc|proc|bin|usr\/bin|root|home|tmp|var|windows|dev)\b/.test(arg)) return PATH | SENSITIVE;
    // cmd.exe flags look like /c, /s, /q.
    if (arg.length <= 3 && isLetter(c1)) return FLAG;
    return isLetter(c1) || c1 === 0x2e || c1 === 0x3f || c1 === 0x2a ? PATH : 0;
  }
  if (c0 === 0x7e && c1 === 0x2f) return PATH;
  if (c0 === 0x2e && (c1 === 0x2f || (c1 === 0x2e && arg.charCodeAt(2) === 0x2f))) return PATH;
  if (c1 === 0x3a && isLetter(c0) && (arg.charCodeAt(2) === 0x5c || arg.charCodeAt(2) === 0x2f)) {
    return /^[a-z]:[\\/](?:windows|winnt|boot\.ini|inetpub)/.test(arg) ? PATH | SENSITIVE : PATH;
  }
  if (c0 === 0x5c && c1 === 0x5c) return PATH;
  if (c0 === 0x24) return VAR;
  // %USERDOMAIN%\%USERNAME%, %USERNAME%.attacker.example: what cmd.exe expands is data going out.
  if (c0 === 0x25 && /^(?:%[a-z_]+%[\\/]?)+$/.test(arg)) return VAR;
  if (/^[\w.-]*%[a-z_]+%\.[a-z0-9.-]+$/.test(arg)) return VAR | DOMAIN;
  if (c0 === 0x25 && /^%[a-z_]+%[\\/]/.test(arg)) return /^%(?:systemroot|windir|programdata|appdata|userprofile)%/.test(arg) ? PATH | SENSITIVE : PATH;
  if (c0 === 0x25 && arg.length > 2 && arg.charCodeAt(arg.length - 1) === 0x25) return VAR;
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(arg)) return URL;
  if (/^\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?$/.test(arg) || /^0x[0-9a-f]{6,8}$/.test(arg)) return IP;
  if (/^\d+(?:\.\d+)?$/.test(arg)) return NUM;
  if (/\d{1,3}(?:\.\d{1,3}){3}/.test(arg)) return IP;
  if (arg.indexOf('/') > 0 && arg.indexOf(' ') < 0) return PATH;
  if (/^[a-z0-9_-]+\.(?:php|txt|log|conf|ini|xml|json|sh|py|pl|rb|bak|sql|cfg|config|db|key|pem|env|htaccess|htpasswd|jsp|asp|aspx)$/.test(arg)) return FILE;
  if (/^(?:[a-z0-9-]+\.)+[a-z]{2,}$/.test(arg)) return DOMAIN;
  return 0;
}

/** Nothing follows the word but the end of the value, a separator, a comment or a closing `)` or backtick. */
function bareEndAt(s: string, p: number, wordEnd: number): boolean {
  if (p >= s.length) return true;
  const c = s.charCodeAt(p);
  // A lone | after a spaced word is a table cell (`| id |`); glued to the word it is a pipe.
  if (c === 0x7c) return s.charCodeAt(p + 1) === 0x7c || p === wordEnd;
  return c === 0x3b || c === 0x26 || c === 0x0a || c === 0x0d || c === 0x23 || c === 0x29 || c === 0x60 || c === 0x27 || c === 0x22;
}

function baseName(word: string): string {
  let cut = -1;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c === 0x2f || c === 0x5c) cut = i;
  }
  return cut < 0 ? word : word.slice(cut + 1);
}

/** Separators a second decoder would still undo: %0a, %3b, %7c, %26, %60, %24. */
const ENCODED_SEPARATOR = /%(?:0a|0d|3b|7c|26|60|24)/i;
let encodedDepth = 0;

function judgeEncoded(s: string): Finding | undefined {
  const decoded = s.replace(/%([0-9a-fA-F]{2})/g, (m, h: string) => {
    const c = parseInt(h, 16);
    return c < 0x80 ? String.fromCharCode(c) : m;
  });
  encodedDepth++;
  try {
    const m = detectCommandInjection(decoded);
    if (m === undefined) return undefined;
    return { confidence: m.confidence, fingerprint: `${m.fingerprint}+encoded`, reason: `${m.reason} (percent-encoded)`, start: 0, end: s.length };
  } finally {
    encodedDepth--;
  }
}

/** Server-side includes: <!--#exec cmd="..."--> runs a command where SSI is on. */
function judgeSsi(s: string, i: number): Finding | undefined {
  const m = /^<!--#\s*(exec|include|config|echo|printenv)\b/i.exec(s.slice(i, i + 40));
  if (m === null) return undefined;
  const exec = m[1]!.toLowerCase() === 'exec';
  const end = s.indexOf('-->', i);
  return {
    confidence: exec ? 0.9 : 0.6,
    fingerprint: `cmdi:ssi+${m[1]!.toLowerCase()}`,
    reason: exec ? 'a server-side include runs a command' : `a server-side include directive (${m[1]!.toLowerCase()})`,
    start: i,
    end: end < 0 ? s.length : end + 3,
  };
}

/** First arguments that make an everyday word a system command: `net user`, `reg query`. */
const SUBCOMMANDS: Readonly<Record<string, ReadonlySet<string>>> = {
  net: new Set(['user', 'users', 'localgroup', 'group', 'view', 'share', 'use', 'accounts', 'config', 'session', 'start', 'stop']),
  reg: new Set(['query', 'add', 'delete', 'save', 'export', 'import']),
  sc: new Set(['query', 'qc', 'create', 'start', 'stop', 'config', 'delete']),
  ps: new Set(['aux', 'ax', 'ef', 'axu', 'auxww']),
  start: new Set(['cmd', 'powershell', 'calc', 'notepad']),
};

/** `$'\x63\x61\x74'`: ANSI-C quoting spells a command in escapes; judge what it spells. */
let ansiDepth = 0;
function judgeAnsiC(s: string, i: number): Finding | undefined {
  const close = s.indexOf("'", i + 2);
  if (close < 0 || ansiDepth > 0) return undefined;
  const inner = s.slice(i + 2, close);
  if (!/\\(?:x[0-9a-fA-F]{2}|[0-7]{3})/.test(inner)) return undefined;
  const spelled = inner.replace(/\\x([0-9a-fA-F]{2})|\\([0-7]{3})/g, (_, h: string | undefined, o: string | undefined) => String.fromCharCode(h !== undefined ? parseInt(h, 16) : parseInt(o ?? '0', 8)));
  ansiDepth++;
  try {
    const inner2 = judgeCommand(`;${spelled}`, 1, Sep.Semicolon, 0);
    if (inner2 === undefined) return undefined;
    return { ...inner2, confidence: Math.min(0.98, inner2.confidence + 0.1), fingerprint: `${inner2.fingerprint}+ansi-c`, reason: `${inner2.reason}, spelled in $'...' escapes`, start: i, end: close + 1 };
  } finally {
    ansiDepth--;
  }
}

/** The end of input, a space or a separator: where a command word ends when it runs. */
function isCommandEnd(c: number): boolean {
  return Number.isNaN(c) || c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x3b || c === 0x7c || c === 0x26 || c === 0x60 || c === 0x29;
}

/** `/???/c?t /???/p??s??`: a glob standing in for a command path. */
/** `a=who;b=ami;$a$b`: a word made only of shell variables, each assigned earlier in the value. */
function assignedBefore(s: string, before: number, raw: string): boolean {
  if (!/^(?:\$[a-z_][a-z0-9_]*|\$\{[a-z_][a-z0-9_]*\}){2,}$/.test(raw)) return false;
  const head = s.slice(0, before).toLowerCase();
  for (const m of raw.matchAll(/[a-z_][a-z0-9_]*/g)) if (!new RegExp(`(?:^|[;&|\\s])${m[0]}=`).test(head)) return false;
  return true;
}

/** Whether `arg` names a command to run: any command for a shell, only an unmistakable one for echo. */
function isCommandWord(arg: string, strongOnly: boolean): boolean {
  const e = lookupCommand(arg);
  return e !== undefined && (!strongOnly || (e.flags & STRONG) !== 0) && (e.flags & SHELL) === 0;
}

/** A bracket glob with each one-character class ([i], [a-z]) replaced by its first character. */
function firstMatch(glob: string): string {
  return glob.replace(/\[([^\]/!^])(?:-[^\]/])?\]/g, '$1');
}

function judgeGlob(sepAt: number, start: number, end: number, sep: Sep): Finding | undefined {
  if (sep === Sep.Start) return undefined;
  return { confidence: 0.85, fingerprint: `cmdi:${SEP_NAME[sep]}+glob`, reason: `runs a command spelled as a path glob ${SEP_REASON[sep]}`, start: sepAt, end: Math.max(end, start + 1) };
}

/** `{cat,/etc/passwd}`: bash runs a brace expansion as a command with its arguments. */
function judgeBraceExpansion(s: string, i: number): Finding | undefined {
  const close = s.indexOf('}', i);
  const comma = s.indexOf(',', i);
  if (close < 0 || comma < 0 || comma > close || close - i > 200) return undefined;
  if (!words.read(s, i + 1) || words.end !== comma) return undefined;
  const entry = lookupCommand(baseName(words.text));
  if (entry === undefined) return undefined;
  const arg = s.slice(comma + 1, close).split(',')[0] ?? '';
  const shape = argShape(arg.toLowerCase(), entry);
  if (shape === 0 && (entry.flags & BARE) === 0) return undefined;
  return {
    confidence: 0.9,
    fingerprint: `cmdi:brace+${entry.family}`,
    reason: `runs ${baseName(words.text)} ${SEP_REASON[Sep.Brace]}`,
    start: i,
    end: close + 1,
  };
}

/** cmd.exe variables used as commands or to carve one out: %COMSPEC%, %PATH:~0,1%. */
function judgeWindowsVariable(s: string, i: number): Finding | undefined {
  const close = s.indexOf('%', i + 1);
  if (close < 0 || close - i > 40) return undefined;
  const name = s.slice(i + 1, close).toLowerCase();
  if (name === 'comspec') return { confidence: 0.85, fingerprint: 'cmdi:win+comspec', reason: 'runs cmd.exe through %COMSPEC%', start: i, end: close + 1 };
  if (/^[a-z_][a-z0-9_()]*:~-?\d+(?:,-?\d+)?$/.test(name)) {
    return { confidence: 0.8, fingerprint: 'cmdi:win+substring', reason: 'carves characters out of a cmd.exe variable to spell a command', start: i, end: close + 1 };
  }
  return undefined;
}

/** Bash's /dev/tcp and /dev/udp redirections open network connections: a reverse shell or exfiltration. */
function judgeDevTcp(s: string): Finding | undefined {
  const at = s.indexOf('/dev/');
  if (at < 0) return undefined;
  const proto = s.substr(at + 5, 4);
  if (proto !== 'tcp/' && proto !== 'udp/') return undefined;
  let k = at - 1;
  while (k >= 0 && (s.charCodeAt(k) === 0x20 || s.charCodeAt(k) === 0x09)) k--;
  const c = s.charCodeAt(k);
  if (c !== 0x3e && c !== 0x3c && c !== 0x26 && ifsAt(s, Math.max(0, k - 5)) === 0) return undefined;
  return { confidence: 0.95, fingerprint: 'cmdi:devtcp', reason: 'redirects to /dev/tcp, opening a network socket from the shell', start: Math.max(0, k - 20), end: at + 40 };
}

/**
 * Prose with inline code (`run \`ls -la\` to list`) uses backticks as markdown: five or more
 * plain words outside any backtick pair.
 */
function readsAsProse(s: string): boolean {
  let wordsSeen = 0;
  let inTick = false;
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x60) {
      inTick = !inTick;
      inWord = false;
      continue;
    }
    if (inTick) continue;
    if (isLetter(c)) {
      if (!inWord) wordsSeen++;
      inWord = true;
    } else inWord = false;
    if (wordsSeen >= 5) return true;
  }
  return false;
}

/** Nothing but spaces from `i` to the end. */
function onlySpaceFrom(s: string, i: number): boolean {
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
  }
  return true;
}

/** What printf and echo -e print for `\xHH` and octal `\NNN` escapes, lowercased as words are. */
function printfText(arg: string): string {
  if (arg.indexOf('\\') < 0) return arg;
  return arg.replace(/\\x([0-9a-f]{1,2})|\\0?([0-7]{1,3})/g, (_, h: string | undefined, o: string | undefined) => String.fromCharCode(h !== undefined ? parseInt(h, 16) : parseInt(o ?? '0', 8))).toLowerCase();
}

/** `'who'+'ami'`, `"wh" + "oami"`: two or more quoted strings joined by `+`, read from `i`. */
function readConcatenation(s: string, i: number): { text: string; end: number } | undefined {
  let text = '';
  let pieces = 0;
  let k = i;
  while (k < s.length && pieces < 16) {
    const q = s.charCodeAt(k);
    if (q !== 0x27 && q !== 0x22) break;
    const close = s.indexOf(q === 0x27 ? "'" : '"', k + 1);
    if (close < 0 || close - k > 32) return undefined;
    text += s.slice(k + 1, close);
    pieces++;
    k = close + 1;
    while (s.charCodeAt(k) === 0x20) k++;
    if (s.charCodeAt(k) !== 0x2b) break;
    k++;
    while (s.charCodeAt(k) === 0x20) k++;
  }
  return pieces >= 2 ? { text: text.toLowerCase(), end: k } : undefined;
}

/**
 * Shellshock: bash (before 4.3 patch 25) runs what follows a function definition imported from an
 * environment variable, so a header or parameter that starts `() {` and goes on after its `}`
 * (`() { :;}; id`, `() { _; } >_[$($())] { id; }`) is the exploit itself, whatever command it carries.
 * Only at the value's start or after `=` (an assignment carried in it): inside code, as in
 * `var f = function () { return 1; };`, the same characters are an ordinary function.
 */
const SHELLSHOCK = /(?:^\s*['"]?|=\s*['"]?)\(\s*\)\s*\{[^}]{0,60}\}\s*(?:;|>\s*_?\[)/;

function judgeShellshock(s: string): Finding | undefined {
  const m = SHELLSHOCK.exec(s);
  if (m === null) return undefined;
  return { confidence: 0.9, fingerprint: 'cmdi:shellshock', reason: 'a bash function definition followed by a command (Shellshock)', start: m.index, end: Math.min(s.length, m.index + m[0].length + 40) };
}

/**
 * `$(tr A-Z a-z <<< WHOAMI)`: a command substitution fed a here-string (bash-only syntax) whose
 * word, in any case and quoting, is a command name: the filter inside turns it into the command
 * the substitution's output then runs.
 */
const HERE_STRING = /(?:\$\(|`)[^)`]{0,80}<<<\s*(['"]?)([A-Za-z]{2,20})\1/;

function judgeHereString(s: string): Finding | undefined {
  const m = HERE_STRING.exec(s);
  if (m === null || lookupCommand(m[2]!.toLowerCase()) === undefined) return undefined;
  return { confidence: 0.8, fingerprint: 'cmdi:subst+here-string', reason: `feeds the command name ${m[2]} to a filter inside a command substitution, for its output to run`, start: m.index, end: m.index + m[0].length };
}

/** `x=whoami;$x`: a lone variable holding a command name assigned earlier in the value. */
function assignedCommand(s: string, before: number, raw: string): boolean {
  const m = /^\$\{?([a-z_][a-z0-9_]{0,15})\}?$/.exec(raw);
  if (m === null) return false;
  const assigned = new RegExp(`(?:^|[;&|\\s])${m[1]}=(['"]?)([a-z0-9_./-]{1,40})\\1(?:[;&|\\s]|$)`).exec(s.slice(0, before).toLowerCase());
  return assigned !== null && lookupCommand(baseName(assigned[2]!)) !== undefined;
}
