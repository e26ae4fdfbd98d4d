// How surprising a count is, as decimal digits of improbability (-log10 of a tail probability),
// from the Chernoff bounds of the Poisson and binomial tails: closed forms that never underflow,
// stay deterministic, and overstate the probability (so a threshold on them errs towards silence).
const LN10 = Math.log(10);

const xlogx = (x: number, y: number): number => (x <= 0 ? 0 : x * Math.log(x / y));

/**
 * Surprise of x events where a Poisson mean of `mean` was expected, in the direction x lies (a
 * surge when above, a drop when below); `dispersion` (>= 1) is the quasi-Poisson variance factor.
 */
export function poissonSurprise(x: number, mean: number, dispersion = 1): number {
  const m = Math.max(mean, 1e-9);
  return Math.max(0, xlogx(x, m) - x + m) / Math.max(1, dispersion) / LN10;
}

/** Surprise of k of n trials succeeding where each succeeds with probability p, in the direction k/n lies. */
export function binomialSurprise(k: number, n: number, p: number, dispersion = 1): number {
  if (n <= 0) return 0;
  const q = Math.min(1 - 1e-12, Math.max(1e-12, p));
  const f = k / n;
  const kl = xlogx(f, q) + xlogx(1 - f, 1 - q);
  return Math.max(0, n * kl) / Math.max(1, dispersion) / LN10;
}
