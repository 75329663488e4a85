import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, get, setCsrfToken, whenSignedOut } from './api.ts';
import { type Reference, loadReference } from './model.ts';
import { ImportPage } from './import-page.tsx';
import { InvitePage } from './invite.tsx';
import { OrganizationPage } from './organization-page.tsx';
import { OrganizationsPage } from './organizations.tsx';
import { PersonPage } from './person-page.tsx';
import { PersonsList } from './persons-list.tsx';
import { Link, navigate, usePath } from './router.tsx';
import { SettingsPage } from './settings.tsx';
import { SignIn } from './sign-in.tsx';

export interface Session {
  user: { id: number; name: string; email: string; is_admin: boolean };
  company_id: number;
  csrf_token: string;
  /** Whether personsd runs with its admin API (the Developer tab). */
  admin_api: boolean;
}

export function App() {
  const path = usePath();
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [reference, setReference] = useState<Reference | undefined>(undefined);

  useEffect(() => {
    whenSignedOut(() => setSession(null));
    get<Session>('/console/api/session')
      .then((envelope) => signedIn(envelope.data))
      .catch(() => setSession(null));
  }, []);

  const signedIn = (value: Session) => {
    // Back to the OAuth consent page that sent the user here to sign in (only there: no open redirect).
    const next = new URLSearchParams(location.search).get('next');
    if (next?.startsWith('/oauth/authorize?')) return location.assign(next);
    setCsrfToken(value.csrf_token);
    setSession(value);
    loadReference().then(setReference, () => {});
  };
  const reloadReference = () => loadReference().then(setReference, () => {});

  if (path.startsWith('/invite/')) return <InvitePage secret={path.slice('/invite/'.length)} onSignedIn={(s) => (signedIn(s), navigate('/', true))} />;
  if (session === undefined) return <p class="loading" role="status">Loading…</p>;
  if (session === null) return <SignIn onSignedIn={signedIn} />;

  const signOut = async () => {
    await api('POST', '/console/api/sign-out').catch((error) => (error instanceof ApiError ? undefined : Promise.reject(error)));
    setSession(null);
    navigate('/', true);
  };
  const section = path.startsWith('/organizations') ? 'organizations' : path.startsWith('/import') ? 'import' : path.startsWith('/settings') ? 'settings' : 'persons';
  return (
    <div class="shell">
      <a class="skip" href="#main">Skip to content</a>
      <header class="top">
        <span class="brand">personsd</span>
        <nav aria-label="Main">
          <Link href="/" aria-current={section === 'persons' ? 'page' : undefined}>Persons</Link>
          <Link href="/organizations" aria-current={section === 'organizations' ? 'page' : undefined}>Organizations</Link>
          <Link href="/import" aria-current={section === 'import' ? 'page' : undefined}>Import</Link>
          <Link href="/settings" aria-current={section === 'settings' ? 'page' : undefined}>Settings</Link>
        </nav>
        <span class="who">{session.user.name}</span>
        <button type="button" class="quiet" onClick={signOut}>Sign out</button>
      </header>
      <main id="main" tabIndex={-1}>
        {!reference ? <p role="status">Loading…</p> : <Page path={path} reference={reference} reloadReference={reloadReference} session={{ userId: session.user.id, isAdmin: session.user.is_admin, adminApi: session.admin_api }} />}
      </main>
    </div>
  );
}

function Page({ path, reference, reloadReference, session }: { path: string; reference: Reference; reloadReference: () => void; session: { userId: number; isAdmin: boolean; adminApi: boolean } }) {
  const pathname = path.split('?')[0];
  const person = /^\/persons\/(\d+|new)$/.exec(pathname);
  if (person) return <PersonPage key={person[1]} id={person[1] === 'new' ? undefined : Number(person[1])} reference={reference} />;
  if (pathname === '/import') return <ImportPage reference={reference} />;
  if (pathname === '/settings') return <SettingsPage reference={reference} reloadReference={reloadReference} session={session} />;
  const organization = /^\/organizations\/(\d+)$/.exec(pathname);
  if (organization) return <OrganizationPage key={organization[1]} id={Number(organization[1])} reference={reference} />;
  if (pathname === '/organizations') return <OrganizationsPage reference={reference} reloadReference={reloadReference} />;
  return <PersonsList reference={reference} />;
}
