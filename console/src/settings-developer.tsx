import { useState } from 'preact/hooks';

interface JournalEntry {
  method: string;
  path: string;
  status: number;
  duration_ms: number;
  time: string;
}

interface FaultRule {
  id: number;
  type: string;
  [key: string]: unknown;
}

/**
 * For developers running personsd in their tests: the admin API's request journal and fault rules
 * (`PERSONSD_ADMIN_TOKEN`). The token is typed here and kept in this page's memory only; the journal is the
 * installation's, with credentials masked by personsd.
 */
export function DeveloperSettings() {
  const [token, setToken] = useState('');
  const [journal, setJournal] = useState<JournalEntry[]>();
  const [rules, setRules] = useState<FaultRule[]>();
  const [message, setMessage] = useState('');
  const admin = async <T,>(path: string): Promise<T | undefined> => {
    const response = await fetch(path, { headers: { 'x-personsd-admin-token': token, accept: 'application/json' } });
    if (response.status === 404) return void setMessage('The admin API is off: personsd runs without PERSONSD_ADMIN_TOKEN.');
    if (response.status === 401) return void setMessage('Wrong admin token.');
    return ((await response.json()) as { data: T }).data;
  };
  const load = async (event: Event) => {
    event.preventDefault();
    setMessage('');
    const [entries, faults] = await Promise.all([admin<JournalEntry[]>('/_personsd/requests'), admin<FaultRule[]>('/_personsd/faults')]);
    setJournal(entries);
    setRules(faults);
  };
  return (
    <>
      <form class="inline-form" onSubmit={load} aria-label="Admin API">
        <label class="grow">Admin token<input type="password" value={token} autoComplete="off" onInput={(e) => setToken((e.target as HTMLInputElement).value)} required /></label>
        <button type="submit">Show journal and faults</button>
      </form>
      {message && <p class="error" role="alert">{message}</p>}
      {rules && (
        <>
          <h3>Fault rules</h3>
          {rules.length === 0 ? <p>No fault rules.</p> : (
            <table class="list" aria-label="Fault rules">
              <thead><tr><th scope="col">Id</th><th scope="col">Type</th><th scope="col">Rule and counts</th></tr></thead>
              <tbody>
                {rules.map(({ id, type, ...rule }) => <tr key={id}><td>{id}</td><td>{type}</td><td><code>{JSON.stringify(rule)}</code></td></tr>)}
              </tbody>
            </table>
          )}
        </>
      )}
      {journal && (
        <>
          <h3>Request journal</h3>
          <table class="list" aria-label="Request journal">
            <thead><tr><th scope="col">Time</th><th scope="col">Request</th><th scope="col">Status</th><th scope="col" class="wide">ms</th></tr></thead>
            <tbody>
              {journal.slice(0, 200).map((r) => <tr><td>{r.time}</td><td>{r.method} {r.path}</td><td>{r.status}</td><td class="wide">{r.duration_ms}</td></tr>)}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
