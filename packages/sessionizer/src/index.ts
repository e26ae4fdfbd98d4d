export { createSessionizer } from './sessionizer';
export { createSessionizerStage } from './sessionizerStage';
export { sessionizerConfigSchema } from './sessionizerConfig';
export type { SessionizerConfig } from './sessionizerConfig';
export type { Enrichers } from './enrichers';
export { loadOpenApiSpec } from './endpoints';
export type { OpenApiRoutes } from './endpoints';
export { DBIP_ATTRIBUTION } from './geo';
