// Body content helpers the HTTP/1.x connection parser calls: decoding, sniffing, text and redaction.
export { decodeContent } from './decodeContent';
export type { DecodedContent, DecodeOptions } from './decodeContent';
export { sniffProtocol, SNIFF_MAX_LINE_BYTES } from './sniffProtocol';
export type { SniffResult } from './sniffProtocol';
export { isTextualBody, mimeTypeOf } from './textBody';
export { redactBody, redactForm } from './redactBody';
export { isSecretFieldName, mayContainSecretName } from './secretFieldName';
