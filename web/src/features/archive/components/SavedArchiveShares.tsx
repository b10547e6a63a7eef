import { useEffect, useId, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { ApiError, type ApiClient } from '../../../api/client';
import type { ArchiveShare } from '../../../api/types';
import { useAnnounce } from '../../../components/Announcer';
import { ShareItem } from '../../../components/ShareItem';
import { useNow } from '../../../hooks/useNow';
import { useI18n } from '../../../i18n/useI18n';
import { forgetShare, loadSavedShares, savedSharesSnapshot, subscribeSavedShares } from '../savedShares';
import { archiveShareProblem } from '../shareProblem';

/**
 * The archive cards made on this browser (their delete tokens live in localStorage), each
 * with a working Delete: DELETE /api/shares/{id} with its token. A card the server no longer
 * has (deleted elsewhere, or expired) is forgotten too. Nothing is shown when there are none.
 */
/** `hide` leaves out a share shown elsewhere on the screen (the one just made, with its own Delete). */
export function SavedArchiveShares({ client, hide }: { client: ApiClient; hide?: string }) {
  const { t, lang } = useI18n();
  const announce = useAnnounce();
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const raw = useSyncExternalStore(subscribeSavedShares, savedSharesSnapshot, () => '');
  // The snapshot string changes whenever a share is saved or forgotten; expired ones drop out on reading.
  const now = useNow(60_000);
  const shares = useMemo(
    () => (raw === '' ? [] : loadSavedShares(globalThis.localStorage, now, false)).filter((s) => s.id !== hide),
    [raw, now, hide],
  );
  // Expired cards are dropped from storage once they are seen (not while rendering).
  useEffect(() => {
    if (raw !== '') loadSavedShares(globalThis.localStorage, now);
  }, [raw, now]);
  const [problem, setProblem] = useState<{ id: string; text: string } | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);

  if (shares.length === 0) return null;

  const remove = async (share: ArchiveShare) => {
    setDeleting(share.id);
    setProblem(null);
    try {
      await client.deleteShare(share.id, share.deleteToken);
      forgetShare(share.id);
    } catch (err) {
      if (err instanceof ApiError && err.kind === 'not_found') {
        forgetShare(share.id); // already gone from the server
      } else {
        const text = t.archiveShareDeleteFailed(archiveShareProblem(t, err, lang));
        setProblem({ id: share.id, text });
        announce(text);
        return;
      }
    } finally {
      setDeleting(null);
    }
    announce(t.shareDeleted);
    heading.current?.focus();
  };

  return (
    <section className="saved-shares" aria-labelledby={`${id}-h`} data-testid="saved-archive-shares">
      <h3 id={`${id}-h`} ref={heading} tabIndex={-1}>
        {t.savedSharesHeading}
      </h3>
      <p className="muted">{t.savedSharesNote}</p>
      <ul className="my-shares">
        {shares.map((s) => (
          <ShareItem key={s.id} share={s} busy={deleting === s.id} onDelete={() => void remove(s)}>
            {problem?.id === s.id && <p className="error-text">{problem.text}</p>}
          </ShareItem>
        ))}
      </ul>
    </section>
  );
}
