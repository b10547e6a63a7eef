import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { toApiError, type ApiClient, type ApiError } from '../../../api/client';
import type { Share, ShareLang, ShareRequest } from '../../../api/types';
import { useAnnounce } from '../../../components/Announcer';
import { dateTimeText } from '../../../components/Countdown';
import { ShareItem } from '../../../components/ShareItem';
import { languageNames } from '../../../i18n/catalogue';
import type { Messages } from '../../../i18n/catalogue';
import { useI18n } from '../../../i18n/useI18n';

/** The tweet intent for a share link. */
export function tweetIntent(url: string, text: string): string {
  return `https://twitter.com/intent/tweet?url=${encodeURIComponent(url)}&text=${encodeURIComponent(text)}`;
}

/** Expiry choices in days; "never" keeps a share until its owner deletes it. */
const EXPIRY = ['1', '7', '30', '365', 'never'] as const;
type Expiry = (typeof EXPIRY)[number];
const DEFAULT_EXPIRY: Expiry = '30';
const CARD_LANGS: ShareLang[] = ['ja', 'en'];

/** What went wrong, in words that say whether to sign in again or just try again. */
function problemText(t: Messages, err: ApiError, lang: string): string {
  switch (err.kind) {
    case 'unauthenticated':
      return t.shareError.session;
    case 'network':
      return t.shareError.network;
    case 'invalid_timezone':
      return t.shareError.timezone;
    case 'rate_limited': {
      const at = err.resetAt ?? Date.now() + (err.retryAfter ?? 60) * 1000;
      return t.shareError.rate(dateTimeText(lang, at));
    }
    case 'rejected':
    case 'not_found':
      return t.shareError.refused;
    default:
      return t.shareError.unavailable;
  }
}

/**
 * A preview image as an object URL, for the request it previews (`key`), revoked when replaced
 * or unmounted. The URL is made outside any state updater (React may run those twice, and not
 * at all once unmounted) and revoked by the effect that owns it.
 */
function usePreviewURL() {
  const [preview, setPreview] = useState<{ url: string; key: string } | null>(null);
  // An answer that comes after unmounting makes no URL: nothing would revoke it.
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  useEffect(
    () => () => {
      if (preview !== null) URL.revokeObjectURL?.(preview.url);
    },
    [preview],
  );
  const set = useCallback((blob: Blob | null, key = '') => {
    if (!mounted.current) return;
    setPreview(blob === null || typeof URL.createObjectURL !== 'function' ? null : { url: URL.createObjectURL(blob), key });
  }, []);
  return [preview, set] as const;
}

type Busy = 'idle' | 'previewing' | 'creating';

/**
 * Sharing: choose the card's language and how long it stays, preview exactly the card that
 * would be published (POST /api/shares/preview), make it (POST /api/shares, in the zone the
 * calendar is drawn in), and see and delete every share made (GET/DELETE /api/shares). Focus
 * moves to the result after making a share and to the list after deleting one; both are
 * announced politely.
 */
