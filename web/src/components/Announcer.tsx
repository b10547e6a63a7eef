import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

type Announce = (text: string) => void;

const AnnounceContext = createContext<Announce>(() => {});

/**
 * One polite live region for the whole page. Screens announce what changed (a new state, a
 * share made or deleted) through useAnnounce, so nothing that ticks (a countdown) is itself
 * live and a screen reader hears each change once.
 */
export function AnnouncerProvider({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState({ text: '', n: 0 });
  // A counter in the key re-creates the text node, so the same words twice are heard twice.
  const announce = useCallback<Announce>((text) => setMessage((m) => ({ text, n: m.n + 1 })), []);
  const value = useMemo(() => announce, [announce]);
  return (
    <AnnounceContext.Provider value={value}>
      {children}
      <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="announcer">
        <span key={message.n}>{message.text}</span>
      </div>
    </AnnounceContext.Provider>
  );
}

/** Says `text` through the page's polite live region (a no-op outside the provider). */
export function useAnnounce(): Announce {
  return useContext(AnnounceContext);
}
