// Remote file inclusion: a URL to a public host that a server-side include() or require() would
// fetch and run. Honest values hold URLs to public hosts all the time (redirect_uri, avatars,
// callbacks, links to a .php page), so a URL alone never counts. What counts is what only an
// inclusion needs, read from the URL's path, query and fragment:
//
//  - a truncation device after a file name: an empty query (`shell.txt?`, `x.txt??`), `%00` or a
//    NUL, or an empty fragment (`x.txt#`), alone or before a fake extension (`?.jpg`, `%00.php`).
//    They are there to swallow the suffix (`.php`) the application appends before it includes;
//  - a query handed to a text or include file (`x.txt?cmd=id`): static files take no parameters,
//    the code inside the included file does (a lone version or time, `?v=3`, is a cache-buster);
//  - a web-shell name (`c99.php`, `r57.txt`, `cmd.asp`, `php-backdoor.txt`) as the file;
//  - ftp:, protocol-relative `//host/` and Windows UNC `\\host\share\` to a script: include() reads
//    all of them, and honest APIs rarely hand out such links to server code.
//
// The file must carry an extension include() would run or read as code (.php .phtml .inc .txt .jsp
// .asp .aspx .pl .cgi .py .sh), except that a truncation device after a `raw` path segment
// (pastebin and gist raw endpoints, which serve any paste as text) counts too.

export interface InclusionVerdict {
  confidence: number;
  /** Fingerprint tag after `rfi:`. */
  kind: 'truncated' | 'query' | 'webshell' | 'script';
  what: string;
}

/** How the URL was written: a web scheme, ftp, protocol-relative or a UNC path. */
export type InclusionScheme = 'web' | 'ftp' | 'relative' | 'unc';

/** Extensions include() runs or reads as code. */
const INCLUDABLE = new Set(['txt', 'php', 'php3', 'php4', 'php5', 'php7', 'phtml', 'inc', 'jsp', 'jspx', 'asp', 'aspx', 'pl', 'cgi', 'py', 'sh']);
/** Extensions of files served as they are, which take no query. */
const STATIC_TEXT = new Set(['txt', 'inc']);
/** Extensions of server scripts proper (a .txt on a share is an everyday document). */
const SERVER_SCRIPT = new Set(['php', 'php3', 'php4', 'php5', 'php7', 'phtml', 'inc', 'jsp', 'jspx', 'asp', 'aspx']);
/** Names web shells are published and dropped under; a word of the file's base name. */
const WEB_SHELL_NAMES = new Set(['shell', 'webshell', 'phpshell', 'c99', 'c100', 'r57', 'b374k', 'wso', 'backdoor', 'cmd', 'rfi']);

/** A query that only names a version or a time (`?v=3`, `?t=1700000000`, `?ver=1.2.0`): a cache-buster, which any static link may carry. */
const CACHE_BUSTER = /^\?[a-z_]{1,12}=[0-9a-f.-]{0,40}$/i;

/** The tail after the file name is only a truncation device, optionally before a fake extension. */
const TRUNCATION_TAIL = /^(?:%00|\0|\\u0000|\\x00|\?+|#)(?:[/?&]{0,3}|\.[a-z0-9]{1,5})$/i;

/**
 * Judges the part of a URL after its host (`/dir/shell.txt?`), or undefined for an ordinary link.
 * `rest` is the path with its query and fragment, as sent.
 */
export function judgeRemoteInclusion(scheme: InclusionScheme, rest: string): InclusionVerdict | undefined {
  const len = Math.min(rest.length, 512);
  // Where the file part ends: the first ?, #, %00 or NUL.
  let cut = len;
  let nulInPath = false;
  for (let i = 0; i < len; i++) {
    const c = rest.charCodeAt(i);
    if (c === 0x3f || c === 0x23 || c === 0 || (c === 0x5c && (rest.startsWith('\\u0000', i) || rest.startsWith('\\x00', i)))) {
      cut = i;
      break;
    }
    if (c === 0x25 && rest.charCodeAt(i + 1) === 0x30 && rest.charCodeAt(i + 2) === 0x30) {
      // %00 ends a C string: a NUL before the name (/%00shell.php) is a device wherever it stands.
      if (fileNameFollows(rest, i + 3, len)) {
        nulInPath = true;
        continue;
      }
      cut = i;
      break;
    }
  }
  let slash = -1;
  for (let i = cut - 1; i >= 0; i--) {
    const c = rest.charCodeAt(i);
    if (c === 0x2f || c === 0x5c) {
      slash = i;
      break;
    }
  }
  const name = rest.slice(slash + 1, cut).replace(/%00/g, '').toLowerCase();
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1) : '';
  const includable = INCLUDABLE.has(ext);
  const tail = rest.slice(cut, len);
  const truncated = nulInPath || (tail !== '' && TRUNCATION_TAIL.test(tail));
  if (truncated && (includable || /(?:^|[/\\])raw[/\\]/i.test(rest.slice(0, cut)))) {
    return { confidence: 0.8, kind: 'truncated', what: `${name || 'a raw paste'} followed by ${describeTail(tail, nulInPath)}, to cut off what the application appends before including it` };
  }
  if (!includable) return undefined;
  if (STATIC_TEXT.has(ext) && tail.length > 1 && tail.charCodeAt(0) === 0x3f && !CACHE_BUSTER.test(tail)) {
    return { confidence: 0.7, kind: 'query', what: `a query handed to the text file ${name}, for the code inside it once included` };
  }
  const stem = dot > 0 ? name.slice(0, dot) : name;
  for (const word of stem.split(/[-_.]/)) {
    if (WEB_SHELL_NAMES.has(word)) return { confidence: 0.7, kind: 'webshell', what: `the web-shell name ${name}` };
  }
  if (scheme === 'ftp' || scheme === 'relative' || (scheme === 'unc' && SERVER_SCRIPT.has(ext))) {
    return { confidence: 0.6, kind: 'script', what: `the script ${name} over ${scheme === 'unc' ? 'a UNC share' : scheme === 'ftp' ? 'ftp' : 'a protocol-relative URL'}` };
  }
  return undefined;
}

/** A file name (letters, digits, `._-`) and then the end of the path or a query. */
function fileNameFollows(s: string, i: number, len: number): boolean {
  let k = i;
  while (k < len && isNameChar(s.charCodeAt(k))) k++;
  return k > i && (k === len || s.charCodeAt(k) === 0x3f || s.charCodeAt(k) === 0x23);
}

function isNameChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2d || c === 0x5f;
}

function describeTail(tail: string, nulInPath: boolean): string {
  if (nulInPath || tail.startsWith('%00') || tail.charCodeAt(0) === 0 || tail.charCodeAt(0) === 0x5c) return 'a NUL byte';
  if (tail.charCodeAt(0) === 0x23) return 'an empty fragment';
  return 'an empty query';
}
