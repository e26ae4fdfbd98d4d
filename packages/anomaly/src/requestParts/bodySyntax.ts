// Which syntax a request body sample is written in: the declared media type first; an untyped or
// text/plain body is judged by its look, as capture's redaction does.

export type BodySyntax = 'form' | 'json' | 'multipart' | 'xml' | 'none';

export function bodySyntax(mimeType: string | undefined, content: string): BodySyntax {
  const type = mimeType?.toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return 'form';
  if (type !== undefined && (type === 'application/json' || type === 'text/json' || type.endsWith('+json'))) return 'json';
  if (type === 'multipart/form-data') return 'multipart';
  if (type !== undefined && (type === 'application/xml' || type === 'text/xml' || type.endsWith('+xml'))) return 'xml';
  if (type !== undefined && type !== 'text/plain') return 'none';
  const trimmed = content.trimStart();
  const first = trimmed.charCodeAt(0);
  if (first === 0x7b || first === 0x5b) return 'json';
  if (first === 0x3c && /^<(?:\?xml|!doctype)\b/i.test(trimmed.slice(0, 16))) return 'xml';
  return looksLikeForm(content) ? 'form' : 'none';
}

/** name=value pairs joined by &, with no whitespace in the first 512 characters. */
function looksLikeForm(content: string): boolean {
  if (content.indexOf('=') <= 0) return false;
  const end = Math.min(content.length, 512);
  for (let i = 0; i < end; i++) if (content.charCodeAt(i) <= 0x20) return false;
  return true;
}
