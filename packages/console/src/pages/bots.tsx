import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { ErrorNote } from '../components/forms';
import { keys } from '../live/cache';
import { useWorkspace } from '../session';

export function useBots(workspaceId: string) {
  return useQuery({
    queryKey: keys.bots(workspaceId),
    queryFn: async () =>
      unwrap(await api.GET('/api/bots', { params: { query: { workspace_id: workspaceId, limit: 200 } } })).data,
  });
}

/** The workspace's bots. */
export function BotsPage() {
  const { workspace } = useWorkspace();
  const bots = useBots(workspace.id);
  return (
    <section aria-labelledby="bots-title">
      <div className="page-head">
        <h1 id="bots-title" tabIndex={-1}>
          Bots
        </h1>
        <Link className="button" to="/bots/new">
          New bot
        </Link>
      </div>
      <ErrorNote error={bots.error} />
      {bots.isPending ? (
        <p aria-busy="true">Loading bots…</p>
      ) : bots.data?.length === 0 ? (
        <p className="empty">No bots yet. Create one with your WhatsApp number’s Platform Configuration.</p>
      ) : (
        <ul className="cards">
          {bots.data?.map((bot) => (
            <li key={bot.id} className="card">
              <h2>
                <Link to={`/bots/${bot.id}`}>{bot.name}</Link>
              </h2>
              <p>
                <span className={`badge badge-${bot.status}`}>{bot.status === 'active' ? 'Active' : 'Inactive'}</span>{' '}
                Phone number ID {bot.phone_number_id}
              </p>
              {bot.health.alerts.length > 0 ? (
                <ul className="warnings">
                  {bot.health.alerts.map((alert) => (
                    <li key={alert}>{alert}</li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
