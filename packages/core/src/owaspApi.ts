// The OWASP API Security Top 10 (2023 edition): the ids findings carry in `sidetap.owasp_api` and
// their official titles.
import { z } from 'zod';

export const OWASP_API_TOP_10 = {
  'API1:2023': 'Broken Object Level Authorization',
  'API2:2023': 'Broken Authentication',
  'API3:2023': 'Broken Object Property Level Authorization',
  'API4:2023': 'Unrestricted Resource Consumption',
  'API5:2023': 'Broken Function Level Authorization',
  'API6:2023': 'Unrestricted Access to Sensitive Business Flows',
  'API7:2023': 'Server Side Request Forgery',
  'API8:2023': 'Security Misconfiguration',
  'API9:2023': 'Improper Inventory Management',
  'API10:2023': 'Unsafe Consumption of APIs',
} as const;

export type OwaspApiId = keyof typeof OWASP_API_TOP_10;

/** API1:2023 … API10:2023 in rank order (object keys that are not integers keep insertion order). */
export const OWASP_API_IDS = Object.keys(OWASP_API_TOP_10) as readonly OwaspApiId[];

export const owaspApiSchema = z
  .enum(OWASP_API_IDS)
  .describe('OWASP API Security Top 10 (2023) risk the finding falls under (see the OWASP table below).');
