import type { Analysis, ArchiveShare, ArchiveShareRequest, Me, RateLimitReason, Share, ShareRequest } from './types';

/**
 * What a failed request means for the person, decided once here from the status and the
 * server's code, so every screen tells the same failures apart in the same way:
 *
 * - `network`: no answer at all (offline, or nezame is down): nothing the person sent was wrong.
 * - `unavailable`: nezame answered 5xx: an outage on our side, worth trying again later.
 * - `busy`: a 5xx that names when to try again (`retryAfter`, e.g. `analysis_busy`): retry by itself.
 * - `rate_limited` (429, with `resetAt` and `reason`), `queued` and `fetching` (202): honest waits.
 * - `unauthenticated` (401): sign in again. `invalid_timezone` (400): pick a zone.
 * - `not_found` (404/405), `rejected` (any other 4xx: the request itself was refused, e.g. 413).
 */
export type ApiErrorKind =
  | 'network'
  | 'unavailable'
  | 'busy'
  | 'rate_limited'
  | 'queued'
  | 'fetching'
  | 'unauthenticated'
  | 'invalid_timezone'
  | 'not_found'
  | 'rejected';

/** A failed (or, for the 202 waits, deferred) API call. */
export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  /** HTTP status; 0 when the request never got an answer. */
  readonly status: number;
  /** The server's snake_case error code, e.g. "invalid_timezone"; `http_<status>` when it sent none. */
  readonly code: string;
  /** Seconds to wait before asking again (queued, fetching, rate_limited, busy). */
  readonly retryAfter?: number;
  /** Place in the waiting room (queued). */
  readonly position?: number;
  /** Posts read so far (fetching). */
  readonly fetched?: number;
  /** When a rate limit clears (Unix ms), as the server said. */
  readonly resetAt?: number;
  /** Why the rate limit applies. */
  readonly reason?: RateLimitReason;

  constructor(init: {
    kind: ApiErrorKind;
    status: number;
    code: string;
    message: string;
    retryAfter?: number;
    position?: number;
    fetched?: number;
    resetAt?: number;
    reason?: RateLimitReason;
  }) {
    super(init.message);
    this.name = 'ApiError';
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.retryAfter = init.retryAfter;
    this.position = init.position;
    this.fetched = init.fetched;
    this.resetAt = init.resetAt;
    this.reason = init.reason;
  }
}

/**
 * Any thrown value as an ApiError: an ApiError as it is, anything else (a bug, a failed JSON
 * parse) as `unavailable`, so a screen can always say something true.
 */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError({ kind: 'unavailable', status: 0, code: 'client_error', message: err instanceof Error ? err.message : String(err) });
}

/** Whether the failure is on nezame's side or the connection, not in what the person sent or picked. */
export function isServerSide(err: unknown): boolean {
  const kind = toApiError(err).kind;
  return kind === 'network' || kind === 'unavailable' || kind === 'busy';
}

/** The single typed client for the nezame HTTP API. */
export interface ApiClient {
  me(): Promise<Me>;
  periods(tz: string): Promise<Analysis>;
  /** POST /api/shares: publishes a card of the signed-in person's analysis in `tz`. */
  createShare(req: ShareRequest): Promise<Share>;
  /** POST /api/shares/preview: the PNG that createShare would publish; nothing is stored. */
  previewShare(req: ShareRequest): Promise<Blob>;
  /** GET /api/shares: mine, newest first. */
  listShares(): Promise<Share[]>;
  /** DELETE /api/shares/{id}; `deleteToken` for an archive share made without a session. */
  deleteShare(id: string, deleteToken?: string): Promise<void>;
  /** POST /api/shares/archive: a card of an archive's analysis (no session needed). */
  createArchiveShare(req: ArchiveShareRequest): Promise<ArchiveShare>;
  /** POST /api/shares/archive/preview. */
  previewArchiveShare(req: ArchiveShareRequest): Promise<Blob>;
  logout(): Promise<void>;
}

type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

const DEFAULT_RETRY_SECONDS = 5;

interface RawErrorBody {
  error?: { code?: unknown; message?: unknown };
  retryAfter?: unknown;
  position?: unknown;
  fetched?: unknown;
  resetAt?: unknown;
  reason?: unknown;
}

function positiveNumber(v: unknown): number | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
}

function instant(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : ms;
}

