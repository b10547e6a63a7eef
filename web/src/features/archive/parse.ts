// Parsing of a Twitter/X archive's tweet files. Pure: strings in, post times out. The worker
// (archive.worker.ts) feeds it the files it unzips; only times and sources leave this module.

/** One post as the archive import keeps it: its time and the client that sent it. */
export interface ArchivePost {
  /** Unix milliseconds. */
  time: number;
  /** The `source` field (client app, often an HTML link); '' when absent. */
  source: string;
}

/** Why an archive could not be read; each has its own message in the catalogue. */
export type ArchiveErrorCode = 'not_archive' | 'no_tweets' | 'corrupt' | 'empty' | 'bad_tweets';

/** A failure with a code the UI can explain. */
export class ArchiveError extends Error {
  readonly code: ArchiveErrorCode;
  constructor(code: ArchiveErrorCode, message: string) {
    super(message);
    this.name = 'ArchiveError';
    this.code = code;
  }
}

/**
 * Whether a path inside the archive (or a picked file's name) is a tweets file:
 * data/tweets.js, data/tweets-part1.js, … and, in older archives, data/tweet.js.
 */
export function isTweetsFile(path: string): boolean {
  // Anchored at a path separator, so deleted-tweets.js and note-tweet.js do not match.
  return /(^|\/)tweets?(-part\d+)?\.js$/i.test(path);
}

const MONTHS: Record<string, number> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};

/** Parses Twitter's `created_at` ("Wed Oct 10 20:19:24 +0000 2018"), or ISO 8601; NaN if neither. */
export function parseCreatedAt(s: string): number {
  const m = /^\w{3} (\w{3}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2}) (\d{4})$/.exec(s.trim());
  if (m !== null) {
    const month = MONTHS[m[1] ?? ''];
    if (month === undefined) return Number.NaN;
    const offset = (m[6] === '-' ? -1 : 1) * (Number(m[7]) * 60 + Number(m[8]));
    return Date.UTC(Number(m[9]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])) - offset * 60_000;
  }
  return /^\d{4}-\d{2}-\d{2}T/.test(s) ? Date.parse(s) : Number.NaN;
}

const CREATED_AT = /"created_at"\s*:\s*"([^"]*)"/g;
const SOURCE = /"source"\s*:\s*"((?:[^"\\]|\\.)*)"/g;

/**
 * Reads one tweets file: strips the `window.YTD.tweets.part0 = ` assignment and keeps each
 * post's created_at and source. Items are `{"tweet": {...}}` (current archives) or the tweet
 * object itself (older ones).
 *
 * A tweets file can be hundreds of MB, so the fast path scans for the two keys instead of
 * building every post object: inside JSON a key pattern like `"created_at" : "` cannot occur in
 * a string value (its quotes would be escaped), and every post has exactly one of each. When
 * the counts differ (a post without a source) it falls back to a full JSON.parse.
 */
export function parseTweetsJs(text: string, fileName = 'tweets.js'): ArchivePost[] {
  const start = text.search(/[[{]/);
  const eq = text.indexOf('=');
  if (start < 0 || (eq >= 0 && eq < start && !/^\s*window\.YTD\.[\w.]+\s*$/.test(text.slice(0, eq)))) {
    throw new ArchiveError('bad_tweets', `${fileName} is not a tweets file`);
  }
  const body = text.slice(start).trimEnd();
  if (!(body.startsWith('[') && body.endsWith(']'))) {
    throw new ArchiveError('bad_tweets', `${fileName} does not hold a complete list of posts`);
  }
  const times = [...body.matchAll(CREATED_AT)].map((m) => m[1] ?? '');
  const sources = [...body.matchAll(SOURCE)].map((m) => m[1] ?? '');
  if (times.length !== sources.length) return parseTweetsJSON(body, fileName);
  const posts: ArchivePost[] = [];
  times.forEach((createdAt, i) => {
    const time = parseCreatedAt(createdAt);
    if (!Number.isNaN(time)) posts.push({ time, source: unescapeJSON(sources[i] ?? '') });
  });
  return posts;
}

function unescapeJSON(s: string): string {
  if (!s.includes('\\')) return s;
  try {
    return JSON.parse(`"${s}"`) as string;
  } catch {
    return s;
  }
}

/** The slow, general path: a full parse of the list. */
export function parseTweetsJSON(body: string, fileName: string): ArchivePost[] {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (err) {
    throw new ArchiveError('bad_tweets', `${fileName}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!Array.isArray(data)) throw new ArchiveError('bad_tweets', `${fileName} does not hold a list of posts`);
  const posts: ArchivePost[] = [];
  for (const item of data as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const rec = item as Record<string, unknown>;
    const tweet = (typeof rec.tweet === 'object' && rec.tweet !== null ? rec.tweet : rec) as Record<string, unknown>;
    if (typeof tweet.created_at !== 'string') continue;
    const time = parseCreatedAt(tweet.created_at);
    if (Number.isNaN(time)) continue;
    posts.push({ time, source: typeof tweet.source === 'string' ? tweet.source : '' });
  }
  return posts;
}
