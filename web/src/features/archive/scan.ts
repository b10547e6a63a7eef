// A streaming, byte-level scanner for the tweets files of a Twitter/X archive. It reads the
// bytes once, in chunks of any size, and keeps only each post's `created_at` and `source`: no
// text is ever decoded, no post object is built, and a 1 GB file needs no 1 GB string.
//
// It scans structurally: it tracks JSON strings (with their escapes), nesting and which
// strings are keys, so it only takes `created_at` and `source` that are members of a post:
// an item of the top-level list, or the `tweet` object inside such an item. A `"created_at"`
// written inside a post's text, or the `created_at` of a retweeted post nested deeper (as in
// the 2012–2018 monthly files), is never picked up.
/* eslint-disable @typescript-eslint/no-non-null-assertion -- typed-array reads inside bounds-checked loops: `!` states what the loop guarantees, at no runtime cost */
import { ArchiveError } from './errors';
import type { PostSink } from './sink';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

const OBJECT = 1;
const ARRAY = 2;
const MAX_DEPTH = 512;
/** The longest prefix before the list (`window.YTD.tweets.part12 = `, `Grailbird.data.tweets_2013_01 =`). */
const MAX_PREFIX = 256;
/** Longer keys are none of ours; longer values are truncated (a source is never this long). */
const MAX_KEY = 16;
const MAX_VALUE = 4096;

/** The keys the scanner cares about, as the byte strings it compares. */
const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const KEY_CREATED_AT = enc('created_at');
const KEY_SOURCE = enc('source');
const KEY_TWEET = enc('tweet');

/** What the value after the current key is for. */
const WANT_NONE = 0;
const WANT_TIME = 1;
const WANT_SOURCE = 2;
const WANT_TWEET = 3;

/** Where the scanner is between chunks. */
const MODE_PREFIX = 0; // before the list
const MODE_JSON = 1; // outside a string, inside the list
const MODE_SKIP_STRING = 2; // inside a string nobody wants
const MODE_CAPTURE = 3; // inside a key or value being kept
const MODE_DONE = 4; // after the list

/** What a scan counted. */
export interface ScanStats {
  /** Posts found (items with a readable created_at). */
  posts: number;
  /** Items without a readable created_at (skipped). */
  unreadable: number;
}

/**
 * Scans one tweets file. Feed it with push(chunk) as the bytes arrive and call end() after
 * the last chunk; every post found goes to the sink. Throws ArchiveError('bad_tweets') when
 * the file is not a list of posts, or is cut short.
 */
export class TweetsScanner implements ScanStats {
  posts = 0;
  unreadable = 0;

  private mode = MODE_PREFIX;
  private prefix = '';
  private depth = 0;
  private readonly stack = new Uint8Array(MAX_DEPTH);
  private expectKey = false;
  private want = WANT_NONE;
  /** Depth of the object whose members are a post's fields (2: the item, 3: its "tweet"). */
  private tweetDepth = 0;
  /** Backslashes at the end of the previous chunk inside the string being skipped. */
  private carry = 0;

  /** The key or value being captured, and what it is. */
  private buf = new Uint8Array(64);
  private len = 0;
  private capturing: 'key' | 'value' = 'key';
  private escaped = false;

  /** The fields of the item being read. */
  private itemTime = Number.NaN;
  private itemSource = -1;

  constructor(
    private readonly sink: PostSink,
    private readonly fileName: string,
  ) {}

