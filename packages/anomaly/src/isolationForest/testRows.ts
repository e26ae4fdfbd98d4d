// Seeded synthetic feature rows for the isolation forest tests (kept out of the build by its name).
import { SeededRandom } from './seededRandom';

/** Standard normal draws by Box–Muller from a seeded source. */
export function gaussian(random: SeededRandom): number {
  return Math.sqrt(-2 * Math.log(1 - random.nextFloat())) * Math.cos(2 * Math.PI * random.nextFloat());
}

/** `count` rows of `dimensions` independent standard normal features. */
export function gaussianRows(seed: number, count: number, dimensions: number): Float64Array[] {
  const random = new SeededRandom(seed);
  return Array.from({ length: count }, () => Float64Array.from({ length: dimensions }, () => gaussian(random)));
}

/** 2-D standard normal inliers plus outliers on a ring of radius 6 to 10, each labelled. */
export function ringOutliers(seed: number, inliers: number, outliers: number): { rows: number[][]; outlier: boolean[] } {
  const random = new SeededRandom(seed);
  const rows: number[][] = [];
  const outlier: boolean[] = [];
  for (let i = 0; i < inliers; i++) {
    rows.push([gaussian(random), gaussian(random)]);
    outlier.push(false);
  }
  for (let i = 0; i < outliers; i++) {
    const radius = 6 + 4 * random.nextFloat();
    const angle = 2 * Math.PI * random.nextFloat();
    rows.push([radius * Math.cos(angle), radius * Math.sin(angle)]);
    outlier.push(true);
  }
  return { rows, outlier };
}

/** Area under the ROC curve: the chance an outlier scores above an inlier (ties count half). */
export function rocAuc(scores: Float64Array, outlier: readonly boolean[]): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (!outlier[i]) continue;
    for (let j = 0; j < scores.length; j++) {
      if (outlier[j]) continue;
      pairs++;
      if (scores[i]! > scores[j]!) wins++;
      else if (scores[i] === scores[j]) wins += 0.5;
    }
  }
  return wins / pairs;
}