export function SharePanel({ client, tz }: { client: ApiClient; tz: string }) {
  const { t, lang } = useI18n();
  const announce = useAnnounce();
  const id = useId();
  // The card follows the page's language until the person picks one for it.
  const [pickedLang, setPickedLang] = useState<ShareLang | null>(null);
  const cardLang: ShareLang = pickedLang ?? lang;
  const [expiry, setExpiry] = useState<Expiry>(DEFAULT_EXPIRY);
  const [busy, setBusy] = useState<Busy>('idle');
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [previewed, setPreview] = usePreviewURL();
  const [created, setCreated] = useState<Share | null>(null);
  const [shares, setShares] = useState<Share[] | null>(null);
  const [listProblem, setListProblem] = useState<ApiError | null>(null);
  const resultRef = useRef<HTMLHeadingElement>(null);
  const listRef = useRef<HTMLHeadingElement>(null);
  const focusAfter = useRef<'result' | 'list' | null>(null);

  const load = useCallback(() => {
    client.listShares().then(
      (list) => {
        setShares(list);
        setListProblem(null);
      },
      (err: unknown) => setListProblem(toApiError(err)),
    );
  }, [client]);
  useEffect(load, [load]);

  // Focus moves once the element it goes to is on the page.
  useEffect(() => {
    if (focusAfter.current === 'result' && resultRef.current) resultRef.current.focus();
    if (focusAfter.current === 'list' && listRef.current) listRef.current.focus();
    focusAfter.current = null;
  });

  const request = (): ShareRequest => ({ tz, lang: cardLang, expiresInDays: expiry === 'never' ? null : Number(expiry) });
  // A preview shows one zone and language: after either changes it is stale and is not shown.
  const previewKey = `${tz}|${cardLang}`;
  const preview = previewed?.key === previewKey ? previewed.url : null;

  const fail = (err: unknown) => {
    const e = toApiError(err);
    setProblem(e);
    announce(problemText(t, e, lang));
  };

  const showPreview = async () => {
    setBusy('previewing');
    setProblem(null);
    try {
      const key = previewKey;
      setPreview(await client.previewShare(request()), key);
    } catch (err) {
      fail(err);
    } finally {
      setBusy('idle');
    }
  };

  const create = async () => {
    setBusy('creating');
    setProblem(null);
    try {
      const share = await client.createShare(request());
      setCreated(share);
      setPreview(null);
      setShares((list) => [share, ...(list ?? []).filter((s) => s.id !== share.id)]);
      focusAfter.current = 'result';
      announce(t.shareReady);
    } catch (err) {
      fail(err);
    } finally {
      setBusy('idle');
    }
  };

  const remove = async (share: Share) => {
    setProblem(null);
    try {
      await client.deleteShare(share.id);
      setShares((list) => (list ?? []).filter((s) => s.id !== share.id));
      setCreated((c) => (c?.id === share.id ? null : c));
      focusAfter.current = 'list';
      announce(t.shareDeleted);
    } catch (err) {
      fail(err);
    }
  };

  const lifetime = (s: Share) => (s.expiresAt ? t.shareExpires(dateTimeText(lang, Date.parse(s.expiresAt))) : t.shareKept);

  return (
    <section className="share" aria-labelledby={`${id}-heading`} data-testid="share">
      <h2 id={`${id}-heading`}>{t.shareHeading}</h2>
      <p className="muted">{t.shareIntro(tz)}</p>
      <div className="share-options">
        <label>
          {t.shareLang}
          <select
            className="input"
            value={cardLang}
            onChange={(e) => setPickedLang(e.target.value as ShareLang)}
          >
            {CARD_LANGS.map((l) => (
              <option key={l} value={l} lang={l}>
                {languageNames[l]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.shareExpiry}
          <select className="input" value={expiry} onChange={(e) => setExpiry(e.target.value as Expiry)} data-testid="share-expiry">
            {EXPIRY.map((d) => (
              <option key={d} value={d}>
                {t.expiry[d]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="share-actions">
        <button type="button" className="button button--secondary" onClick={() => void showPreview()} disabled={busy !== 'idle'}>
          {busy === 'previewing' ? t.sharePreviewing : t.sharePreview}
        </button>
        <button type="button" className="button button--primary" onClick={() => void create()} disabled={busy !== 'idle'}>
          {busy === 'creating' ? t.shareCreating : t.shareCreate}
        </button>
      </div>
      {problem && (
        <div className="share-problem" data-testid="share-problem" data-kind={problem.kind}>
          <p className="error-text">{problemText(t, problem, lang)}</p>
          {problem.kind === 'unauthenticated' && (
            <a className="button" href="/auth/login">
              {t.shareError.signInAgain}
            </a>
          )}
        </div>
      )}
      {preview && (
        <figure className="share-preview" data-testid="share-preview">
          <img src={preview} alt={t.sharePreviewAlt} width={1200} height={630} />
          <figcaption className="muted">{t.sharePreviewNote}</figcaption>
        </figure>
      )}
      {created && (
        <div className="share-result" data-testid="share-result">
          <h3 ref={resultRef} tabIndex={-1}>
            {t.shareReady}
          </h3>
          <img className="share-card" src={created.imageUrl} alt={t.shareCardAlt} width={1200} height={630} />
          <p className="muted">{lifetime(created)}</p>
          <div className="share-actions">
            <a className="button button--primary" href={tweetIntent(created.url, t.shareText)} target="_blank" rel="noopener noreferrer">
              {t.shareTweet}
            </a>
            <a className="button button--secondary" href={created.url} target="_blank" rel="noopener noreferrer">
              {t.shareOpen}
            </a>
            <a className="button button--secondary" href={created.imageUrl} download={`nezame-${created.id}.png`}>
              {t.shareSave}
            </a>
            <button type="button" className="button button--quiet" onClick={() => void remove(created)}>
              {t.shareDelete}
            </button>
          </div>
        </div>
      )}
      <h3 ref={listRef} tabIndex={-1} id={`${id}-mine`}>
        {t.myShares}
      </h3>
      {listProblem && (
        <div className="share-problem">
          <p className="error-text">
            {t.mySharesFailed}{' '}
            {listProblem.kind === 'unauthenticated' ? t.shareError.session : listProblem.kind === 'network' ? t.shareError.network : t.shareError.unavailable}
          </p>
          {listProblem.kind === 'unauthenticated' ? (
            <a className="button" href="/auth/login">
              {t.shareError.signInAgain}
            </a>
          ) : (
            <button type="button" className="button" onClick={load}>
              {t.tryAgain}
            </button>
          )}
        </div>
      )}
      {shares !== null && shares.length === 0 && <p className="muted">{t.mySharesEmpty}</p>}
      {shares !== null && shares.length > 0 && (
        <ul className="my-shares" aria-labelledby={`${id}-mine`} data-testid="my-shares">
          {shares.map((s) => (
            <ShareItem key={s.id} share={s} onDelete={() => void remove(s)} />
          ))}
        </ul>
      )}
    </section>
  );
}
