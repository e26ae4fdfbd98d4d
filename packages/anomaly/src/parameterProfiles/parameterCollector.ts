// Gathers one request's parameters under the per-request bounds: how many, how long a name, how
// much of a value; redaction hashes are marked secret here, once for every location.
import type { ExtractedParameter, ExtractionNotes } from './extractedParameter';
import type { ParameterLocation } from './parameterDeviation';
import { isHashedSecret } from './secretValue';

export interface CollectorLimits {
  maxParamsPerRequest: number;
  maxNameLength: number;
  maxValueLength: number;
}

export class ParameterCollector {
  readonly params: ExtractedParameter[] = [];

  constructor(
    private readonly limits: CollectorLimits,
    readonly notes: ExtractionNotes,
  ) {}

  /** Adds one value; false once the request's budget is spent (the caller stops scanning). */
  add(location: ParameterLocation, name: string, value: string): boolean {
    if (this.params.length >= this.limits.maxParamsPerRequest) {
      this.notes.paramsTruncated = 1;
      return false;
    }
    const key = name.length > this.limits.maxNameLength ? name.slice(0, this.limits.maxNameLength) : name;
    if (isHashedSecret(value)) {
      this.params.push({ location, name: key, value: '', length: 0, secret: true });
      return true;
    }
    let kept = value;
    if (value.length > this.limits.maxValueLength) {
      kept = value.slice(0, this.limits.maxValueLength);
      this.notes.valuesTruncated++;
    }
    this.params.push({ location, name: key, value: kept, length: value.length, secret: false });
    return true;
  }

  get full(): boolean {
    return this.params.length >= this.limits.maxParamsPerRequest;
  }
}
