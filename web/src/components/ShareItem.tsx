import type { ReactNode } from 'react';
import type { Share } from '../api/types';
import { useI18n } from '../i18n/useI18n';
import { dateTimeText } from './Countdown';

/**
 * One share in a list of shares (mine on the server, or archive cards made on this browser):
 * its card, when it was made, when it goes, and a Delete button that names which one it deletes.
 */
export function ShareItem({ share, onDelete, busy = false, children }: { share: Share; onDelete: () => void; busy?: boolean; children?: ReactNode }) {
  const { t, lang } = useI18n();
  const made = dateTimeText(lang, Date.parse(share.createdAt));
  return (
    <li data-share-id={share.id}>
      <a href={share.url} target="_blank" rel="noopener noreferrer" className="my-share-link">
        <img src={share.imageUrl} alt="" width={120} height={63} loading="lazy" />
        <span>{t.shareMade(made)}</span>
      </a>
      <span className="muted">{share.expiresAt ? t.shareExpires(dateTimeText(lang, Date.parse(share.expiresAt))) : t.shareKept}</span>
      <button type="button" className="button button--quiet" disabled={busy} onClick={onDelete} aria-label={t.shareDeleteOne(made)}>
        {t.shareDelete}
      </button>
      {children}
    </li>
  );
}
