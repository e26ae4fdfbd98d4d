// The one rule for non-finite feature values, shared by training and scoring so both agree.
//
// Feature vectors come from hostile traffic (a ratio over a zero count, a field that is missing),
// so NaN and ±Infinity are scored, never rejected. NaN means "could not be computed" and sorts
// below every split, like −Infinity; +Infinity sorts above every split. Both ends map to
// ±Number.MAX_VALUE so split arithmetic during training stays finite: every threshold is finite
// and strictly above −MAX_VALUE, so such a value always goes left (NaN, −Infinity) or right
// (+Infinity). Rows holding them are isolated quickly and score as anomalous, which is the
// honest answer for a vector unlike any seen in training.
const { MAX_VALUE } = Number;

export function splitSpaceValue(x: number): number {
  if (x !== x) return -MAX_VALUE;
  if (x === Infinity) return MAX_VALUE;
  if (x === -Infinity) return -MAX_VALUE;
  return x;
}
