import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, get } from './api.ts';
import type { Session } from './app.tsx';

export function InvitePage({ secret, onSignedIn }: { secret: string; onSignedIn: (session: Session) => void }) {
  const [invitee, setInvitee] = useState<{ name: string; email: string } | null | undefined>(undefined);
  const [error, setError] = useState('');
  useEffect(() => {
    get<{ name: string; email: string }>(`/console/api/invites/${encodeURIComponent(secret)}`).then((e) => setInvitee(e.data), () => setInvitee(null));
  }, [secret]);
  if (invitee === undefined) return <p role="status">Loading…</p>;
  if (invitee === null) return <main class="sign-in"><p class="error" role="alert">This invite link was used already, expired, or is mistyped. Ask for a new one.</p></main>;
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    if (form.get('password') !== form.get('again')) return setError('The two passwords differ');
    try {
      onSignedIn((await api<Session>('POST', `/console/api/invites/${encodeURIComponent(secret)}`, { password: form.get('password') })).data);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : 'personsd could not be reached');
    }
  };
  return (
    <main class="sign-in">
      <form onSubmit={submit}>
        <h1>Welcome, {invitee.name}</h1>
        <p>Choose a password for {invitee.email}.</p>
        <label>New password<input name="password" type="password" autocomplete="new-password" minLength={8} required /></label>
        <label>Repeat it<input name="again" type="password" autocomplete="new-password" minLength={8} required /></label>
        {error && <p class="error" role="alert">{error}</p>}
        <button type="submit">Set password and sign in</button>
      </form>
    </main>
  );
}
