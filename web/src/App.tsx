import { useCallback, useEffect, useState } from 'react';
import { toApiError, type ApiClient } from './api/client';
import type { Me } from './api/types';
import { AnnouncerProvider } from './components/Announcer';
import { StateMessage } from './components/StateMessage';
import { useTimeZone } from './hooks/useTimeZone';
import { ArchivePicker } from './features/archive/components/ArchivePicker';
import { ArchiveScreen } from './features/archive/components/ArchiveScreen';
import { SavedArchiveShares } from './features/archive/components/SavedArchiveShares';
import { DropZone } from './features/archive/components/DropZone';
import type { OpenArchive } from './features/archive/session';
import { Header } from './features/auth/components/Header';
import { Landing } from './features/auth/components/Landing';
import { noticeFromSearch, urlWithoutError, type Notice } from './features/auth/notice';
import { dropLegacyHint, mayHaveSession } from './features/auth/sessionHint';
import { CalendarScreen } from './features/calendar/components/CalendarScreen';
import { NetworkFailure } from './features/calendar/components/States';
import { SharePanel } from './features/share/components/SharePanel';
import { HistoryView } from './features/history/components/HistoryView';
import { useI18n } from './i18n/useI18n';

type Auth =
  | { status: 'checking' }
  | { status: 'signedOut' }
  | { status: 'signedIn'; me: Me }
  | { status: 'network' };

/** What the app needs from the browser, injected so tests can run it in jsdom. */
export interface AppEnv {
  client: ApiClient;
  /** The browser's own time zone (the default for the calendar). */
  tz: string;
  /** Opens an archive session (a Web Worker with the WebAssembly analyzer in the browser). */
  openArchive: OpenArchive;
}

/**
 * The app: checks who is signed in, then shows the landing page or the calendar. It is the one
 * place that composes features; no feature imports another.
 */
export function App({ client, tz: browserZone, openArchive }: AppEnv) {
  const { t } = useI18n();
  const zone = useTimeZone(browserZone);
  const [notice, setNotice] = useState<Notice | null>(() => noticeFromSearch(window.location.search));
  const [auth, setAuth] = useState<Auth>(() =>
    // A visit that has never signed in here, or whose sign-in just failed, asks nothing.
    notice !== null || !mayHaveSession() ? { status: 'signedOut' } : { status: 'checking' },
  );
  const [check, setCheck] = useState(0);
  const [archive, setArchive] = useState<File | null>(null);
  const [signOutFailed, setSignOutFailed] = useState(false);

  // The callback's ?error= is shown once; the address bar is cleaned so a reload does not repeat it.
  useEffect(() => {
    if (new URLSearchParams(window.location.search).has('error')) {
      window.history.replaceState(null, '', urlWithoutError(window.location.href));
    }
  }, []);

  const checking = auth.status === 'checking';
  useEffect(() => {
    if (!checking) return;
    let cancelled = false;
    client.me().then(
      (me) => {
        if (cancelled) return;
        dropLegacyHint();
        setAuth({ status: 'signedIn', me });
      },
      (err: unknown) => {
        if (cancelled) return;
        const kind = toApiError(err).kind;
        if (kind === 'unauthenticated') dropLegacyHint();
        setAuth({ status: kind === 'unauthenticated' ? 'signedOut' : 'network' });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [client, checking, check]);

  // The server drops the hint cookie with any 401, so the next visit asks nothing.
  const onSessionExpired = useCallback(() => {
    setNotice({ kind: 'expired' });
    setAuth({ status: 'signedOut' });
  }, []);

  // Signing out is a request, not a navigation: if nezame cannot be reached the page stays,
  // says so and keeps the person signed in, instead of landing on the browser's error page.
  const signOut = useCallback(() => {
    setSignOutFailed(false);
    client.logout().then(
      () => {
        setNotice(null);
        setAuth({ status: 'signedOut' });
      },
      (err: unknown) => {
        if (toApiError(err).kind === 'unauthenticated') {
          // The session had already ended: signed out all the same.
          setAuth({ status: 'signedOut' });
          return;
        }
        setSignOutFailed(true);
      },
    );
  }, [client]);

  const me = auth.status === 'signedIn' ? auth.me : null;
  const archiveNow = <ArchivePicker onPick={setArchive} label={t.archiveNow} />;
  const onLanding = archive === null && auth.status === 'signedOut';
  return (
    <AnnouncerProvider>
      <a className="skip-link" href="#main">
        {t.skipToContent}
      </a>
      <Header me={me} onSignOut={signOut} />
      {signOutFailed && (
        <div className="main main--notice">
          <StateMessage title={t.signOutFailedTitle} tone="error" testId="sign-out-failed">
            <p>{t.signOutFailedBody}</p>
            <button type="button" className="button" onClick={signOut}>
              {t.tryAgain}
            </button>
          </StateMessage>
        </div>
      )}
      <DropZone onFile={setArchive} />
      <main id="main" className="main">
        {archive !== null && (
          <ArchiveScreen
            key={`${archive.name}-${archive.size}-${archive.lastModified}`}
            file={archive}
            client={client}
            tz={zone.tz}
            openArchive={openArchive}
            longRange={(analysis, trends) => <HistoryView analysis={analysis} trends={trends} />}
            onPick={setArchive}
            onBack={() => setArchive(null)}
          />
        )}
        {archive === null && auth.status === 'checking' && <div className="checking" aria-busy="true" />}
        {archive === null && auth.status === 'network' && (
          <NetworkFailure
            onRetry={() => {
              setAuth({ status: 'checking' });
              setCheck((c) => c + 1);
            }}
          />
        )}
        {onLanding && <Landing notice={notice} onDismiss={() => setNotice(null)} archive={<ArchivePicker onPick={setArchive} />} />}
        {archive === null && auth.status === 'signedIn' && (
          <CalendarScreen
            key={zone.tz}
            client={client}
            zone={zone}
            onSessionExpired={onSessionExpired}
            archive={archiveNow}
            share={<SharePanel client={client} tz={zone.tz} />}
          />
        )}
        {/* Archive cards made here can be deleted from any screen, signed in or not. */}
        {archive === null && auth.status !== 'checking' && <SavedArchiveShares client={client} />}
      </main>
      {/* The landing page says it beside the sign-in button already. */}
      {!onLanding && (
        <footer className="footer">
          <p>{t.privacy}</p>
        </footer>
      )}
    </AnnouncerProvider>
  );
}
