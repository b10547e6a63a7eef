// Whether this browser may hold a session, remembered beside it. A signed-out visit then makes
// no request that is bound to fail: Chromium logs every 401 answer in the console, and most
// visits are signed out. The hint is set when sign-in starts and when /api/me answers, and
// cleared on sign-out, on a 401 and when sign-in comes back with an error; the session cookie
// itself is HttpOnly and stays the only proof.

/** localStorage key of the hint. */
export const SESSION_HINT_KEY = 'nezame.session';

/** Whether /api/me is worth asking. Without storage, always (and a signed-out visit logs one 401). */
export function mayHaveSession(): boolean {
  try {
    return localStorage.getItem(SESSION_HINT_KEY) === '1';
  } catch {
    return true;
  }
}

/** Records that a session may exist (sign-in started, or /api/me answered). */
export function rememberSession(): void {
  try {
    localStorage.setItem(SESSION_HINT_KEY, '1');
  } catch {
    // Without storage the app asks /api/me on every visit.
  }
}

/** Records that there is no session (signed out, 401, failed sign-in). */
export function forgetSession(): void {
  try {
    localStorage.removeItem(SESSION_HINT_KEY);
  } catch {
    // nothing stored
  }
}
