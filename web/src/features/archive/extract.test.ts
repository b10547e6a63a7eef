import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildArchive } from '../../../e2e/checks/archive-fixture.mjs';
import { ArchiveError } from './errors';
import { extractPosts, type ExtractProgress } from './extract';
import type { Inflater } from './zip';

const file = (bytes: Uint8Array, name = 'twitter-archive.zip') => new File([bytes.slice()], name);
const sorted = (a: number[]) => [...a].sort((x, y) => x - y);

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ArchiveError) return e.detail ? `${e.code} (${e.detail})` : e.code;
    throw e;
  }
  return 'no error';
}

async function times(f: File, inflater?: Inflater): Promise<number[]> {
  const { posts } = await extractPosts(f, () => {}, inflater);
  return sorted(Array.from(posts.times.subarray(0, posts.count)));
}

describe('extractPosts', () => {
  it.each<Inflater>(['native', 'fflate'])('reads every part of a current archive (%s inflate), reporting progress by bytes', async (inflater) => {
    const a = buildArchive({ posts: 1200, partSize: 500, automatedShare: 0.2 });
    const progress: ExtractProgress[] = [];
    const { posts, files } = await extractPosts(file(a.bytes!), (p) => progress.push(p), inflater);
    expect(files).toEqual(['data/tweets.js', 'data/tweets-part1.js', 'data/tweets-part2.js']);
    expect(posts.count).toBe(1200);
    expect(sorted(Array.from(posts.times.subarray(0, posts.count)))).toEqual(a.times);
    // Every post's own source, decoded (the bot's among them).
    const pairs = Array.from(posts.times.subarray(0, posts.count), (t, i) => `${t} ${posts.sources[posts.sourceOf[i]!]}`);
    expect(pairs.sort()).toEqual(a.times.map((t, i) => `${t} ${a.sources[i]}`).sort());
    expect(posts.sources.length).toBe(4);
    const f = progress.map((p) => p.fraction);
    expect(f.length).toBeGreaterThan(3);
    expect(f).toEqual(sorted(f));
    expect(f.at(-1)).toBe(1);
  });

  it.each<['tweet' | 'monthly', string]>([
    ['tweet', 'the 2019 data/tweet.js'],
    ['monthly', 'the 2012–2018 monthly files (whose retweets nest an older created_at)'],
  ])('reads %s archives: %s', async (layout) => {
    const a = buildArchive({ posts: 900, perDay: 5, layout });
    expect(await times(file(a.bytes!))).toEqual(a.times);
  });

  it('reads a tweets.js picked on its own', async () => {
    const a = buildArchive({ posts: 300, layout: 'js' });
    expect(await times(file(a.bytes!, 'tweets.js'))).toEqual(a.times);
  });

  it('reads a ZIP64 archive (over 4 GB with media)', async () => {
    const a = buildArchive({ posts: 50, layout: 'js' });
    expect(await times(file(zip64('twitter/data/tweets.js', a.bytes!)))).toEqual(a.times);
  });

  const cut = (b: Uint8Array) => b.subarray(0, b.length >> 1);
  const damage = (b: Uint8Array) => {
    const out = b.slice();
    // The middle of data/tweets.js's deflate stream (the first big entry after the small ones).
    const at = out.length >> 2;
    for (let i = at; i < at + 2000; i++) out[i] = (i * 7919) & 0xff;
    return out;
  };
  const small = () => buildArchive({ posts: 2000, media: 0 }).bytes!;
  it.each([
    ['a file that is not a zip', () => file(strToU8('GIF89a not a zip at all'), 'photo.zip'), 'not_archive'],
    ['an empty file', () => file(new Uint8Array(0)), 'not_archive'],
    ['a zip without tweets', () => file(zipSync({ 'notes.txt': strToU8('hello') })), 'no_tweets'],
    ['an empty zip', () => file(zipSync({})), 'no_tweets'],
    ['an archive with tweets.csv only', () => file(zipSync({ 'tweets.csv': strToU8('"tweet_id"\n') })), 'old_layout (tweets.csv)'],
    ['a part the manifest lists but the zip lacks', () => file(buildArchive({ posts: 300, partSize: 100, omitPart: 1 }).bytes!), 'missing_part (data/tweets-part1.js)'],
    [
      'a hole in the numbered parts (no manifest)',
      () => file(zipSync({ 'data/tweets.js': strToU8('window.YTD.tweets.part0 = [ ]'), 'data/tweets-part2.js': strToU8('window.YTD.tweets.part2 = [ ]') })),
      'missing_part (data/tweets-part1.js)',
    ],
    [
      'a month the monthly index lists but the zip lacks',
      () => {
        const z = zipSync({
          'data/js/tweets/2013_01.js': strToU8('Grailbird.data.tweets_2013_01 = [ ]'),
          'data/js/tweet_index.js': strToU8('var tweet_index = [ {"file_name" : "data\\/js\\/tweets\\/2013_02.js"}, {"file_name" : "data\\/js\\/tweets\\/2013_01.js"} ]'),
        });
        return file(z);
      },
      'missing_part (data/js/tweets/2013_02.js)',
    ],
    ['a zip cut short', () => file(cut(small())), 'corrupt'],
    ['a zip with damaged data', () => file(damage(small())), 'corrupt'],
    ['a broken tweets.js', () => file(zipSync({ 'data/tweets.js': strToU8('window.YTD.tweets.part0 = [{') })), 'bad_tweets'],
    ['an archive with no posts', () => file(zipSync({ 'data/tweets.js': strToU8('window.YTD.tweets.part0 = [ ]') })), 'empty'],
    ['an encrypted tweets.js', () => file(encrypt(zipSync({ 'data/tweets.js': strToU8('[]') }))), 'unsupported_zip (data/tweets.js)'],
    ['a .js that is not a tweets file', () => file(strToU8('console.log(1)'), 'tweets.js'), 'bad_tweets'],
  ])('explains %s', async (_name, f, want) => {
    expect(await failure(extractPosts(f()))).toBe(want);
  });
});

