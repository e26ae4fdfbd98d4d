// What sidetap keeps of an OpenAPI document: its paths, the server prefixes they are served
// under, and per method the operation's id, parameters and deprecation. Plain data, so the
// endpoint templater and `sidetap inventory` read the same thing.

/** Methods a Path Item declares operations for, as sent on the wire (uppercase). */
export const OPENAPI_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'] as const;
export type OpenApiMethod = (typeof OPENAPI_METHODS)[number];

export interface OpenApiParameter {
  name: string;
  in: string;
  required: boolean;
}

export interface OpenApiOperation {
  method: OpenApiMethod;
  operationId?: string;
  deprecated: boolean;
  /** Path-item parameters merged with the operation's (the operation's win by name and location). */
  parameters: OpenApiParameter[];
}

export interface OpenApiRoute {
  /** The key under `paths`, as written: `/pets/{petId}`. */
  path: string;
  /** Path prefixes of the servers this path is served under (`''` for the root). */
  prefixes: string[];
  /** Full request-path templates, one per prefix: `/v2/pets/{petId}`. */
  templates: string[];
  operations: OpenApiOperation[];
}

export interface OpenApiRoutes {
  /** The spec file as given. */
  file: string;
  /** The document's `openapi` version string. */
  openapi: string;
  routes: OpenApiRoute[];
}
