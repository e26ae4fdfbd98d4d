// Endpoint templates: OpenAPI spec matching with a learned fallback.
export { endpointConfigSchema } from './endpointConfig';
export type { EndpointConfig } from './endpointConfig';
export type { EndpointMatch, EndpointTemplater } from './endpointMatch';
export { createEndpointTemplater } from './endpointTemplater';
export { loadOpenApiSpec } from './loadOpenApiSpec';
export { OPENAPI_METHODS } from './openApiRoutes';
export type { OpenApiMethod, OpenApiOperation, OpenApiParameter, OpenApiRoute, OpenApiRoutes } from './openApiRoutes';
export { SLOTS } from './segmentShape';
export type { Slot } from './segmentShape';
export { LEARNED_STATE_FORMAT } from './learnedState';
export type { LearnedState } from './learnedState';
