import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, get } from './api.ts';
import type { Person } from './model.ts';
import { Link } from './router.tsx';

interface Duplicate {
  id: number;
  name: string;
  score: number;
  rule: string;
  matches: Array<{ rule: string; value?: string }>;
}

interface Source {
  field: string;
  value: unknown;
  source: 'id' | 'merge_with_id' | 'both' | null;
}

/** A person's value of a field the merge preview names, as text (lists: their values). */
function valueOf(person: Person | undefined, field: string): string {
  const value = person ? (person as unknown as Record<string, unknown>)[field] : undefined;
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' && v ? (v as { value: string }).value : String(v))).join(', ') || '—';
  return shown(value);
}

const ruleText = (rule: string) => rule.replace(/_/g, ' ');
const shown = (value: unknown) => (value === null || value === undefined || value === '' ? '—' : typeof value === 'object' ? ((value as { value?: string }).value ?? JSON.stringify(value)) : String(value));

/**
 * The persons that look like duplicates of this one, with the rule and score that matched; a merge is previewed
 * first (the API's dry run: the merged person and where each value comes from), then done, and can be undone.
 */
export function Duplicates({ person, onChanged }: { person: Person; onChanged: () => void }) {
  const [duplicates, setDuplicates] = useState<Duplicate[] | undefined>(undefined);
  const [preview, setPreview] = useState<{ other: Duplicate; otherPerson: Person; sources: Source[] } | undefined>(undefined);
  const [merged, setMerged] = useState<Duplicate | undefined>(undefined);
  const [error, setError] = useState('');
  const load = () => get<Duplicate[]>(`/api/v2/persons/${person.id}/duplicates`).then((e) => setDuplicates(e.data), () => setDuplicates([]));
  useEffect(() => void load(), [person.id]);

  const run = async (work: () => Promise<void>) => {
    setError('');
    try {
      await work();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
    }
  };
  const showPreview = (other: Duplicate) =>
    run(async () => {
      const [answer, otherPerson] = await Promise.all([api<unknown>('PUT', `/v1/persons/${other.id}/merge?dry_run=true`, { merge_with_id: person.id }), get<Person>(`/api/v2/persons/${other.id}`)]);
      setPreview({ other, otherPerson: otherPerson.data, sources: (answer.additional_data as { sources?: Source[] } | undefined)?.sources ?? [] });
    });
  const merge = (other: Duplicate) =>
    run(async () => {
      await api('PUT', `/v1/persons/${other.id}/merge`, { merge_with_id: person.id });
      setPreview(undefined);
      setMerged(other);
      onChanged();
      await load();
    });
  const undo = (other: Duplicate) =>
    run(async () => {
      await api('POST', `/api/v2/persons/${person.id}/unmerge?merged_id=${other.id}`);
      setMerged(undefined);
      onChanged();
      await load();
    });

  return (
    <section aria-labelledby="duplicates-title">
      <h2 id="duplicates-title">Possible duplicates</h2>
      {error && <p class="error" role="alert">{error}</p>}
      {merged && (
        <p class="notice" role="status">
          {merged.name} was merged into {person.name}. <button type="button" class="quiet" onClick={() => undo(merged)}>Undo merge</button>
        </p>
      )}
      {duplicates === undefined ? (
        <p role="status">Looking…</p>
      ) : duplicates.length === 0 ? (
        <p>No person looks like a duplicate of this one.</p>
      ) : (
        <table class="list" aria-label="Possible duplicates">
          <thead><tr><th scope="col">Person</th><th scope="col">Why</th><th scope="col">Score</th><th scope="col"><span class="sr-only">Action</span></th></tr></thead>
          <tbody>
            {duplicates.map((d) => (
              <tr key={d.id}>
                <td><Link href={`/persons/${d.id}`}>{d.name}</Link></td>
                <td>{d.matches.map((m) => ruleText(m.rule)).join(', ')}</td>
                <td>{Math.round(d.score * 100)}%</td>
                <td><button type="button" class="quiet" onClick={() => showPreview(d)}>Merge…</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {preview && (
        <div class="merge-preview" role="region" aria-label="Merge preview">
          <h3>Merge {preview.other.name} into {person.name}?</h3>
          <p class="hint">A dry run: nothing changed yet. {person.name} stays; its values win where both have one; lists are combined.</p>
          <table class="list" aria-label="Merged person">
            <thead><tr><th scope="col">Field</th><th scope="col">{person.name} (stays)</th><th scope="col">{preview.other.name} (merged away)</th><th scope="col">After the merge</th></tr></thead>
            <tbody>
              {collapse(preview.sources).map(([field, after, from]) => (
                <tr><th scope="row">{field}</th><td>{valueOf(person, field)}</td><td>{valueOf(preview.otherPerson, field)}</td><td>{after} {from && <span class="tag">{from === 'id' ? 'from ' + preview.other.name : from === 'merge_with_id' ? 'kept' : 'both'}</span>}</td></tr>
              ))}
            </tbody>
          </table>
          <div class="actions">
            <button type="button" onClick={() => merge(preview.other)}>Merge</button>
            <button type="button" class="quiet" onClick={() => setPreview(undefined)}>Cancel</button>
          </div>
        </div>
      )}
    </section>
  );
}

/** One row per field: list items (e-mails, phones) joined, with where each came from. */
function collapse(sources: Source[]): Array<[string, string, string]> {
  const rows = new Map<string, { values: string[]; from: Set<string> }>();
  for (const s of sources) {
    if (s.field === 'picture_id' && s.value === null) continue;
    const row = rows.get(s.field) ?? { values: [], from: new Set<string>() };
    if (s.value !== null && s.value !== undefined) row.values.push(shown(s.value));
    if (s.source) row.from.add(s.source);
    rows.set(s.field, row);
  }
  return [...rows].map(([field, row]) => [field, row.values.join(', ') || '—', row.from.size === 1 ? [...row.from][0] : row.from.size > 1 ? 'both' : '']);
}
