import { describe, expect, it, vi } from 'vitest';
import { ApiError, createClient } from './client';

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
  }[] = [
    { name: '401', status: 401, body: { error: { code: 'unauthenticated', message: 'sign in' } }, kind: 'unauthenticated', code: 'unauthenticated' },
    { name: '202 queued', status: 202, body: { error: { code: 'queued', message: 'wait' }, position: 12, retryAfter: 30 }, kind: 'queued', code: 'queued', retryAfter: 30, position: 12 },
    { name: '429 from body', status: 429, body: { error: { code: 'rate_limited', message: 'x' }, retryAfter: 90 }, kind: 'rate_limited', code: 'rate_limited', retryAfter: 90 },
    { name: '429 from header', status: 429, body: { error: { code: 'rate_limited', message: 'x' } }, headers: { 'Retry-After': '120' }, kind: 'rate_limited', code: 'rate_limited', retryAfter: 120 },
    { name: '429 without any hint', status: 429, body: undefined, kind: 'rate_limited', code: 'http_429', retryAfter: 5 },
    { name: '503', status: 503, body: { error: { code: 'redis_unavailable', message: 'down' } }, kind: 'http', code: 'redis_unavailable' },
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
  });

  it('types a failed fetch as network', async () => {
    const f = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    const e = await caught(createClient(f).me());
    expect(e.kind).toBe('network');
    expect(e.status).toBe(0);
  });

  it('posts JSON for analyze and accepts 204 for logout', async () => {
    const f = respond(200, { postCount: 2 });
    await createClient(f).analyze(['2026-11-01T00:00:00Z', 1700000000000], 'UTC');
    const init = f.mock.calls[0]?.[1] as RequestInit;
    expect(init.method).toBe('POST');
    expect(JSON.parse(init.body as string)).toEqual({ timestamps: ['2026-11-01T00:00:00Z', 1700000000000], tz: 'UTC' });
    await expect(createClient(respond(204)).logout()).resolves.toBeUndefined();
  });
});
