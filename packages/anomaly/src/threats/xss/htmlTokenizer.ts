/**
 * A start-tag and attribute reader that follows the browser's tokenizer (WHATWG HTML §13.2.5:
 * tag name, before/after attribute name, attribute value states) over offsets into the original
 * string. It describes only; `xssJudge` decides what is dangerous.
 *
 * It reads the way a browser would, including what filters get wrong: `/` separates attributes
 * (`<svg/onload=...>`), a quoted value may be followed directly by the next attribute
 * (`"x"onerror=...`), attribute names may hold quotes, and a tag left open at the end of the
 * value still yields its attributes (`<svg onload=alert(1)//`), because the page around the
 * injected value will close it.
 *
 * One deliberate difference: outside a closed quoted value, `<` ends what is being read. The
 * browser would keep it in a name or an unquoted value, but the detector starts a tag at every
 * `<` anyway, and stopping there keeps hostile input (`<a<a<a...`) linear instead of quadratic.
 */

/** How far past a tag's `<` the reader looks before giving up on the tag. */
export const MAX_TAG_SPAN = 4096;

export function isHtmlSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 12 || c === 13;
}

export function isAsciiLetter(c: number): boolean {
  return (c | 0x20) >= 97 && (c | 0x20) <= 122;
}

/** Reads one start tag, or a run of attributes, then its attributes one at a time. */
export class TagReader {
  s = '';
  /** Where reading stops: the end of the value or the span limit. */
  end = 0;
  pos = 0;
  /** The tag name, `[nameStart, nameEnd)`; empty when reading a bare attribute list. */
  nameStart = 0;
  nameEnd = 0;
  /** The current attribute's name, `[attrStart, attrEnd)`. */
  attrStart = 0;
  attrEnd = 0;
  /** The current attribute's value, `[valueStart, valueEnd)`; valueStart is -1 when it has none. */
  valueStart = -1;
  valueEnd = -1;
  /** The quote around the value (34 or 39), or 0 when unquoted. */
  quote = 0;
  /** True once the tag's `>` was read. */
  closed = false;
  /** True when the current attribute's quoted value is never closed in the value. */
  unclosed = false;

  /**
   * Starts a tag at the `<` at `lt`. Returns false when what follows is not a start tag (the
   * browser treats `<` not followed by a letter as text: `a < b`, `x<3`).
   */
  beginTag(s: string, lt: number): boolean {
    const end = Math.min(s.length, lt + MAX_TAG_SPAN);
    if (lt + 1 >= end || !isAsciiLetter(s.charCodeAt(lt + 1))) return false;
    let i = lt + 2;
    while (i < end) {
      const c = s.charCodeAt(i);
      if (isHtmlSpace(c) || c === 47 /* / */ || c === 62 /* > */ || c === 60 /* < */) break;
      i++;
    }
    this.reset(s, i, end);
    this.nameStart = lt + 1;
    this.nameEnd = i;
    return true;
  }

  /**
   * Starts reading attributes at `start` as if inside a tag already open: the state a value is in
   * when it lands inside an attribute and breaks out of it.
   */
  beginAttributes(s: string, start: number): void {
    this.reset(s, start, Math.min(s.length, start + MAX_TAG_SPAN));
    this.nameStart = start;
    this.nameEnd = start;
  }

  private reset(s: string, pos: number, end: number): void {
    this.s = s;
    this.pos = pos;
    this.end = end;
    this.closed = false;
    this.valueStart = -1;
    this.valueEnd = -1;
    this.quote = 0;
    this.unclosed = false;
  }

  /** Reads the next attribute into the attr and value fields; false at `>` or the end. */
  nextAttribute(): boolean {
    const s = this.s;
    const end = this.end;
    let i = this.pos;
    // Before attribute name: whitespace and `/` separate attributes.
    while (i < end) {
      const c = s.charCodeAt(i);
      if (!isHtmlSpace(c) && c !== 47) break;
      i++;
    }
    if (i >= end) return this.stop(end, false);
    const first = s.charCodeAt(i);
    if (first === 62) return this.stop(i + 1, true);
    if (first === 60) return this.stop(i, false);

    // Attribute name: a leading `=` belongs to the name, as in the browser.
    this.attrStart = i;
    i++;
    while (i < end) {
      const c = s.charCodeAt(i);
      if (isHtmlSpace(c) || c === 47 || c === 62 || c === 61 /* = */ || c === 60) break;
      i++;
    }
    this.attrEnd = i;
    this.valueStart = -1;
    this.valueEnd = -1;
    this.quote = 0;
    this.unclosed = false;

    let j = i;
    while (j < end && isHtmlSpace(s.charCodeAt(j))) j++;
    if (j >= end || s.charCodeAt(j) !== 61) {
      this.pos = i;
      return true;
    }
    j++;
    while (j < end && isHtmlSpace(s.charCodeAt(j))) j++;
    const q = j < end ? s.charCodeAt(j) : -1;
    if (q === 34 || q === 39) {
      const close = s.indexOf(q === 34 ? '"' : "'", j + 1);
      if (close >= 0 && close < end) {
        this.quote = q;
        this.valueStart = j + 1;
        this.valueEnd = close;
        this.pos = close + 1;
        return true;
      }
      // Never closed: the value runs on into the page; judge it up to the next tag.
      const lt = s.indexOf('<', j + 1);
      const valueEnd = lt < 0 || lt >= end ? end : lt;
      this.quote = q;
      this.unclosed = true;
      this.valueStart = j + 1;
      this.valueEnd = valueEnd;
      this.pos = valueEnd;
      return true;
    }
    let k = j;
    while (k < end) {
      const c = s.charCodeAt(k);
      if (isHtmlSpace(c) || c === 62 || c === 60) break;
      k++;
    }
    this.valueStart = j;
    this.valueEnd = k;
    this.pos = k;
    return true;
  }

  private stop(pos: number, closed: boolean): false {
    this.pos = pos;
    this.closed = closed;
    return false;
  }

  hasValue(): boolean {
    return this.valueStart >= 0;
  }
}
