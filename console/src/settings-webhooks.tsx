import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, csrfToken, get } from './api.ts';
import { FieldError } from './field-error.tsx';

interface Webhook {
  id: number;
  subscription_url: string;
  event_action: string;
  event_object: string;
  version: string;
  user_id: number;
  is_active: number | boolean;
  http_auth_user: string | null;
  last_delivery_time?: string | null;
  last_http_status?: number | null;
  remove_reason?: string | null;
  banned_until?: string | null;
}

interface Delivery {
  id: number;
  event: string;
  entity_id: number | null;
  attempt: number;
  result: string;
  status_code: number | null;
  latency_ms: number | null;
  error: string | null;
  time: string;
}

interface Log {
  webhook: Webhook;
  deliveries: Delivery[];
  next: string | null;
}

const OBJECTS = ['*', 'person', 'organization', 'deal', 'note', 'activity'];
const ACTIONS = ['*', 'create', 'change', 'delete'];
const FIELDS = ['subscription_url', 'event_object', 'event_action', 'version', 'user_id', 'http_auth_user', 'http_auth_password'];

/**
 * The webhooks the user may manage (an admin: every one of the company): add, delete, and each one's delivery log
 * of the last 7 days, a page at a time. The basic-auth password is sent once and never shown.
 */
export function WebhooksSettings({ isAdmin }: { isAdmin: boolean }) {
  const [webhooks, setWebhooks] = useState<Webhook[]>();
  const [users, setUsers] = useState<{ id: number; name: string; active_flag: boolean }[]>([]);
  const [log, setLog] = useState<Log>();
  const [error, setError] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [version, setVersion] = useState(0);
  const failed = (caught: unknown) => setError(caught instanceof ApiError ? caught.message : String(caught));
  useEffect(() => void get<Webhook[]>('/v1/webhooks').then((e) => setWebhooks(e.data), failed), [version]);
  useEffect(() => void (isAdmin && get<typeof users>('/v1/users').then((e) => setUsers(e.data.filter((u) => u.active_flag)), () => {})), [isAdmin]);
  const reload = () => (setError(''), setVersion((v) => v + 1));
  const nameOf = (userId: number) => users.find((u) => u.id === userId)?.name ?? `user ${userId}`;

  const add = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = Object.fromEntries([...new FormData(form)].filter(([, value]) => value !== ''));
    const body = { ...data, ...(data.user_id ? { user_id: Number(data.user_id) } : {}) };
    // Not api(): the webhooks API answers errors per field ({"errors": {"subscription_url": ["…"]}}), shown at each field.
    const response = await fetch('/v1/webhooks', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrfToken() }, body: JSON.stringify(body) });
    const json = (await response.json().catch(() => ({}))) as { errors?: Record<string, string[]>; error?: string };
    if (response.ok) {
      form.reset();
      setFieldErrors({});
      return reload();
    }
    const perField = Object.fromEntries(Object.entries(json.errors ?? {}).map(([field, messages]) => [field, messages.join(', ')]));
    setFieldErrors(perField);
    const elsewhere = Object.entries(perField).filter(([field]) => !FIELDS.includes(field));
    const unplaced = elsewhere.map(([field, message]) => `${field}: ${message}`).join('; ');
    setError(json.error ?? (unplaced || (Object.keys(perField).length ? '' : `HTTP ${response.status}`)));
  };
  const remove = (webhook: Webhook) => {
    if (!confirm(`Delete the webhook to ${webhook.subscription_url}?`)) return;
    api('DELETE', `/v1/webhooks/${webhook.id}`).then(() => (setLog(undefined), reload()), failed);
  };
  const showLog = (webhook: Webhook, after?: Log) =>
    get<Delivery[]>(`/v1/webhooks/${webhook.id}/deliveries?limit=50${after?.next ? `&cursor=${encodeURIComponent(after.next)}` : ''}`).then(
      (e) => setLog({ webhook, deliveries: [...(after?.deliveries ?? []), ...e.data], next: e.additional_data?.next_cursor ?? null }),
      failed,
    );
  const field = (name: string) => ({ name, 'aria-invalid': fieldErrors[name] ? true : undefined, 'aria-describedby': fieldErrors[name] ? `${name}-error` : undefined });

  return (
    <>
      <form class="inline-form" onSubmit={add} aria-label="New webhook" noValidate>
        <label class="grow">Receiver URL<input {...field('subscription_url')} type="url" required /><FieldError id="subscription_url-error" message={fieldErrors.subscription_url} /></label>
        <label>Object<select {...field('event_object')}>{OBJECTS.map((o) => <option value={o}>{o}</option>)}</select><FieldError id="event_object-error" message={fieldErrors.event_object} /></label>
        <label>Action<select {...field('event_action')}>{ACTIONS.map((a) => <option value={a}>{a}</option>)}</select><FieldError id="event_action-error" message={fieldErrors.event_action} /></label>
        <label>Version<select {...field('version')}><option value="2.0">2.0</option><option value="1.0">1.0</option></select></label>
        {isAdmin && users.length > 0 && (
          <label>Authorised as<select {...field('user_id')}><option value="">me</option>{users.map((u) => <option value={u.id}>{u.name}</option>)}</select><FieldError id="user_id-error" message={fieldErrors.user_id} /></label>
        )}
        <label>Basic auth user<input {...field('http_auth_user')} type="text" autoComplete="off" /><FieldError id="http_auth_user-error" message={fieldErrors.http_auth_user} /></label>
        <label>Basic auth password<input {...field('http_auth_password')} type="password" autoComplete="new-password" /><FieldError id="http_auth_password-error" message={fieldErrors.http_auth_password} /></label>
        <button type="submit">Add webhook</button>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      {!webhooks ? <p role="status">Loading…</p> : webhooks.length === 0 ? <p>No webhooks yet.</p> : (
        <table class="list" aria-label="Webhooks">
          <thead><tr><th scope="col">Receiver</th><th scope="col">Events</th><th scope="col">Authorised as</th><th scope="col">Active</th><th scope="col" class="wide">Last delivery</th><th scope="col">Actions</th></tr></thead>
          <tbody>
            {webhooks.map((w) => (
              <tr key={w.id}>
                <td>{w.subscription_url}{w.http_auth_user !== null && <span class="tag">basic auth: {w.http_auth_user}</span>}</td>
                <td>{w.event_action}.{w.event_object} (v{w.version})</td>
                <td>{nameOf(w.user_id)}</td>
                <td>{w.is_active ? 'yes' : w.remove_reason ? `removed (${w.remove_reason})` : w.banned_until ? `banned until ${w.banned_until}` : 'no'}</td>
                <td class="wide">{w.last_delivery_time ?? '—'} {w.last_http_status ?? ''}</td>
                <td class="buttons">
                  <button type="button" class="quiet" aria-label={`Deliveries to ${w.subscription_url}`} onClick={() => showLog(w)}>Deliveries</button>
                  <button type="button" class="quiet danger" aria-label={`Delete the webhook to ${w.subscription_url}`} onClick={() => remove(w)}>Delete</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {log && <DeliveryLog log={log} refresh={() => showLog(log.webhook)} older={() => showLog(log.webhook, log)} />}
    </>
  );
}

function DeliveryLog({ log, refresh, older }: { log: Log; refresh: () => void; older: () => void }) {
  return (
    <section aria-labelledby="deliveries-title">
      <h3 id="deliveries-title">Deliveries to {log.webhook.subscription_url}</h3>
      <button type="button" class="quiet" onClick={refresh}>Refresh deliveries</button>
      {log.deliveries.length === 0 ? <p>No deliveries in the last 7 days.</p> : (
        <table class="list" aria-label="Deliveries">
          <thead><tr><th scope="col">Time</th><th scope="col">Event</th><th scope="col">Attempt</th><th scope="col">Result</th><th scope="col">Status</th><th scope="col">ms</th><th scope="col" class="wide">Error</th></tr></thead>
          <tbody>
            {log.deliveries.map((d) => (
              <tr key={d.id}><td>{d.time}</td><td>{d.event} {d.entity_id ?? ''}</td><td>{d.attempt}</td><td>{d.result}</td><td>{d.status_code ?? '—'}</td><td>{d.latency_ms ?? '—'}</td><td class="wide">{d.error ?? ''}</td></tr>
            ))}
          </tbody>
        </table>
      )}
      {log.next && <button type="button" class="quiet" onClick={older}>Older deliveries</button>}
    </section>
  );
}
