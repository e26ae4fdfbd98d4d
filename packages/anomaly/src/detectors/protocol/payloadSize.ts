// oversized_payload: absolute caps that hold without learning (body, header count, URL length,
// parameter counts, JSON nesting and container size: the shapes of resource-exhaustion and
// hash-flooding requests), and a body far larger than the endpoint's learned largest.
import type { Event } from '@sidetap/core';
import type { JsonShape } from './jsonShape';
import type { ProtocolHit } from './protocolHit';

export interface SizeLimits {
  maxBodyBytes: number;
  maxHeaders: number;
  maxUrlBytes: number;
  maxQueryParams: number;
  maxFormParams: number;
  maxJsonDepth: number;
  maxJsonMembers: number;
  bodyFactor: number;
  minBodyBytes: number;
  minLearnedRequests: number;
}

/** The method's learned history at this endpoint: requests and largest body. */
export type LearnedBody = readonly [number, number] | undefined;

const KIB = 1024;

function size(bytes: number): string {
  if (bytes >= KIB * KIB) return `${(bytes / (KIB * KIB)).toFixed(1)} MiB`;
  if (bytes >= KIB) return `${Math.round(bytes / KIB)} KiB`;
  return `${bytes} bytes`;
}

function cap(reason: string, name: string, observed: string, expected: string, message: string, severity: 1 | 2 | 3 = 2): ProtocolHit {
  return { category: 'oversized_payload', reason, name, severity, confidence: 0.9, observed, expected, message };
}

export function sizeHits(e: Event, limits: SizeLimits, learned: LearnedBody, judgeLearned: boolean, counts: { query: number; form: number }, json: JsonShape | undefined): ProtocolHit[] {
  const req = e.http.request;
  const where = `${req.method} ${e.sidetap.endpoint}`;
  const hits: ProtocolHit[] = [];
  const bytes = req.body.bytes;
  const learnedMax = learned?.[1] ?? 0;
  // An endpoint that took bodies past the cap while learning (an upload endpoint) is judged by what it learned.
  if (bytes > limits.maxBodyBytes && learnedMax <= limits.maxBodyBytes) {
    hits.push(cap('body_cap', 'Request body over the absolute cap', size(bytes), `at most ${size(limits.maxBodyBytes)}`, `${where} sent a ${size(bytes)} body, over the ${size(limits.maxBodyBytes)} cap.`));
  } else if (judgeLearned && learned !== undefined && learned[0] >= limits.minLearnedRequests && bytes >= limits.minBodyBytes && bytes > learnedMax * limits.bodyFactor) {
    hits.push({
      category: 'oversized_payload',
      reason: 'body_over_learned',
      name: 'Request body far larger than the endpoint ever received',
      severity: 2,
      confidence: Math.min(1, 0.5 + bytes / (Math.max(1, learnedMax) * limits.bodyFactor * 8)),
      observed: size(bytes),
      expected: `at most ${size(learnedMax)} (largest of ${learned[0]} learned requests) times ${limits.bodyFactor}`,
      message: `${where} sent a ${size(bytes)} body; in ${learned[0]} learned requests it never received more than ${size(learnedMax)}.`,
    });
  }
  const headers = Object.keys(req.headers).length;
  if (headers > limits.maxHeaders) {
    hits.push(cap('header_count_cap', 'More header fields than the cap', `${headers} header names`, `at most ${limits.maxHeaders}`, `${where} sent ${headers} different header fields, over the cap of ${limits.maxHeaders}.`));
  }
  const url = e.url.original.length;
  if (url > limits.maxUrlBytes) {
    hits.push(cap('url_cap', 'Request target longer than the cap', size(url), `at most ${size(limits.maxUrlBytes)}`, `${where} sent a ${size(url)} request target, over the ${size(limits.maxUrlBytes)} cap.`));
  }
  if (counts.query > limits.maxQueryParams) {
    hits.push(cap('query_params_cap', 'More query parameters than the cap', `${counts.query} parameters`, `at most ${limits.maxQueryParams}`, `${where} sent ${counts.query} query parameters, over the cap of ${limits.maxQueryParams} (a hash-flooding shape).`));
  }
  if (counts.form > limits.maxFormParams) {
    hits.push(cap('form_params_cap', 'More form fields than the cap', `${counts.form} fields`, `at most ${limits.maxFormParams}`, `${where} sent ${counts.form} form fields, over the cap of ${limits.maxFormParams} (a hash-flooding shape).`));
  }
  if (json !== undefined && json.depth > limits.maxJsonDepth) {
    hits.push(cap('json_depth_cap', 'JSON nested deeper than the cap', `depth ${json.depth}`, `at most ${limits.maxJsonDepth}`, `${where} sent JSON nested ${json.depth} levels deep, over the cap of ${limits.maxJsonDepth}, a shape that exhausts recursive parsers.`));
  }
  if (json !== undefined && json.largest > limits.maxJsonMembers) {
    hits.push(cap('json_members_cap', 'JSON object or array with more members than the cap', `${json.largest} members`, `at most ${limits.maxJsonMembers}`, `${where} sent a JSON object or array of ${json.largest} members (in the sample alone), over the cap of ${limits.maxJsonMembers} (a hash-flooding or amplification shape).`));
  }
  return hits;
}
