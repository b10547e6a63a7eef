import type { Analysis, Me, Share } from './types';

/**
 * What went wrong with a request. The first five have a dedicated UI state; `http` is any
 * other error answer (its server code is in ApiError.code).
 */
export type ApiErrorKind =
  | 'unauthenticated'
  | 'queued'
  | 'rate_limited'
  | 'not_found'
  | 'network'
  | 'http';

/** A failed (or, for the waiting room, deferred) API call. */
export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  /** HTTP status; 0 when the request never got an answer. */
  readonly status: number;
  /** The server's snake_case error code, e.g. "invalid_timezone". */
  readonly code: string;
  /** Seconds to wait before asking again (queued, rate_limited). */
  readonly retryAfter?: number;
  /** Place in the waiting room (queued). */
  readonly position?: number;

  constructor(init: {
    kind: ApiErrorKind;
    status: number;
    code: string;
    message: string;
    retryAfter?: number;
    position?: number;
  }) {
    super(init.message);
    this.name = 'ApiError';
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.retryAfter = init.retryAfter;
    this.position = init.position;
  }
}

/** The single typed client for the nezame HTTP API. */
export interface ApiClient {
  me(): Promise<Me>;
  periods(tz: string): Promise<Analysis>;
  /** Analyses given post times (Unix ms or RFC 3339); `sources` (one per post) enable the automated-post rules. */
  analyze(timestamps: ArrayLike<string | number>, tz: string, sources?: string[]): Promise<Analysis>;
  createShare(): Promise<Share>;
  deleteShare(id: string): Promise<void>;
  logout(): Promise<void>;
}

type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

const DEFAULT_RETRY_SECONDS = 5;

interface ErrorBody {
  error?: { code?: unknown; message?: unknown };
  retryAfter?: unknown;
  position?: unknown;
}

function positiveNumber(v: unknown): number | undefined {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
}

async function readJSON(res: Response): Promise<unknown> {
  const text = await res.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function kindFor(status: number, code: string): ApiErrorKind {
  if (status === 202 || code === 'queued') return 'queued';
  if (status === 401 || code === 'unauthenticated') return 'unauthenticated';
  if (status === 429 || code === 'rate_limited') return 'rate_limited';
  if (status === 404 || status === 405) return 'not_found';
  return 'http';
}

function errorFrom(res: Response, body: unknown): ApiError {
  const b = (typeof body === 'object' && body !== null ? body : {}) as ErrorBody;
  const code = typeof b.error?.code === 'string' ? b.error.code : `http_${res.status}`;
  const message = typeof b.error?.message === 'string' ? b.error.message : res.statusText;
  const kind = kindFor(res.status, code);
  let retryAfter = positiveNumber(b.retryAfter) ?? positiveNumber(res.headers.get('Retry-After'));
  if (retryAfter === undefined && (kind === 'queued' || kind === 'rate_limited')) {
    retryAfter = DEFAULT_RETRY_SECONDS;
  }
  return new ApiError({
    kind,
    status: res.status,
    code,
    message,
    retryAfter,
    position: positiveNumber(b.position),
  });
}

/** Builds the client. `fetchFn` is injected so tests can answer requests without a server. */
export function createClient(fetchFn: FetchFn = (i, init) => fetch(i, init), baseUrl = ''): ApiClient {
  async function call<T>(path: string, init: RequestInit = {}, expectBody = true): Promise<T> {
    let res: Response;
    try {
      res = await fetchFn(baseUrl + path, {
        credentials: 'same-origin',
        ...init,
        headers: { Accept: 'application/json', ...(init.headers ?? {}) },
      });
    } catch (err) {
      throw new ApiError({
        kind: 'network',
        status: 0,
        code: 'network',
        message: err instanceof Error ? err.message : String(err),
      });
    }
    const body = await readJSON(res);
    // 202 is the waiting room: a success status that carries no result yet.
    if (!res.ok || res.status === 202) throw errorFrom(res, body);
    if (expectBody && body === undefined) {
      throw new ApiError({ kind: 'http', status: res.status, code: 'bad_response', message: 'empty or invalid JSON' });
    }
    return body as T;
  }

  const json = (method: string, payload?: unknown): RequestInit => ({
    method,
    headers: payload === undefined ? {} : { 'Content-Type': 'application/json' },
    body: payload === undefined ? undefined : JSON.stringify(payload),
  });

  return {
    me: () => call<Me>('/api/me'),
    periods: (tz) => call<Analysis>(`/api/periods?tz=${encodeURIComponent(tz)}`),
    analyze: async (timestamps, tz, sources) => {
      const body = JSON.stringify({ timestamps: Array.from(timestamps), tz, ...(sources ? { sources } : {}) });
      return call<Analysis>('/api/analyze', { method: 'POST', ...(await maybeGzip(body)) });
    },
    createShare: () => call<Share>('/api/shares', json('POST')),
    deleteShare: (id) => call<undefined>(`/api/shares/${encodeURIComponent(id)}`, json('DELETE'), false).then(() => undefined),
    logout: () => call<undefined>('/auth/logout', json('POST'), false).then(() => undefined),
  };
}

/** Bodies above this are gzipped (where the browser can): sources repeat a lot and shrink ~20x. */
const GZIP_ABOVE = 256 * 1024;

async function maybeGzip(body: string): Promise<{ body: BodyInit; headers: Record<string, string> }> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (body.length <= GZIP_ABOVE || typeof CompressionStream === 'undefined') return { body, headers };
  const gz = await new Response(new Blob([body]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
  return { body: gz, headers: { ...headers, 'Content-Encoding': 'gzip' } };
}

/** The browser's IANA zone, sent as `tz`. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}
