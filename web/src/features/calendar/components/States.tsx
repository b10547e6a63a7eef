import { ProgressBar } from '../../../components/ProgressBar';
import { StateMessage } from '../../../components/StateMessage';
import { useNow } from '../../../hooks/useNow';
import { useI18n } from '../../../i18n/useI18n';

/** Formats a wall-clock time in the browser's zone and the page's language. */
function clockTime(lang: string, ms: number): string {
  return new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit' }).format(new Date(ms));
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

/** The waiting room: place in line and an estimate; the hook polls by itself. */
export function Waiting({ position, retryAt }: { position: number; retryAt: number }) {
  const { t, lang } = useI18n();
  return (
    <StateMessage title={t.queuedTitle} testId="state-queued">
      <ProgressBar label={t.queuedTitle} />
      <p>{t.queuedBody(position)}</p>
      <p className="muted">{t.queuedEta(clockTime(lang, retryAt))}</p>
    </StateMessage>
  );
}

/** Twitter's budget is spent: when it clears; the hook retries then by itself. */
export function RateLimited({ retryAt }: { retryAt: number }) {
  const { t, lang } = useI18n();
  return (
    <StateMessage title={t.rateTitle} tone="warn" testId="state-rate-limited">
      <p>{t.rateBody(clockTime(lang, retryAt))}</p>
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

/** Any other server error (e.g. 503 while Redis is down). */
export function ServerError({ message, onRetry }: { message: string; onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <StateMessage title={t.errorTitle} tone="error" testId="state-error">
      <p>{t.errorBody(message)}</p>
      <button type="button" className="button" onClick={onRetry}>
        {t.tryAgain}
      </button>
    </StateMessage>
  );
}

/** The analysis is fine but has no posts in the window. */
export function NoPosts() {
  const { t } = useI18n();
  return (
    <StateMessage title={t.noPostsTitle} testId="state-no-posts">
      <p>{t.noPostsBody}</p>
    </StateMessage>
  );
}
