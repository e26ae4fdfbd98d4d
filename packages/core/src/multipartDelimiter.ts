// Where a multipart body's parts start, found from the body itself: capture redacts parts and the
// threat detector reads them, and neither can trust a boundary parameter a sample may have lost.

/** "\n--boundary" from the first delimiter line within the first few lines of `text` (which starts with "\n"). */
export function firstMultipartDelimiter(text: string): string | undefined {
  let lineStart = 1;
  for (let n = 0; n < 8 && lineStart < text.length; n++) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const line = text.slice(lineStart, text.charCodeAt(lineEnd - 1) === 0x0d ? lineEnd - 1 : lineEnd);
    // RFC 2046 §5.1.1: boundaries are 1 to 70 characters after the two hyphens.
    if (line.startsWith('--') && line.length > 2 && line.length <= 72) return '\n' + line;
    lineStart = lineEnd + 1;
  }
  return undefined;
}
