// Everything learned about one parameter of one endpoint: how often requests carry it, and the
// four value models (length, characters, shape, enumeration) over its non-secret values.
import { CharDistributionModel } from './charDistributionModel';
import type { EnumLimits } from './enumModel';
import { EnumModel } from './enumModel';
import { LengthModel } from './lengthModel';
import type { ParameterLocation } from './parameterDeviation';
import { ShapeModel } from './shapeModel';
import type { ValueFeatures } from './valueFeatures';

export class ParameterProfile {
  /** Requests of the endpoint that carried the parameter at least once (presence model). */
  requests = 0;
  /** Non-secret values learned (repeated keys and array elements each count). */
  values = 0;
  /** Values that were redaction hashes: counted, never modelled. */
  secretValues = 0;
  length = new LengthModel();
  chars = new CharDistributionModel();
  shape = new ShapeModel();
  enumeration = new EnumModel();
  /** Request stamp of the last learn or score that saw the parameter; transient, never exported. */
  stamp = -1;

  constructor(
    readonly location: ParameterLocation,
    readonly name: string,
    /** Position in the endpoint's table, the key of its order pairs. */
    readonly index: number,
  ) {}

  /** Learns one value; returns true when its enumeration set was just dropped (for the counter). */
  learnValue(length: number, value: string, features: ValueFeatures, limits: EnumLimits): boolean {
    this.values++;
    this.length.learn(length, this.values);
    this.chars.learn(features);
    this.shape.learn(features);
    return this.enumeration.learn(value, limits);
  }
}
