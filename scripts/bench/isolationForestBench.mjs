#!/usr/bin/env node
// The behavior_anomaly isolation forest against ml-isolation-forest (the library first chosen for
// it), measured in the same run on the same seeded rows: training and scoring rates, the ratio,
// the 200k rows/s scoring target, and whether each is repeatable and can be saved.
// Runs on the built package: `npx turbo run build` first.
//   BENCH_IF_TRAIN_ROWS       training rows (default 10000)
//   BENCH_IF_SCORE_ROWS       rows sidetap scores per pass (default 100000)
//   BENCH_IF_PEER_SCORE_ROWS  rows ml-isolation-forest scores, once (default 20000: about 2 s)
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../../..');
const TRAIN_ROWS = Number(process.env.BENCH_IF_TRAIN_ROWS ?? 10_000);
const SCORE_ROWS = Number(process.env.BENCH_IF_SCORE_ROWS ?? 100_000);
const PEER_SCORE_ROWS = Number(process.env.BENCH_IF_PEER_SCORE_ROWS ?? 20_000);
const FEATURES = 8;
const TREES = 100;
const TARGET_SCORE_RATE = 200_000;
// sidetap is fast enough to repeat passes until this much time has gone by; the peer runs once.
const MEASURE_MS = 1500;
// Rows compared for the repeatability check.
const CHECK_ROWS = 1000;

const ours = join(root, 'packages/anomaly/dist/isolationForest/index.js');
if (!existsSync(ours)) {
  console.error(`isolationForestBench: ${ours} is missing; run npx turbo run build first.`);
  process.exit(2);
}
// Resolved the way @sidetap/anomaly resolves its dependencies.
const anomalyRequire = createRequire(join(root, 'packages/anomaly/package.json'));
const { IsolationForest, SeededRandom } = anomalyRequire(ours);
const peer = anomalyRequire('ml-isolation-forest');
const peerVersion = JSON.parse(readFileSync(anomalyRequire.resolve('ml-isolation-forest/package.json'), 'utf8')).version;

// Standard normal features (Box–Muller), as plain number[][]: the peer's documented row type.
const random = new SeededRandom(2008);
const gaussian = () => Math.sqrt(-2 * Math.log(1 - random.nextFloat())) * Math.cos(2 * Math.PI * random.nextFloat());
const rows = (count) => Array.from({ length: count }, () => Array.from({ length: FEATURES }, gaussian));
const training = rows(TRAIN_ROWS);
const scoring = rows(SCORE_ROWS);
const peerScoring = scoring.slice(0, PEER_SCORE_ROWS);
const checkRows = scoring.slice(0, CHECK_ROWS);

const seconds = (started) => Number(process.hrtime.bigint() - started) / 1e9;

/** Repeats fn until MEASURE_MS is spent; returns its items a second. */
function repeated(items, fn) {
  fn(); // warm-up, untimed
  let passes = 0;
  const started = process.hrtime.bigint();
  do {
    fn();
    passes++;
  } while (seconds(started) * 1000 < MEASURE_MS);
  return (items * passes) / seconds(started);
}

function once(items, fn) {
  const started = process.hrtime.bigint();
  const result = fn();
  return { rate: items / seconds(started), result };
}

const trainOurs = () => IsolationForest.train(training, { seed: 1, trees: TREES });
const oursTrainRate = repeated(TRAIN_ROWS, trainOurs);
const forest = trainOurs();
const oursScoreRate = repeated(SCORE_ROWS, () => forest.scoreMany(scoring));
const sameScores = (a, b) => a.length === b.length && a.every((s, i) => s === b[i]);
const oursChecked = forest.scoreMany(checkRows);
const oursRepeatable =
  JSON.stringify(trainOurs()) === JSON.stringify(forest) && sameScores(trainOurs().scoreMany(checkRows), oursChecked);
const saved = JSON.stringify(forest);
const oursReloads = sameScores(IsolationForest.fromJSON(JSON.parse(saved)).scoreMany(checkRows), oursChecked);

function trainPeer() {
  const model = new peer.IsolationForest({ nEstimators: TREES });
  model.train(training);
  return model;
}
trainPeer().predict(checkRows.slice(0, 100)); // warm-up, untimed
const peerTrain = once(TRAIN_ROWS, trainPeer);
const peerScore = once(PEER_SCORE_ROWS, () => peerTrain.result.predict(peerScoring));
const peerAgain = trainPeer().predict(checkRows);
const peerFirst = peerScore.result.slice(0, CHECK_ROWS);
const peerEqual = peerAgain.filter((s, i) => s === peerFirst[i]).length;
const peerMethods = Object.getOwnPropertyNames(peer.IsolationForest.prototype).filter((m) => m !== 'constructor');

const fmt = (n) => Math.round(n).toLocaleString('en-US').padStart(11);
const ratio = (a, b) => `${(a / b).toFixed(0)}x`.padStart(11);
console.log(`isolation forest, ${FEATURES} features, ${TREES} trees, ${TRAIN_ROWS} training rows, one core:`);
console.log(`                                train rows/s  score rows/s`);
console.log(`  ml-isolation-forest ${peerVersion.padEnd(9)} ${fmt(peerTrain.rate)}   ${fmt(peerScore.rate)}   (scored ${PEER_SCORE_ROWS} rows once)`);
console.log(`  sidetap                       ${fmt(oursTrainRate)}   ${fmt(oursScoreRate)}   (scored ${SCORE_ROWS} rows a pass)`);
console.log(`  ratio sidetap / ml            ${ratio(oursTrainRate, peerTrain.rate)}   ${ratio(oursScoreRate, peerScore.rate)}`);
console.log(
  `  target: score >= ${TARGET_SCORE_RATE.toLocaleString('en-US')} rows/s: ${oursScoreRate >= TARGET_SCORE_RATE ? 'met' : 'NOT MET'} ` +
    `(sidetap at ${(oursScoreRate / TARGET_SCORE_RATE).toFixed(2)}x the target)`,
);
console.log(`  sidetap grows each tree from 256 drawn rows; ml-isolation-forest grows every tree from all ${TRAIN_ROWS}.`);
console.log(
  `  same training twice: sidetap (seed 1) ${oursRepeatable ? 'identical model and scores' : 'DIFFERENT'}; ` +
    `ml-isolation-forest (Math.random) ${peerEqual} of ${CHECK_ROWS} scores equal`,
);
console.log(
  `  save/load: sidetap ${(saved.length / 1e6).toFixed(2)} MB of JSON, ${oursReloads ? 'identical' : 'DIFFERENT'} scores after load; ` +
    `ml-isolation-forest has only ${peerMethods.join(', ')}`,
);
