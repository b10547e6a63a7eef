import type { ReactNode } from 'react';
import type { ApiErrorKind } from '../../../api/client';
import type { RateLimitReason } from '../../../api/types';
import { Countdown, dateTimeText } from '../../../components/Countdown';
import { ProgressBar } from '../../../components/ProgressBar';
import { StateMessage } from '../../../components/StateMessage';
import { useNow } from '../../../hooks/useNow';
import { useI18n } from '../../../i18n/useI18n';

/** Twitter's API returns at most this many of a person's latest posts. */
const TWITTER_CAP = 3200;

/** The way around any wait on Twitter: the person's own archive (a real picker, from the app). */
function ArchiveInstead({ archive }: { archive?: ReactNode }) {
  const { t } = useI18n();
  if (!archive) return null;
  return (
    <div className="archive-instead">
      <p>{t.archiveInstead}</p>
      <div className="actions">{archive}</div>
    </div>
  );
}

/** The fetch is running: an indeterminate bar, elapsed seconds and why it may take a while. */
export function Loading({ startedAt }: { startedAt: number }) {
  const { t } = useI18n();
  const now = useNow();
  const elapsed = Math.max(0, Math.floor((now - startedAt) / 1000));
  return (
    <StateMessage title={t.loadingTitle} testId="state-loading">
      <ProgressBar label={t.loadingTitle} />
      <p>{t.loadingElapsed(elapsed)}</p>
      <p className="muted">{t.loadingHint}</p>
    </StateMessage>
  );
}

/** 202 fetching: the first read from Twitter is running in the background; how far it got. */
export function Fetching({ fetched, archive }: { fetched: number; archive?: ReactNode }) {
  const { t } = useI18n();
  return (
    <StateMessage title={t.fetchingTitle} testId="state-fetching">
      <progress className="progress-determinate" max={TWITTER_CAP} value={Math.min(fetched, TWITTER_CAP)} aria-label={t.fetchingLabel} />
      <p>{t.fetchingBody(fetched)}</p>
      <ArchiveInstead archive={archive} />
    </StateMessage>
  );
}

/** The waiting room: place in line and a countdown to the next check; the hook polls by itself. */
export function Waiting({ position, retryAt, archive }: { position: number; retryAt: number; archive?: ReactNode }) {
  const { t } = useI18n();
  return (
    <StateMessage title={t.queuedTitle} testId="state-queued">
      <ProgressBar label={t.queuedTitle} />
      <p>{t.queuedBody(position)}</p>
      <p className="muted">
        <Countdown to={retryAt} render={t.queuedEta} />
      </p>
      <ArchiveInstead archive={archive} />
    </StateMessage>
  );
}

/**
 * A rate limit: why (our daily budget, Twitter, or this address), when it clears as a date
 * and time with the zone named (the server's resetAt), and a live countdown to `retryAt`: the
 * server's retryAfter counted from when the answer came, so a device clock that is off does not
 * change how long it says; the hook asks again then by itself.
 */
export function RateLimited({ reason, resetAt, retryAt, tz, archive }: { reason?: RateLimitReason; resetAt: number; retryAt: number; tz: string; archive?: ReactNode }) {
  const { t, lang } = useI18n();
  const why = reason ?? 'unknown';
  const when = dateTimeText(lang, resetAt, tz);
  return (
    <StateMessage title={t.rateTitle[why]} tone="warn" testId="state-rate-limited">
      <p>{t.rateWhy[why]}</p>
      <p data-reason={why}>
        <Countdown to={retryAt} render={(left) => t.rateBody(when, left)} />
      </p>
      <ArchiveInstead archive={archive} />
    </StateMessage>
  );
}

/** A retryable 503: the page tries again by itself, and shows when. */
export function Busy({ retryAt, archive }: { retryAt: number; archive?: ReactNode }) {
  const { t } = useI18n();
  return (
    <StateMessage title={t.busyTitle} tone="warn" testId="state-busy">
      <p>
        <Countdown to={retryAt} render={t.busyBody} />
      </p>
      <ArchiveInstead archive={archive} />
    </StateMessage>
  );
}

/** The request never got an answer. */
export function NetworkFailure({ onRetry }: { onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <StateMessage title={t.networkTitle} tone="error" testId="state-network">
      <p>{t.networkBody}</p>
      <button type="button" className="button" onClick={onRetry}>
        {t.tryAgain}
      </button>
    </StateMessage>
  );
}

/**
 * Any other failure (e.g. 503 while Redis is down, or an answer the page could not read), in
 * plain words by its kind: the raw message (an exception's, or the server's in English) is
 * never shown.
 */
export function ServerError({ kind, onRetry }: { kind: ApiErrorKind; onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <StateMessage title={t.errorTitle} tone="error" testId="state-error">
      <p data-kind={kind}>{kind === 'rejected' || kind === 'not_found' ? t.errorRefused : t.errorBody}</p>
      <button type="button" className="button" onClick={onRetry}>
        {t.tryAgain}
      </button>
    </StateMessage>
  );
}

/** The server does not know the zone: the picker, open. */
export function UnknownZone({ tz, picker }: { tz: string; picker: ReactNode }) {
  const { t } = useI18n();
  return (
    <StateMessage title={t.tzUnknownTitle(tz)} tone="warn" testId="state-invalid-timezone">
      <p>{t.tzUnknownBody}</p>
      {picker}
    </StateMessage>
  );
}

/** The analysis is fine but has no posts in the window: the archive has them all. */
export function NoPosts({ archive }: { archive?: ReactNode }) {
  const { t } = useI18n();
  return (
    <StateMessage title={t.noPostsTitle} testId="state-no-posts">
      <p>{t.noPostsBody}</p>
      {archive && <div className="actions">{archive}</div>}
    </StateMessage>
  );
}
