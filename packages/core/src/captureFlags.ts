// The capture flag vocabulary: every odd thing capture notices about an exchange has one of
// these stable snake_case names (Zeek calls them "weirds"). Detectors and Kibana filter on them.

export const CAPTURE_FLAGS = {
  // TCP and flow level
  midstream: 'The connection was already open when capture began; its first bytes were not seen.',
  gap: 'Bytes of this exchange were missing from the capture (a TCP sequence hole); parsing resynchronised after it.',
  tcp_overlap_conflict: 'Retransmitted or overlapping TCP data disagreed with the first copy (an IDS-evasion pattern); the first copy was kept.',
  flow_evicted: 'The flow table was full, so this connection was evicted before it finished.',
  idle_timeout: 'The connection went idle past the configured timeout (in capture time) and was closed by capture.',
  capture_ended: 'The capture ended before this exchange completed.',
  // Pairing
  unmatched_response: 'A response was seen with no request before it on the connection.',
  unanswered_request: 'A request was seen with no response before the connection ended.',
  pipelined: 'The request was sent before the response to the previous request arrived (HTTP pipelining).',
  // Message framing
  truncated_body: 'The body ended before the length its framing announced.',
  body_sample_capped: 'The body was longer than the configured sample cap; http.*.body.bytes holds the true size.',
  headers_too_large: 'The header section exceeded the configured limit; the message was not parsed further.',
  http_bad_request_line: 'The request line was not a valid HTTP/1.x request line.',
  http_bad_status_line: 'The status line was not a valid HTTP/1.x status line.',
  http_invalid_header: 'A header line was malformed (no colon, whitespace before the colon, or forbidden characters).',
  http_obs_fold: 'A header value was continued on the next line (obsolete line folding).',
  http_bare_lf: 'Lines ended with a bare LF instead of CRLF.',
  http_content_length_and_chunked: 'The message had both Content-Length and Transfer-Encoding: chunked (a request smuggling pattern).',
  http_duplicate_content_length: 'The message carried more than one Content-Length header.',
  http_invalid_content_length: 'The Content-Length value was not a valid decimal number.',
  http_bad_chunk_size: 'A chunk size line was not valid hexadecimal.',
  http_chunk_extension: 'A chunk size line carried a chunk extension.',
  http_trailers: 'The chunked body ended with trailer fields.',
  http_te_obs_fold: 'The Transfer-Encoding header used obsolete line folding (a request smuggling pattern).',
  http_te_in_http10: 'An HTTP/1.0 message carried Transfer-Encoding, whose framing RFC 9112 §6.1 calls faulty (a request smuggling pattern).',
  http_unsupported_transfer_encoding: 'Transfer-Encoding named a coding other than chunked, or chunked was not the last coding.',
  http_ambiguous_host: 'The request carried more than one Host, or an absolute-form target naming another host than Host (a host confusion pattern).',
  http_close_delimited: 'The response body was delimited by the connection closing.',
  http_expect_continue: 'The request used Expect: 100-continue.',
  http_informational: 'One or more 1xx interim responses preceded the final response.',
  http_upgrade: 'The connection switched protocols (Upgrade); parsing stopped there.',
  http_connect: 'The request was CONNECT; the tunnel that followed was not parsed.',
  http_version_mismatch: 'The request and response HTTP versions differ in major version.',
  // Content coding
  content_decode_error: 'The body could not be decoded with its Content-Encoding; the sample holds the raw bytes.',
  content_encoding_unknown: 'Content-Encoding named a coding capture does not know; the sample holds the raw bytes.',
  content_encoding_stacked: 'More than one content coding was applied.',
  content_trailing_garbage: 'Bytes followed the end of the compressed stream.',
  decompression_bomb: 'Decoding the body sample exceeded the decompression cap; the sample was cut there.',
} as const;

export type CaptureFlag = keyof typeof CAPTURE_FLAGS;

export const CAPTURE_FLAG_NAMES = Object.keys(CAPTURE_FLAGS) as CaptureFlag[];

/** Flags that mean some evidence came from an incomplete or untrustworthy view of the flow. */
export const INCOMPLETE_CAPTURE_FLAGS: ReadonlySet<CaptureFlag> = new Set<CaptureFlag>([
  'midstream',
  'gap',
  'tcp_overlap_conflict',
  'flow_evicted',
  'capture_ended',
  'truncated_body',
  'idle_timeout',
]);
