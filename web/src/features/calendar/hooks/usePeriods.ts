import { useCallback, useEffect, useState } from 'react';
import { ApiError, type ApiClient } from '../../../api/client';
import type { Analysis } from '../../../api/types';

/** Every state the signed-in page can be in while getting the analysis. */
export type PeriodsState =
  | { status: 'loading'; startedAt: number }
  | { status: 'queued'; position: number; retryAt: number }
  | { status: 'rate_limited'; retryAt: number }
  | { status: 'ready'; analysis: Analysis }
  | { status: 'unauthenticated' }
  | { status: 'network' }
  | { status: 'error'; message: string };

/** Longest pause between waiting-room polls that nezame adds on its own. */
const MAX_BACKOFF_SECONDS = 30;

/** Seconds to wait before poll number `n` (0-based): the server's hint, grown by backoff. */
export function pollDelaySeconds(retryAfter: number | undefined, n: number): number {
  const backoff = Math.min(2 ** n, MAX_BACKOFF_SECONDS);
  return Math.max(retryAfter ?? 0, backoff);
}

/**
 * Fetches GET /api/periods, polling the waiting room (honouring retryAfter, with backoff) and
 * retrying by itself when a rate limit clears. `retry` starts over after a failure.
 */
export function usePeriods(client: ApiClient, tz: string, now: () => number = Date.now) {
  const [state, setState] = useState<PeriodsState>(() => ({ status: 'loading', startedAt: now() }));
  // Each attempt is one request; bumping it (from a timer or a click) sends the next.
  const [attempt, setAttempt] = useState(0);
  const [polls, setPolls] = useState(0);

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const again = (seconds: number, queued: boolean) => {
      timer = setTimeout(() => {
        if (queued) setPolls((p) => p + 1);
        else setPolls(0);
        setAttempt((a) => a + 1);
      }, seconds * 1000);
    };
    client.periods(tz).then(
      (analysis) => {
        if (!cancelled) setState({ status: 'ready', analysis });
      },
      (err: unknown) => {
        if (cancelled) return;
        if (!(err instanceof ApiError)) {
          setState({ status: 'error', message: String(err) });
          return;
        }
        switch (err.kind) {
          case 'queued': {
            const delay = pollDelaySeconds(err.retryAfter, polls);
            setState({ status: 'queued', position: err.position ?? 1, retryAt: now() + delay * 1000 });
            again(delay, true);
            return;
          }
          case 'rate_limited': {
            const delay = err.retryAfter ?? 60;
            setState({ status: 'rate_limited', retryAt: now() + delay * 1000 });
            again(delay, false);
            return;
          }
          case 'unauthenticated':
            setState({ status: 'unauthenticated' });
            return;
          case 'network':
            setState({ status: 'network' });
            return;
          default:
            setState({ status: 'error', message: err.message });
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
