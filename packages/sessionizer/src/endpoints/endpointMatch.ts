// The endpoint template of one request, and the templater that gives it.

export interface EndpointMatch {
  /** Full request-path template: `/v2/pets/{petId}` from a spec, `/users/{id}/orders` learned. */
  template: string;
  source: 'spec' | 'learned';
  /** A spec path matched. False for every request when no spec is configured. */
  inSpec: boolean;
  /** With a spec match: the path item declares an operation for this method (case-sensitive). */
  methodDeclared?: boolean;
  /** With a spec match on a declared method: its operationId, when the spec gives one. */
  operationId?: string;
}

export interface EndpointTemplater {
  /** Template of one request. Results are shared and frozen: do not mutate them. */
  match(method: string, path: string, host?: string): EndpointMatch;
  /** The learned state as a plain JSON document (a versioned model, later). */
  exportState(): unknown;
  /** Replaces the learned state with a document `exportState` wrote; throws on anything else. */
  importState(state: unknown): void;
}
