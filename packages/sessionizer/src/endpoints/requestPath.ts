// Splits a raw request path into its segments the way every template is built: query and
// fragment dropped, empty segments (repeated or trailing slashes) dropped, a capped count.

export interface PathSegments {
  /** Non-empty segments, raw (never percent-decoded), at most the cap. */
  segments: string[];
  /** More segments followed the cap. */
  truncated: boolean;
}

const SLASH = 47;

/**
 * Segments of `raw`. Repeated slashes collapse and a trailing slash is dropped, because the
 * routers behind most APIs serve `/a//b/` and `/a/b` from one handler and a baseline split
 * in two learns half as much; the raw path stays on the event for detectors that care.
 * An absolute-form target (`http://host/p`) is reduced to its path.
 */
export function splitRequestPath(raw: string, maxSegments: number): PathSegments {
  const segments: string[] = [];
  let end = raw.indexOf('?');
  const hash = raw.indexOf('#');
  if (end < 0 || (hash >= 0 && hash < end)) end = hash < 0 ? raw.length : hash;
  // indexOf is a native scan; it beats a charCodeAt loop several times over on typical paths.
  let i = startOfPath(raw, end);
  while (i < end) {
    let slash = raw.indexOf('/', i);
    if (slash < 0 || slash > end) slash = end;
    if (slash > i) {
      if (segments.length === maxSegments) return { segments, truncated: true };
      segments.push(raw.slice(i, slash));
    }
    i = slash + 1;
  }
  return { segments, truncated: false };
}

/** Offset where the path begins: 0 for origin-form, past `scheme://authority` for absolute-form. */
function startOfPath(raw: string, end: number): number {
  if (raw.charCodeAt(0) === SLASH) return 0;
  const sep = raw.indexOf('://');
  if (sep > end) return 0;
  // A scheme is short; past a few chars, `://` is inside a segment of a relative-looking target.
  if (sep <= 0 || sep > 16) return 0;
  for (let i = 0; i < sep; i++) {
    const c = raw.charCodeAt(i) | 0x20;
    if (!((c >= 97 && c <= 122) || (i > 0 && ((c >= 48 && c <= 57) || c === 0x2b || c === 0x2d || c === 0x2e)))) return 0;
  }
  const slash = raw.indexOf('/', sep + 3);
  return slash < 0 || slash > end ? end : slash;
}
