import { useEffect, useState } from 'preact/hooks';
import { ApiError, get } from './api.ts';
import { type Person, type Reference, nameOf } from './model.ts';
import { type Deal, DealsTable } from './deals-table.tsx';
import { Link } from './router.tsx';

interface Organization {
  id: number;
  name: string;
  owner_id: number;
  address: { value?: string | null } | null;
  add_time: string;
  people_count: number;
  open_deals_count: number;
  won_deals_count: number;
  lost_deals_count: number;
  notes_count: number;
  activities_count: number;
}

const COUNTS = 'people_count,open_deals_count,won_deals_count,lost_deals_count,notes_count,activities_count';

/** An organization: its fields and counts (include_fields), its persons and its deals, as the API shows them to the user. */
export function OrganizationPage({ id, reference }: { id: number; reference: Reference }) {
  const [org, setOrg] = useState<Organization | null>();
  const [persons, setPersons] = useState<Person[]>();
  const [deals, setDeals] = useState<Deal[]>();
  const [error, setError] = useState('');
  useEffect(() => {
    const failed = (caught: unknown) => setError(caught instanceof ApiError ? caught.message : String(caught));
    get<Organization>(`/api/v2/organizations/${id}?include_fields=${COUNTS}`).then(
      (e) => setOrg(e.data),
      (caught) => (caught instanceof ApiError && caught.status === 404 ? setOrg(null) : failed(caught)),
    );
    get<Person[]>(`/api/v2/persons?org_id=${id}&limit=100`).then((e) => setPersons(e.data), failed);
    get<Deal[]>(`/api/v2/deals?org_id=${id}&limit=100`).then((e) => setDeals(e.data), failed);
  }, [id]);

  if (error) return <p class="error" role="alert">{error}</p>;
  if (org === undefined) return <p role="status">Loading…</p>;
  if (org === null) return <section><h1>Organization not found</h1><p>There is no organization {id}, or it is not visible to you.</p><Link href="/organizations">Back to organizations</Link></section>;
  const rows: Array<[string, string]> = [
    ['Owner', nameOf(reference.users, org.owner_id) || '—'],
    ['Address', org.address?.value ?? '—'],
    ['Persons', String(org.people_count)],
    ['Deals', `${org.open_deals_count} open, ${org.won_deals_count} won, ${org.lost_deals_count} lost`],
    ['Notes', String(org.notes_count)],
    ['Activities', String(org.activities_count)],
    ['Created', org.add_time.replace('T', ' ').replace('Z', ' UTC')],
  ];
  return (
    <section aria-labelledby="org-title">
      <p><Link href="/organizations">← Organizations</Link></p>
      <h1 id="org-title">{org.name}</h1>
      <dl class="details">{rows.map(([label, value]) => <div><dt>{label}</dt><dd>{value}</dd></div>)}</dl>
      <h2>Persons</h2>
      {!persons ? <p role="status">Loading…</p> : persons.length === 0 ? <p>No persons.</p> : (
        <table class="list" aria-label="Persons of the organization">
          <thead><tr><th scope="col">Name</th><th scope="col">E-mail</th><th scope="col" class="wide">Job title</th></tr></thead>
          <tbody>
            {persons.map((p) => <tr key={p.id}><td><Link href={`/persons/${p.id}`}>{p.name}</Link></td><td>{p.emails.find((e) => e.primary)?.value ?? p.emails[0]?.value ?? ''}</td><td class="wide">{p.job_title ?? ''}</td></tr>)}
          </tbody>
        </table>
      )}
      <h2>Deals</h2>
      <DealsTable deals={deals} />
    </section>
  );
}
