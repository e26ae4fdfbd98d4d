// ECS url.* fields from a request target (RFC 9112 §3.2: origin, absolute, authority and
// asterisk forms) and the Host header.
import type { Redactor } from '@sidetap/core';
import { mayContainSecretName, redactForm } from './content';

export interface UrlParts {
  original: string;
  path: string;
  query?: string;
  domain?: string;
}

/** url.* for `target`; the domain comes from Host, else from an absolute or authority target. */
export function urlParts(target: string, host: string | undefined): UrlParts {
  const url: UrlParts = { original: target, path: '' };
  let authority: string | undefined;
  let rest = '';
  let absolute = false;
  if (target.charCodeAt(0) === 0x2f) rest = target;
  else if (target === '*') url.path = '*';
  else {
    const to = authorityEnd(target);
    if (to > 0) {
      absolute = true;
      authority = target.slice(target.indexOf('://') + 3, to);
      rest = target.slice(to);
    } else authority = target;
  }
  if (rest !== '') {
    const q = rest.indexOf('?');
    url.path = q < 0 ? rest : rest.slice(0, q);
    if (q >= 0) url.query = rest.slice(q + 1);
  }
  // RFC 9112 §3.2.2: a server takes the host of an absolute-form target and ignores Host.
  const domain = absolute ? (hostName(authority) ?? hostName(host)) : hostName(host ?? authority);
  if (domain !== undefined) url.domain = domain;
  return url;
}

/** The authority of an absolute-form target ("scheme://authority/..."), or undefined. */
export function absoluteFormAuthority(target: string): string | undefined {
  const to = authorityEnd(target);
  return to > 0 ? target.slice(target.indexOf('://') + 3, to) : undefined;
}

/** Where the authority of an absolute-form target ends, or -1 for other forms. */
function authorityEnd(target: string): number {
  const scheme = target.indexOf('://');
  if (scheme <= 0 || !isScheme(target, scheme)) return -1;
  let to = scheme + 3;
  while (to < target.length && target[to] !== '/' && target[to] !== '?' && target[to] !== '#') to++;
  return to;
}

/**
 * Hashes the secrets a URL can carry: the password of `user:password@` in an absolute-form target,
 * and values of secret-named query parameters (`?access_token=...`, `&api_key=...`) in url.query
 * and url.original, as body fields of the same names are.
 */
export function redactUrl(url: UrlParts, redactor: Redactor): UrlParts {
  redactUserinfo(url, redactor);
  const query = url.query;
  if (query === undefined || !mayContainSecretName(query)) return url;
  const redacted = redactForm(query, redactor);
  if (redacted === query) return url;
  url.query = redacted;
  url.original = url.original.slice(0, url.original.indexOf('?') + 1) + redacted;
  return url;
}

function redactUserinfo(url: UrlParts, redactor: Redactor): void {
  const original = url.original;
  const scheme = original.indexOf('://');
  if (scheme <= 0 || original.charCodeAt(0) === 0x2f) return;
  let end = scheme + 3;
  while (end < original.length && original[end] !== '/' && original[end] !== '?' && original[end] !== '#') end++;
  const at = original.lastIndexOf('@', end - 1);
  if (at < scheme + 3) return;
  const userinfo = original.slice(scheme + 3, at);
  const colon = userinfo.indexOf(':');
  const safe = colon < 0 ? redactor.hash(userinfo) : `${userinfo.slice(0, colon)}:${redactor.hash(userinfo.slice(colon + 1))}`;
  url.original = original.slice(0, scheme + 3) + safe + original.slice(at);
}

/** Host without port or user info; IPv6 literals keep their brackets, as ECS asks. */
export function hostName(host: string | undefined): string | undefined {
  if (host === undefined) return undefined;
  let h = host.trim();
  // Several Host values joined with ", " (an ambiguity flagged elsewhere): the first one.
  const comma = h.indexOf(',');
  if (comma >= 0) h = h.slice(0, comma).trim();
  const at = h.lastIndexOf('@');
  if (at >= 0) h = h.slice(at + 1);
  if (h.charCodeAt(0) === 0x5b) {
    const close = h.indexOf(']');
    h = close < 0 ? h : h.slice(0, close + 1);
  } else {
    const colon = h.indexOf(':');
    if (colon >= 0) h = h.slice(0, colon);
  }
  return h === '' ? undefined : h;
}

function isScheme(s: string, end: number): boolean {
  for (let k = 0; k < end; k++) {
    const c = s.charCodeAt(k) | 0x20;
    const ok = (c >= 0x61 && c <= 0x7a) || (k > 0 && ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e));
    if (!ok) return false;
  }
  return true;
}
