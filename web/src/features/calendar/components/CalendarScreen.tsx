import { useEffect, type ReactNode } from 'react';
import type { ApiClient } from '../../../api/client';
import { CalendarView } from '../../../components/calendar/CalendarView';
import { TimeZonePicker } from '../../../components/TimeZonePicker';
import { useNow } from '../../../hooks/useNow';
import { useI18n } from '../../../i18n/useI18n';
import { usePeriods } from '../hooks/usePeriods';
import { Busy, Fetching, Loading, NetworkFailure, NoPosts, RateLimited, ServerError, UnknownZone, Waiting } from './States';

/** The zone the calendar is drawn in, the device's own, and how to pick another. */
export interface ZoneChoice {
  tz: string;
  device: string;
  choose: (zone: string) => void;
  /** True once after `choose`: the picker that appears next takes focus back and says the zone. */
  takeChosen?: () => boolean;
}

/**
 * The signed-in page: fetches the analysis and shows whichever state it is in. A 401 hands
 * control back to the app (`onSessionExpired`), which shows the landing page with a message.
 * `archive` is the archive picker (every wait offers it); `share` sits under the calendar.
 */
export function CalendarScreen({
  client,
  zone,
  onSessionExpired,
  share,
  archive,
}: {
  client: ApiClient;
  zone: ZoneChoice;
  onSessionExpired: () => void;
  share?: ReactNode;
  archive?: ReactNode;
}) {
  const { t } = useI18n();
  const { state, retry } = usePeriods(client, zone.tz);
  const expired = state.status === 'unauthenticated';
  useEffect(() => {
    if (expired) onSessionExpired();
  }, [expired, onSessionExpired]);
  // The "now" line moves with the clock, a minute at a time.
  const nowMs = useNow(60_000);
  const picker = (open: boolean) => <TimeZonePicker tz={zone.tz} device={zone.device} onChoose={zone.choose} takeChosen={zone.takeChosen} open={open} />;

  switch (state.status) {
    case 'loading':
      return <Loading startedAt={state.startedAt} />;
    case 'fetching':
      return <Fetching fetched={state.fetched} archive={archive} />;
    case 'queued':
      return <Waiting position={state.position} retryAt={state.retryAt} archive={archive} />;
    case 'rate_limited':
      return <RateLimited reason={state.reason} resetAt={state.resetAt} retryAt={state.retryAt} tz={zone.tz} archive={archive} />;
    case 'busy':
      return <Busy retryAt={state.retryAt} archive={archive} />;
    case 'network':
      return <NetworkFailure onRetry={retry} />;
    case 'invalid_timezone':
      return <UnknownZone tz={zone.tz} picker={picker(true)} />;
    case 'error':
      return <ServerError kind={state.kind} onRetry={retry} />;
    case 'unauthenticated':
      return null;
    case 'ready':
      if (state.analysis.postCount === 0) return <NoPosts archive={archive} />;
      return <CalendarView analysis={state.analysis} now={new Date(nowMs)} heading={t.calendarHeading} zone={picker(false)} between={share} />;
  }
}
