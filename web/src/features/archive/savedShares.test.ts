import { describe, expect, it } from 'vitest';
import type { ArchiveShare } from '../../api/types';
import { forgetShare, loadSavedShares, SAVED_SHARES_KEY, saveShare } from './savedShares';

const share = (id: string, createdAt: string, expiresAt: string | null): ArchiveShare => ({
  id,
  url: `https://nezame.test/s/${id}`,
  imageUrl: `https://nezame.test/s/${id}.png`,
  createdAt,
  expiresAt,
  deleteToken: `token-${id}`,
});

describe('saved archive shares', () => {
  const now = Date.parse('2026-11-10T00:00:00Z');

  it('keeps each share with its delete token, keyed by id, newest first', () => {
    saveShare(share('old', '2026-11-01T00:00:00Z', null));
    saveShare(share('new', '2026-11-09T00:00:00Z', '2026-12-09T00:00:00Z'));
    expect(Object.keys(JSON.parse(localStorage.getItem(SAVED_SHARES_KEY)!) as object).sort()).toEqual(['new', 'old']);
    expect(loadSavedShares(localStorage, now)).toEqual([share('new', '2026-11-09T00:00:00Z', '2026-12-09T00:00:00Z'), share('old', '2026-11-01T00:00:00Z', null)]);
  });

  it('forgets a deleted share, and the key once none is left', () => {
    saveShare(share('a', '2026-11-01T00:00:00Z', null));
    saveShare(share('b', '2026-11-02T00:00:00Z', null));
    forgetShare('a');
    expect(loadSavedShares(localStorage, now).map((s) => s.id)).toEqual(['b']);
    forgetShare('b');
    expect(localStorage.getItem(SAVED_SHARES_KEY)).toBeNull();
  });

  it('drops expired shares from storage, and only reads when asked not to prune', () => {
    saveShare(share('gone', '2026-11-01T00:00:00Z', '2026-11-08T00:00:00Z'));
    saveShare(share('live', '2026-11-02T00:00:00Z', '2026-11-30T00:00:00Z'));
    expect(loadSavedShares(localStorage, now, false).map((s) => s.id)).toEqual(['live']);
    expect(localStorage.getItem(SAVED_SHARES_KEY)).toContain('gone');
    expect(loadSavedShares(localStorage, now).map((s) => s.id)).toEqual(['live']);
    expect(localStorage.getItem(SAVED_SHARES_KEY)).not.toContain('gone');
  });

  it.each([['not json'], ['[1,2]'], ['{"x":{"url":"u"}}'], ['{"x":null}']])('ignores and clears what it cannot read: %s', (raw) => {
    localStorage.setItem(SAVED_SHARES_KEY, raw);
    expect(loadSavedShares(localStorage, now)).toEqual([]);
  });
});
