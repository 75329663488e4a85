import { useState } from 'preact/hooks';

interface JournalEntry {
  method: string;
  path: string;
  query: Record<string, unknown>;
  headers: Record<string, unknown>;
  body: unknown;
  status: number;
  duration_ms: number;
  time: string;
}

interface FaultRule {
  id: number;
  type: string;
  [key: string]: unknown;
}

/** The journal's entries as personsd masked them; headers that carry credentials are masked here again, whatever came. */
const SECRET_HEADERS = /^(x-api-token|authorization|proxy-authorization|cookie|set-cookie|x-personsd-admin-token|x-csrf-token)$/i;
const masked = (headers: Record<string, unknown>) => Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, SECRET_HEADERS.test(name) ? '***' : value]));

class AdminError extends Error {}

/**
 * For developers running personsd in their tests (shown only when personsd runs with PERSONSD_ADMIN_TOKEN): the admin
 * API's request journal and fault rules. The admin token is typed here and kept in this page's memory only; the
 * journal is the installation's, with credentials masked by personsd.
 */
export function DeveloperSettings() {
  const [token, setToken] = useState('');
  const [journal, setJournal] = useState<JournalEntry[]>();
  const [rules, setRules] = useState<FaultRule[]>();
  const [filter, setFilter] = useState({ method: '', path: '', status: '' });
  const [message, setMessage] = useState('');
  const [ruleError, setRuleError] = useState('');

  const admin = async <T,>(method: string, path: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = { 'x-personsd-admin-token': token, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (response.status === 404) throw new AdminError('The admin API is off: personsd runs without PERSONSD_ADMIN_TOKEN.');
    if (response.status === 401) throw new AdminError('Wrong admin token.');
    const json = (await response.json().catch(() => ({}))) as { data?: T; error?: string; message?: string };
    if (!response.ok) throw new AdminError(json.error ?? json.message ?? `HTTP ${response.status}`);
    return json.data as T;
  };
  const attempt = (work: () => Promise<void>, show = setMessage) => work().then(() => show(''), (caught) => show(caught instanceof Error ? caught.message : String(caught)));
  const journalQuery = () => {
    const params = new URLSearchParams(Object.entries(filter).filter(([, value]) => value !== ''));
    return params.size ? `?${params}` : '';
  };
  const loadJournal = async () => setJournal(await admin<JournalEntry[]>('GET', `/_personsd/requests${journalQuery()}`));
  const loadRules = async () => setRules(await admin<FaultRule[]>('GET', '/_personsd/faults'));
  const loadAll = (event: Event) => {
    event.preventDefault();
    attempt(async () => void (await Promise.all([loadJournal(), loadRules()])));
  };
  const addRule = (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const text = String(new FormData(form).get('rule') ?? '');
    attempt(async () => {
      let rule: unknown;
      try {
        rule = JSON.parse(text);
      } catch {
        throw new AdminError('The rule is not JSON: see the README, section Faults.');
      }
      await admin('POST', '/_personsd/faults', rule);
      form.reset();
      await loadRules();
    }, setRuleError);
  };
  const removeRules = () => confirm('Remove every fault rule?') && attempt(async () => (await admin('DELETE', '/_personsd/faults'), await loadRules()));
  const clearJournal = () => attempt(async () => (await admin('DELETE', '/_personsd/requests'), await loadJournal()));
  const filterField = (name: keyof typeof filter) => ({ value: filter[name], onInput: (e: Event) => setFilter({ ...filter, [name]: (e.target as HTMLInputElement).value }) });

  return (
    <>
      <form class="inline-form" onSubmit={loadAll} aria-label="Admin API">
        <label class="grow">Admin token<input type="password" value={token} autoComplete="off" onInput={(e) => setToken((e.target as HTMLInputElement).value)} required /></label>
        <button type="submit">Show journal and faults</button>
      </form>
      {message && <p class="error" role="alert">{message}</p>}
      {rules && (
        <section aria-labelledby="faults-title">
          <h3 id="faults-title">Fault rules</h3>
          {rules.length === 0 ? <p>No fault rules.</p> : (
            <table class="list" aria-label="Fault rules">
              <thead><tr><th scope="col">Id</th><th scope="col">Type</th><th scope="col">Rule and counts</th></tr></thead>
              <tbody>
                {rules.map(({ id, type, ...rule }) => <tr key={id}><td>{id}</td><td>{type}</td><td><code>{JSON.stringify(rule)}</code></td></tr>)}
              </tbody>
            </table>
          )}
          <form onSubmit={addRule} aria-label="New fault rule">
            <label>Rule (JSON, one rule or a list)<textarea name="rule" rows={3} required placeholder='{ "method": "GET", "path": "/api/v2/persons/*", "status": 429, "times": 1 }' aria-describedby={ruleError ? 'rule-error' : undefined} /></label>
            {ruleError && <p class="field-error" id="rule-error" role="alert">{ruleError}</p>}
            <div class="buttons">
              <button type="submit">Add fault rule</button>
              {rules.length > 0 && <button type="button" class="quiet danger" onClick={removeRules}>Remove all fault rules</button>}
            </div>
          </form>
        </section>
      )}
      {journal && (
        <section aria-labelledby="journal-title">
          <h3 id="journal-title">Request journal</h3>
          <form class="inline-form" aria-label="Journal filter" onSubmit={(e) => (e.preventDefault(), attempt(loadJournal))}>
            <label>Method<input type="text" size={7} {...filterField('method')} /></label>
            <label class="grow">Path (* matches anything)<input type="text" {...filterField('path')} /></label>
            <label>Status<input type="number" min={100} max={599} {...filterField('status')} /></label>
            <button type="submit">Filter</button>
            <button type="button" class="quiet danger" onClick={clearJournal}>Empty the journal</button>
          </form>
          {journal.length === 0 ? <p>No requests recorded.</p> : (
            <table class="list" aria-label="Request journal">
              <thead><tr><th scope="col">Time</th><th scope="col">Request</th><th scope="col">Status</th><th scope="col" class="wide">ms</th></tr></thead>
              <tbody>
                {journal.slice(0, 200).map((r) => (
                  <tr>
                    <td>{r.time}</td>
                    <td>
                      <details>
                        <summary>{r.method} {r.path}</summary>
                        <pre>{JSON.stringify({ query: r.query, headers: masked(r.headers), body: r.body }, null, 2)}</pre>
                      </details>
                    </td>
                    <td>{r.status}</td>
                    <td class="wide">{r.duration_ms}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {journal.length > 200 && <p>The newest 200 of {journal.length} requests; filter to see others.</p>}
        </section>
      )}
    </>
  );
}
