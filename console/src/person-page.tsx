import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, get } from './api.ts';
import { customValueText } from './custom-field-input.tsx';
import { type Contact, type Person, type Reference, VISIBILITY, customFields, labelsField, nameOf } from './model.ts';
import { Duplicates } from './duplicates.tsx';
import { PersonForm } from './person-form.tsx';
import { PersonRelated } from './person-related.tsx';
import { PictureEditor } from './picture-editor.tsx';
import { Link, navigate } from './router.tsx';

interface Change {
  field_key: string;
  old_value: string | null;
  new_value: string | null;
  actor_user_id: number;
  time: string;
}

function Contacts({ list }: { list: Contact[] }) {
  if (list.length === 0) return <>—</>;
  return (
    <ul class="plain">
      {list.map((c) => <li>{c.value} <span class="tag">{c.label}</span>{c.primary && <span class="tag primary">primary</span>}</li>)}
    </ul>
  );
}

/** A person with every field, its deals, activities, notes, followers and history; Edit turns the page into the form, Delete asks first. */
export function PersonPage({ id, reference }: { id?: number; reference: Reference }) {
  const [person, setPerson] = useState<Person | null | undefined>(undefined);
  const [editing, setEditing] = useState(id === undefined);
  const [followers, setFollowers] = useState<Array<{ user_id: number }>>([]);
  const [history, setHistory] = useState<Change[]>([]);
  const [error, setError] = useState('');
  const [version, setVersion] = useState(0);

  useEffect(() => {
    if (id === undefined) return;
    get<Person>(`/api/v2/persons/${id}`).then(
      (e) => setPerson(e.data),
      (caught) => (caught instanceof ApiError && caught.status === 404 ? setPerson(null) : setError(String(caught.message))),
    );
    get<Array<{ user_id: number }>>(`/api/v2/persons/${id}/followers`).then((e) => setFollowers(e.data), () => {});
    get<Change[]>(`/v1/persons/${id}/changelog?limit=20`).then((e) => setHistory(e.data), () => {});
  }, [id, editing, version]);

  if (id === undefined) {
    return (
      <section aria-labelledby="person-title">
        <h1 id="person-title">New person</h1>
        <PersonForm reference={reference} ownerId={reference.users[0]?.id ?? 0} onSaved={(p) => navigate(`/persons/${p.id}`, true)} onCancel={() => navigate('/')} />
      </section>
    );
  }
  if (error) return <p class="error" role="alert">{error}</p>;
  if (person === undefined) return <p role="status">Loading…</p>;
  if (person === null) return <section><h1>Person not found</h1><p>There is no person {id}, or it is not visible to you.</p><Link href="/">Back to persons</Link></section>;

  const remove = async () => {
    if (!confirm(`Delete ${person.name}? It can be restored for 30 days only through the API's merge undo or a backup.`)) return;
    await api('DELETE', `/api/v2/persons/${person.id}`);
    navigate('/', true);
  };
  const labels = labelsField(reference)?.options ?? [];
  const rows: Array<[string, preact.ComponentChildren]> = [
    ['First name', person.first_name ?? '—'],
    ['Last name', person.last_name ?? '—'],
    ['Organization', person.org_id ? nameOf(reference.organizations, person.org_id) : '—'],
    ['Owner', nameOf(reference.users, person.owner_id) || '—'],
    ['Visible to', VISIBILITY[person.visible_to] ?? String(person.visible_to)],
    ['E-mails', <Contacts list={person.emails} />],
    ['Phones', <Contacts list={person.phones} />],
    ['Instant messengers', <Contacts list={person.im} />],
    ['Labels', person.label_ids.map((l) => labels.find((o) => o.id === l)?.label ?? `#${l}`).join(', ') || '—'],
    ['Job title', person.job_title ?? '—'],
    ['Birthday', person.birthday ?? '—'],
    ['Postal address', person.postal_address?.value ?? '—'],
    ['Notes', person.notes ?? '—'],
    ...customFields(reference).map((f): [string, string] => [f.field_name, customValueText(f, person.custom_fields[f.field_code])]),
    ['Created', person.add_time.replace('T', ' ').replace('Z', ' UTC')],
    ['Updated', person.update_time.replace('T', ' ').replace('Z', ' UTC')],
  ];
  return (
    <section aria-labelledby="person-title">
      <p><Link href="/">← Persons</Link></p>
      <div class="title-row">
        <h1 id="person-title">{person.name}</h1>
        {!editing && (
          <span class="buttons">
            <button type="button" onClick={() => setEditing(true)}>Edit</button>
            <button type="button" class="danger" onClick={remove}>Delete</button>
          </span>
        )}
      </div>
      {editing ? (
        <PersonForm person={person} reference={reference} ownerId={person.owner_id ?? 0} onSaved={(p) => (setPerson(p), setEditing(false))} onCancel={() => setEditing(false)} />
      ) : (
        <>
          <PictureEditor personId={person.id} hasPicture={person.picture_id != null} onChanged={() => setVersion(version + 1)} />
          <dl class="details">
            {rows.map(([label, value]) => <div><dt>{label}</dt><dd>{value}</dd></div>)}
          </dl>
          <PersonRelated personId={person.id} reference={reference} />
          <h2>Followers</h2>
          <p>{followers.length === 0 ? 'Nobody follows this person.' : followers.map((f) => nameOf(reference.users, f.user_id)).join(', ')}</p>
          <Duplicates person={person} onChanged={() => setVersion(version + 1)} />
          <h2>History</h2>
          {history.length === 0 ? (
            <p>No changes yet.</p>
          ) : (
            <table class="list" aria-label="History">
              <thead><tr><th scope="col">When</th><th scope="col">Field</th><th scope="col">From</th><th scope="col">To</th><th scope="col" class="wide">By</th></tr></thead>
              <tbody>
                {history.map((c) => <tr><td>{c.time.slice(0, 16)}</td><td>{c.field_key}</td><td>{c.old_value ?? '—'}</td><td>{c.new_value ?? '—'}</td><td class="wide">{nameOf(reference.users, c.actor_user_id)}</td></tr>)}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
