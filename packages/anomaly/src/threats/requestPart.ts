// One piece of a request an engine judges, named by where it sits.

export const PART_LOCATIONS = ['path', 'query', 'form', 'multipart', 'json', 'xml', 'header', 'cookie'] as const;
export type PartLocation = (typeof PART_LOCATIONS)[number];

/**
 * How the value travels, which says how many decoding layers are honest: `form` (percent-encoded,
 * `+` is a space: query strings and form bodies) and `url` (percent-encoded: path segments,
 * cookies, header values) one; `plain` (JSON strings, XML text, multipart bodies) none.
 */
export type PartEncoding = 'form' | 'url' | 'plain';

export interface RequestPart {
  location: PartLocation;
  /** Parameter or field name, JSON path (`$.items[0].name`), element path (`/order/note`), header or cookie name, path segment index. */
  name: string;
  /** As it appeared in the request (not yet decoded), cut to the request's budget. */
  value: string;
  encoding: PartEncoding;
  /** The part is a parameter's name (injection in keys), not its value. */
  key?: true;
  /** A whole document (the path, an XML body), seen only by engines that ask for documents. */
  document?: true;
}

/** Decoding layers an honest client applies to a value sent this way. */
export function honestLayers(encoding: PartEncoding): number {
  return encoding === 'plain' ? 0 : 1;
}
