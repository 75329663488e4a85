import { useState } from 'preact/hooks';
import { ApiError, api } from './api.ts';
import { type Reference, nameOf } from './model.ts';
import { Link } from './router.tsx';

/** The organizations (the first 500, as the reference data holds them), each linking to its page; a quick add. */
export function OrganizationsPage({ reference, reloadReference }: { reference: Reference; reloadReference: () => void }) {
  const [error, setError] = useState('');
  const add = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const name = new FormData(form).get('name');
    try {
      await api('POST', '/api/v2/organizations', { name });
      form.reset();
      setError('');
      reloadReference();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
    }
  };
  return (
    <section aria-labelledby="orgs-title">
      <h1 id="orgs-title">Organizations</h1>
      <form class="inline-form" onSubmit={add}>
        <label class="grow">New organization<input name="name" type="text" required aria-describedby={error ? 'org-error' : undefined} /></label>
        <button type="submit">Add</button>
      </form>
      {error && <p class="field-error" id="org-error" role="alert">{error}</p>}
      <table class="list" aria-label="Organizations">
        <thead><tr><th scope="col">Name</th><th scope="col">Owner</th></tr></thead>
        <tbody>
          {reference.organizations.map((o) => <tr key={o.id}><td><Link href={`/organizations/${o.id}`}>{o.name}</Link></td><td>{nameOf(reference.users, o.owner_id)}</td></tr>)}
        </tbody>
      </table>
    </section>
  );
}
