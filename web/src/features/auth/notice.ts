/** Why the landing page greets the visitor with a message. */
export type Notice = { kind: 'denied' } | { kind: 'failed'; code: string } | { kind: 'expired' };

/** Reads `?error=<code>` left by /auth/callback. */
export function noticeFromSearch(search: string): Notice | null {
  const code = new URLSearchParams(search).get('error');
  if (code === null) return null;
  if (code === 'denied' || code === 'access_denied') return { kind: 'denied' };
  // Only a short snake_case code is echoed back, so a crafted URL cannot inject text.
  return { kind: 'failed', code: /^[a-z0-9_]{1,40}$/.test(code) ? code : 'unknown' };
}

/** The URL without the `error` parameter, to replace the address bar with. */
export function urlWithoutError(href: string): string {
  const u = new URL(href);
  u.searchParams.delete('error');
  return u.pathname + u.search + u.hash;
}
