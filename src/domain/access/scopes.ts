import { invalid } from '../errors.js';

/** Pipedrive's OAuth scopes (the v1 spec's oauth2 flow lists them). `base` is part of every grant. */
export const KNOWN_SCOPES = [
  'base',
  'deals:read',
  'deals:full',
  'mail:read',
  'mail:full',
  'activities:read',
  'activities:full',
  'contacts:read',
  'contacts:full',
  'products:read',
  'products:full',
  'deal-fields:full',
  'product-fields:full',
  'contact-fields:full',
  'projects:read',
  'projects:full',
  'users:read',
  'recents:read',
  'search:read',
  'admin',
  'leads:read',
  'leads:full',
  'phone-integration',
] as const;

export type KnownScope = (typeof KNOWN_SCOPES)[number];

/** What an app gets when registered without --scopes: everything personsd serves, except admin. */
export const DEFAULT_APP_SCOPES = ['base', 'contacts:full', 'contact-fields:full', 'deals:full', 'search:read', 'users:read', 'recents:read'];

/** Scopes from text separated by commas or spaces (Pipedrive writes commas, RFC 6749 spaces); base always. */
export function parseScopes(text: string): string[] {
  const scopes = text.split(/[\s,]+/).filter(Boolean);
  const unknown = scopes.find((scope) => !(KNOWN_SCOPES as readonly string[]).includes(scope));
  if (unknown !== undefined) throw invalid(`unknown scope "${unknown}"; known scopes: ${KNOWN_SCOPES.join(', ')}`);
  return [...new Set(['base', ...scopes])];
}

export const formatScopes = (scopes: readonly string[]) => scopes.join(',');
