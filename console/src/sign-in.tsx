import { useState } from 'preact/hooks';
import { ApiError, api } from './api.ts';
import type { Session } from './app.tsx';

export function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setError('');
    try {
      const envelope = await api<Session>('POST', '/console/api/sign-in', { email: form.get('email'), password: form.get('password') });
      onSignedIn(envelope.data);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : 'personsd could not be reached');
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="sign-in">
      <form onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in to personsd</h1>
        <label>
          E-mail
          <input name="email" type="email" autocomplete="username" required autoFocus />
        </label>
        <label>
          Password
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        {error && <p class="error" role="alert">{error}</p>}
        <button type="submit" disabled={busy}>Sign in</button>
        <p class="hint">No password yet? An operator sets one with <code>personsd user set-password</code>, or sends you an invite link.</p>
      </form>
    </main>
  );
}
