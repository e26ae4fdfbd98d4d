// An absolute URL ("https://api.example.com:8443/a?b#c") cut into what an HTTP/1.1 request
// carries: the authority for Host, the port, and the origin-form target, taken as written
// (never normalised or percent-encoded, unlike the URL class).

export interface UrlPieces {
  authority: string;
  port: number;
  /** Path and query; "/" when the URL has neither. The fragment is never sent. */
  target: string;
}

const ABSOLUTE = /^([a-z][a-z0-9+.-]*):\/\/(?:[^/?#@]*@)?((\[[^\]]*\]|[^/?#:]*)(?::(\d{0,5}))?)([^#]*)/i;

export function splitUrl(url: string): UrlPieces | undefined {
  const m = ABSOLUTE.exec(url);
  if (m === null || (m[3] as string) === '') return undefined;
  const scheme = (m[1] as string).toLowerCase();
  const port = m[4] !== undefined && m[4] !== '' ? Number(m[4]) : scheme === 'https' || scheme === 'wss' ? 443 : 80;
  if (port > 65535) return undefined;
  let target = m[5] as string;
  if (target === '') target = '/';
  else if (target.charCodeAt(0) === 0x3f) target = `/${target}`;
  return { authority: m[2] as string, port, target };
}
