import { Navigate, Route, Routes, useLocation } from 'react-router';
import { Layout } from './components/layout';
import { AcceptInvitationPage } from './pages/accept-invitation';
import { BotPage } from './pages/bot';
import { BotsPage } from './pages/bots';
import { DeadLettersPage } from './pages/dead-letters';
import { InboxPage } from './pages/inbox';
import { NewBotPage } from './pages/new-bot';
import { NoWorkspacePage } from './pages/no-workspace';
import { SettingsPage } from './pages/settings';
import { SetupPage } from './pages/setup';
import { SignInPage } from './pages/sign-in';
import { TemplatesPage } from './pages/templates';
import { useSession } from './session';

/** The console's routes: sign-in, first-owner set-up and invitations outside; the rest behind sign-in. */
export function App() {
  const { session, workspace } = useSession();
  const location = useLocation();
  if (session.state === 'loading') {
    return (
      <p className="loading" aria-busy="true">
        Loading…
      </p>
    );
  }
  const signedIn = session.state === 'signed-in';
  const next = encodeURIComponent(location.pathname + location.search);
  return (
    <Routes>
      <Route path="/setup" element={<SetupPage />} />
      <Route path="/invite" element={<AcceptInvitationPage />} />
      <Route path="/sign-in" element={signedIn ? <Navigate to="/" replace /> : <SignInPage />} />
      {!signedIn ? (
        <Route path="*" element={<Navigate to={`/sign-in?next=${next}`} replace />} />
      ) : !workspace ? (
        <Route path="*" element={<NoWorkspacePage />} />
      ) : (
        <Route element={<Layout />}>
          <Route index element={<Navigate to="/bots" replace />} />
          <Route path="/bots" element={<BotsPage />} />
          <Route path="/bots/new" element={<NewBotPage />} />
          <Route path="/bots/:id" element={<BotPage />} />
          <Route path="/inbox" element={<InboxPage />} />
          <Route path="/inbox/:conversationId" element={<InboxPage />} />
          <Route path="/templates" element={<TemplatesPage />} />
          <Route path="/dead-letters" element={<DeadLettersPage />} />
          <Route path="/settings" element={<SettingsPage />} />
          <Route path="*" element={<NotFound />} />
        </Route>
      )}
    </Routes>
  );
}

function NotFound() {
  return (
    <section>
      <h1 tabIndex={-1}>Not found</h1>
      <p>There is no page here.</p>
    </section>
  );
}
