// Parameter profiles (Kruegel & Vigna 2003): learned per endpoint and parameter, scored per request.
export { parameterProfilesConfigSchema } from './parameterProfilesConfig';
export type { ParameterProfilesConfig } from './parameterProfilesConfig';
export { ParameterProfiles } from './parameterProfiles';
export type { ParameterProfilesDeps } from './parameterProfiles';
export { extractParameters } from './extractParameters';
export type { ExtractionConfig } from './extractParameters';
export type { ExtractedParameter } from './extractedParameter';
export { PARAMETER_LOCATIONS, PARAMETER_MODELS } from './parameterDeviation';
export type { ParameterDeviation, ParameterLocation, ParameterModel } from './parameterDeviation';
export { parameterProfilesModelSchema, ParameterProfilesModelError, PARAMETER_PROFILES_FORMAT } from './parameterProfilesModel';
export type { ParameterProfilesModel } from './parameterProfilesModel';
