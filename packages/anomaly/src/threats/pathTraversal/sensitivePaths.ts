// Which file-system places a traversal is worth aiming at. These are judged targets (a read of
// them leaks secrets or proves the traversal works), looked up by path segment, not payloads.

/** How bad reading the place is: HIGH is a credential or the classic proof file. */
export const enum Sensitivity {
  None = 0,
  Medium = 1,
  High = 2,
}

/** File names that are secrets or proofs wherever they sit. */
const HIGH_FILES = new Set([
  'passwd', 'shadow', 'master.passwd', 'gshadow', 'sudoers', 'win.ini', 'system.ini', 'boot.ini', 'win.ini.bak',
  'id_rsa', 'id_dsa', 'id_ecdsa', 'id_ed25519', 'authorized_keys', 'known_hosts', '.htpasswd', '.htaccess',
  'web.config', 'wp-config.php', '.env', '.bash_history', '.zsh_history', '.mysql_history', '.pgpass', '.netrc',
  'credentials', 'sam', 'ntds.dit', 'unattend.xml', 'sysprep.inf', 'php.ini', 'my.cnf', 'httpd.conf',
  'applicationhost.config', 'environ', 'local.settings.json', 'settings.php', 'configuration.php', 'localsettings.php',
  '.git-credentials', '.dockercfg', 'kubeconfig', 'database.yml', 'secrets.yml', 'master.key',
  // Windows: a user's registry hive, memory written to disk, MySQL's and FileZilla's stored passwords.
  'ntuser.dat', 'usrclass.dat', 'pagefile.sys', 'hiberfil.sys', 'my.ini', 'filezilla server.xml', 'sitemanager.xml',
]);

/** File names that matter only under a sensitive directory or after a traversal. */
const MEDIUM_FILES = new Set([
  'hosts', 'group', 'issue', 'hostname', 'fstab', 'crontab', 'motd', 'profile', '.bashrc', '.profile', 'resolv.conf',
  'nginx.conf', 'apache2.conf', 'config.php', 'web.xml', 'server.xml', 'tomcat-users.xml', 'context.xml',
  'application.properties', 'application.yml', 'appsettings.json', 'config.json', 'cmdline', 'version', 'index.php',
  'access.log', 'error.log', 'access_log', 'error_log', 'config', 'head', 'machine-id', 'mounts', 'status', 'maps',
]);

/** Directories whose contents are sensitive when reached from the root or by a traversal. */
const SENSITIVE_DIRS = new Set([
  'etc', 'proc', 'windows', 'winnt', 'system32', 'inetpub', 'root', '.ssh', '.git', '.svn', '.aws', '.docker',
  '.kube', 'web-inf', 'meta-inf', 'boot', 'sys', 'dev', 'private', 'secrets', 'repair',
]);

/** Top-level directories under which a well-known configuration file name is worth reading. */
const SYSTEM_ROOTS = new Set(['usr', 'opt', 'home', 'srv', 'var', 'app', 'tmp', 'program files', 'users', 'programdata', 'xampp', 'wamp', 'wamp64']);

/**
 * The sensitivity of a path given as lowercase segments (dot segments already removed).
 * `anchored` is true when the path starts at a root or follows a traversal, so that system
 * directories such as etc/ and windows/ count when the path starts in them; a plain relative path
 * only counts for files that are secret anywhere.
 */
export function sensitivityOf(segments: readonly string[], anchored: boolean): Sensitivity {
  const n = segments.length;
  for (let i = 0; i < n; i++) {
    const seg = segments[i]!;
    // A secret's name used as a directory (passwd/reset) is not the file; .git/ and
    // /proc/self/environ are the exceptions worth having.
    if (HIGH_FILES.has(seg) && i === n - 1) return Sensitivity.High;
    if ((seg === '.git' || seg === 'web-inf' || seg === '.ssh' || seg === '.aws') && i + 1 < n) return Sensitivity.High;
  }
  if (!anchored || n < 2) return Sensitivity.None;
  const first = segments[0]!;
  if (first === 'proc') {
    const next = segments[1]!;
    if (next === 'self' || isDigits(next)) return Sensitivity.High;
  }
  if (SENSITIVE_DIRS.has(first)) return Sensitivity.Medium;
  if (SYSTEM_ROOTS.has(first) && MEDIUM_FILES.has(segments[n - 1]!)) return Sensitivity.Medium;
  if (first === 'var' && (segments[1] === 'log' || segments[1] === 'run' || segments[1] === 'lib')) return Sensitivity.Medium;
  return Sensitivity.None;
}

function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** Known PHP and archive stream wrappers that read local files or run code. */
export const STREAM_WRAPPERS = new Set([
  'php', 'zip', 'phar', 'expect', 'glob', 'compress.zlib', 'compress.bzip2', 'rar', 'ogg', 'ssh2.exec', 'ssh2.shell',
  'zlib', 'bzip2', 'jar', 'netdoc',
]);

/**
 * Where cmd.exe's well-known variables point on a default install, so that `%SYSTEMROOT%\\win.ini`
 * and `%WINDIR%\\system32\\config\\sam` are judged as the absolute paths they expand to.
 */
const WINDOWS_VARIABLES: ReadonlyMap<string, string> = new Map([
  ['%systemroot%', 'c:/windows'], ['%windir%', 'c:/windows'], ['%systemdrive%', 'c:'], ['%userprofile%', 'c:/users/user'],
  ['%homepath%', 'c:/users/user'], ['%allusersprofile%', 'c:/programdata'], ['%programdata%', 'c:/programdata'],
  ['%appdata%', 'c:/users/user/appdata/roaming'], ['%localappdata%', 'c:/users/user/appdata/local'], ['%public%', 'c:/users/public'],
  ['%programfiles%', 'c:/program files'], ['%programfiles(x86)%', 'c:/program files (x86)'], ['%temp%', 'c:/users/user/appdata/local/temp'],
  ['%tmp%', 'c:/users/user/appdata/local/temp'],
]);

/** A path (slashes already forward) with a leading cmd.exe variable replaced by where it points; unchanged otherwise. */
export function expandWindowsVariable(path: string): string {
  if (path.charCodeAt(0) !== 0x25) return path;
  const close = path.indexOf('%', 1);
  if (close < 0 || close > 24) return path;
  const dir = WINDOWS_VARIABLES.get(path.slice(0, close + 1));
  return dir === undefined ? path : dir + path.slice(close + 1);
}
