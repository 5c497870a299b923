import { useEffect, useRef, useState } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { useSession, useWorkspace } from '../session';
import { LiveEvents } from './live-events';

const NAV = [
  { to: '/bots', label: 'Bots' },
  { to: '/inbox', label: 'Inbox' },
  { to: '/templates', label: 'Templates' },
  { to: '/dead-letters', label: 'Dead letters' },
  { to: '/settings', label: 'Settings' },
];

/** The signed-in frame: skip link, sidebar (a menu button on a phone), the page, the live events. */
export function Layout() {
  const { session, selectWorkspace, signOut } = useSession();
  const { workspace, user } = useWorkspace();
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  const [menuOpen, setMenuOpen] = useState(false);

  // Each navigation moves focus to the new page's heading, so keyboard and screen-reader users
  // land where the content changed.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each navigation by design
  useEffect(() => {
    setMenuOpen(false);
    const heading = main.current?.querySelector<HTMLElement>('h1');
    heading?.focus();
  }, [location.pathname]);

  const workspaces = session.state === 'signed-in' ? session.workspaces : [];
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <button
          type="button"
          className="menu-button"
          aria-expanded={menuOpen}
          aria-controls="sidebar"
          onClick={() => setMenuOpen((open) => !open)}
        >
          Menu
        </button>
        <span className="brand">wabot</span>
        {workspaces.length > 1 ? (
          <label className="workspace-picker">
            <span className="visually-hidden">Workspace</span>
            <select value={workspace.id} onChange={(event) => selectWorkspace(event.target.value)}>
              {workspaces.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <span className="workspace-name">{workspace.name}</span>
        )}
        <span className="who">{user?.email ?? (session.state === 'signed-in' ? session.userId : null)}</span>
        <button type="button" className="secondary" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <nav id="sidebar" className={menuOpen ? 'sidebar open' : 'sidebar'} aria-label="Console">
        <ul>
          {NAV.map((item) => (
            <li key={item.to}>
              <NavLink to={item.to}>{item.label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" ref={main} tabIndex={-1}>
        <Outlet />
      </main>
      <LiveEvents workspaceId={workspace.id} />
    </div>
  );
}
