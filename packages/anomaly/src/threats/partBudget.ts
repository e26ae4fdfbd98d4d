// Gathers one request's parts under its budget: a part count and a character count. Once either
// is spent the request is marked capped and collection stops.
import type { PartEncoding, PartLocation, RequestPart } from './requestPart';

export interface PartLimits {
  maxParts: number;
  maxBytes: number;
  maxNameLength: number;
}

export class PartBudget {
  readonly parts: RequestPart[] = [];
  /** Something the request carried was not inspected (a bound was hit). */
  capped = false;
  /** The budget is spent: nothing more is added. */
  exhausted = false;
  private bytes = 0;

  constructor(private readonly limits: PartLimits) {}

  /** Adds a part (an empty value is skipped); false once the budget is spent, so the caller stops. */
  add(location: PartLocation, name: string, value: string, encoding: PartEncoding, kind?: 'key' | 'document'): boolean {
    if (this.exhausted) return false;
    if (value.length === 0) return true;
    const room = this.limits.maxBytes - this.bytes;
    if (this.parts.length >= this.limits.maxParts || room <= 0) return this.exhaust();
    const kept = value.length > room ? value.slice(0, room) : value;
    const part: RequestPart = { location, name: name.length > this.limits.maxNameLength ? name.slice(0, this.limits.maxNameLength) : name, value: kept, encoding };
    if (kind === 'key') part.key = true;
    else if (kind === 'document') part.document = true;
    this.parts.push(part);
    this.bytes += kept.length;
    return kept.length < value.length ? this.exhaust() : true;
  }

  /** Notes that part of the request was skipped (a body too big to parse, a JSON walk cut short). */
  markCapped(): void {
    this.capped = true;
  }

  private exhaust(): false {
    this.capped = true;
    this.exhausted = true;
    return false;
  }
}
