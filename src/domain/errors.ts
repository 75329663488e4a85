/** What went wrong, in domain terms; the HTTP layer maps each kind to a status. */
export type ErrorKind = 'invalid' | 'not_found' | 'conflict' | 'forbidden' | 'gone';

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    /** A longer hint for the client, rendered as `error_info`. */
    readonly info?: string,
    /** More of the envelope, for errors a client acts on (a 409 duplicate names the person in additional_data). */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const invalid = (message: string, info?: string) => new DomainError('invalid', message, info);
export const notFound = (message: string, info?: string) => new DomainError('not_found', message, info);
export const forbidden = (message: string, info?: string) => new DomainError('forbidden', message, info);
