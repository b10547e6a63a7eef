// Archive shares made on this device, with the tokens that delete them. An archive share has no
// session owner: its deleteToken (returned once, by POST /api/shares/archive) is the only way to
// delete it, so it is kept in localStorage, keyed by the share's id, until the share is deleted
// or expires. Nothing here is ever sent anywhere except the token, to DELETE its own share.
import type { ArchiveShare } from '../../api/types';

/** localStorage key of the saved shares: a JSON object { [id]: share without its id }. */
export const SAVED_SHARES_KEY = 'nezame.archiveShares';

/** Fired on window when this tab changes the saved shares (other tabs get "storage"). */
const CHANGED = 'nezame-archive-shares';

type Stored = Record<string, Omit<ArchiveShare, 'id'>>;

const isText = (v: unknown): v is string => typeof v === 'string' && v !== '';

function read(storage: Pick<Storage, 'getItem'> | undefined): Stored {
  try {
    const v = JSON.parse(storage?.getItem(SAVED_SHARES_KEY) ?? '{}') as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Stored) : {};
  } catch {
    return {};
  }
}

function write(stored: Stored, storage: Pick<Storage, 'setItem' | 'removeItem'> | undefined): void {
  try {
    if (Object.keys(stored).length === 0) storage?.removeItem(SAVED_SHARES_KEY);
    else storage?.setItem(SAVED_SHARES_KEY, JSON.stringify(stored));
  } catch {
    // Private mode or a full quota: the share can then only be deleted while its page is open.
  }
  if (typeof window !== 'undefined') window.dispatchEvent(new Event(CHANGED));
}

/** Whether a share has expired by `now` (Unix ms); null never expires. */
const expired = (s: { expiresAt: string | null }, now: number) => s.expiresAt !== null && !(Date.parse(s.expiresAt) > now);

/**
 * The saved shares that are still live at `now`, newest first. Expired ones (and anything
 * unreadable) are left out, and dropped from storage unless `prune` is false (while rendering,
 * where storage must not change).
 */
export function loadSavedShares(storage: Storage | undefined = globalThis.localStorage, now = Date.now(), prune = true): ArchiveShare[] {
  const stored = read(storage);
  const live: ArchiveShare[] = [];
  const kept: Stored = {};
  for (const [id, s] of Object.entries(stored)) {
    const ok = typeof s === 'object' && s !== null && isText(s.url) && isText(s.imageUrl) && isText(s.deleteToken) && typeof s.createdAt === 'string' && (s.expiresAt === null || typeof s.expiresAt === 'string');
    if (!ok || expired(s, now)) continue;
    kept[id] = s;
    live.push({ id, url: s.url, imageUrl: s.imageUrl, createdAt: s.createdAt, expiresAt: s.expiresAt, deleteToken: s.deleteToken });
  }
  if (prune && live.length < Object.keys(stored).length) write(kept, storage);
  return live.sort((a, b) => (Date.parse(b.createdAt) || 0) - (Date.parse(a.createdAt) || 0));
}

/** Keeps a share just made, with its delete token. */
export function saveShare(share: ArchiveShare, storage: Storage | undefined = globalThis.localStorage): void {
  const stored = read(storage);
  const { id, ...rest } = share;
  stored[id] = rest;
  write(stored, storage);
}

/** Forgets a share (deleted, or gone from the server). */
export function forgetShare(id: string, storage: Storage | undefined = globalThis.localStorage): void {
  const stored = read(storage);
  if (!(id in stored)) return;
  write(Object.fromEntries(Object.entries(stored).filter(([k]) => k !== id)), storage);
}

/** Calls `onChange` whenever the saved shares change, here or in another tab; returns the unsubscribe. */
export function subscribeSavedShares(onChange: () => void): () => void {
  const onStorage = (e: StorageEvent) => {
    if (e.key === null || e.key === SAVED_SHARES_KEY) onChange();
  };
  window.addEventListener(CHANGED, onChange);
  window.addEventListener('storage', onStorage);
  return () => {
    window.removeEventListener(CHANGED, onChange);
    window.removeEventListener('storage', onStorage);
  };
}

/** The raw stored text, a stable snapshot for useSyncExternalStore. */
export function savedSharesSnapshot(): string {
  try {
    return globalThis.localStorage?.getItem(SAVED_SHARES_KEY) ?? '';
  } catch {
    return '';
  }
}
