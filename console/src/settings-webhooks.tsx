import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, get } from './api.ts';

interface Webhook {
  id: number;
  subscription_url: string;
  event_action: string;
  event_object: string;
  version: string;
  is_active: number | boolean;
  last_delivery_time?: string | null;
  last_http_status?: number | null;
}

interface Delivery {
  event: string;
  entity_id: number | null;
  attempt: number;
  result: string;
  status_code: number | null;
  error: string | null;
  time: string;
}

const OBJECTS = ['*', 'person', 'organization', 'deal', 'note', 'activity'];
const ACTIONS = ['*', 'create', 'change', 'delete'];

/** The webhooks the user may manage: add, delete, and each one's delivery log of the last 7 days. */
export function WebhooksSettings() {
  const [webhooks, setWebhooks] = useState<Webhook[]>();
  const [log, setLog] = useState<{ webhook: Webhook; deliveries: Delivery[] }>();
  const [error, setError] = useState('');
  const [version, setVersion] = useState(0);
  const failed = (caught: unknown) => setError(caught instanceof ApiError ? caught.message : String(caught));
  useEffect(() => void get<Webhook[]>('/v1/webhooks').then((e) => setWebhooks(e.data), failed), [version]);
  const reload = () => (setError(''), setVersion((v) => v + 1));

  const add = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = Object.fromEntries(new FormData(form));
    try {
      await api('POST', '/v1/webhooks', data);
      form.reset();
      reload();
    } catch (caught) {
      // The webhooks API answers errors per field, as Pipedrive's does.
      const fields = caught instanceof ApiError ? caught.message : String(caught);
      setError(fields);
    }
  };
  const remove = (webhook: Webhook) => {
    if (!confirm(`Delete the webhook to ${webhook.subscription_url}?`)) return;
    api('DELETE', `/v1/webhooks/${webhook.id}`).then(() => (setLog(undefined), reload()), failed);
  };
  const showLog = (webhook: Webhook) =>
    get<Delivery[]>(`/v1/webhooks/${webhook.id}/deliveries?limit=100`).then((e) => setLog({ webhook, deliveries: e.data }), failed);

  return (
    <>
      <form class="inline-form" onSubmit={add} aria-label="New webhook">
        <label class="grow">Receiver URL<input name="subscription_url" type="url" required /></label>
        <label>Object<select name="event_object">{OBJECTS.map((o) => <option value={o}>{o}</option>)}</select></label>
        <label>Action<select name="event_action">{ACTIONS.map((a) => <option value={a}>{a}</option>)}</select></label>
        <label>Version<select name="version"><option value="2.0">2.0</option><option value="1.0">1.0</option></select></label>
        <button type="submit">Add webhook</button>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      {!webhooks ? <p role="status">Loading…</p> : webhooks.length === 0 ? <p>No webhooks yet.</p> : (
        <table class="list" aria-label="Webhooks">
          <thead><tr><th scope="col">Receiver</th><th scope="col">Events</th><th scope="col">Active</th><th scope="col" class="wide">Last delivery</th><th scope="col">Actions</th></tr></thead>
          <tbody>
            {webhooks.map((w) => (
              <tr key={w.id}>
                <td>{w.subscription_url}</td>
                <td>{w.event_action}.{w.event_object} (v{w.version})</td>
                <td>{w.is_active ? 'yes' : 'no'}</td>
                <td class="wide">{w.last_delivery_time ?? '—'} {w.last_http_status ?? ''}</td>
                <td class="buttons">
                  <button type="button" class="quiet" onClick={() => showLog(w)}>Deliveries</button>
                  <button type="button" class="quiet danger" onClick={() => remove(w)}>Delete</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {log && (
        <section aria-labelledby="deliveries-title">
          <h3 id="deliveries-title">Deliveries to {log.webhook.subscription_url}</h3>
          {log.deliveries.length === 0 ? <p>No deliveries in the last 7 days.</p> : (
            <table class="list" aria-label="Deliveries">
              <thead><tr><th scope="col">Time</th><th scope="col">Event</th><th scope="col">Attempt</th><th scope="col">Result</th><th scope="col">Status</th><th scope="col" class="wide">Error</th></tr></thead>
              <tbody>
                {log.deliveries.map((d) => (
                  <tr><td>{d.time}</td><td>{d.event} {d.entity_id ?? ''}</td><td>{d.attempt}</td><td>{d.result}</td><td>{d.status_code ?? '—'}</td><td class="wide">{d.error ?? ''}</td></tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </>
  );
}