  push(chunk: Uint8Array): void {
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      switch (this.mode) {
        case MODE_PREFIX:
          i = this.scanPrefix(chunk, i);
          break;
        case MODE_JSON:
          i = this.scanJSON(chunk, i);
          break;
        case MODE_SKIP_STRING:
          i = this.skipString(chunk, i);
          break;
        case MODE_CAPTURE:
          i = this.capture(chunk, i);
          break;
        default:
          i = this.scanTail(chunk, i);
      }
    }
  }

  end(): void {
    if (this.mode === MODE_PREFIX && this.prefix.trim() === '') {
      throw this.fail('is empty');
    }
    if (this.mode !== MODE_DONE) throw this.fail('is cut short: the list of posts does not end');
  }

  private fail(why: string): ArchiveError {
    return new ArchiveError('bad_tweets', `${this.fileName} ${why}`);
  }

  /** Reads `window.YTD.tweets.part0 = ` (or nothing) up to the list's `[`. */
  private scanPrefix(b: Uint8Array, i: number): number {
    const n = b.length;
    for (; i < n; i++) {
      const c = b[i]!;
      if (c === OPEN_ARRAY) {
        const p = this.prefix.trim();
        if (p !== '' && !/^[A-Za-z_$][\w$.]*\s*=$/.test(p)) throw this.fail('is not a tweets file');
        this.mode = MODE_JSON;
        this.stack[0] = ARRAY;
        this.depth = 1;
        this.expectKey = false;
        return i + 1;
      }
      if (c === OPEN_OBJECT || c === QUOTE || this.prefix.length >= MAX_PREFIX) {
        throw this.fail('does not hold a list of posts');
      }
      this.prefix += String.fromCharCode(c);
    }
    return i;
  }

  /** After the list: only white space and a semicolon may follow. */
  private scanTail(b: Uint8Array, i: number): number {
    for (; i < b.length; i++) {
      const c = b[i]!;
      if (!(c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x3b)) {
        throw this.fail('goes on after its list of posts');
      }
    }
    return i;
  }

  /** Outside strings: structure. Returns where it stopped (a string starts, or the chunk ends). */
  private scanJSON(b: Uint8Array, i: number): number {
    const n = b.length;
    const stack = this.stack;
    for (; i < n; i++) {
      const c = b[i]!;
      if (c <= 0x20) continue; // white space
      switch (c) {
        case QUOTE: {
          const d = this.depth;
          const inPost = d === this.tweetDepth || (d === 2 && this.tweetDepth === 0);
          if (this.expectKey ? inPost && stack[d - 1] === OBJECT : this.want === WANT_TIME || this.want === WANT_SOURCE) {
            this.mode = MODE_CAPTURE;
            this.capturing = this.expectKey ? 'key' : 'value';
            this.len = 0;
            this.escaped = false;
          } else {
            this.mode = MODE_SKIP_STRING;
            this.carry = 0;
            if (!this.expectKey) this.want = WANT_NONE;
          }
          return i + 1;
        }
        case OPEN_OBJECT:
        case OPEN_ARRAY: {
          const d = this.depth;
          if (d >= MAX_DEPTH) throw this.fail('nests too deeply');
          if (this.expectKey) throw this.fail('is not valid JSON');
          stack[d] = c === OPEN_OBJECT ? OBJECT : ARRAY;
          this.depth = d + 1;
          if (c === OPEN_OBJECT) {
            if (d === 1) {
              // An item of the list: a post, or {"tweet": post}.
              this.itemTime = Number.NaN;
              this.itemSource = -1;
              this.tweetDepth = 0;
            } else if (d === 2 && this.want === WANT_TWEET) {
              this.tweetDepth = 3;
            }
            this.expectKey = true;
          } else {
            this.expectKey = false;
          }
          this.want = WANT_NONE;
          break;
        }
        case CLOSE_OBJECT:
        case CLOSE_ARRAY: {
          const d = this.depth;
          if (d === 0 || stack[d - 1] !== (c === CLOSE_OBJECT ? OBJECT : ARRAY)) throw this.fail('is not valid JSON');
          this.depth = d - 1;
          if (d === this.tweetDepth) this.tweetDepth = -1; // the post object is over; its item continues
          if (d === 2 && c === CLOSE_OBJECT) this.endItem();
          this.expectKey = false;
          this.want = WANT_NONE;
          if (d === 1) {
            this.mode = MODE_DONE;
            return i + 1;
          }
          break;
        }
        case COLON:
          this.expectKey = false;
          break;
        case COMMA:
          this.expectKey = stack[this.depth - 1] === OBJECT;
          this.want = WANT_NONE;
          break;
        default:
          // A number, true, false or null: not a string, so not a value the scanner keeps.
          this.want = WANT_NONE;
      }
    }
    return i;
  }

  /** Skips a string to its closing quote, however long, using indexOf to jump between quotes. */
  private skipString(b: Uint8Array, i: number): number {
    const start = i;
    for (;;) {
      const q = b.indexOf(QUOTE, i);
      if (q < 0) {
        // The string goes on in the next chunk: remember the backslashes it ends with.
        let k = b.length - 1;
        while (k >= start && b[k] === BACKSLASH) k--;
        const run = b.length - 1 - k;
        this.carry = k < start ? this.carry + run : run;
        return b.length;
      }
      let k = q - 1;
      while (k >= start && b[k] === BACKSLASH) k--;
      let run = q - 1 - k;
      if (k < start) run += this.carry;
      if ((run & 1) === 0) {
        this.mode = MODE_JSON;
        this.carry = 0;
        return q + 1;
      }
      // An escaped quote: the run before it can no longer reach the previous chunk.
      this.carry = 0;
      i = q + 1;
      if (i >= b.length) return i;
    }
  }

  /** Keeps the bytes of a wanted key or value (both short), escapes and all. */
  private capture(b: Uint8Array, i: number): number {
    const n = b.length;
    for (; i < n; i++) {
      const c = b[i]!;
      if (this.escaped) {
        this.escaped = false;
      } else if (c === BACKSLASH) {
        this.escaped = true;
      } else if (c === QUOTE) {
        this.mode = MODE_JSON;
        if (this.capturing === 'key') this.endKey();
        else this.endValue();
        return i + 1;
      }
      if (this.len < MAX_VALUE) {
        if (this.len === this.buf.length) {
          const bigger = new Uint8Array(this.buf.length * 2);
          bigger.set(this.buf);
          this.buf = bigger;
        }
        this.buf[this.len++] = c;
      }
    }
    return i;
  }

  private endKey(): void {
    this.expectKey = false;
    this.want = WANT_NONE;
    if (this.len > MAX_KEY) return;
    if (this.keyIs(KEY_CREATED_AT)) this.want = WANT_TIME;
    else if (this.keyIs(KEY_SOURCE)) this.want = WANT_SOURCE;
    else if (this.depth === 2 && this.keyIs(KEY_TWEET)) this.want = WANT_TWEET;
  }

  private keyIs(key: Uint8Array): boolean {
    if (this.len !== key.length) return false;
    for (let k = 0; k < key.length; k++) if (this.buf[k] !== key[k]) return false;
    return true;
  }

  private endValue(): void {
    const raw = this.buf.subarray(0, this.len);
    if (this.want === WANT_TIME) this.itemTime = parseCreatedAtBytes(raw);
    else this.itemSource = this.sink.internSource(raw);
    this.want = WANT_NONE;
  }

  private endItem(): void {
    const t = this.itemTime;
    if (Number.isNaN(t)) {
      this.unreadable++;
      return;
    }
    this.posts++;
    this.sink.add(t, this.itemSource >= 0 ? this.itemSource : this.sink.internSource(new Uint8Array(0)));
  }
}

