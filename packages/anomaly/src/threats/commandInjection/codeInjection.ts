// Server-side code injection that reaches the operating system: a value that, once evaluated by
// PHP, Node, Python, Java, Ruby or .NET, runs a process or evaluates more code
// (`;system('id');`, `require('child_process').exec('id')`, `__import__('os').system('id')`).
// The shell engine reads shell syntax; these payloads reach the shell through a language's own
// primitives instead, so the words to look for are those primitives.
import { lookupCommand } from './commandWords';

/** What a command-injection judge found, with its span in the value. */
export interface CommandFinding {
  confidence: number;
  fingerprint: string;
  reason: string;
  start: number;
  end: number;
}

/**
 * Spellings only server code that runs processes or evaluates code uses; each is near-certain
 * wherever it stands. Group 1 names the family for the fingerprint.
 */
const PRIMITIVE =
  /(child_process|process\.mainModule|process\.binding\s*\(|getRuntime\s*\(\s*\)\s*\.\s*exec\s*\(|ProcessBuilder\s*\(|System\.Diagnostics\.Process|__import__\s*\(\s*['"](?:os|subprocess|pty|commands)['"]|\b(?:os\s*\.\s*(?:system|popen|exec[lv]p?e?)|subprocess\s*\.\s*(?:call|run|Popen|check_output|getoutput)|pty\s*\.\s*spawn|IO\s*\.\s*popen|Kernel\s*\.\s*(?:system|exec|spawn)|shell_exec|passthru|proc_open|pcntl_exec)\s*\(|\bphpinfo\s*\(\s*\)|\b(?:eval|assert)\s*\(\s*(?:base64_decode|gzinflate|gzuncompress|str_rot13|hex2bin|atob|Buffer\.from|\$_(?:GET|POST|REQUEST|COOKIE|SERVER))|\$_(?:GET|POST|REQUEST|COOKIE|SERVER)\s*\[)/;

/** A call whose name is also ordinary (system, exec, popen): it counts with a string argument. */
const PLAIN_CALL = /\b(system|exec|popen|spawn|execSync|spawnSync|execFile)\s*\(\s*(['"`])([^'"`]{0,200})\2/;

/**
 * An evaluation proof: code that prints what only evaluated code could (`;exit(md5('x'));//`), so a
 * scanner can see the value ran. Counted when it follows code punctuation.
 */
const EVAL_PROOF = /\b(?:exit|die|print|echo|var_dump|print_r)\s*\(?\s*(?:md5|sha1|crc32|strrev|base64_encode|hash)\s*\(\s*['"]/;

/** A data: URI whose base64 begins `<?php` or `<?=`: PHP code handed to include() through the data wrapper. */
const PHP_DATA_URI = /\bdata:[^,]{0,40};base64,PD9(?:waHA|9)/i;

const PRIMITIVE_REASON = 'calls a server-side primitive that runs processes or evaluates code';

/** Judges `s` for code injection; undefined when it has none. */
export function judgeCodeInjection(s: string): CommandFinding | undefined {
  if (s.indexOf('(') < 0 && s.indexOf('$_') < 0) return judgePhpDataUri(s);
  const strong = PRIMITIVE.exec(s);
  if (strong !== null) {
    return { confidence: 0.85, fingerprint: `cmdi:code+${family(strong[1]!)}`, reason: `${PRIMITIVE_REASON} (${strong[1]!.replace(/\s+/g, '')})`, start: strong.index, end: strong.index + strong[0].length };
  }
  const proof = EVAL_PROOF.exec(s);
  if (proof !== null && standsAsCode(s, proof.index)) {
    return { confidence: 0.85, fingerprint: 'cmdi:code+eval-proof', reason: 'evaluates code that prints a hash, proof that the value runs as code', start: proof.index, end: proof.index + proof[0].length };
  }
  const call = PLAIN_CALL.exec(s);
  if (call === null || !standsAsCode(s, call.index)) return judgePhpDataUri(s);
  // The string handed to it: a command line when its first word is a command (system('id')).
  const firstWord = (call[3]!.trim().split(/[\s;|&]/)[0] ?? '').replace(/^.*\//, '').toLowerCase();
  const runsCommand = lookupCommand(firstWord) !== undefined;
  if (!runsCommand) return judgePhpDataUri(s);
  return {
    confidence: 0.85,
    fingerprint: `cmdi:code+${call[1]!.toLowerCase()}`,
    reason: `calls ${call[1]}() with the command line ${firstWord}`,
    start: call.index,
    end: call.index + call[0].length,
  };
}

function judgePhpDataUri(s: string): CommandFinding | undefined {
  const m = s.indexOf('base64,') < 0 ? null : PHP_DATA_URI.exec(s);
  if (m === null) return undefined;
  return { confidence: 0.85, fingerprint: 'cmdi:code+php-data', reason: 'a data: URI holding PHP code, for an include() to run', start: m.index, end: Math.min(s.length, m.index + m[0].length + 40) };
}

/** Whether the call at `at` starts the value, opens a PHP block or follows code punctuation (;system(, '.system(, {${system(). */
function standsAsCode(s: string, at: number): boolean {
  let k = at - 1;
  while (k >= 0 && (s.charCodeAt(k) === 0x20 || s.charCodeAt(k) === 0x09)) k--;
  if (k < 0) return true;
  const c = s.charCodeAt(k);
  // <?php system('id'): the call opens a PHP block.
  if ((c | 0x20) === 0x70 && k >= 4 && s.slice(k - 4, k + 1).toLowerCase() === '<?php') return true;
  // ; . { ( ' " | & = , and the @ that silences PHP errors
  return c === 0x3b || c === 0x2e || c === 0x7b || c === 0x28 || c === 0x27 || c === 0x22 || c === 0x7c || c === 0x26 || c === 0x3d || c === 0x2c || c === 0x40 || c === 0x0a;
}

function family(primitive: string): string {
  if (primitive.startsWith('child_process') || primitive.startsWith('process.')) return 'node';
  if (primitive.includes('getRuntime') || primitive.startsWith('ProcessBuilder')) return 'java';
  if (primitive.startsWith('System.Diagnostics')) return 'dotnet';
  if (primitive.startsWith('__import__') || /^(?:os|subprocess|pty)\b/.test(primitive)) return 'python';
  if (/^(?:IO|Kernel)\b/.test(primitive)) return 'ruby';
  return 'php';
}
