import type { Region } from '../normalize/contact-keys.js';

/** The deployment's identity settings (environment); a company's own ones are in identity-settings.ts. */
export interface IdentityConfig {
  /** PERSONSD_DEFAULT_REGION: the region national phone numbers are read in where a company sets none. */
  defaultRegion?: Region;
  /** IMPORT_BODY_LIMIT: the largest file POST /api/v2/persons/import accepts, in bytes. */
  importBodyLimit: number;
}

export const DEFAULT_IMPORT_BODY_LIMIT = 32 * 1024 * 1024;