function rateReason(v: unknown): RateLimitReason | undefined {
  return v === 'app_quota' || v === 'twitter' || v === 'client' ? v : undefined;
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

function kindFor(status: number, code: string, retryAfter: number | undefined): ApiErrorKind {
  if (status === 202) return code === 'fetching' ? 'fetching' : 'queued';
  if (status === 401) return 'unauthenticated';
  if (status === 429) return 'rate_limited';
  if (code === 'invalid_timezone') return 'invalid_timezone';
  if (status === 404 || status === 405) return 'not_found';
  if (status >= 500) return retryAfter !== undefined && status === 503 ? 'busy' : 'unavailable';
  return 'rejected';
}

function errorFrom(res: Response, body: unknown): ApiError {
  const b = (typeof body === 'object' && body !== null ? body : {}) as RawErrorBody;
  const code = typeof b.error?.code === 'string' ? b.error.code : `http_${res.status}`;
  const message = typeof b.error?.message === 'string' ? b.error.message : res.statusText;
  let retryAfter = positiveNumber(b.retryAfter) ?? positiveNumber(res.headers.get('Retry-After'));
  const kind = kindFor(res.status, code, retryAfter);
  if (retryAfter === undefined && (kind === 'queued' || kind === 'fetching' || kind === 'rate_limited')) {
    retryAfter = DEFAULT_RETRY_SECONDS;
  }
  return new ApiError({
    kind,
    status: res.status,
    code,
    message,
    retryAfter,
    position: positiveNumber(b.position),
    fetched: positiveNumber(b.fetched),
    resetAt: instant(b.resetAt),
    reason: rateReason(b.reason),
  });
}

/** Builds the client. `fetchFn` is injected so tests can answer requests without a server. */
export function createClient(fetchFn: FetchFn = (i, init) => fetch(i, init), baseUrl = ''): ApiClient {
  async function send(path: string, init: RequestInit, accept: string): Promise<Response> {
    let res: Response;
    try {
      res = await fetchFn(baseUrl + path, {
        credentials: 'same-origin',
        ...init,
        headers: { Accept: accept, ...(init.headers ?? {}) },
      });
    } catch (err) {
      throw new ApiError({
        kind: 'network',
        status: 0,
        code: 'network',
        message: err instanceof Error ? err.message : String(err),
      });
    }
    // 202 is a wait (the waiting room, a first fetch): a success status that carries no result yet.
    if (!res.ok || res.status === 202) throw errorFrom(res, await readJSON(res));
    return res;
  }

  async function call<T>(path: string, init: RequestInit = {}, expectBody = true): Promise<T> {
    const res = await send(path, init, 'application/json');
    const body = await readJSON(res);
    if (expectBody && body === undefined) {
      throw new ApiError({ kind: 'unavailable', status: res.status, code: 'bad_response', message: 'empty or invalid JSON' });
    }
    return body as T;
  }

  async function png(path: string, init: RequestInit): Promise<Blob> {
    const res = await send(path, init, 'image/png');
    return res.blob();
  }

  const json = (method: string, payload?: unknown, headers: Record<string, string> = {}): RequestInit => ({
    method,
    headers: payload === undefined ? headers : { 'Content-Type': 'application/json', ...headers },
    body: payload === undefined ? undefined : JSON.stringify(payload),
  });

  return {
    me: () => call<Me>('/api/me'),
    periods: (tz) => call<Analysis>(`/api/periods?tz=${encodeURIComponent(tz)}`),
    createShare: (req) => call<Share>('/api/shares', json('POST', req)),
    previewShare: (req) => png('/api/shares/preview', json('POST', req)),
    listShares: () => call<Share[]>('/api/shares').then((list) => (Array.isArray(list) ? list : [])),
    deleteShare: (id, deleteToken) =>
      call<undefined>(
        `/api/shares/${encodeURIComponent(id)}`,
        json('DELETE', undefined, deleteToken ? { Authorization: `Bearer ${deleteToken}` } : {}),
        false,
      ).then(() => undefined),
    createArchiveShare: (req) => call<ArchiveShare>('/api/shares/archive', json('POST', req)),
    previewArchiveShare: (req) => png('/api/shares/archive/preview', json('POST', req)),
    logout: () => call<undefined>('/auth/logout', json('POST'), false).then(() => undefined),
  };
}

/** The browser's IANA zone, sent as `tz`. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}
