/** The console talks to personsd only through its public API (and /console/api for sign-in), as any client would. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly info: string | undefined,
  ) {
    super(message);
  }
}

let csrfValue = '';
/** Called on sign-in and when the session is read: every unsafe request sends it in x-csrf-token. */
export function setCsrfToken(token: string): void {
  csrfValue = token;
}
export const csrfToken = () => csrfValue;

/** Told when the session has ended (a 401 from the API), so the app can show the sign-in form again. */
let onSignedOut: () => void = () => {};
export function whenSignedOut(listener: () => void): void {
  onSignedOut = listener;
}

export interface Envelope<T> {
  success: boolean;
  data: T;
  additional_data?: { next_cursor?: string | null } | null;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<Envelope<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfValue;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  const json = (await response.json().catch(() => ({}))) as { success?: boolean; error?: string; error_info?: string; errors?: Record<string, string[]> };
  if (!response.ok || json.success === false) {
    if (response.status === 401 && !path.startsWith('/console/api/sign-in')) onSignedOut();
    // The webhooks API answers errors per field ({"errors": {"subscription_url": ["…"]}}), as Pipedrive's does.
    const perField = json.errors && Object.entries(json.errors).map(([field, messages]) => `${field}: ${messages.join(', ')}`).join('; ');
    throw new ApiError(response.status, json.error ?? (perField || `HTTP ${response.status}`), json.error_info);
  }
  return json as Envelope<T>;
}

export const get = <T>(path: string) => api<T>('GET', path);

/** Query string from the defined values only. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
