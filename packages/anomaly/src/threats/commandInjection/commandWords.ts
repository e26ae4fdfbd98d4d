// What a word in command position means to the judge: whether it is ever ordinary English, whether
// running it bare already proves execution, and which family of intent it belongs to.

/** The word is not plain English (`whoami`, `wget`): plain words after it still count. */
export const STRONG = 1;
/** Running it with no argument already proves execution (`id`, `ls`, `whoami`). */
export const BARE = 2;
/** An interpreter or shell: counts bare only when data is piped into it. */
export const SHELL = 4;

export type CommandFamily = 'recon' | 'read' | 'net' | 'shell' | 'delay' | 'fs' | 'echo' | 'win';

export interface CommandWord {
  flags: number;
  family: CommandFamily;
}

const TABLE: Record<string, [number, CommandFamily]> = {
  // Recon: who and where am I.
  whoami: [STRONG | BARE, 'recon'], id: [BARE, 'recon'], uname: [STRONG | BARE, 'recon'], hostname: [STRONG | BARE, 'recon'],
  ifconfig: [STRONG | BARE, 'recon'], ipconfig: [STRONG | BARE, 'recon'], netstat: [STRONG | BARE, 'recon'],
  systeminfo: [STRONG | BARE, 'recon'], tasklist: [STRONG | BARE, 'recon'], printenv: [STRONG | BARE, 'recon'],
  env: [BARE, 'recon'], set: [BARE, 'recon'], ver: [BARE, 'recon'], ps: [BARE, 'recon'], pwd: [STRONG | BARE, 'recon'],
  uptime: [STRONG | BARE, 'recon'], lsb_release: [STRONG | BARE, 'recon'], getent: [STRONG, 'recon'], who: [0, 'recon'],
  w: [0, 'recon'], last: [0, 'recon'], groups: [0, 'recon'], arp: [STRONG, 'recon'], route: [0, 'recon'], df: [0, 'recon'],
  du: [0, 'recon'], mount: [0, 'recon'], history: [0, 'recon'], date: [0, 'recon'], lscpu: [STRONG | BARE, 'recon'],
  lsmod: [STRONG | BARE, 'recon'], dmesg: [STRONG | BARE, 'recon'], nltest: [STRONG, 'recon'], dsquery: [STRONG, 'recon'],
  wmic: [STRONG, 'win'], net: [0, 'win'], net1: [STRONG, 'win'],
  // Reading files.
  cat: [0, 'read'], tac: [0, 'read'], nl: [0, 'read'], head: [0, 'read'], tail: [0, 'read'], more: [0, 'read'], less: [0, 'read'],
  type: [0, 'read'], strings: [0, 'read'], xxd: [STRONG, 'read'], od: [0, 'read'], base64: [STRONG, 'read'], grep: [STRONG, 'read'],
  egrep: [STRONG, 'read'], findstr: [STRONG, 'read'], awk: [STRONG, 'read'], sed: [STRONG, 'read'], sort: [0, 'read'],
  uniq: [0, 'read'], cut: [0, 'read'], rev: [0, 'read'], diff: [0, 'read'], find: [0, 'read'], locate: [0, 'read'],
  ls: [STRONG | BARE, 'read'], dir: [BARE, 'read'], tree: [0, 'read'], file: [0, 'read'], stat: [0, 'read'], readlink: [STRONG, 'read'],
  // Network and exfiltration.
  curl: [STRONG, 'net'], wget: [STRONG, 'net'], nc: [STRONG, 'net'], ncat: [STRONG, 'net'], netcat: [STRONG, 'net'],
  socat: [STRONG, 'net'], telnet: [STRONG, 'net'], ssh: [STRONG, 'net'], scp: [STRONG, 'net'], sftp: [STRONG, 'net'],
  ftp: [0, 'net'], tftp: [STRONG, 'net'], rsync: [STRONG, 'net'], nslookup: [STRONG, 'net'], dig: [0, 'net'], host: [0, 'net'],
  ping: [0, 'net'], ping6: [STRONG, 'net'], traceroute: [STRONG, 'net'], tracert: [STRONG, 'net'], nmap: [STRONG, 'net'],
  openssl: [STRONG, 'net'], certutil: [STRONG, 'win'], bitsadmin: [STRONG, 'win'], 'invoke-webrequest': [STRONG, 'net'],
  iwr: [STRONG, 'net'], 'invoke-restmethod': [STRONG, 'net'], irm: [STRONG, 'net'], lwp_download: [STRONG, 'net'],
  // Shells and interpreters.
  sh: [STRONG | SHELL, 'shell'], bash: [STRONG | SHELL, 'shell'], zsh: [STRONG | SHELL, 'shell'], ksh: [STRONG | SHELL, 'shell'],
  csh: [STRONG | SHELL, 'shell'], tcsh: [STRONG | SHELL, 'shell'], dash: [STRONG | SHELL, 'shell'], ash: [STRONG | SHELL, 'shell'],
  busybox: [STRONG, 'shell'], cmd: [STRONG | SHELL, 'shell'], powershell: [STRONG | SHELL, 'shell'], pwsh: [STRONG | SHELL, 'shell'],
  python: [STRONG | SHELL, 'shell'], python2: [STRONG | SHELL, 'shell'], python3: [STRONG | SHELL, 'shell'],
  perl: [STRONG | SHELL, 'shell'], ruby: [STRONG | SHELL, 'shell'], php: [STRONG | SHELL, 'shell'], lua: [STRONG | SHELL, 'shell'],
  node: [STRONG | SHELL, 'shell'], xterm: [STRONG, 'shell'], exec: [0, 'shell'], eval: [0, 'shell'], source: [0, 'shell'], '.': [0, 'shell'],
  mshta: [STRONG, 'win'], rundll32: [STRONG, 'win'], regsvr32: [STRONG, 'win'], cscript: [STRONG, 'win'], wscript: [STRONG, 'win'],
  msiexec: [STRONG, 'win'], iex: [STRONG, 'shell'], 'invoke-expression': [STRONG, 'shell'], 'start-process': [STRONG, 'shell'],
  'new-object': [STRONG, 'shell'], schtasks: [STRONG, 'win'], reg: [0, 'win'], sc: [0, 'win'], netsh: [STRONG, 'win'],
  vssadmin: [STRONG, 'win'], icacls: [STRONG, 'win'], bcdedit: [STRONG, 'win'], taskkill: [STRONG, 'win'], start: [0, 'win'],
  gcc: [STRONG, 'shell'], crontab: [STRONG, 'shell'], nohup: [STRONG, 'shell'], mkfifo: [STRONG, 'shell'], mknod: [STRONG, 'shell'],
  expr: [STRONG, 'shell'], xargs: [STRONG, 'shell'],
  // PowerShell's Get-Command resolves a name or a glob (gcm who*) to a command for & to run.
  gcm: [STRONG, 'shell'], 'get-command': [STRONG, 'shell'],
  // PowerShell cmdlets an injection runs (Verb-Noun names no prose has).
  'get-childitem': [STRONG | BARE, 'read'], 'get-content': [STRONG, 'read'], 'select-string': [STRONG, 'read'],
  'get-process': [STRONG | BARE, 'recon'], 'get-service': [STRONG | BARE, 'recon'], 'get-localuser': [STRONG | BARE, 'recon'],
  'get-wmiobject': [STRONG, 'recon'], 'get-ciminstance': [STRONG, 'recon'], 'get-computerinfo': [STRONG | BARE, 'recon'],
  'get-itemproperty': [STRONG, 'recon'], 'get-acl': [STRONG, 'recon'], 'get-hotfix': [STRONG | BARE, 'recon'],
  'get-netipaddress': [STRONG | BARE, 'recon'], 'test-connection': [STRONG, 'net'], 'test-netconnection': [STRONG, 'net'],
  'resolve-dnsname': [STRONG, 'net'], 'invoke-command': [STRONG, 'shell'], 'invoke-item': [STRONG, 'shell'],
  'set-content': [STRONG, 'fs'], 'add-content': [STRONG, 'fs'], 'remove-item': [STRONG, 'fs'], 'out-file': [STRONG, 'fs'],
  'start-sleep': [STRONG, 'delay'],
  // Delays for blind injection.
  sleep: [0, 'delay'], timeout: [0, 'delay'], usleep: [STRONG, 'delay'],
  // Changing the file system or the system.
  rm: [0, 'fs'], cp: [0, 'fs'], mv: [0, 'fs'], touch: [0, 'fs'], mkdir: [0, 'fs'], chmod: [STRONG, 'fs'], chown: [STRONG, 'fs'],
  chgrp: [STRONG, 'fs'], ln: [0, 'fs'], dd: [0, 'fs'], tee: [0, 'fs'], tar: [0, 'fs'], unzip: [STRONG, 'fs'], gzip: [STRONG, 'fs'],
  del: [0, 'fs'], copy: [0, 'fs'], move: [0, 'fs'], useradd: [STRONG, 'fs'], usermod: [STRONG, 'fs'], passwd: [0, 'fs'],
  kill: [0, 'fs'], killall: [STRONG, 'fs'], pkill: [STRONG, 'fs'], shutdown: [0, 'fs'], reboot: [0, 'fs'], export: [0, 'fs'],
  unset: [STRONG, 'fs'], alias: [0, 'fs'],
  // Output, dangerous only when redirected, piped or fed a substitution.
  echo: [0, 'echo'], printf: [0, 'echo'], print: [0, 'echo'],
  // tr rewrites text; a filter like sort, never strong on its own: `tr` is also a language code
  // (langpair=en|tr|de).
  tr: [0, 'read'],
};

