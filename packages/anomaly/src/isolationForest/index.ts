// The isolation forest's public face, for the behavior_anomaly detector and the model store.
export { IsolationForest } from './isolationForest';
export { averagePathLength } from './averagePathLength';
export { SeededRandom } from './seededRandom';
export {
  ISOLATION_FOREST_FORMAT,
  IsolationForestDocumentError,
  type IsolationForestDocument,
  type IsolationTreeDocument,
} from './isolationForestDocument';
export type { FeatureRow, IsolationForestTrainOptions } from './trainOptions';
