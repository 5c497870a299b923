import { Link } from 'react-router';
import { ErrorNote } from '../components/forms';
import { useWorkspace } from '../session';
import { useBots } from './bots';

/**
 * Message templates: they are created and approved in Meta's WhatsApp Manager; here, which
 * template each bot falls back to when the 24-hour window is closed, and how to send one.
 */
export function TemplatesPage() {
  const { workspace } = useWorkspace();
  const bots = useBots(workspace.id);
  return (
    <section aria-labelledby="templates-title">
      <h1 id="templates-title" tabIndex={-1}>
        Templates
      </h1>
      <p>
        Outside the 24-hour customer-service window WhatsApp delivers only approved templates. Create them in Meta’s
        WhatsApp Manager (Account tools → Message templates); once approved, use their name and language here.
      </p>
      <ul className="help-list">
        <li>A bot sends its fallback template when it must answer in a closed window (bot page → Bot settings).</li>
        <li>In the Inbox, a conversation whose window is closed offers “Send a template”.</li>
      </ul>
      <ErrorNote error={bots.error} />
      <table className="table">
        <caption>Fallback template per bot</caption>
        <thead>
          <tr>
            <th scope="col">Bot</th>
            <th scope="col">Template</th>
            <th scope="col">Language</th>
          </tr>
        </thead>
        <tbody>
          {bots.data?.map((bot) => (
            <tr key={bot.id}>
              <td>
                <Link to={`/bots/${bot.id}`}>{bot.name}</Link>
              </td>
              <td>{bot.settings.fallback_template?.name ?? 'none'}</td>
              <td>{bot.settings.fallback_template?.language ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
