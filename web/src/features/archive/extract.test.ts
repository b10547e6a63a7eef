import { describe, expect, it } from 'vitest';
import { extractPosts, type ByteSource, type ExtractProgress } from './extract';
import { archiveZip, createdAt, dailyTimes, tweetsJs } from './fixtures';
import { ArchiveError, isTweetsFile, parseCreatedAt, parseTweetsJSON, parseTweetsJs } from './parse';

const T0 = Date.UTC(2026, 9, 1);

function source(name: string, bytes: Uint8Array, chunk = 4096): ByteSource {
  return {
    name,
    size: bytes.length,
    chunks: async function* () {
      for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
    },
  };
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ArchiveError) return e.code;
    throw e;
  }
  return 'no error';
}

describe('parse', () => {
  it.each([
    ['data/tweets.js', true],
    ['data/tweets-part1.js', true],
    ['data/tweet.js', true],
    ['tweets.js', true],
    ['data/deleted-tweets.js', false],
    ['data/note-tweet.js', false],
    ['data/tweets_media/1.jpg', false],
    ['data/account.js', false],
  ])('isTweetsFile(%s) = %s', (path, want) => {
    expect(isTweetsFile(path)).toBe(want);
  });

  it.each([
    ['Wed Oct 10 20:19:24 +0000 2018', Date.UTC(2018, 9, 10, 20, 19, 24)],
    ['Wed Oct 10 20:19:24 +0900 2018', Date.UTC(2018, 9, 10, 11, 19, 24)],
    ['2018-10-10T20:19:24.000Z', Date.UTC(2018, 9, 10, 20, 19, 24)],
    ['Wed Foo 10 20:19:24 +0000 2018', Number.NaN],
    ['yesterday', Number.NaN],
  ])('parseCreatedAt(%s)', (s, want) => {
    expect(parseCreatedAt(s)).toBe(want);
  });

  it('keeps created_at and source of current and old layouts', () => {
    const now = tweetsJs([T0, T0 + 60_000], { source: 'twittbot.net' });
    expect(parseTweetsJs(now)).toEqual([
      { time: T0, source: 'twittbot.net' },
      { time: T0 + 60_000, source: 'twittbot.net' },
    ]);
    expect(parseTweetsJs(tweetsJs([T0], { old: true }))[0]?.time).toBe(T0);
  });

  it('takes the scan and the full parse to the same answer', () => {
    const text = tweetsJs(dailyTimes(T0, 3, 7), { source: '<a href="https://x.test" rel="nofollow">App "quoted" \\ name</a>' });
    const body = text.slice(text.indexOf('['));
    const fast = parseTweetsJs(text);
    expect(fast).toHaveLength(21);
    expect(fast).toEqual(parseTweetsJSON(body, 't.js'));
    expect(fast[0]?.source).toBe('<a href="https://x.test" rel="nofollow">App "quoted" \\ name</a>');
  });

  it('falls back to a full parse when a post has no source', () => {
    const text = 'window.YTD.tweets.part0 = [{"tweet":{"created_at":"Wed Oct 10 20:19:24 +0000 2018"}},' +
      '{"tweet":{"source":"web","created_at":"Wed Oct 10 21:19:24 +0000 2018"}}]';
    expect(parseTweetsJs(text)).toEqual([
      { time: Date.UTC(2018, 9, 10, 20, 19, 24), source: '' },
      { time: Date.UTC(2018, 9, 10, 21, 19, 24), source: 'web' },
    ]);
  });

  it('rejects files that are not tweets files', () => {
    expect(() => parseTweetsJs('hello = world')).toThrow(ArchiveError);
    expect(() => parseTweetsJs('window.YTD.tweets.part0 = [{"tweet": ')).toThrow(/tweets.js/);
    expect(() => parseTweetsJs('window.YTD.tweets.part0 = {"a":1}')).toThrow(ArchiveError);
  });
});

