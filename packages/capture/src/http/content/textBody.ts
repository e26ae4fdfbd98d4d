// Decides which body samples are kept as text: structured API payloads and anything that, lacking
// a declared type, looks like text (the WHATWG MIME Sniffing "binary data byte" rule).

const TEXTUAL_APPLICATION_TYPES = new Set([
  'application/json',
  'application/xml',
  'application/x-www-form-urlencoded',
  'application/javascript',
  'application/ecmascript',
  'application/x-javascript',
  'application/graphql',
  'application/x-ndjson',
  'application/jsonl',
  'application/yaml',
  'application/x-yaml',
  'application/soap+xml',
  'application/xhtml+xml',
  'application/csv',
  'application/sql',
]);

const BINARY_TOP_LEVEL = new Set(['image', 'audio', 'video', 'font', 'model']);

/** How much of a sample is inspected when no textual type was declared. */
const SNIFF_BYTES = 1024;

// Answers of mimeTypeOf remembered: traffic repeats a handful of Content-Type values, and each
// message asks more than once. Cleared when it holds this many.
const MAX_REMEMBERED_TYPES = 64;
const knownTypes = new Map<string, string | null>();

/** Media type without parameters, lower-cased, from a Content-Type value. */
export function mimeTypeOf(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const known = knownTypes.get(contentType);
  if (known !== undefined) return known ?? undefined;
  const type = parseMimeType(contentType);
  if (knownTypes.size >= MAX_REMEMBERED_TYPES) knownTypes.clear();
  knownTypes.set(contentType, type ?? null);
  return type;
}

function parseMimeType(contentType: string): string | undefined {
  const semi = contentType.indexOf(';');
  const type = (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  const slash = type.indexOf('/');
  if (slash <= 0 || slash === type.length - 1) return undefined;
  return type;
}

/** Whether a body sample should be kept as text (JSON, XML, form, text/*, JS, GraphQL, multipart, or no type but looks textual). */
export function isTextualBody(mimeType: string | undefined, sample: Buffer): boolean {
  const type = mimeType === undefined ? undefined : mimeTypeOf(mimeType);
  if (type === undefined) return looksTextual(sample);
  if (isTextualType(type)) return true;
  const top = type.slice(0, type.indexOf('/'));
  if (BINARY_TOP_LEVEL.has(top)) return false;
  // Vendor and unlisted application types (application/vnd.foo, octet-stream sent for JSON) are
  // judged by their bytes, so a mislabelled API payload is not lost.
  return looksTextual(sample);
}

function isTextualType(type: string): boolean {
  if (type.startsWith('text/') || type.startsWith('multipart/')) return true;
  if (TEXTUAL_APPLICATION_TYPES.has(type)) return true;
  // Structured syntax suffixes (RFC 6839): application/problem+json, application/atom+xml ...
  return type.endsWith('+json') || type.endsWith('+xml') || type.endsWith('+yaml');
}

/**
 * No WHATWG binary data byte (0x00-0x08, 0x0B, 0x0E-0x1A, 0x1C-0x1F) in the first bytes, and not
 * UTF-16 (which would not survive being kept as UTF-8 text).
 */
export function looksTextual(sample: Buffer): boolean {
  const b0 = sample[0];
  const b1 = sample[1];
  if ((b0 === 0xfe && b1 === 0xff) || (b0 === 0xff && b1 === 0xfe)) return false;
  const n = Math.min(sample.length, SNIFF_BYTES);
  for (let i = 0; i < n; i++) {
    const b = sample[i] ?? 0;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d && b !== 0x1b) return false;
  }
  return true;
}
