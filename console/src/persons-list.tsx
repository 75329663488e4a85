import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, get, query } from './api.ts';
import { type Person, type Reference, labelsField, nameOf } from './model.ts';
import { Link, navigate } from './router.tsx';

interface Row {
  id: number;
  name: string;
  email: string;
  phone: string;
  org: string;
  owner: string;
  updated: string;
}

interface SearchItem {
  item: { id: number; name: string; emails?: string[]; phones?: string[]; owner?: { id: number } | null; organization?: { id: number; name: string } | null };
}

const PAGE = 50;
const SORTS: Record<string, string> = { 'id:asc': 'Oldest first', 'id:desc': 'Newest first', 'update_time:desc': 'Recently updated', 'update_time:asc': 'Least recently updated' };

const primary = (list: { value: string; primary: boolean }[]) => (list.find((c) => c.primary) ?? list[0])?.value ?? '';

/**
 * The persons list: a page at a time by the v2 API's cursors (Previous keeps the cursors already seen), sorted and
 * filtered by owner and organization; typing in the search box switches to the search API's ranking, as you type.
 */
export function PersonsList({ reference }: { reference: Reference }) {
  const params = new URLSearchParams(location.search);
  const [term, setTerm] = useState(params.get('q') ?? '');
  const [owner, setOwner] = useState(params.get('owner') ?? '');
  const [org, setOrg] = useState(params.get('org') ?? '');
  const [filter, setFilter] = useState(params.get('filter') ?? '');
  const [label, setLabel] = useState(params.get('label') ?? '');
  const [savedFilters, setSavedFilters] = useState<Array<{ id: number; name: string }>>([]);
  const [sort, setSort] = useState(params.get('sort') ?? 'id:asc');
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const [rows, setRows] = useState<Row[] | undefined>(undefined);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState('');
  const latest = useRef(0);
  const filtered = useRef(false);
  const searching = term.trim().length >= 2;

  // Filters in the address, so a reload or the back button keeps them.
  useEffect(() => {
    const search = query({ q: term || undefined, owner, org, filter, label, sort: sort === 'id:asc' ? undefined : sort });
    if (search !== location.search) history.replaceState(null, '', `/${search}`);
    // On mount the cursors are already at the first page; resetting them would load that page twice.
    if (!filtered.current) filtered.current = true;
    else setCursors([undefined]);
  }, [term, owner, org, filter, label, sort]);

  useEffect(() => void get<Array<{ id: number; name: string }> | null>('/v1/filters?type=people').then((e) => setSavedFilters(e.data ?? []), () => {}), []);

  useEffect(() => {
    const request = ++latest.current;
    const cursor = cursors[cursors.length - 1];
    const [sortBy, direction] = sort.split(':');
    const load = searching
      ? get<{ items: SearchItem[] }>(`/api/v2/persons/search${query({ term: term.trim(), organization_id: org, limit: PAGE, cursor })}`).then((envelope) => ({
          rows: envelope.data.items
            .map(({ item }) => item)
            .filter((item) => !owner || item.owner?.id === Number(owner))
            .map((item) => ({ id: item.id, name: item.name, email: item.emails?.[0] ?? '', phone: item.phones?.[0] ?? '', org: item.organization?.name ?? '', owner: nameOf(reference.users, item.owner?.id), updated: '' })),
          next: envelope.additional_data?.next_cursor ?? null,
        }))
      : get<Person[]>(`/api/v2/persons${query({ filter_id: filter, label_id: label, owner_id: owner, org_id: org, sort_by: sortBy, sort_direction: direction, limit: PAGE, cursor })}`).then((envelope) => ({
          rows: envelope.data.map((p) => ({ id: p.id, name: p.name, email: primary(p.emails), phone: primary(p.phones), org: nameOf(reference.organizations, p.org_id), owner: nameOf(reference.users, p.owner_id), updated: p.update_time.slice(0, 16).replace('T', ' ') })),
          next: envelope.additional_data?.next_cursor ?? null,
        }));
    load.then(
      (page) => {
        // An older request answering after a newer one (typing fast) is dropped.
        if (request !== latest.current) return;
        setRows(page.rows);
        setNext(page.next);
        setError('');
      },
      (caught) => request === latest.current && setError(caught instanceof ApiError ? caught.message : String(caught)),
    );
  }, [cursors]);

  return (
    <section aria-labelledby="persons-title">
      <div class="title-row">
        <h1 id="persons-title">Persons</h1>
        <span class="buttons">
          <a class="button quiet" href={`/api/v2/persons/export${query({ filter_id: filter, label_id: label, owner_id: owner, org_id: org })}`} download="persons.csv">Export CSV</a>
          <button type="button" onClick={() => navigate('/persons/new')}>New person</button>
        </span>
      </div>
      <div class="filters" role="search">
        <label class="grow">
          Search
          <input type="search" value={term} placeholder="Name, e-mail, phone…" onInput={(e) => setTerm((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Owner
          <select value={owner} onChange={(e) => setOwner((e.target as HTMLSelectElement).value)}>
            <option value="">Anyone</option>
            {reference.users.map((u) => <option value={u.id}>{u.name}</option>)}
          </select>
        </label>
        <label>
          Organization
          <select value={org} onChange={(e) => setOrg((e.target as HTMLSelectElement).value)}>
            <option value="">Any</option>
            {reference.organizations.map((o) => <option value={o.id}>{o.name}</option>)}
          </select>
        </label>
        <label>
          Label
          <select value={label} disabled={searching} onChange={(e) => setLabel((e.target as HTMLSelectElement).value)}>
            <option value="">Any</option>
            {(labelsField(reference)?.options ?? []).map((o) => <option value={o.id}>{o.label}</option>)}
          </select>
        </label>
        <label>
          Saved filter
          <select value={filter} disabled={searching} onChange={(e) => setFilter((e.target as HTMLSelectElement).value)}>
            <option value="">None</option>
            {savedFilters.map((f) => <option value={f.id}>{f.name}</option>)}
          </select>
        </label>
        <label>
          Sort
          <select value={sort} disabled={searching} onChange={(e) => setSort((e.target as HTMLSelectElement).value)}>
            {Object.entries(SORTS).map(([value, label]) => <option value={value}>{label}</option>)}
          </select>
        </label>
      </div>
      {searching && <p class="hint">Ranked by the search API: exact matches first, then words starting with “{term.trim()}”.</p>}
      {error && <p class="error" role="alert">{error}</p>}
      {!rows ? (
        <p role="status">Loading…</p>
      ) : rows.length === 0 ? (
        <p role="status">No persons{searching ? ` match “${term.trim()}”` : ''}.</p>
      ) : (
        <table class="list" aria-label="Persons">
          <thead>
            <tr><th scope="col">Name</th><th scope="col">E-mail</th><th scope="col" class="wide">Phone</th><th scope="col" class="wide">Organization</th><th scope="col" class="wide">Owner</th>{!searching && <th scope="col" class="wide">Updated</th>}</tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id}>
                <td><Link href={`/persons/${row.id}`}>{row.name}</Link></td>
                <td>{row.email}</td>
                <td class="wide">{row.phone}</td>
                <td class="wide">{row.org}</td>
                <td class="wide">{row.owner}</td>
                {!searching && <td class="wide">{row.updated}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav class="pager" aria-label="Pages">
        <button type="button" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>Previous</button>
        <span>Page {cursors.length}</span>
        <button type="button" disabled={!next} onClick={() => next && setCursors([...cursors, next])}>Next</button>
      </nav>
    </section>
  );
}
