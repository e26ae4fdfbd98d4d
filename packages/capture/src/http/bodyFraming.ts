// How long a message body is (RFC 9112 §6.3), decided from its head. Disagreeing or odd framing
// headers are request-smuggling material, so each is flagged where it is seen.
import type { HttpMessage } from './httpMessage';

/**
 * none: no body; length: msg.contentLength bytes; chunked; close: until the sender closes;
 * resync: framing unusable, the message ends here and parsing looks for the next one;
 * upgrade / connect: the connection leaves HTTP after this response.
 */
export type Framing = 'none' | 'length' | 'chunked' | 'close' | 'resync' | 'upgrade' | 'connect';

const MAX_CONTENT_LENGTH_DIGITS = 15;

export function requestFraming(msg: HttpMessage): Framing {
  const te = transferFraming(msg);
  if (te !== undefined) return te === 'close' ? 'resync' : te;
  return lengthFraming(msg, 'none');
}

/** `requestMethod` is the method of the request this response answers, when known. */
export function responseFraming(msg: HttpMessage, requestMethod: string | undefined): Framing {
  const status = msg.statusCode;
  if (status === 101) return 'upgrade';
  if (requestMethod === 'CONNECT' && status >= 200 && status < 300) return 'connect';
  // Codes below 100 are invalid and read like a 5xx (RFC 9110 §15), so they may have a body.
  if (requestMethod === 'HEAD' || (status >= 100 && status < 200) || status === 204 || status === 304) return 'none';
  const te = transferFraming(msg);
  if (te === 'close') msg.addFlag('http_close_delimited');
  if (te !== undefined) return te;
  const framing = lengthFraming(msg, 'close');
  if (framing === 'close') msg.addFlag('http_close_delimited');
  return framing;
}

/** Transfer-Encoding framing: chunked when chunked is the final coding, 'close' when it is not. */
function transferFraming(msg: HttpMessage): 'chunked' | 'close' | undefined {
  const te = msg.header('transfer-encoding');
  if (te === undefined) return undefined;
  let chunkedLast = false;
  let chunkedCount = 0;
  let others: string | undefined;
  for (const part of te.split(',')) {
    // Only OWS is trimmed: servers do not take "chunked" followed by NBSP or VT for chunked.
    const coding = owsTrimmed(part).toLowerCase();
    if (coding === '') continue;
    chunkedLast = coding === 'chunked';
    if (chunkedLast) chunkedCount++;
    else others = others === undefined ? coding : `${others}, ${coding}`;
  }
  if (chunkedCount > 0 && msg.contentLengthLines > 0) msg.addFlag('http_content_length_and_chunked');
  if (msg.contentLengthLines > 0) parseContentLength(msg);
  if (others !== undefined || chunkedCount !== 1 || !chunkedLast) msg.addFlag('http_unsupported_transfer_encoding');
  // RFC 9112 §6.1 calls this framing faulty (nginx refuses such requests); the body is most likely chunked all the same.
  if (msg.version.charCodeAt(0) === 0x31 && msg.version.charCodeAt(2) === 0x30) msg.addFlag('http_te_in_http10');
  if (!chunkedLast) return 'close';
  msg.extraTransferCodings = others;
  return 'chunked';
}

function lengthFraming(msg: HttpMessage, otherwise: 'none' | 'close'): Framing {
  if (msg.contentLengthLines === 0) return otherwise;
  const length = parseContentLength(msg);
  if (length === undefined) return 'resync';
  msg.contentLength = length;
  return length === 0 ? 'none' : 'length';
}

/**
 * The Content-Length value, or undefined when invalid. Repeats of one value ("5, 5" or two field
 * lines) are accepted as RFC 9110 §8.6 allows, but flagged.
 */
function parseContentLength(msg: HttpMessage): number | undefined {
  const raw = msg.header('content-length') ?? '';
  // The usual case, one line of plain digits, needs no splitting.
  if (msg.contentLengthLines === 1 && raw.length > 0 && raw.length <= MAX_CONTENT_LENGTH_DIGITS && isDigits(raw)) return Number(raw);
  let value: number | undefined;
  let items = 0;
  let invalid = false;
  for (const part of raw.split(',')) {
    items++;
    const text = withoutLeadingZeros(owsTrimmed(part));
    if (text === '' || text.length > MAX_CONTENT_LENGTH_DIGITS || !isDigits(text)) {
      invalid = true;
      continue;
    }
    const n = Number(text);
    if (value === undefined) value = n;
    else if (value !== n) invalid = true;
  }
  if (msg.contentLengthLines > 1 || items > 1) msg.addFlag('http_duplicate_content_length');
  if (invalid || value === undefined) {
    msg.addFlag('http_invalid_content_length');
    return undefined;
  }
  return value;
}

/** "0005" as "5" and "000" as "0" (1*DIGIT allows leading zeros); anything else unchanged. */
function withoutLeadingZeros(text: string): string {
  let k = 0;
  while (k < text.length - 1 && text.charCodeAt(k) === 0x30) k++;
  return k === 0 ? text : text.slice(k);
}

/** text without leading and trailing SP and HTAB (OWS; String.trim would also drop NBSP, VT, FF). */
function owsTrimmed(text: string): string {
  let a = 0;
  let b = text.length;
  while (a < b && (text.charCodeAt(a) === 0x20 || text.charCodeAt(a) === 0x09)) a++;
  while (b > a && (text.charCodeAt(b - 1) === 0x20 || text.charCodeAt(b - 1) === 0x09)) b--;
  return a === 0 && b === text.length ? text : text.slice(a, b);
}

function isDigits(text: string): boolean {
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}