const MONTH_CODES: Record<string, number> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};

const digit = (b: Uint8Array, i: number) => b[i]! - 0x30;
const two = (b: Uint8Array, i: number) => digit(b, i) * 10 + digit(b, i + 1);
const four = (b: Uint8Array, i: number) => two(b, i) * 100 + two(b, i + 2);
const isDigits = (b: Uint8Array, i: number, n: number) => {
  for (let k = i; k < i + n; k++) if (b[k]! < 0x30 || b[k]! > 0x39) return false;
  return true;
};

/** ±HHMM at i, in minutes; NaN if it is not one. */
function offsetMinutes(b: Uint8Array, i: number): number {
  const sign = b[i] === 0x2b ? 1 : b[i] === 0x2d ? -1 : 0;
  if (sign === 0 || !isDigits(b, i + 1, 4)) return Number.NaN;
  return sign * (two(b, i + 1) * 60 + two(b, i + 3));
}

/**
 * Parses a raw created_at: "Wed Oct 10 20:19:24 +0000 2018" (current archives),
 * "2013-01-31 23:39:48 +0000" (the 2012–2018 monthly files) or ISO 8601. Unix ms, or NaN.
 */
export function parseCreatedAtBytes(b: Uint8Array): number {
  let y: number, mo: number, d: number, h: number, mi: number, s: number, off: number;
  if (b.length === 30 && b[3] === 0x20 && b[7] === 0x20 && b[10] === 0x20 && b[19] === 0x20 && b[25] === 0x20) {
    // Wed Oct 10 20:19:24 +0000 2018
    const m = MONTH_CODES[String.fromCharCode(b[4]!, b[5]!, b[6]!)];
    if (m === undefined || !isDigits(b, 8, 2) || !isDigits(b, 11, 2) || !isDigits(b, 14, 2) || !isDigits(b, 17, 2) || !isDigits(b, 26, 4)) {
      return Number.NaN;
    }
    [y, mo, d, h, mi, s, off] = [four(b, 26), m, two(b, 8), two(b, 11), two(b, 14), two(b, 17), offsetMinutes(b, 20)];
  } else if (b.length === 25 && b[4] === 0x2d && b[7] === 0x2d && b[10] === 0x20 && b[19] === 0x20) {
    // 2013-01-31 23:39:48 +0000
    if (!isDigits(b, 0, 4) || !isDigits(b, 5, 2) || !isDigits(b, 8, 2) || !isDigits(b, 11, 2) || !isDigits(b, 14, 2) || !isDigits(b, 17, 2)) {
      return Number.NaN;
    }
    [y, mo, d, h, mi, s, off] = [four(b, 0), two(b, 5) - 1, two(b, 8), two(b, 11), two(b, 14), two(b, 17), offsetMinutes(b, 20)];
  } else {
    const text = new TextDecoder().decode(b);
    return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text) ? validTime(Date.parse(text)) : Number.NaN;
  }
  if (mo < 0 || mo > 11 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 || Number.isNaN(off)) return Number.NaN;
  return validTime(Date.UTC(y, mo, d, h, mi, s) - off * 60_000);
}

/** Twitter began in March 2006; an earlier or absurdly late time is a broken record. */
const EARLIEST = Date.UTC(2006, 2, 1);
const LATEST = Date.UTC(2100, 0, 1);

function validTime(ms: number): number {
  return ms >= EARLIEST && ms < LATEST ? ms : Number.NaN;
}
