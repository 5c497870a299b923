import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { ApiError } from './api/http';
import { App } from './app';
import { AnnouncerProvider } from './components/announcer';
import { SessionProvider } from './session';
import './styles.css';

// A 401 anywhere means the session ended (expired, signed out elsewhere): ask who is signed in
// again, which leads to the sign-in page.
const onError = (error: unknown) => {
  if (error instanceof ApiError && error.status === 401) void queryClient.invalidateQueries({ queryKey: ['session'] });
};
const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: {
    queries: {
      // Live data comes from the event stream; nothing is re-fetched on a timer.
      refetchOnWindowFocus: false,
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
    },
  },
});

const root = document.getElementById('root');
if (!root) throw new Error('no #root in index.html');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <AnnouncerProvider>
          <SessionProvider>
            <App />
          </SessionProvider>
        </AnnouncerProvider>
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
