// Where the scanner puts the posts it finds: times and source indexes in growing typed arrays,
// and each distinct source once. A million posts take 12 MB here instead of a million objects.

/* eslint-disable @typescript-eslint/no-non-null-assertion -- typed-array reads inside bounds-checked loops: `!` states what the loop guarantees, at no runtime cost */
/** The posts of an archive as parallel arrays, in the order they were found. */
export interface Posts {
  /** Unix milliseconds; the first `count` entries are used. */
  times: Float64Array;
  /** sourceOf[i] indexes `sources`. */
  sourceOf: Uint32Array;
  count: number;
  /** Each distinct `source` (the client app, often an HTML link), decoded; '' when absent. */
  sources: string[];
}

/** Collects posts; sources are interned from their raw JSON bytes. */
export class PostSink implements Posts {
  times = new Float64Array(4096);
  sourceOf = new Uint32Array(4096);
  count = 0;
  readonly sources: string[] = [];
  private readonly raws: Uint8Array[] = [];
  private readonly byHash = new Map<number, number[]>();
  private last = -1;

  add(time: number, source: number): void {
    if (this.count === this.times.length) {
      const times = new Float64Array(this.times.length * 2);
      times.set(this.times);
      this.times = times;
      const sourceOf = new Uint32Array(this.sourceOf.length * 2);
      sourceOf.set(this.sourceOf);
      this.sourceOf = sourceOf;
    }
    this.times[this.count] = time;
    this.sourceOf[this.count] = source;
    this.count++;
  }

  /** The index of the source whose raw JSON string bytes (without quotes) are `raw`. */
  internSource(raw: Uint8Array): number {
    // Consecutive posts usually share their source: check the last one before hashing.
    if (this.last >= 0 && sameBytes(this.raws[this.last]!, raw)) return this.last;
    const h = fnv1a(raw);
    const ids = this.byHash.get(h);
    for (const id of ids ?? []) {
      if (sameBytes(this.raws[id]!, raw)) {
        this.last = id;
        return id;
      }
    }
    const id = this.sources.length;
    this.raws.push(raw.slice());
    this.sources.push(decodeJSONString(raw));
    if (ids) ids.push(id);
    else this.byHash.set(h, [id]);
    this.last = id;
    return id;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function fnv1a(b: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h >>> 0;
}

const utf8 = new TextDecoder();

/** Decodes the inside of a JSON string (escapes included). */
export function decodeJSONString(raw: Uint8Array): string {
  const s = utf8.decode(raw);
  if (!s.includes('\\')) return s;
  try {
    return JSON.parse(`"${s}"`) as string;
  } catch {
    return s;
  }
}
