import { createContext, type ReactNode, useCallback, useContext, useRef, useState } from 'react';

// One polite live region for the whole console: a page announces a change ("New message from
// Sheena", "Copied") by text; nothing else on the page is live, so a screen reader hears only
// what changed, once.

const AnnounceContext = createContext<(text: string) => void>(() => undefined);

export function AnnouncerProvider({ children }: { children: ReactNode }) {
  const [text, setText] = useState('');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const announce = useCallback((next: string) => {
    clearTimeout(timer.current);
    // Cleared first, so the same words said twice are announced twice.
    setText('');
    timer.current = setTimeout(() => setText(next), 50);
  }, []);
  return (
    <AnnounceContext.Provider value={announce}>
      {children}
      <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="announcer">
        {text}
      </div>
    </AnnounceContext.Provider>
  );
}

export const useAnnounce = () => useContext(AnnounceContext);
