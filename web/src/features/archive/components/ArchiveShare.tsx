import { useEffect, useId, useRef, useState } from 'react';
import { ApiError, type ApiClient } from '../../../api/client';
import type { Analysis, ArchiveShare as Share, ShareSummary } from '../../../api/types';
import { dateWithYear } from '../../../components/dates';
import { useI18n } from '../../../i18n/useI18n';
import { shareSummary } from '../summary';

type State =
  | { status: 'idle' }
  | { status: 'preparing' }
  | { status: 'asking'; summary: ShareSummary }
  | { status: 'creating'; summary: ShareSummary }
  | { status: 'ready'; share: Share }
  | { status: 'failed'; message: string }
  | { status: 'unavailable' };

const EXPIRY = [1, 7, 30, 365, null] as const;

/** The tweet intent for a share link. */
function tweetIntent(url: string, text: string): string {
  return `https://twitter.com/intent/tweet?url=${encodeURIComponent(url)}&text=${encodeURIComponent(text)}`;
}

/**
 * Shares a card of an archive result, only with the person's explicit yes: a dialog first says
 * exactly what is sent (and shows it), then POST /api/shares/archive gets the summary of the
 * last 62 days at most: days, sleeps, no-data stretches and statistics, never a post time.
 * The share is deleted with the token the server returns (no sign-in needed).
 */
export function ArchiveShare({ client, tz, summarize }: { client: ApiClient; tz: string; summarize: () => Promise<Analysis> }) {
  const { t, lang } = useI18n();
  const [state, setState] = useState<State>({ status: 'idle' });
  const [expires, setExpires] = useState<(typeof EXPIRY)[number]>(30);
  const dialog = useRef<HTMLDivElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const asking = state.status === 'asking' || state.status === 'creating';

  useEffect(() => {
    if (asking) dialog.current?.querySelector<HTMLElement>('select, button')?.focus();
  }, [asking]);

  const open = async () => {
    setState({ status: 'preparing' });
    try {
      setState({ status: 'asking', summary: shareSummary(await summarize()) });
    } catch (err) {
      setState({ status: 'failed', message: err instanceof Error ? err.message : String(err) });
    }
  };
  const close = () => {
    setState({ status: 'idle' });
    opener.current?.focus();
  };
  const create = async (summary: ShareSummary) => {
    setState({ status: 'creating', summary });
    try {
      setState({ status: 'ready', share: await client.createArchiveShare({ tz, lang, expiresInDays: expires, summary }) });
    } catch (err) {
      if (err instanceof ApiError && err.kind === 'not_found') setState({ status: 'unavailable' });
      else setState({ status: 'failed', message: err instanceof Error ? err.message : String(err) });
    }
  };
  const remove = async (share: Share) => {
    try {
      await client.deleteShare(share.id, share.deleteToken);
      setState({ status: 'idle' });
    } catch (err) {
      setState({ status: 'failed', message: err instanceof Error ? err.message : String(err) });
    }
  };

  if (state.status === 'unavailable') return null;
  return (
    <section className="archive-share" aria-labelledby="archive-share-heading" data-testid="archive-share">
      <h2 id="archive-share-heading">{t.shareHeading}</h2>
      {state.status === 'ready' ? (
        <>
          <p>{t.archiveShareMade}</p>
          <div className="share-actions">
            <a className="button" href={tweetIntent(state.share.url, t.shareText)} target="_blank" rel="noopener noreferrer">
              {t.shareTweet}
            </a>
            <a className="button button--secondary" href={state.share.url} target="_blank" rel="noopener noreferrer">
              {t.archiveShareOpen}
            </a>
            <a className="button button--secondary" href={state.share.imageUrl} download={`nezame-${state.share.id}.png`}>
              {t.shareSave}
            </a>
            <button type="button" className="button button--quiet" onClick={() => void remove(state.share)}>
              {t.shareDelete}
            </button>
          </div>
          <img className="share-preview" src={state.share.imageUrl} alt={t.archiveShareImageAlt} width={600} height={315} />
        </>
      ) : (
        <div className="share-actions">
          <button ref={opener} type="button" className="button" onClick={() => void open()} disabled={state.status === 'preparing' || asking} data-testid="archive-share-open">
            {t.archiveShareButton}
          </button>
          {state.status === 'failed' && (
            <p role="alert" className="error-text">
              {t.archiveShareFailed(state.message)}
            </p>
          )}
        </div>
      )}
      {asking && (
        <div className="share-dialog-backdrop">
          <div
            ref={dialog}
            className="share-dialog"
            role="dialog"
            aria-modal="true"
            aria-labelledby={titleId}
            data-testid="archive-share-dialog"
            onKeyDown={(e) => {
              if (e.key === 'Escape') close();
            }}
          >
            <h2 id={titleId}>{t.archiveShareTitle}</h2>
            <p>{t.archiveShareSends}</p>
            <ul>
              <li>{t.archiveShareSendsDates(dateWithYear(state.summary.days[0]?.date ?? '', lang), dateWithYear(state.summary.days.at(-1)?.date ?? '', lang), tz)}</li>
              <li>{t.archiveShareSendsCount(state.summary.postCount)}</li>
              <li>{t.archiveShareSendsDays}</li>
              <li>{t.archiveShareSendsStats}</li>
            </ul>
            <p>
              <strong>{t.archiveShareNotSent}</strong>
            </p>
            <p className="muted">{t.archiveShareCard}</p>
            <label>
              {t.archiveShareExpiry}
              <select value={String(expires)} onChange={(e) => setExpires(e.target.value === 'null' ? null : (Number(e.target.value) as 1 | 7 | 30 | 365))}>
                {EXPIRY.map((d) => (
                  <option key={String(d)} value={String(d)}>
                    {t.archiveShareExpiryOption(d)}
                  </option>
                ))}
              </select>
            </label>
            <details>
              <summary>{t.archiveShareExact}</summary>
              <pre className="share-exact">{JSON.stringify(state.summary, null, 1)}</pre>
            </details>
            <div className="share-actions">
              <button type="button" className="button button--primary" disabled={state.status === 'creating'} onClick={() => void create(state.summary)} data-testid="archive-share-confirm">
                {state.status === 'creating' ? t.shareCreating : t.archiveShareConfirm}
              </button>
              <button type="button" className="button button--quiet" onClick={close}>
                {t.archiveCancel}
              </button>
            </div>
          </div>
        </div>
      )}
    </section>
  );
}
