// Upper tail of the chi-square distribution for the few degrees of freedom the character model
// uses (at most five: six bins, one constraint), in closed form so it costs nothing per value.

/** P(X ≥ x) for X ~ χ²(k), k = 1..5 (other k are not needed and return 1). */
export function chiSquareUpperTail(x: number, k: number): number {
  if (!(x > 0)) return 1;
  if (x > 1400) return 0;
  // Q(x; k+2) = Q(x; k) + (x/2)^(k/2) e^(-x/2) / Γ(k/2 + 1), from Q(x; 1) = erfc(√(x/2)) and Q(x; 2) = e^(-x/2).
  const e = Math.exp(-x / 2);
  switch (k) {
    case 1:
      return erfc(Math.sqrt(x / 2));
    case 2:
      return e;
    case 3:
      return Math.min(1, erfc(Math.sqrt(x / 2)) + Math.sqrt((2 * x) / Math.PI) * e);
    case 4:
      return Math.min(1, e * (1 + x / 2));
    case 5:
      return Math.min(1, erfc(Math.sqrt(x / 2)) + Math.sqrt((2 * x) / Math.PI) * e * (1 + x / 3));
    default:
      return 1;
  }
}

/** Complementary error function, Numerical Recipes' Chebyshev fit (relative error below 1.2e-7). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
