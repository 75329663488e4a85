/** An OAuth 2.0 error (RFC 6749 §5.2): the code clients switch on, and the HTTP status it travels with. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'access_denied';

export class OAuthError extends Error {
  constructor(
    readonly code: OAuthErrorCode,
    message: string,
  ) {
    super(message);
  }

  get status(): number {
    return this.code === 'invalid_client' ? 401 : 400;
  }
}
