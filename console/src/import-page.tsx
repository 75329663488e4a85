import { useState } from 'preact/hooks';
import { csrfToken, query } from './api.ts';
import { type Reference, customFields } from './model.ts';
import { Link } from './router.tsx';

/** The person fields a CSV column can be mapped to (the import API's targets). */
const TARGETS = [
  'name', 'first_name', 'last_name', 'email', 'phone', 'phone:mobile', 'im', 'org_name', 'owner_id', 'labels', 'notes', 'birthday', 'job_title',
  'marketing_status', 'visible_to', 'postal_address',
];

/** The header row of a CSV file: its first line, split on commas outside double quotes. */
export function csvHeader(text: string): string[] {
  const line = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') (cell += '"'), i++;
    else if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) cells.push(cell.trim()), (cell = '');
    else cell += c;
  }
  cells.push(cell.trim());
  return cells.filter((c) => c !== '');
}

interface ImportRow {
  row: number;
  line?: number;
  status: string;
  id?: number;
  reason?: string;
}

interface Report {
  created: number;
  updated: number;
  skipped: number;
  rejected: number;
  blank_rows: number;
  ignored_columns: string[];
  rows: ImportRow[];
}

/** Sends the file as the import API takes it (the raw CSV or vCard body), reporting upload progress. */
function upload(file: File, policy: string, mapping: Record<string, string>, onProgress: (fraction: number) => void): Promise<{ status: number; body: { success: boolean; data?: Report; error?: string } }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const explicit = Object.keys(mapping).length > 0 ? JSON.stringify(mapping) : undefined;
    xhr.open('POST', `/api/v2/persons/import${query({ duplicate_policy: policy, mapping: explicit })}`);
    xhr.setRequestHeader('content-type', /\.(vcf|vcard)$/i.test(file.name) ? 'text/vcard' : 'text/csv');
    xhr.setRequestHeader('x-csrf-token', csrfToken());
    xhr.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    xhr.onload = () => resolve({ status: xhr.status, body: JSON.parse(xhr.responseText || '{}') });
    xhr.onerror = () => reject(new Error('personsd could not be reached'));
    xhr.send(file);
  });
}

/**
 * CSV or vCard import: a file, the columns of a CSV mapped to person fields (by default each is read by its name),
 * the duplicate policy, a progress bar while it uploads and imports, then the per-row report.
 */
export function ImportPage({ reference }: { reference: Reference }) {
  const [columns, setColumns] = useState<string[]>([]);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const chosen = async (event: Event) => {
    const file = (event.target as HTMLInputElement).files?.[0];
    setMapping({});
    setColumns(file && !/\.(vcf|vcard)$/i.test(file.name) ? csvHeader(await file.slice(0, 65536).text()) : []);
  };
  const [progress, setProgress] = useState<number | undefined>(undefined);
  const [report, setReport] = useState<Report | undefined>(undefined);
  const [error, setError] = useState('');
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const file = form.get('file') as File | null;
    if (!file || file.size === 0) return setError('Choose a CSV or vCard file first');
    setError('');
    setReport(undefined);
    setProgress(0);
    try {
      const answer = await upload(file, String(form.get('policy') ?? ''), mapping, setProgress);
      if (answer.body.success && answer.body.data) setReport(answer.body.data);
      else setError(answer.body.error ?? `HTTP ${answer.status}`);
    } catch (caught) {
      setError(String((caught as Error).message));
    } finally {
      setProgress(undefined);
    }
  };
  const problems = report?.rows.filter((r) => r.status !== 'created' && r.status !== 'updated') ?? [];
  return (
    <section aria-labelledby="import-title">
      <h1 id="import-title">Import persons</h1>
      <p class="hint">A CSV file with a header row (columns named like the fields: name, email, phone, organization, …) or a vCard file. Each row is checked with the API's own rules; a bad row is reported and the others are imported.</p>
      <form class="inline-form" onSubmit={submit}>
        <label class="grow">File<input name="file" type="file" accept=".csv,.vcf,.vcard,text/csv,text/vcard" required onChange={chosen} /></label>
        <label>
          Duplicates
          <select name="policy">
            <option value="">Company setting</option>
            <option value="allow">Import anyway</option>
            <option value="reject">Skip them</option>
            <option value="upsert">Update the existing person</option>
          </select>
        </label>
        <button type="submit" disabled={progress !== undefined}>Import</button>
      </form>
      {columns.length > 0 && (
        <table class="list" aria-label="Column mapping">
          <thead><tr><th scope="col">Column</th><th scope="col">Imported as</th></tr></thead>
          <tbody>
            {columns.map((column) => (
              <tr key={column}>
                <th scope="row">{column}</th>
                <td>
                  <select aria-label={`Field for ${column}`} value={mapping[column] ?? ''} onChange={(e) => {
                    const value = (e.target as HTMLSelectElement).value;
                    const next = { ...mapping };
                    if (value) next[column] = value;
                    else delete next[column];
                    setMapping(next);
                  }}>
                    <option value="">By its name</option>
                    <option value="ignore">Ignore</option>
                    {TARGETS.map((t) => <option value={t}>{t}</option>)}
                    {customFields(reference).map((f) => <option value={f.field_code}>{f.field_name}</option>)}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {progress !== undefined && (
        <p><label>{progress < 1 ? 'Uploading' : 'Importing'} <progress max={1} value={progress < 1 ? progress : undefined} /></label></p>
      )}
      {error && <p class="error" role="alert">{error}</p>}
      {report && (
        <div role="region" aria-label="Import report">
          <p role="status">
            {report.created} created, {report.updated} updated, {report.skipped} skipped, {report.rejected} rejected
            {report.blank_rows > 0 ? `, ${report.blank_rows} blank rows` : ''}.
            {report.ignored_columns.length > 0 ? ` Ignored columns: ${report.ignored_columns.join(', ')}.` : ''}
          </p>
          {problems.length > 0 && (
            <table class="list" aria-label="Rows not imported">
              <thead><tr><th scope="col">Row</th><th scope="col">Line</th><th scope="col">Status</th><th scope="col">Why</th></tr></thead>
              <tbody>
                {problems.map((r) => <tr><td>{r.row}</td><td>{r.line ?? ''}</td><td>{r.status}</td><td>{r.reason ?? ''}{r.id ? <> (<Link href={`/persons/${r.id}`}>person {r.id}</Link>)</> : null}</td></tr>)}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}
