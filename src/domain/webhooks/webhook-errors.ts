/**
 * Webhook endpoints answer errors in their own shape, `{status:"error", success:false, errors:{field:[messages]}}`
 * (behaviour doc §11.4), so their errors name the field they are about.
 */
export type WebhookErrorKind = 'invalid' | 'not_found' | 'forbidden' | 'limit_reached';

export class WebhookError extends Error {
  constructor(
    readonly kind: WebhookErrorKind,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export const webhookInvalid = (field: string, message: string) => new WebhookError('invalid', field, message);
