import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { type StreamState, subscribeToEvents } from '../api/events';
import { applyEvent } from '../live/cache';
import { useAnnounce } from './announcer';

/** The workspace's event stream, applied to the cached data while the console is open. */
export function LiveEvents({ workspaceId }: { workspaceId: string }) {
  const client = useQueryClient();
  const announce = useAnnounce();
  const [state, setState] = useState<StreamState>('connecting');
  useEffect(
    () =>
      subscribeToEvents(
        workspaceId,
        (event) => {
          const words = applyEvent(client, workspaceId, event);
          if (words) announce(words);
        },
        setState,
      ),
    [client, workspaceId, announce],
  );
  return (
    <footer className={`stream-state stream-${state}`} data-testid="stream-state">
      {state === 'open' ? 'Live' : state === 'connecting' ? 'Connecting to live updates…' : 'Live updates are off'}
    </footer>
  );
}
