// unusual_method: methods no API should answer (TRACE, WebDAV, made-up tokens), methods an
// endpoint never served while it was learned or that the spec does not declare for it, and
// method-override headers or `_method` parameters switching to such a method.
import type { Event } from '@sidetap/core';
import type { ProtocolHit } from './protocolHit';
import { shown } from './protocolHit';
import { queryParams, formParams } from './parameterPollution';
import type { Param } from './parameterPollution';

export interface MethodPolicy {
  knownMethods: readonly string[];
  alwaysUnusualMethods: readonly string[];
  implicitMethods: readonly string[];
  overrideHeaders: readonly string[];
  overrideParams: readonly string[];
}

/** What the endpoint accepts, when anything says: the spec's declared methods, else what it learned. */
export interface AcceptedMethods {
  source: 'spec' | 'learned';
  methods: ReadonlySet<string>;
  /** Requests learned (for the message). */
  learned?: number;
}

const WHY_ALWAYS: Record<string, string> = {
  TRACE: 'TRACE echoes the request, cookies and credential headers included (cross-site tracing)',
  TRACK: 'TRACK is the IIS variant of TRACE and echoes the request',
  DEBUG: 'DEBUG starts remote debugging on IIS/ASP.NET',
  CONNECT: 'CONNECT asks the API host to act as a tunnelling proxy',
};

export function isAccepted(method: string, accepted: AcceptedMethods, policy: MethodPolicy): boolean {
  if (accepted.methods.has(method) || policy.implicitMethods.includes(method)) return true;
  // RFC 9110 §9.3.2: HEAD is GET without the body; servers answer it wherever they answer GET.
  return method === 'HEAD' && accepted.methods.has('GET');
}

/** Whether `method` is reported on every endpoint, learned or not. */
export function alwaysReported(method: string, policy: MethodPolicy): boolean {
  return policy.alwaysUnusualMethods.includes(method) || !policy.knownMethods.includes(method);
}

/** `params`: the request's query and form parameters when the caller has parsed them already. */
export function methodHits(e: Event, policy: MethodPolicy, accepted: AcceptedMethods | undefined, params?: RequestParams): ProtocolHit[] {
  const method = e.http.request.method;
  if (method === '') return [];
  const endpoint = e.sidetap.endpoint;
  const hits: ProtocolHit[] = [];
  if (policy.alwaysUnusualMethods.includes(method)) {
    hits.push({
      category: 'unusual_method',
      reason: 'always_unusual',
      name: 'Method an API should never answer',
      severity: 2,
      confidence: 0.9,
      observed: method,
      expected: 'none of ' + policy.alwaysUnusualMethods.join(', '),
      message: `${method} ${shown(e.url.original === '' ? endpoint : e.url.original, 80)}: ${WHY_ALWAYS[method] ?? `${method} is a WebDAV or diagnostic method no API needs`}.`,
    });
  } else if (!policy.knownMethods.includes(method)) {
    hits.push({
      category: 'unusual_method',
      reason: 'unknown_method',
      name: 'Method outside the known HTTP methods',
      severity: 2,
      confidence: 0.8,
      observed: shown(method, 32),
      expected: `one of ${policy.knownMethods.join(', ')} (methods are case-sensitive)`,
      message: `${endpoint} was called with the method "${shown(method, 32)}", which is not one of the methods the API serves; servers that treat unknown or lower-case methods as GET skip checks bound to the real method.`,
    });
  } else if (accepted !== undefined && !isAccepted(method, accepted, policy)) {
    hits.push(notAccepted(method, endpoint, accepted));
  }
  const override = overrideOf(e, policy, params);
  if (override !== undefined && override.method !== method) {
    const target = override.method;
    const bad = alwaysReported(target, policy) || (accepted !== undefined && !isAccepted(target, accepted, policy));
    if (bad) {
      hits.push({
        category: 'unusual_method',
        reason: 'method_override',
        name: 'Method override to a method the endpoint does not accept',
        severity: 3,
        confidence: 0.8,
        observed: `${method} with ${override.via}: ${shown(target, 32)}`,
        expected: accepted === undefined ? 'no override to an unusual method' : `an override to one of ${[...accepted.methods].sort().join(', ')}`,
        message: `${method} ${endpoint} carried ${override.via} switching it to ${shown(target, 32)}, which ${accepted !== undefined && !alwaysReported(target, policy) ? `the endpoint does not accept (${acceptedFrom(accepted)})` : 'no API should answer'}.`,
      });
    }
  }
  return hits;
}

function notAccepted(method: string, endpoint: string, accepted: AcceptedMethods): ProtocolHit {
  const list = [...accepted.methods].sort().join(', ');
  if (accepted.source === 'spec') {
    return {
      category: 'unusual_method',
      reason: 'not_in_spec',
      name: 'Method the API specification does not declare for the path',
      severity: 2,
      confidence: 0.9,
      observed: method,
      expected: list,
      message: `${method} ${endpoint}: the specification declares only ${list} for this path.`,
    };
  }
  return {
    category: 'unusual_method',
    reason: 'not_learned',
    name: 'Method the endpoint never served while learning',
    severity: 2,
    confidence: 0.6,
    observed: method,
    expected: list,
    message: `${method} ${endpoint}: in ${accepted.learned ?? 0} learned requests the endpoint was only called with ${list}.`,
  };
}

function acceptedFrom(accepted: AcceptedMethods): string {
  return `${accepted.source === 'spec' ? 'declared' : 'learned'}: ${[...accepted.methods].sort().join(', ')}`;
}

/** A request's parameters: `queryParams` of its query, `formParams` of its body when that is a form (else none). */
export interface RequestParams {
  query: readonly Param[];
  form: readonly Param[];
}

/** The method a request asks to be treated as: an override header, or an override parameter in the query or a form body. */
export function overrideOf(e: Event, policy: MethodPolicy, given?: RequestParams): { method: string; via: string } | undefined {
  const h = e.http.request.headers;
  for (const name of policy.overrideHeaders) {
    const v = h[name];
    if (v !== undefined && v.trim() !== '') return { method: v.trim().split(',')[0]!.trim().toUpperCase(), via: name };
  }
  if (policy.overrideParams.length === 0) return undefined;
  const params = given ?? {
    query: queryParams(e.url.query),
    form: e.http.request.mime_type === 'application/x-www-form-urlencoded' ? formParams(e.http.request.body.content) : [],
  };
  return overrideParam(params.query, policy) ?? overrideParam(params.form, policy);
}

function overrideParam(params: readonly Param[], policy: MethodPolicy): { method: string; via: string } | undefined {
  for (const p of params) {
    if (policy.overrideParams.includes(p.name) && p.value.trim() !== '') return { method: p.value.trim().toUpperCase(), via: `parameter ${p.name}` };
  }
  return undefined;
}
