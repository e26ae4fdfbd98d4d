// What the parameter profiles report: one learned expectation a request's parameter did not meet.

export const PARAMETER_LOCATIONS = ['query', 'form', 'json', 'header'] as const;
export type ParameterLocation = (typeof PARAMETER_LOCATIONS)[number];

export const PARAMETER_MODELS = ['length', 'chars', 'shape', 'enum', 'presence', 'order'] as const;
export type ParameterModel = (typeof PARAMETER_MODELS)[number];

export interface ParameterDeviation {
  /** Endpoint template, as in sidetap.endpoint: `/api/v1/users/{id}`. */
  endpoint: string;
  /** Request method of the endpoint (profiles are kept per template and method). */
  method: string;
  /** Parameter name: a query or form key, a JSON path like `items[].qty`, or a lower-case header name. */
  parameter: string;
  location: ParameterLocation;
  model: ParameterModel;
  /** 1 − p, where p is the model's estimate of how often a normal value deviates this much (0..1). */
  score: number;
  /** One sentence naming the parameter, what was expected and what was seen. */
  reason: string;
  /** The offending value, control characters escaped, at most 120 characters; '' when the value is a hashed secret or absent. */
  excerpt: string;
}