describe('extractPosts', () => {
  it('reads every part of a zipped archive, in order, reporting progress', async () => {
    const a = dailyTimes(T0, 3, 10);
    const b = dailyTimes(T0 + 3 * 86_400_000, 2, 10);
    const zip = archiveZip({ 'data/tweets.js': tweetsJs(b), 'data/tweets-part1.js': tweetsJs(a, { part: 1 }) });
    const progress: ExtractProgress[] = [];
    const posts = await extractPosts(source('twitter-2026.zip', zip, 512), (p) => progress.push(p));
    expect(posts).toHaveLength(50);
    expect(posts.map((p) => p.time)).toEqual([...a, ...b]);
    const reading = progress.filter((p) => p.phase === 'reading').map((p) => p.fraction);
    expect(reading.length).toBeGreaterThan(2);
    expect(reading.at(-1)).toBe(1);
    expect(reading).toEqual([...reading].sort((x, y) => x - y));
    expect(progress.at(-1)).toEqual({ phase: 'parsing', fraction: 1 });
  });

  it('reads the old file name and stored (uncompressed) zips', async () => {
    const zip = archiveZip({ 'data/tweet.js': tweetsJs([T0, T0 + 1000], { old: true }) }, 0);
    expect(await extractPosts(source('old.zip', zip))).toHaveLength(2);
  });

  it('reads a tweets.js picked on its own', async () => {
    const text = new TextEncoder().encode(tweetsJs([T0 + 5000, T0]));
    const posts = await extractPosts(source('tweets.js', text, 100));
    expect(posts.map((p) => p.time)).toEqual([T0, T0 + 5000]);
  });

  it.each([
    ['not a zip', 'photo.zip', () => new TextEncoder().encode('GIF89a not a zip at all'), 'not_archive'],
    ['an empty file', 'empty.zip', () => new Uint8Array(0), 'not_archive'],
    ['a zip without tweets', 'other.zip', () => archiveZip({}), 'no_tweets'],
    ['an archive with no posts', 'new.zip', () => archiveZip({ 'data/tweets.js': 'window.YTD.tweets.part0 = []' }), 'empty'],
    [
      'a cut-short zip',
      'cut.zip',
      () => {
        const zip = archiveZip({ 'data/tweets.js': tweetsJs(dailyTimes(T0, 30, 40)) });
        return zip.subarray(0, Math.floor(zip.length / 2));
      },
      'corrupt',
    ],
    [
      'a zip with damaged data',
      'bad.zip',
      () => {
        const zip = archiveZip({ 'data/tweets.js': tweetsJs(dailyTimes(T0, 30, 40)) }).slice();
        // Overwrite the deflate stream of tweets.js (after its local header) with noise.
        const at = zip.findIndex((_, i) => zip[i] === 0x50 && zip[i + 1] === 0x4b && new TextDecoder().decode(zip.subarray(i + 30, i + 44)) === 'data/tweets.js');
        for (let i = at + 60; i < at + 400; i++) zip[i] = (i * 7919) & 0xff;
        return zip;
      },
      'corrupt',
    ],
    ['a broken tweets.js', 'x.zip', () => archiveZip({ 'data/tweets.js': 'window.YTD.tweets.part0 = [{' }), 'bad_tweets'],
  ])('explains %s', async (_name, file, bytes, want) => {
    expect(await code(extractPosts(source(file, bytes())))).toBe(want);
  });

  it('handles a huge synthetic archive (100,000 posts in 10 parts)', async () => {
    const files: Record<string, string> = {};
    const all: number[] = [];
    for (let part = 0; part < 10; part++) {
      const times = dailyTimes(T0 + part * 40 * 86_400_000, 40, 250);
      all.push(...times);
      files[part === 0 ? 'data/tweets.js' : `data/tweets-part${part}.js`] = tweetsJs(times, { part });
    }
    const zip = archiveZip(files);
    const posts = await extractPosts(source('big.zip', zip, 1 << 20));
    expect(posts).toHaveLength(100_000);
    expect(posts[0]?.time).toBe(all[0]);
    expect(posts.at(-1)?.time).toBe(all.at(-1));
    expect(createdAt(posts[12_345]!.time)).toMatch(/ \+0000 2026$/);
  }, 60_000);
});
