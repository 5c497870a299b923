import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { api, unwrap } from '../api/client';
import { useAnnounce } from '../components/announcer';
import { ErrorNote, Field, fieldErrors } from '../components/forms';
import { keys } from '../live/cache';

/** The bot's HTTP tools: what the model may call. */
export function BotToolsSection({ botId }: { botId: string }) {
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const tools = useQuery({
    queryKey: keys.tools(botId),
    queryFn: async () => unwrap(await api.GET('/api/bots/{id}/tools', { params: { path: { id: botId } } })).data,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.tools(botId) });
  const add = useMutation({
    mutationFn: async (body: { name: string; description: string; url: string; method: 'GET' | 'POST' }) =>
      unwrap(await api.POST('/api/bots/{id}/tools', { params: { path: { id: botId } }, body })),
    onSuccess: async (tool) => {
      announce(`Tool ${tool.name} added`);
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: async (toolId: string) =>
      unwrap(await api.DELETE('/api/bots/{id}/tools/{toolId}', { params: { path: { id: botId, toolId } } })),
    onSuccess: async () => {
      announce('Tool deleted');
      await refresh();
    },
  });
  const fields = fieldErrors(add.error);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const v = (name: string) => String(form.get(name) ?? '').trim();
    add.mutate(
      { name: v('name'), description: v('description'), url: v('url'), method: v('method') === 'GET' ? 'GET' : 'POST' },
      { onSuccess: () => (event.target as HTMLFormElement).reset() },
    );
  };
  return (
    <section aria-labelledby="tools-title" className="panel">
      <h2 id="tools-title">Tools</h2>
      <ErrorNote error={tools.error ?? remove.error} />
      {tools.data?.length ? (
        <ul className="list">
          {tools.data.map((tool) => (
            <li key={tool.id}>
              <strong>{tool.name}</strong> {tool.method} <span className="mono">{tool.url}</span>
              <p className="help">{tool.description}</p>
              <button type="button" className="secondary" onClick={() => remove.mutate(tool.id)}>
                Delete tool {tool.name}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty">No HTTP tools. The bot still uses WhatsApp actions (buttons, lists, handoff).</p>
      )}
      <details>
        <summary>Add an HTTP tool</summary>
        <form noValidate onSubmit={onSubmit} aria-label="Add an HTTP tool">
          <Field label="Function name" help="Letters, digits, _ and -; what the model calls." error={fields.name}>
            {(props) => <input {...props} name="name" />}
          </Field>
          <Field label="Description" help="What it does and when to call it, for the model." error={fields.description}>
            {(props) => <input {...props} name="description" />}
          </Field>
          <Field label="URL" error={fields.url}>
            {(props) => <input {...props} name="url" type="url" />}
          </Field>
          <Field label="Method">
            {(props) => (
              <select {...props} name="method" defaultValue="POST">
                <option>POST</option>
                <option>GET</option>
              </select>
            )}
          </Field>
          <ErrorNote error={Object.keys(fields).length ? null : add.error} />
          <button type="submit" disabled={add.isPending}>
            Add tool
          </button>
        </form>
      </details>
    </section>
  );
}
