import { useCallback, useEffect, useState } from 'react';
import { toApiError, type ApiClient, type ApiErrorKind } from '../../../api/client';
import type { Analysis, RateLimitReason } from '../../../api/types';

/** Every state the signed-in page can be in while getting the analysis. */
export type PeriodsState =
  | { status: 'loading'; startedAt: number }
  /** 202 fetching: the first read of the posts is running; `fetched` posts so far. */
  | { status: 'fetching'; fetched: number; retryAt: number }
  | { status: 'queued'; position: number; retryAt: number }
  /** 429: `resetAt` is when the limit clears; the page asks again then. */
  | { status: 'rate_limited'; reason?: RateLimitReason; resetAt: number; retryAt: number }
  /** A retryable 503 (e.g. analysis_busy): asks again by itself at `retryAt`. */
  | { status: 'busy'; retryAt: number }
  | { status: 'ready'; analysis: Analysis }
  | { status: 'unauthenticated' }
  | { status: 'invalid_timezone' }
  | { status: 'network' }
  /** What went wrong, by kind: the screen words it (never the raw message). */
  | { status: 'error'; kind: ApiErrorKind };

/** Longest pause between waiting-room polls that nezame adds on its own. */
const MAX_BACKOFF_SECONDS = 30;
/** setTimeout's limit (about 24.8 days); a longer wait re-arms when it fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Seconds to wait before poll number `n` (0-based): the server's hint, grown by backoff. */
export function pollDelaySeconds(retryAfter: number | undefined, n: number): number {
  const backoff = Math.min(2 ** n, MAX_BACKOFF_SECONDS);
  return Math.max(retryAfter ?? 0, backoff);
}

/**
 * Fetches GET /api/periods and keeps asking by itself while the answer is a wait: the waiting
 * room and a first fetch (202, honouring retryAfter with backoff), a rate limit (until it
 * clears) and a retryable 503. `retry` starts over after a failure.
 */
export function usePeriods(client: ApiClient, tz: string, now: () => number = Date.now) {
  const [state, setState] = useState<PeriodsState>(() => ({ status: 'loading', startedAt: now() }));
  // Each attempt is one request; bumping it (from a timer or a click) sends the next.
  const [attempt, setAttempt] = useState(0);
  const [polls, setPolls] = useState(0);

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const again = (at: number, poll: boolean) => {
      const fire = () => {
        const left = at - now();
        if (left > 0) {
          timer = setTimeout(fire, Math.min(left, MAX_TIMER_MS));
          return;
        }
        setPolls((p) => (poll ? p + 1 : 0));
        setAttempt((a) => a + 1);
      };
      timer = setTimeout(fire, Math.min(Math.max(0, at - now()), MAX_TIMER_MS));
    };
    client.periods(tz).then(
      (analysis) => {
        if (!cancelled) setState({ status: 'ready', analysis });
      },
      (thrown: unknown) => {
        if (cancelled) return;
        const err = toApiError(thrown);
        const t = now();
        switch (err.kind) {
          case 'queued':
          case 'fetching': {
            const retryAt = t + pollDelaySeconds(err.retryAfter, polls) * 1000;
            setState(
              err.kind === 'queued'
                ? { status: 'queued', position: err.position ?? 1, retryAt }
                : { status: 'fetching', fetched: err.fetched ?? 0, retryAt },
            );
            again(retryAt, true);
            return;
          }
          case 'rate_limited': {
            // resetAt is the server's word for when it clears; retryAfter when to ask again.
            const retryAt = t + (err.retryAfter ?? 60) * 1000;
            const resetAt = err.resetAt ?? retryAt;
            setState({ status: 'rate_limited', reason: err.reason, resetAt, retryAt });
            again(retryAt, false);
            return;
          }
          case 'busy': {
            const retryAt = t + (err.retryAfter ?? 5) * 1000;
            setState({ status: 'busy', retryAt });
            again(retryAt, false);
            return;
          }
          case 'unauthenticated':
            setState({ status: 'unauthenticated' });
            return;
          case 'invalid_timezone':
            setState({ status: 'invalid_timezone' });
            return;
          case 'network':
            setState({ status: 'network' });
            return;
          default:
            setState({ status: 'error', kind: err.kind });
        }
      },
    );
    return () => {
      cancelled = true;
      if (timer !== undefined) clearTimeout(timer);
    };
    // `polls` is read for the delay only; a change of it alone must not send a request.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, tz, attempt, now]);

  const retry = useCallback(() => {
    setState({ status: 'loading', startedAt: now() });
    setPolls(0);
    setAttempt((a) => a + 1);
  }, [now]);

  return { state, retry };
}
