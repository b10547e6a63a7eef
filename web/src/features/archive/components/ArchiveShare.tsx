import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { ApiError, type ApiClient } from '../../../api/client';
import type { Analysis, ArchiveShare as Share, ShareSummary } from '../../../api/types';
import { dateWithYear } from '../../../components/dates';
import { useI18n } from '../../../i18n/useI18n';
import { forgetShare, saveShare } from '../savedShares';
import { archiveShareProblem } from '../shareProblem';
import { shareSummary } from '../summary';
import { SavedArchiveShares } from './SavedArchiveShares';

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

/** What can take focus inside the dialog, in order. */
function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>('button, select, summary, a[href], input, [tabindex]:not([tabindex="-1"])')].filter(
    (el) => !(el as HTMLButtonElement).disabled,
  );
}

/**
 * Shares a card of an archive result, only with the person's explicit yes: a modal dialog first
 * says exactly what is sent (and shows it), then POST /api/shares/archive gets the summary of
 * the last 62 days at most: days, sleeps, no-data stretches, changes of time zone and statistics
 * on a 15-minute grid, never a post time. The token that deletes the share (there is no sign-in) is kept on this
 * browser with the share, so it can be deleted after this page is gone (SavedArchiveShares).
 * Cancelling while the share is being made deletes it as soon as it exists.
 */
export function ArchiveShare({ client, tz, summarize }: { client: ApiClient; tz: string; summarize: () => Promise<Analysis> }) {
  const { t, lang } = useI18n();
  const [state, setState] = useState<State>({ status: 'idle' });
  const [expires, setExpires] = useState<(typeof EXPIRY)[number]>(30);
  const dialog = useRef<HTMLDivElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const asking = state.status === 'asking' || state.status === 'creating';
  // Each dialog opening is one attempt; closing it (or leaving the page) ends the attempt, so a
  // share that comes back afterwards is not shown as made.
  const attempt = useRef(0);
  const wasAsking = useRef(false);

  useEffect(() => {
    if (asking) dialog.current?.querySelector<HTMLElement>('select, button')?.focus();
    // Focus goes back to the button that opened the dialog once it is enabled again.
    else if (wasAsking.current && state.status === 'idle') opener.current?.focus();
    wasAsking.current = asking;
  }, [asking, state.status]);

  useEffect(
    () => () => {
      attempt.current++;
    },
    [],
  );

  const open = async () => {
    const mine = ++attempt.current;
    setState({ status: 'preparing' });
    try {
      const summary = shareSummary(await summarize());
      if (attempt.current === mine) setState({ status: 'asking', summary });
    } catch {
      if (attempt.current === mine) setState({ status: 'failed', message: t.archiveShareFailed(t.archiveShareNotReady) });
    }
  };
  const close = () => {
    attempt.current++;
    setState({ status: 'idle' });
  };
  const create = async (summary: ShareSummary) => {
    const mine = attempt.current;
    setState({ status: 'creating', summary });
    let share: Share;
    try {
      share = await client.createArchiveShare({ tz, lang, expiresInDays: expires, summary });
    } catch (err) {
      if (attempt.current !== mine) return;
      if (err instanceof ApiError && err.kind === 'not_found') setState({ status: 'unavailable' });
      else setState({ status: 'failed', message: t.archiveShareFailed(archiveShareProblem(t, err, lang)) });
      return;
    }
    // Kept at once, so that it can be deleted whatever happens to this page.
    saveShare(share);
    if (attempt.current === mine) {
      setState({ status: 'ready', share });
      return;
    }
    // Cancelled while it was being made: it was never meant to be published.
    try {
      await client.deleteShare(share.id, share.deleteToken);
      forgetShare(share.id);
    } catch (err) {
      if (err instanceof ApiError && err.kind === 'not_found') forgetShare(share.id);
      // Otherwise it stays listed on this browser, where it can be deleted.
    }
  };
  const remove = async (share: Share) => {
    try {
      await client.deleteShare(share.id, share.deleteToken);
    } catch (err) {
      if (!(err instanceof ApiError && err.kind === 'not_found')) {
        setState({ status: 'failed', message: t.archiveShareDeleteFailed(archiveShareProblem(t, err, lang)) });
        return;
      }
    }
    forgetShare(share.id);
    setState({ status: 'idle' });
  };

  // A real modal: Escape closes it, Tab and Shift+Tab stay inside it.
  const onDialogKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      close();
      return;
    }
    if (e.key !== 'Tab' || dialog.current === null) return;
    const items = focusables(dialog.current);
    const first = items[0];
    const last = items.at(-1);
    if (first === undefined || last === undefined) return;
    const active = document.activeElement;
    if (e.shiftKey && (active === first || !dialog.current.contains(active))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (active === last || !dialog.current.contains(active))) {
      e.preventDefault();
      first.focus();
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
              {state.message}
            </p>
          )}
        </div>
      )}
      <SavedArchiveShares client={client} hide={state.status === 'ready' ? state.share.id : undefined} />
      {asking && (
        <div className="share-dialog-backdrop">
          <div ref={dialog} className="share-dialog" role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid="archive-share-dialog" onKeyDown={onDialogKey}>
            <h2 id={titleId}>{t.archiveShareTitle}</h2>
            <p>{t.archiveShareSends}</p>
            <ul>
              <li>{t.archiveShareSendsDates(dateWithYear(state.summary.days[0]?.date ?? '', lang), dateWithYear(state.summary.days.at(-1)?.date ?? '', lang), tz)}</li>
              <li>{t.archiveShareSendsCount(state.summary.postCount)}</li>
              <li>{t.archiveShareSendsDays}</li>
              <li>{t.archiveShareSendsStats}</li>
              {state.summary.zoneChanges.length > 0 && <li>{t.archiveShareSendsZones(state.summary.zoneChanges.length)}</li>}
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
