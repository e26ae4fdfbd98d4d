// Options of the sessionizer's geo lookup of client IPs.
import { z } from 'zod';

export const GEO_DATABASES = ['dbip-lite', 'mmdb'] as const;

export const geoConfigSchema = z
  .object({
    enabled: z
      .boolean()
      .default(true)
      .describe('Look up where client IPs are. When off, no database is read and events only say whether the address is internal.'),
    database: z
      .enum(GEO_DATABASES)
      .default('dbip-lite')
      .describe(
        'dbip-lite: the DB-IP City Lite files installed with sidetap (CC BY 4.0; the attribution is printed in the replay summary). mmdb: the City database named by mmdbFile.',
      ),
    mmdbFile: z
      .string()
      .min(1)
      .optional()
      .describe('Path of a City database in MaxMind DB format, such as GeoLite2-City.mmdb; read when database is mmdb.'),
    attribution: z
      .string()
      .min(1)
      .optional()
      .describe('Credit line for the mmdb database, printed in docs and the replay summary; defaults to the GeoLite2 credit MaxMind\'s licence asks for.'),
    cacheSize: z
      .number()
      .int()
      .min(0)
      .default(65_536)
      .describe('Client IPs whose result is remembered; the least recently used is forgotten first (counted). 0 turns the cache off.'),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.database === 'mmdb' && config.mmdbFile === undefined) {
      ctx.addIssue({ code: 'custom', path: ['mmdbFile'], message: 'is required when database is mmdb' });
    }
    // Ignoring a file the user named would silently use other data than they chose.
    if (config.database !== 'mmdb' && config.mmdbFile !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['mmdbFile'], message: 'is read only when database is mmdb; set database: mmdb or remove it' });
    }
    if (config.database !== 'mmdb' && config.attribution !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['attribution'], message: 'is only for database mmdb; the DB-IP credit is fixed by its licence' });
    }
  })
  .describe('Geo lookup of client IPs from an offline City database.');

export type GeoConfig = z.output<typeof geoConfigSchema>;
export type GeoConfigInput = z.input<typeof geoConfigSchema>;
