import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, get } from './api.ts';
import type { Reference } from './model.ts';

interface Webhook {
  id: number;
  subscription_url: string;
  event_action: string;
  event_object: string;
  is_active: number | boolean;
  last_delivery_time?: string | null;
  last_http_status?: number | null;
}

const TYPES = ['varchar', 'text', 'double', 'monetary', 'date', 'enum', 'set', 'phone'];

/** Settings: the person fields (custom ones can be added here, options comma-separated) and the webhooks. */
export function SettingsPage({ reference, reloadReference }: { reference: Reference; reloadReference: () => void }) {
  const [webhooks, setWebhooks] = useState<Webhook[] | undefined>(undefined);
  const [type, setType] = useState('varchar');
  const [error, setError] = useState('');
  useEffect(() => void get<Webhook[]>('/v1/webhooks').then((e) => setWebhooks(e.data), () => setWebhooks([])), []);
  const addField = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const options = String(data.get('options') ?? '').split(',').map((o) => o.trim()).filter(Boolean).map((label) => ({ label }));
    try {
      await api('POST', '/api/v2/personFields', { field_name: data.get('field_name'), field_type: type, ...(type === 'enum' || type === 'set' ? { options } : {}) });
      form.reset();
      setError('');
      reloadReference();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
    }
  };
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <h2>Person fields</h2>
      <form class="inline-form" onSubmit={addField} aria-label="New custom field">
        <label class="grow">Field name<input name="field_name" type="text" required aria-describedby={error ? 'field-error' : undefined} /></label>
        <label>Type<select value={type} onChange={(e) => setType((e.target as HTMLSelectElement).value)}>{TYPES.map((t) => <option value={t}>{t}</option>)}</select></label>
        {(type === 'enum' || type === 'set') && <label class="grow">Options (comma-separated)<input name="options" type="text" /></label>}
        <button type="submit">Add field</button>
      </form>
      {error && <p class="field-error" id="field-error" role="alert">{error}</p>}
      <table class="list" aria-label="Person fields">
        <thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col" class="wide">Key</th><th scope="col">Options</th></tr></thead>
        <tbody>
          {reference.fields.map((f) => (
            <tr key={f.id}><td>{f.field_name}{f.is_custom_field ? '' : <span class="tag">system</span>}</td><td>{f.field_type}</td><td class="wide"><code>{f.field_code}</code></td><td>{(f.options ?? []).map((o) => o.label).join(', ')}</td></tr>
          ))}
        </tbody>
      </table>
      <h2>Webhooks</h2>
      {webhooks === undefined ? (
        <p role="status">Loading…</p>
      ) : webhooks.length === 0 ? (
        <p>No webhooks. Create them with <code>POST /v1/webhooks</code>.</p>
      ) : (
        <table class="list" aria-label="Webhooks">
          <thead><tr><th scope="col">Receiver</th><th scope="col">Events</th><th scope="col">Active</th><th scope="col" class="wide">Last delivery</th></tr></thead>
          <tbody>
            {webhooks.map((w) => <tr key={w.id}><td>{w.subscription_url}</td><td>{w.event_action}.{w.event_object}</td><td>{w.is_active ? 'yes' : 'no'}</td><td class="wide">{w.last_delivery_time ?? '—'} {w.last_http_status ?? ''}</td></tr>)}
          </tbody>
        </table>
      )}
      <h2>API tokens</h2>
      <p>personsd stores tokens only as hashes, so it cannot show them. An operator issues a user a new token (revoking the old one) with <code>personsd token create --user &lt;id&gt;</code>.</p>
    </section>
  );
}
