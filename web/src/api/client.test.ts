import { describe, expect, it, vi } from 'vitest';
import { ApiError, createClient, isServerSide, toApiError } from './client';

function respond(status: number, body?: unknown, headers: Record<string, string> = {}) {
  return vi.fn(async (_input: string, _init?: RequestInit) =>
    new Response(body === undefined ? null : JSON.stringify(body), { status, headers }),
  );
}

async function caught(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError');
}

describe('api client', () => {
  it('sends tz and returns the analysis', async () => {
    const f = respond(200, { postCount: 3, days: [] });
    const a = await createClient(f).periods('Asia/Tokyo');
    expect(a.postCount).toBe(3);
    expect(f).toHaveBeenCalledWith('/api/periods?tz=Asia%2FTokyo', expect.objectContaining({ credentials: 'same-origin' }));
  });

  const cases: {
    name: string;
    status: number;
    body?: unknown;
    headers?: Record<string, string>;
    kind: string;
    code: string;
    retryAfter?: number;
    position?: number;
    fetched?: number;
    resetAt?: number;
    reason?: string;
  }[] = [
    { name: '401', status: 401, body: { error: { code: 'unauthenticated', message: 'sign in' } }, kind: 'unauthenticated', code: 'unauthenticated' },
    { name: '202 queued', status: 202, body: { error: { code: 'queued', message: 'wait' }, position: 12, retryAfter: 30 }, kind: 'queued', code: 'queued', retryAfter: 30, position: 12 },
    { name: '202 fetching', status: 202, body: { error: { code: 'fetching', message: 'reading' }, fetched: 600, retryAfter: 2 }, kind: 'fetching', code: 'fetching', retryAfter: 2, fetched: 600 },
    {
      name: '429 with resetAt and reason',
      status: 429,
      body: { error: { code: 'rate_limited', message: 'x' }, retryAfter: 90, resetAt: '2026-11-03T00:00:00Z', reason: 'app_quota' },
      kind: 'rate_limited',
      code: 'rate_limited',
      retryAfter: 90,
      resetAt: Date.parse('2026-11-03T00:00:00Z'),
      reason: 'app_quota',
    },
    { name: '429 from header, unknown reason dropped', status: 429, body: { error: { code: 'rate_limited', message: 'x' }, reason: 'mars' }, headers: { 'Retry-After': '120' }, kind: 'rate_limited', code: 'rate_limited', retryAfter: 120 },
    { name: '429 without any hint', status: 429, body: undefined, kind: 'rate_limited', code: 'http_429', retryAfter: 5 },
    { name: '503 busy with retryAfter', status: 503, body: { error: { code: 'analysis_busy', message: 'busy' }, retryAfter: 3 }, kind: 'busy', code: 'analysis_busy', retryAfter: 3 },
    { name: '503 outage', status: 503, body: { error: { code: 'storage_unavailable', message: 'down' } }, kind: 'unavailable', code: 'storage_unavailable' },
    { name: '500', status: 500, body: { error: { code: 'internal', message: 'oops' } }, kind: 'unavailable', code: 'internal' },
    { name: '502 from a proxy, no JSON', status: 502, body: '<html>bad gateway</html>', kind: 'unavailable', code: 'http_502' },
    { name: '400 invalid_timezone', status: 400, body: { error: { code: 'invalid_timezone', message: 'tz' } }, kind: 'invalid_timezone', code: 'invalid_timezone' },
    { name: '400 other', status: 400, body: { error: { code: 'invalid_body', message: 'bad' } }, kind: 'rejected', code: 'invalid_body' },
    { name: '413', status: 413, body: { error: { code: 'too_large', message: 'big' } }, kind: 'rejected', code: 'too_large' },
    { name: '404', status: 404, body: 'not json at all', kind: 'not_found', code: 'http_404' },
    { name: '405', status: 405, kind: 'not_found', code: 'http_405' },
  ];
  it.each(cases)('types $name', async (c) => {
    const e = await caught(createClient(respond(c.status, c.body, c.headers)).periods('UTC'));
    expect(e.kind).toBe(c.kind);
    expect(e.code).toBe(c.code);
    expect(e.status).toBe(c.status);
    expect(e.retryAfter).toBe(c.retryAfter);
    expect(e.position).toBe(c.position);
    expect(e.fetched).toBe(c.fetched);
    expect(e.resetAt).toBe(c.resetAt);
    expect(e.reason).toBe(c.reason);
  });

  it.each([
    ['network', true],
    ['unavailable', true],
    ['busy', true],
    ['rejected', false],
    ['unauthenticated', false],
    ['invalid_timezone', false],
  ] as const)('isServerSide(%s) = %s', (kind, want) => {
    expect(isServerSide(new ApiError({ kind, status: 0, code: kind, message: '' }))).toBe(want);
  });

  it('turns anything thrown into an ApiError', () => {
    const e = toApiError(new TypeError('boom'));
    expect(e.kind).toBe('unavailable');
    expect(e.message).toBe('boom');
    expect(isServerSide(new Error('x'))).toBe(true);
  });

  it('types a failed fetch as network', async () => {
    const f = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    const e = await caught(createClient(f).me());
    expect(e.kind).toBe('network');
    expect(e.status).toBe(0);
  });

  it('accepts 204 for logout', async () => {
    await expect(createClient(respond(204)).logout()).resolves.toBeUndefined();
  });

  it('sends tz, lang and expiry to create and preview a share', async () => {
    const share = { id: 'a', url: 'u', imageUrl: 'i', createdAt: '2026-11-02T00:00:00Z', expiresAt: null };
    const f = respond(201, share);
    const req = { tz: 'Asia/Tokyo', lang: 'ja' as const, expiresInDays: 30 };
    await expect(createClient(f).createShare(req)).resolves.toEqual(share);
    expect(f.mock.calls[0]?.[0]).toBe('/api/shares');
    const init = f.mock.calls[0]?.[1] as RequestInit;
    expect(init.method).toBe('POST');
    expect(JSON.parse(init.body as string)).toEqual(req);

    const png = vi.fn(async (_input: string, _init?: RequestInit) => new Response(new Uint8Array([137, 80, 78, 71]), { status: 200, headers: { 'Content-Type': 'image/png' } }));
    const blob = await createClient(png).previewShare(req);
    expect(blob.size).toBe(4);
    expect(png.mock.calls[0]?.[0]).toBe('/api/shares/preview');
    expect((png.mock.calls[0]?.[1]?.headers as Record<string, string>).Accept).toBe('image/png');
  });

  it('lists shares and deletes with a session or a delete token', async () => {
    const list = respond(200, [{ id: 'a' }]);
    await expect(createClient(list).listShares()).resolves.toEqual([{ id: 'a' }]);
    await expect(createClient(respond(200, null)).listShares()).resolves.toEqual([]);
    const del = respond(204);
    await createClient(del).deleteShare('a/b', 'tok');
    expect(del.mock.calls[0]?.[0]).toBe('/api/shares/a%2Fb');
    const init = del.mock.calls[0]?.[1] as RequestInit;
    expect(init.method).toBe('DELETE');
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer tok');
  });

  it('reads an error from a failed preview', async () => {
    const e = await caught(createClient(respond(400, { error: { code: 'invalid_timezone', message: 'x' } })).previewShare({ tz: 'Mars/Base', lang: 'en', expiresInDays: null }));
    expect(e.kind).toBe('invalid_timezone');
  });
});
