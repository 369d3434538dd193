// The app shell: who is signed in (or the sign-in form), the navigation, the theme toggle and the page.

import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, get, onSignedOut } from './api/client.js';
import type { Me } from './api/types.js';
import { Loading } from './components/Status.js';
import { Routes } from './routes.js';
import { Link, navigate, useLocation } from './router.js';
import { can, SessionContext } from './session.js';
import type { Session } from './session.js';
import { SignIn } from './pages/SignIn.js';
import { applyTheme, nextTheme, storedTheme } from './theme.js';

export function App() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  useEffect(() => {
    get('/session', '/session').then(setMe, () => setMe(null));
    return onSignedOut(() => setMe(null));
  }, []);
  const signOut = useCallback(() => {
    void api('/session', { method: 'DELETE' }).finally(() => {
      setMe(null);
      navigate('/');
    });
  }, []);
  const session = useMemo<Session | null>(() => (me ? { me, signOut } : null), [me, signOut]);
  if (me === undefined) return <Loading what="Starting" />;
  if (!session) return <SignIn onSignedIn={setMe} />;
  return (
    <SessionContext.Provider value={session}>
      <Shell session={session} />
    </SessionContext.Provider>
  );
}

function NavLink({ to, children }: { to: string; children: string }) {
  const { path } = useLocation();
  const current = to === '/' ? path === '/' || path.startsWith('/orgs/') : path.startsWith(to);
  return (
    <Link to={to} aria-current={current ? 'page' : undefined}>
      {children}
    </Link>
  );
}

function ThemeToggle() {
  const [theme, setTheme] = useState(storedTheme);
  return (
    <button
      type="button"
      className="theme-toggle"
      onClick={() => {
        const next = nextTheme(theme);
        applyTheme(next);
        setTheme(next);
      }}
    >
      Theme: {theme}
    </button>
  );
}

function Shell({ session }: { session: Session }) {
  const { me } = session;
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link to="/" className="brand">
          exhunt
        </Link>
        <nav aria-label="Main">
          <NavLink to="/">Fleet</NavLink>
          <NavLink to="/exposure">Exposure</NavLink>
          <NavLink to="/campaigns">Campaigns</NavLink>
          <NavLink to="/feeds">Feeds</NavLink>
          <NavLink to="/retrohunts">Retro-hunts</NavLink>
          <NavLink to="/agents">Agents</NavLink>
          {can(me, 'analyst') ? <NavLink to="/notifications">Notifications</NavLink> : null}
          {can(me, 'analyst') && me.kind === 'user' ? <NavLink to="/uploads">Upload</NavLink> : null}
          {me.role === 'administrator' ? <NavLink to="/admin">Administration</NavLink> : null}
        </nav>
        <Link to="/account" className="who" title="Your account">
          {me.name} · {me.role}
          {me.organisation ? ` · ${me.organisation}` : ''}
        </Link>
        <ThemeToggle />
        <button type="button" onClick={session.signOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Routes />
      </main>
    </>
  );
}
