// Whether this browser may hold a session. The session cookie is HttpOnly, so the server sets a
// readable, non-secret hint cookie beside it — written with the session, deleted on sign-out and
// by any 401 — and the app asks /api/me only when the hint is there. A signed-out visit then makes
// no request that is bound to fail (Chromium logs every 401 in the console), and a signed-in one
// is recognised however it arrives: a new tab, cleared site storage, a restored browser. The hint
// proves nothing; the session cookie stays the only proof.

/** Name of the hint cookie the server sets beside the session cookie. */
export const SESSION_HINT_COOKIE = 'nezame_signed_in';

/**
 * localStorage key of the hint this app kept before the server set one. A browser that still
 * has it may hold a session made before the hint cookie existed: it asks /api/me once (which
 * sets the cookie if the session is alive), and the key is dropped once /api/me has answered.
 */
export const LEGACY_HINT_KEY = 'nezame.session';

/** Whether /api/me is worth asking, from the cookies this page can read (document.cookie). */
export function mayHaveSession(cookies: string = document.cookie): boolean {
  return cookies.split(';').some((c) => c.trim() === `${SESSION_HINT_COOKIE}=1`) || legacyHint();
}

function legacyHint(): boolean {
  try {
    return localStorage.getItem(LEGACY_HINT_KEY) === '1';
  } catch {
    return false;
  }
}

/** Drops the old localStorage hint: from now on the server's cookie says it. */
export function dropLegacyHint(): void {
  try {
    localStorage.removeItem(LEGACY_HINT_KEY);
  } catch {
    // nothing stored
  }
}
