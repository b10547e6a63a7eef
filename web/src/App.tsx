import { useCallback, useEffect, useState } from 'react';
import { ApiError, type ApiClient } from './api/client';
import type { Me } from './api/types';
import { StateMessage } from './components/StateMessage';
import { Header } from './features/auth/components/Header';
import { Landing } from './features/auth/components/Landing';
import { noticeFromSearch, urlWithoutError, type Notice } from './features/auth/notice';
import { CalendarScreen } from './features/calendar/components/CalendarScreen';
import { SharePanel } from './features/share/components/SharePanel';
import { ArchivePicker } from './features/archive/components/ArchivePicker';
import { ArchiveScreen } from './features/archive/components/ArchiveScreen';
import type { ReadArchive } from './features/archive/protocol';
import { useI18n } from './i18n/useI18n';

type Auth =
  | { status: 'checking' }
  | { status: 'signedOut' }
  | { status: 'signedIn'; me: Me }
  | { status: 'network' };

/** What the app needs from the browser, injected so tests can run it in jsdom. */
export interface AppEnv {
  client: ApiClient;
  tz: string;
  /** Reloads the page after sign-out. */
  reload: () => void;
  /** Reads a picked archive (in a Web Worker in the browser). */
  readArchive: ReadArchive;
}

/**
 * The app: checks who is signed in, then shows the landing page or the calendar. It is the one
 * place that composes features; no feature imports another.
 */
export function App({ client, tz, reload, readArchive }: AppEnv) {
  const { t } = useI18n();
  const [auth, setAuth] = useState<Auth>({ status: 'checking' });
  const [notice, setNotice] = useState<Notice | null>(() => noticeFromSearch(window.location.search));
  const [check, setCheck] = useState(0);
  const [archive, setArchive] = useState<File | null>(null);

  // The callback's ?error= is shown once; the address bar is cleaned so a reload does not repeat it.
  useEffect(() => {
    if (new URLSearchParams(window.location.search).has('error')) {
      window.history.replaceState(null, '', urlWithoutError(window.location.href));
    }
  }, []);

  useEffect(() => {
    let cancelled = false;
    client.me().then(
      (me) => {
        if (!cancelled) setAuth({ status: 'signedIn', me });
      },
      (err: unknown) => {
        if (cancelled) return;
        const network = err instanceof ApiError && err.kind === 'network';
        setAuth({ status: network ? 'network' : 'signedOut' });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [client, check]);

  const onSessionExpired = useCallback(() => {
    setNotice({ kind: 'expired' });
    setAuth({ status: 'signedOut' });
  }, []);

  const signOut = useCallback(() => {
    // Reload whatever the answer: the server has ended the session or it had already ended.
    client.logout().finally(reload);
  }, [client, reload]);

  const me = auth.status === 'signedIn' ? auth.me : null;
  return (
    <>
      <a className="skip-link" href="#main">
        {t.skipToContent}
      </a>
      <Header me={me} onSignOut={signOut} />
      <main id="main" className="main">
        {archive !== null && (
          <ArchiveScreen
            key={`${archive.name}-${archive.size}-${archive.lastModified}`}
            file={archive}
            client={client}
            tz={tz}
            readArchive={readArchive}
            onPick={setArchive}
            onBack={() => setArchive(null)}
          />
        )}
        {archive === null && auth.status === 'checking' && <div className="checking" aria-busy="true" />}
        {archive === null && auth.status === 'network' && (
          <StateMessage title={t.networkTitle} tone="error" testId="state-network">
            <p>{t.networkBody}</p>
            <button
              type="button"
              className="button"
              onClick={() => {
                setAuth({ status: 'checking' });
                setCheck((c) => c + 1);
              }}
            >
              {t.tryAgain}
            </button>
          </StateMessage>
        )}
        {archive === null && auth.status === 'signedOut' && (
          <Landing notice={notice} onDismiss={() => setNotice(null)} archive={<ArchivePicker onPick={setArchive} />} />
        )}
        {archive === null && auth.status === 'signedIn' && (
          <CalendarScreen client={client} tz={tz} onSessionExpired={onSessionExpired} share={<SharePanel client={client} tz={tz} />} />
        )}
      </main>
      <footer className="footer">
        <p>{t.privacy}</p>
      </footer>
    </>
  );
}
