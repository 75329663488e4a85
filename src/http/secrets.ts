/*
 * What counts as a secret in a request, for everything that writes requests down (the log, the admin API's request
 * journal): one list, so a new credential is masked everywhere at once.
 */
export const MASK = '***';

/** Headers that carry credentials (API tokens, OAuth Bearer and Basic client credentials, the admin token, cookies, the console's CSRF token). */
export const SECRET_HEADERS: readonly string[] = ['x-api-token', 'authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-personsd-admin-token', 'x-csrf-token'];

/** Query or form parameters that carry credentials: API tokens, OAuth codes, client secrets, access and refresh tokens. */
export const SECRET_PARAMS: readonly string[] = ['api_token', 'access_token', 'refresh_token', 'client_secret', 'code', 'token', 'password', 'http_auth_password'];

const secretHeaders = new Set(SECRET_HEADERS);
const secretParams = new Set(SECRET_PARAMS);
/** Body keys masked wherever they appear, at any depth: a webhook's http_auth_password, an OAuth client_secret. */
const SECRET_KEY = /token|secret|password|authorization|^code$/i;

export const isSecretHeader = (name: string): boolean => secretHeaders.has(name.toLowerCase());
export const isSecretParam = (name: string): boolean => secretParams.has(name);

/** The request target with every secret parameter's value replaced by the mask; the rest is left byte for byte. */
export function maskUrl(url: string): string {
  const question = url.indexOf('?');
  if (question < 0) return url;
  const query = url
    .slice(question + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      if (equals < 0) return pair;
      return isSecretParam(decodedName(pair.slice(0, equals))) ? `${pair.slice(0, equals)}=${MASK}` : pair;
    })
    .join('&');
  return `${url.slice(0, question + 1)}${query}`;
}

const secretInText = new RegExp(`([?&](?:${SECRET_PARAMS.join('|')})=)[^&\\s"'#]*`, 'g');

/** Free text (a log message, an error's stack) with any secret query parameter inside it masked. */
export function maskText(text: string): string {
  return text.replace(secretInText, `$1${MASK}`);
}

function decodedName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

export function maskHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, isSecretHeader(name) ? MASK : value]));
}

export function maskQuery(query: unknown): Record<string, unknown> {
  if (!query || typeof query !== 'object') return {};
  return Object.fromEntries(Object.entries(query).map(([name, value]) => [name, isSecretParam(name) ? MASK : value]));
}

/** Secrets anywhere in a parsed body are masked; buffers are described by their size. */
export function maskBody(body: unknown): unknown {
  if (Array.isArray(body)) return body.map(maskBody);
  if (body && typeof body === 'object' && !Buffer.isBuffer(body)) {
    return Object.fromEntries(Object.entries(body).map(([key, value]) => [key, SECRET_KEY.test(key) && value != null ? MASK : maskBody(value)]));
  }
  return Buffer.isBuffer(body) ? `<${body.length} bytes>` : body;
}
