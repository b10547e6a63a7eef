import { useState } from 'react';
import { ApiError, type ApiClient } from '../../../api/client';
import type { Share } from '../../../api/types';
import { useI18n } from '../../../i18n/useI18n';

/** The tweet intent for a share link. */
export function tweetIntent(url: string, text: string): string {
  return `https://twitter.com/intent/tweet?url=${encodeURIComponent(url)}&text=${encodeURIComponent(text)}`;
}

type ShareState =
  | { status: 'idle' }
  | { status: 'creating' }
  | { status: 'ready'; share: Share }
  | { status: 'failed' }
  | { status: 'unavailable' };

/**
 * Makes a share (POST /api/shares) on request, then offers real links: the tweet intent and
 * the PNG. While the server has no share endpoint (404/405) the section removes itself, so
 * there is never a broken button.
 */
export function SharePanel({ client, tz }: { client: ApiClient; tz: string }) {
  const { t, lang } = useI18n();
  const [state, setState] = useState<ShareState>({ status: 'idle' });

  const create = async () => {
    setState({ status: 'creating' });
    try {
      setState({ status: 'ready', share: await client.createShare({ tz, lang, expiresInDays: null }) });
    } catch (err) {
      if (err instanceof ApiError && err.kind === 'not_found') setState({ status: 'unavailable' });
      else setState({ status: 'failed' });
    }
  };

  const remove = async (id: string) => {
    try {
      await client.deleteShare(id);
      setState({ status: 'idle' });
    } catch {
      setState({ status: 'failed' });
    }
  };

  if (state.status === 'unavailable') return null;
  return (
    <section className="share" aria-labelledby="share-heading" data-testid="share">
      <h2 id="share-heading">{t.shareHeading}</h2>
      {state.status === 'ready' ? (
        <div className="share-actions">
          <a className="button" href={tweetIntent(state.share.url, t.shareText)} target="_blank" rel="noopener noreferrer">
            {t.shareTweet}
          </a>
          <a className="button button--secondary" href={state.share.imageUrl} download={`nezame-${state.share.id}.png`}>
            {t.shareSave}
          </a>
          <button type="button" className="button button--quiet" onClick={() => void remove(state.share.id)}>
            {t.shareDelete}
          </button>
        </div>
      ) : (
        <div className="share-actions">
          <button type="button" className="button" onClick={() => void create()} disabled={state.status === 'creating'}>
            {state.status === 'creating' ? t.shareCreating : t.shareCreate}
          </button>
          {state.status === 'failed' && (
            <p role="alert" className="error-text">
              {t.shareFailed}
            </p>
          )}
        </div>
      )}
    </section>
  );
}
