// Which capture flags protocol_checks reports, under which category and reason, and why. Capture
// merges request and response flags into one list, so each rule says how to tell from the
// request's own headers whether the request carried the oddity: true (it did), false (it did
// not: the response did), undefined (the headers cannot tell; see serverHabit in protocolChecks).
import type { CaptureFlag, Event } from '@sidetap/core';
import type { ProtocolCategory } from './protocolHit';

type Headers = Event['http']['request']['headers'];

export interface FlagRule {
  category: Exclude<ProtocolCategory, 'unusual_method'>;
  reason: string;
  /** Why the flag matters, for the docs table and the finding's expectation. */
  why: string;
  fromRequest(h: Headers, e: Event): boolean | undefined;
}

const has = (name: string) => (h: Headers): boolean => h[name] !== undefined;
const always = (): boolean => true;
const unknown = (): undefined => undefined;

export const FLAG_RULES: Partial<Record<CaptureFlag, FlagRule>> = {
  http_content_length_and_chunked: {
    category: 'request_smuggling',
    reason: 'content_length_and_chunked',
    why: 'a hop honouring Content-Length and a hop honouring chunked cut the stream at different places (CL.TE / TE.CL)',
    fromRequest: (h) => h['content-length'] !== undefined && h['transfer-encoding'] !== undefined,
  },
  http_duplicate_content_length: {
    category: 'request_smuggling',
    reason: 'duplicate_content_length',
    why: 'hops that take the first and hops that take the last Content-Length disagree on where the body ends (CL.CL)',
    fromRequest: (h) => (h['content-length'] ?? '').includes(','),
  },
  http_invalid_content_length: {
    category: 'request_smuggling',
    reason: 'invalid_content_length',
    why: 'lenient parsers read values such as "+5", "0x5" or "5 5" and strict ones reject or ignore them',
    fromRequest: has('content-length'),
  },
  http_te_obs_fold: {
    category: 'request_smuggling',
    reason: 'transfer_encoding_obfuscated',
    why: 'a folded Transfer-Encoding is honoured by some parsers and ignored by others (TE.TE)',
    fromRequest: has('transfer-encoding'),
  },
  http_unsupported_transfer_encoding: {
    category: 'request_smuggling',
    reason: 'transfer_encoding_obfuscated',
    why: 'codings such as "xchunked", "chunked, identity" or a repeated chunked make one hop decode chunked and another fall back to Content-Length (TE.TE)',
    fromRequest: has('transfer-encoding'),
  },
  http_te_in_http10: {
    category: 'request_smuggling',
    reason: 'transfer_encoding_in_http10',
    why: 'HTTP/1.0 hops ignore Transfer-Encoding while 1.1 hops honour it; RFC 9112 §6.1 calls such framing faulty',
    fromRequest: has('transfer-encoding'),
  },
  http_bad_request_line: {
    category: 'malformed_request',
    reason: 'bad_request_line',
    why: 'no client library writes a request line with extra spaces, control bytes or no version (HTTP/0.9)',
    fromRequest: always,
  },
  http_invalid_header: {
    category: 'malformed_request',
    reason: 'invalid_header',
    why: 'header lines without a colon, with whitespace before it or with control bytes are dropped by some hops and kept by others',
    fromRequest: unknown,
  },
  http_obs_fold: {
    category: 'malformed_request',
    reason: 'obs_fold',
    why: 'RFC 9112 §5.2 deprecates line folding; current clients never send it',
    fromRequest: unknown,
  },
  http_bare_lf: {
    category: 'malformed_request',
    reason: 'bare_lf',
    why: 'lines ending in a bare LF are split differently by strict and lenient parsers',
    fromRequest: unknown,
  },
  headers_too_large: {
    category: 'malformed_request',
    reason: 'headers_too_large',
    why: 'a header section beyond the capture limit is beyond what servers accept (431)',
    fromRequest: unknown,
  },
  http_bad_chunk_size: {
    category: 'malformed_request',
    reason: 'bad_chunk_size',
    why: 'chunk sizes that are not plain hexadecimal are read differently by lenient parsers',
    fromRequest: has('transfer-encoding'),
  },
  content_decode_error: {
    category: 'malformed_request',
    reason: 'content_decode_error',
    why: 'a body that does not decode with the Content-Encoding it names',
    fromRequest: has('content-encoding'),
  },
  decompression_bomb: {
    category: 'oversized_payload',
    reason: 'decompression_bomb',
    why: 'a compressed request body that expands past the decompression cap exhausts the server decoding it',
    fromRequest: has('content-encoding'),
  },
  http_ambiguous_host: {
    category: 'protocol_violation',
    reason: 'conflicting_host',
    why: 'two Host values, or a Host other than the absolute target names, send routing and caches to different hosts',
    fromRequest: always,
  },
};
