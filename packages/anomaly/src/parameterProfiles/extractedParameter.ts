// One parameter value taken from a request, in the form every model reads.
import type { ParameterLocation } from './parameterDeviation';

export interface ExtractedParameter {
  location: ParameterLocation;
  /** Decoded key (array indices collapsed to `[]`), JSON path, or lower-case header name; truncated to maxNameLength. */
  name: string;
  /** Decoded value truncated to maxValueLength; '' for a secret. */
  value: string;
  /** Length of the decoded value before truncation (0 for a secret). */
  length: number;
  /** The value was a redaction hash: only presence and order are learned for it, and it is never quoted. */
  secret: boolean;
}

/** Where extraction had to stop or skip; each field feeds one counter. */
export interface ExtractionNotes {
  /** 1 when the request carried more than maxParamsPerRequest parameters and the rest were left out. */
  paramsTruncated: number;
  /** Values longer than maxValueLength. */
  valuesTruncated: number;
  /** Bodies over maxBodyBytes (a form body is read up to the cap, a JSON body skipped). */
  bodiesOversized: number;
  /** JSON bodies that did not parse (including samples cut by the capture cap). */
  jsonInvalid: number;
  /** JSON bodies whose walk stopped at maxJsonDepth or maxJsonKeys. */
  jsonTruncated: number;
  /** Some parameters the request carried may be missing from the list (any cut above, or a body sample cut short). */
  incomplete: boolean;
}

export function emptyNotes(): ExtractionNotes {
  return { paramsTruncated: 0, valuesTruncated: 0, bodiesOversized: 0, jsonInvalid: 0, jsonTruncated: 0, incomplete: false };
}