/** Sets the "encrypted" flag of every entry (local and central headers). */
function encrypt(zip: Uint8Array): Uint8Array {
  const out = zip.slice();
  const v = new DataView(out.buffer);
  for (let i = 0; i + 4 <= out.length; i++) {
    const sig = v.getUint32(i, true);
    if (sig === 0x04034b50) v.setUint16(i + 6, v.getUint16(i + 6, true) | 1, true);
    if (sig === 0x02014b50) v.setUint16(i + 8, v.getUint16(i + 8, true) | 1, true);
  }
  return out;
}

/** A one-entry stored zip written the ZIP64 way: sizes and offsets in the 64-bit records. */
function zip64(name: string, data: Uint8Array): Uint8Array {
  const n = strToU8(name);
  const parts: Uint8Array[] = [];
  const rec = (size: number, fill: (v: DataView) => void) => {
    const b = new Uint8Array(size);
    fill(new DataView(b.buffer));
    parts.push(b);
    return b;
  };
  rec(30, (v) => {
    v.setUint32(0, 0x04034b50, true);
    v.setUint16(4, 45, true);
    v.setUint32(18, 0xffffffff, true);
    v.setUint32(22, 0xffffffff, true);
    v.setUint16(26, n.length, true);
  });
  parts.push(n, data);
  const dirAt = 30 + n.length + data.length;
  rec(46, (v) => {
    v.setUint32(0, 0x02014b50, true);
    v.setUint16(4, 45, true);
    v.setUint16(6, 45, true);
    v.setUint32(20, 0xffffffff, true);
    v.setUint32(24, 0xffffffff, true);
    v.setUint16(28, n.length, true);
    v.setUint16(30, 28, true);
    v.setUint32(42, 0xffffffff, true);
  });
  parts.push(n);
  rec(28, (v) => {
    v.setUint16(0, 1, true);
    v.setUint16(2, 24, true);
    v.setBigUint64(4, BigInt(data.length), true);
    v.setBigUint64(12, BigInt(data.length), true);
    v.setBigUint64(20, 0n, true);
  });
  const dirSize = 46 + n.length + 28;
  const end64At = dirAt + dirSize;
  rec(56, (v) => {
    v.setUint32(0, 0x06064b50, true);
    v.setBigUint64(4, 44n, true);
    v.setBigUint64(24, 1n, true);
    v.setBigUint64(32, 1n, true);
    v.setBigUint64(40, BigInt(dirSize), true);
    v.setBigUint64(48, BigInt(dirAt), true);
  });
  rec(20, (v) => {
    v.setUint32(0, 0x07064b50, true);
    v.setBigUint64(8, BigInt(end64At), true);
    v.setUint32(16, 1, true);
  });
  rec(22, (v) => {
    v.setUint32(0, 0x06054b50, true);
    v.setUint16(8, 0xffff, true);
    v.setUint16(10, 0xffff, true);
    v.setUint32(12, 0xffffffff, true);
    v.setUint32(16, 0xffffffff, true);
  });
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
