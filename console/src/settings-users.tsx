import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, get } from './api.ts';

interface UserRow {
  id: number;
  name: string;
  email: string;
  is_admin: boolean | number;
  active_flag: boolean;
  last_login: string | null;
}

/** The company's users, for admins: add users, deactivate and reactivate them, and make console invite links. */
export function UsersSettings({ selfId }: { selfId: number }) {
  const [users, setUsers] = useState<UserRow[]>();
  const [error, setError] = useState('');
  const [invite, setInvite] = useState<{ name: string; url: string }>();
  const [version, setVersion] = useState(0);
  const failed = (caught: unknown) => setError(caught instanceof ApiError ? caught.message : String(caught));
  useEffect(() => void get<UserRow[]>('/v1/users').then((e) => setUsers(e.data), failed), [version]);

  const act = (work: Promise<unknown>) => work.then(() => (setError(''), setVersion((v) => v + 1)), failed);
  const add = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    await act(api('POST', '/v1/users', { name: data.get('name'), email: data.get('email'), is_admin: data.get('admin') === 'on' }).then(() => form.reset()));
  };
  const makeInvite = (user: UserRow) =>
    api<{ url: string }>('POST', `/v1/users/${user.id}/invite`).then((e) => (setError(''), setInvite({ name: user.name, url: e.data.url })), failed);
  const setActive = (user: UserRow, active: boolean) => {
    if (!active && !confirm(`Deactivate ${user.name}? Their API token and console sessions stop working until they are activated again.`)) return;
    setInvite(undefined);
    act(api('PUT', `/v1/users/${user.id}`, { active_flag: active }));
  };

  return (
    <>
      <form class="inline-form" onSubmit={add} aria-label="New user">
        <label class="grow">Name<input name="name" type="text" required /></label>
        <label class="grow">E-mail<input name="email" type="email" required /></label>
        <label class="inline"><input name="admin" type="checkbox" /> Admin</label>
        <button type="submit">Add user</button>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      {invite && (
        <div class="notice" role="status">
          <p>Send this link to {invite.name}: it works once, for 7 days, and lets them choose a password and sign in.</p>
          <input type="text" readOnly value={invite.url} aria-label="Invite link" onFocus={(e) => (e.target as HTMLInputElement).select()} />
          <button type="button" class="quiet" onClick={() => void navigator.clipboard?.writeText(invite.url).catch(() => {})}>Copy link</button>
        </div>
      )}
      {!users ? <p role="status">Loading…</p> : (
        <table class="list" aria-label="Users">
          <thead><tr><th scope="col">Name</th><th scope="col">E-mail</th><th scope="col">Role</th><th scope="col">Active</th><th scope="col" class="wide">Last sign-in (UTC)</th><th scope="col">Actions</th></tr></thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td>{u.name}{u.id === selfId && <span class="tag">you</span>}</td>
                <td>{u.email}</td>
                <td>{u.is_admin ? 'admin' : 'user'}</td>
                <td>{u.active_flag ? 'yes' : 'no'}</td>
                <td class="wide">{u.last_login ?? 'never'}</td>
                <td class="buttons">
                  {u.id !== selfId && (
                    <button type="button" class="quiet" onClick={() => setActive(u, !u.active_flag)}>
                      {u.active_flag ? `Deactivate ${u.name}` : `Activate ${u.name}`}
                    </button>
                  )}
                  {u.active_flag && <button type="button" class="quiet" onClick={() => makeInvite(u)}>{`Invite link for ${u.name}`}</button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
