// Argument checks both stores share, so a bad call fails the same way in embedded and distributed
// mode. A bad argument is a bug in the calling stage, so it throws (a RangeError) rather than guess.

export function checkEventTime(name: string, value: number): void {
  if (!Number.isFinite(value)) throw new RangeError(`${name} must be a finite event time in ms, got ${value}`);
}

/** A range bound may be open (±Infinity) but not NaN. */
export function checkBound(name: string, value: number): void {
  if (Number.isNaN(value)) throw new RangeError(`${name} must be a number or ±Infinity, got NaN`);
}

export function checkPositiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
}

export function checkWindowCount(count: number, windowRetention: number): void {
  checkPositiveInteger('count', count);
  if (count > windowRetention) {
    throw new RangeError(`count ${count} is more windows than the store keeps (windowRetention ${windowRetention})`);
  }
}

export function checkIncrement(by: number): void {
  if (!Number.isSafeInteger(by)) throw new RangeError(`by must be an integer, got ${by}`);
}
