// Where JSON stops being JSON, as a byte offset: JSON.parse gives a character position for some
// errors and none for others ("Unexpected token"), and a bad file or payload must be reported
// with the byte offset of its fault. Run only after JSON.parse failed; a state machine with an
// explicit stack, so hostile nesting cannot overflow the call stack.

const OBJECT = 1;
const ARRAY = 2;
const enum Expect {
  Value,
  ValueOrClose,
  KeyOrClose,
  Key,
  Colon,
  CommaOrClose,
  Done,
}

/** Byte offset in buf[start, end) of the first byte that is not valid JSON, or -1 when the whole range is one valid value. */
export function jsonErrorOffset(buf: Uint8Array, start = 0, end = buf.length): number {
  const stack: number[] = [];
  let state = Expect.Value;
  let i = start;
  for (;;) {
    while (i < end && (buf[i] === 0x20 || buf[i] === 0x0a || buf[i] === 0x0d || buf[i] === 0x09)) i++;
    if (i >= end) return state === Expect.Done ? -1 : end;
    const c = buf[i] as number;
    // An opened array or object may close at once; otherwise it holds a value or a key.
    if (state === Expect.ValueOrClose || state === Expect.KeyOrClose) {
      if (c === (state === Expect.ValueOrClose ? 0x5d : 0x7d)) {
        stack.pop();
        i++;
        state = stack.length === 0 ? Expect.Done : Expect.CommaOrClose;
        continue;
      }
      state = state === Expect.ValueOrClose ? Expect.Value : Expect.Key;
    }
    switch (state) {
      case Expect.Value: {
        if (c === 0x7b || c === 0x5b) {
          stack.push(c === 0x7b ? OBJECT : ARRAY);
          i++;
          state = c === 0x7b ? Expect.KeyOrClose : Expect.ValueOrClose;
          continue;
        }
        const e = c === 0x22 ? stringEnd(buf, i, end) : scalarEnd(buf, i, end);
        if (e < 0) return -e - 1;
        i = e;
        state = stack.length === 0 ? Expect.Done : Expect.CommaOrClose;
        continue;
      }
      case Expect.Key: {
        if (c !== 0x22) return i;
        const e = stringEnd(buf, i, end);
        if (e < 0) return -e - 1;
        i = e;
        state = Expect.Colon;
        continue;
      }
      case Expect.Colon:
        if (c !== 0x3a) return i;
        i++;
        state = Expect.Value;
        continue;
      case Expect.CommaOrClose: {
        const top = stack[stack.length - 1];
        if (c === 0x2c) {
          i++;
          state = top === OBJECT ? Expect.Key : Expect.Value;
          continue;
        }
        if ((top === OBJECT && c === 0x7d) || (top === ARRAY && c === 0x5d)) {
          stack.pop();
          i++;
          state = stack.length === 0 ? Expect.Done : Expect.CommaOrClose;
          continue;
        }
        return i;
      }
      default:
        return i;
    }
  }
}

const ESCAPES = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]);
const isHex = (b: number | undefined): boolean => b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66));
const isDigit = (b: number | undefined): boolean => b !== undefined && b >= 0x30 && b <= 0x39;

/** End of the string starting at the quote at `i`, or -(offset + 1) of its fault. */
function stringEnd(buf: Uint8Array, i: number, end: number): number {
  let j = i + 1;
  while (j < end) {
    const c = buf[j] as number;
    if (c === 0x22) return j + 1;
    if (c < 0x20) return -j - 1;
    if (c === 0x5c) {
      const e = buf[j + 1];
      if (e === 0x75) {
        for (let k = 2; k < 6; k++) if (!isHex(buf[j + k])) return -(j + Math.min(k, end - j)) - 1;
        j += 6;
      } else if (e !== undefined && ESCAPES.has(e)) j += 2;
      else return -(j + 1) - 1;
    } else j++;
  }
  return -end - 1;
}

/** End of the number or literal at `i`, or -(offset + 1) of its fault. */
function scalarEnd(buf: Uint8Array, i: number, end: number): number {
  for (const literal of LITERALS) {
    if (buf[i] !== literal[0]) continue;
    for (let k = 1; k < literal.length; k++) if (buf[i + k] !== literal[k]) return -(i + k) - 1;
    return i + literal.length;
  }
  let j = i;
  if (buf[j] === 0x2d) j++;
  if (buf[j] === 0x30) j++;
  else if (isDigit(buf[j])) while (isDigit(buf[j])) j++;
  else return -j - 1;
  if (buf[j] === 0x2e) {
    j++;
    if (!isDigit(buf[j])) return -j - 1;
    while (isDigit(buf[j])) j++;
  }
  if (buf[j] === 0x65 || buf[j] === 0x45) {
    j++;
    if (buf[j] === 0x2b || buf[j] === 0x2d) j++;
    if (!isDigit(buf[j])) return -j - 1;
    while (isDigit(buf[j])) j++;
  }
  return Math.min(j, end);
}

const LITERALS = ['true', 'false', 'null'].map((w) => Buffer.from(w));
