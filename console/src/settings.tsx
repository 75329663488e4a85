import { useState } from 'preact/hooks';
import { ApiError, api } from './api.ts';
import type { Reference } from './model.ts';
import { DeveloperSettings } from './settings-developer.tsx';
import { TokenSettings } from './settings-token.tsx';
import { UsersSettings } from './settings-users.tsx';
import { WebhooksSettings } from './settings-webhooks.tsx';

const TYPES = ['varchar', 'text', 'double', 'monetary', 'date', 'enum', 'set', 'phone'];

/** The person fields: custom ones can be added here (options comma-separated). */
function FieldsSettings({ reference, reloadReference }: { reference: Reference; reloadReference: () => void }) {
  const [type, setType] = useState('varchar');
  const [error, setError] = useState('');
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
    <>
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
    </>
  );
}

const TABS = [
  ['fields', 'Person fields'],
  ['users', 'Users'],
  ['webhooks', 'Webhooks'],
  ['token', 'API token'],
  ['developer', 'Developer'],
] as const;
type Tab = (typeof TABS)[number][0];

/**
 * Settings, one tab at a time (the tab is in the address, so a reload keeps it). Users is for admins (the API lets
 * only them add and deactivate users); Developer only when personsd runs with its admin API (the session says so).
 */
export function SettingsPage({ reference, reloadReference, session }: { reference: Reference; reloadReference: () => void; session: { userId: number; isAdmin: boolean; adminApi: boolean } }) {
  const tabs = TABS.filter(([id]) => (id !== 'users' || session.isAdmin) && (id !== 'developer' || session.adminApi));
  const asked = new URLSearchParams(location.search).get('tab');
  const [chosen, setTab] = useState<Tab>(TABS.some(([id]) => id === asked) ? (asked as Tab) : 'fields');
  // A tab that is not offered (say, a bookmark of an admin's) shows the fields.
  const tab: Tab = tabs.some(([id]) => id === chosen) ? chosen : 'fields';
  const choose = (next: Tab) => {
    setTab(next);
    history.replaceState(null, '', `/settings?tab=${next}`);
  };
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <div class="tabs" role="tablist" aria-label="Settings">
        {tabs.map(([id, label]) => (
          <button type="button" role="tab" id={`tab-${id}`} aria-selected={tab === id} aria-controls="settings-panel" onClick={() => choose(id)}>{label}</button>
        ))}
      </div>
      <div id="settings-panel" role="tabpanel" aria-labelledby={`tab-${tab}`}>
        <h2>{TABS.find(([id]) => id === tab)?.[1]}</h2>
        {tab === 'fields' && <FieldsSettings reference={reference} reloadReference={reloadReference} />}
        {tab === 'users' && <UsersSettings selfId={session.userId} />}
        {tab === 'webhooks' && <WebhooksSettings isAdmin={session.isAdmin} />}
        {tab === 'token' && <TokenSettings />}
        {tab === 'developer' && <DeveloperSettings />}
      </div>
    </section>
  );
}
