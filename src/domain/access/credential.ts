import type { Actor } from '../actor.js';

/** How the caller proved who they are: the user's API token (full access), a console session (the same) or an OAuth access token (its scopes). */
export interface Credential {
  kind: 'api_token' | 'oauth' | 'session';
  /** The token's row id; rate limits count per token. */
  id: number;
  /** The scopes granted; null for API tokens, which may do whatever their user may. */
  scopes: readonly string[] | null;
}

export interface Authenticated {
  actor: Actor;
  credential: Credential;
}

/** Whether the credential may call an operation that accepts any one of `accepted`. */
export function grantsAnyScope(credential: Credential, accepted: readonly string[]): boolean {
  return credential.scopes === null || accepted.some((scope) => credential.scopes!.includes(scope));
}
