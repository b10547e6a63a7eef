import { useEffect, useMemo, type ReactNode } from 'react';
import type { ApiClient } from '../../../api/client';
import { useI18n } from '../../../i18n/useI18n';
import { usePeriods } from '../hooks/usePeriods';
import { CalendarView } from '../../../components/calendar/CalendarView';
import { Loading, NetworkFailure, NoPosts, RateLimited, ServerError, Waiting } from './States';

/**
 * The signed-in page: fetches the analysis and shows whichever state it is in. A 401 hands
 * control back to the app (`onSessionExpired`), which shows the landing page with a message.
 */
export function CalendarScreen({
  client,
  tz,
  onSessionExpired,
  share,
}: {
  client: ApiClient;
  tz: string;
  onSessionExpired: () => void;
  share?: ReactNode;
}) {
  const { t } = useI18n();
  const { state, retry } = usePeriods(client, tz);
  const expired = state.status === 'unauthenticated';
  useEffect(() => {
    if (expired) onSessionExpired();
  }, [expired, onSessionExpired]);
  const now = useMemo(() => new Date(), []);

  switch (state.status) {
    case 'loading':
      return <Loading startedAt={state.startedAt} />;
    case 'queued':
      return <Waiting position={state.position} retryAt={state.retryAt} />;
    case 'rate_limited':
      return <RateLimited retryAt={state.retryAt} />;
    case 'network':
      return <NetworkFailure onRetry={retry} />;
    case 'error':
      return <ServerError message={state.message} onRetry={retry} />;
    case 'unauthenticated':
      return null;
    case 'ready':
      if (state.analysis.postCount === 0) return <NoPosts />;
      return (
        <>
          <CalendarView analysis={state.analysis} now={now} heading={t.calendarHeading} />
          {share}
        </>
      );
  }
}