const WORDS = new Map<string, CommandWord>(Object.entries(TABLE).map(([w, [flags, family]]) => [w, { flags, family }]));

export function lookupCommand(word: string): CommandWord | undefined {
  return WORDS.get(word);
}

/** Commands a run proves on its own (STRONG or BARE), the ones a name glob is worth matching against. */
const GLOBBABLE = [...WORDS].filter(([w, e]) => (e.flags & (STRONG | BARE)) !== 0 && (e.flags & SHELL) === 0 && w.length >= 3).map(([w]) => w);

/**
 * The command a name glob such as `who*`, `*hoami*` or `w?oami.exe` finds, when it holds at
 * least three literal characters (a bare `*` finds anything, so says nothing).
 */
export function commandMatchingGlob(glob: string): string | undefined {
  const g = glob.endsWith('.exe') ? glob.slice(0, -4) : glob;
  if (g.length > 40) return undefined;
  let literal = 0;
  for (let i = 0; i < g.length; i++) {
    const c = g.charCodeAt(i);
    if (c === 0x2a || c === 0x3f) continue;
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x5f)) return undefined;
    literal++;
  }
  if (literal < 3 || literal === g.length) return undefined;
  for (const w of GLOBBABLE) if (globMatches(g, w)) return w;
  return undefined;
}

