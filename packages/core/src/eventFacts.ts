// Facts the sessionizer notes on an event: what it saw about the actor's credentials, identity and
// device. Like capture flags, a fact describes; detectors decide what it means.

export const EVENT_FACTS = {
  jwt_alg_none: 'The bearer token is a JWT with alg "none": unsigned, so anyone could have written its claims.',
  jwt_expired: "The JWT's exp claim lies before the request time.",
  jwt_not_yet_valid: "The JWT's nbf claim lies after the request time.",
  jwt_invalid: "A JWT key is configured and this token failed verification: the actor is the token's hash, not the subject it claims.",
  actor_from_header: 'The actor came from a configured identity header (set by a gateway), not from credentials.',
  identity_linked: "The credentials were tied to a user by an earlier login or token refresh, so the event joins that user's timeline.",
  device_changed: "The device fingerprint differs from the previous request with the same credentials.",
} as const;

export type EventFact = keyof typeof EVENT_FACTS;

export const EVENT_FACT_NAMES = Object.keys(EVENT_FACTS) as [EventFact, ...EventFact[]];
