// Request headers whose presence follows the request, not the client: always left out of the
// header-name order, or one browser would get a new device for every GET/POST, reload or login.
// Patterns as in headerNameMatcher.ts. Part of the id recipe (deviceId.ts): changing this list
// changes ids, so it is fixed here rather than configurable.

export const REQUEST_SPECIFIC_HEADERS: readonly string[] = [
  // The body: present on POST/PUT, absent on GET.
  'content-*',
  'transfer-encoding',
  'expect',
  // Conditional and cache-control requests: revalidations and reloads add them.
  'if-*',
  'range',
  'cache-control',
  'pragma',
  // Where the request came from: navigations, CORS and referrer policy decide, per request.
  'origin',
  'referer',
  'sec-fetch-user',
  'upgrade-insecure-requests',
  'sec-purpose',
  'purpose',
  'x-purpose',
  'x-moz',
  'access-control-request-*',
  // Upgrades and event streams: one kind of request among many from the same client.
  'upgrade',
  'sec-websocket-*',
  'last-event-id',
  // Sent only on some methods by the same client code (Angular's XSRF header on writes, retries).
  'x-xsrf-token',
  'x-csrf-token',
  'x-csrftoken',
  'idempotency-key',
  'x-http-method-override',
  // Cookies appear once a server sets one (a consent banner, analytics) in the middle of a visit.
  // Authorization and API-key headers stay in: with the same credentials they are always sent,
  // and where the client puts them is part of its shape (their values are never read).
  'cookie',
];