/** Whether `glob` (`*` any run, `?` one character) matches all of `word`: the linear two-pointer walk, no backtracking blow-up. */
function globMatches(glob: string, word: string): boolean {
  let g = 0;
  let w = 0;
  let star = -1;
  let mark = 0;
  while (w < word.length) {
    const c = glob.charCodeAt(g);
    if (g < glob.length && (c === 0x3f || c === word.charCodeAt(w))) {
      g++;
      w++;
    } else if (g < glob.length && c === 0x2a) {
      star = g++;
      mark = w;
    } else if (star >= 0) {
      g = star + 1;
      w = ++mark;
    } else return false;
  }
  while (g < glob.length && glob.charCodeAt(g) === 0x2a) g++;
  return g === glob.length;
}

/**
 * Commands Windows runs whatever their case (cmd.exe built-ins, its tools, PowerShell): WHOAMI
 * runs there, while ID or Cat runs nowhere, since Unix names are case-sensitive.
 */
const ANY_CASE = new Set([
  'whoami', 'hostname', 'ipconfig', 'netstat', 'systeminfo', 'tasklist', 'set', 'ver', 'arp', 'route', 'nltest', 'dsquery',
  'wmic', 'net', 'net1', 'type', 'more', 'sort', 'find', 'findstr', 'dir', 'tree', 'curl', 'ftp', 'tftp', 'telnet', 'ssh',
  'nslookup', 'ping', 'tracert', 'certutil', 'bitsadmin', 'invoke-webrequest', 'iwr', 'invoke-restmethod', 'irm', 'cmd',
  'powershell', 'pwsh', 'mshta', 'rundll32', 'regsvr32', 'cscript', 'wscript', 'msiexec', 'iex', 'invoke-expression',
  'start-process', 'new-object', 'schtasks', 'reg', 'sc', 'netsh', 'vssadmin', 'icacls', 'bcdedit', 'taskkill', 'start',
  'timeout', 'del', 'copy', 'move', 'shutdown', 'tar', 'echo', 'python', 'gcm',
  ...Object.keys(TABLE).filter((w) => /^[a-z]+-[a-z]+$/.test(w)),
]);

/** Whether a word typed with upper-case letters still runs as this command somewhere. */
export function runsInAnyCase(word: string): boolean {
  return ANY_CASE.has(word);
}

/** Words that run the next word as the command (`sudo id`, `nohup sh x`, `timeout 5 ...`). */
export const PREFIXES = new Set(['sudo', 'doas', 'env', 'nohup', 'exec', 'command', 'builtin', 'time', 'nice', 'timeout', 'busybox', 'xargs', 'stdbuf', 'then', 'do', 'else', 'call', 'start']);
