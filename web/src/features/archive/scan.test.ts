import { describe, expect, it } from 'vitest';
import { archiveJSON, createdAt, buildArchive, monthlyCreatedAt, SOURCES } from '../../../e2e/checks/archive-fixture.mjs';
import { ArchiveError } from './errors';
import { parseCreatedAtBytes, TweetsScanner } from './scan';
import { PostSink } from './sink';

const T0 = Date.UTC(2026, 9, 10, 20, 19, 24);
const bytes = (s: string) => new TextEncoder().encode(s);

/** Scans `text` in chunks of `size` bytes; returns [time, source] pairs in file order. */
function scan(text: string | Uint8Array, size = 1 << 20): [number, string][] {
  const sink = new PostSink();
  const scanner = new TweetsScanner(sink, 'tweets.js');
  const b = typeof text === 'string' ? bytes(text) : text;
  for (let i = 0; i < b.length; i += size) scanner.push(b.subarray(i, i + size));
  scanner.end();
  return Array.from(sink.times.subarray(0, sink.count), (t, i) => [t, sink.sources[sink.sourceOf[i]!]!]);
}

/** The same, by the slow and obviously right way: JSON.parse of the whole list. */
function reference(text: string): [number, string][] {
  const list = JSON.parse(text.slice(text.indexOf('['))) as Record<string, Record<string, string>>[];
  return list.map((item) => {
    const post = item.tweet ?? (item as unknown as Record<string, string>);
    return [Date.parse(post.created_at!.replace(/^\w+ (\w+) (\d+) ([\d:]+) \+0000 (\d+)$/, '$1 $2 $4 $3 UTC')), post.source ?? ''];
  });
}

function fail(text: string): string {
  try {
    scan(text);
  } catch (e) {
    if (e instanceof ArchiveError) return `${e.code}: ${e.message}`;
    throw e;
  }
  return 'no error';
}

describe('TweetsScanner', () => {
  const archive = new TextDecoder().decode(buildArchive({ posts: 400, layout: 'js', automatedShare: 0.1 }).bytes);

  it('finds what JSON.parse finds in a realistic tweets.js, whatever the chunk size', () => {
    const want = reference(archive);
    expect(want).toHaveLength(400);
    expect(new Set(want.map(([, s]) => s))).toContain(SOURCES.bot);
    for (const size of [1, 2, 3, 7, 64, 4093, 1 << 20]) {
      expect(scan(archive, size)).toEqual(want);
    }
  });

  it('takes created_at and source only from a post, never from its text or a nested post', () => {
    const text = archiveJSON([
      { tweet: { full_text: '"created_at" : "Mon Jan 01 00:00:00 +0000 2007"', created_at: createdAt(T0), quoted: { created_at: createdAt(T0 - 1000), source: 'x' }, source: 'web' } },
      { tweet: { source: 'a "quoted" \\ app\\', full_text: 'ends in a backslash \\', created_at: createdAt(T0 + 1000) } },
      { created_at: monthlyCreatedAt(T0 + 2000), retweeted_status: { created_at: monthlyCreatedAt(T0 - 5000), source: 'bot' }, source: 'old' },
      { tweet: { created_at: createdAt(T0 + 3000) }, note: { created_at: createdAt(T0 - 9000) } },
    ]);
    const want: [number, string][] = [
      [T0, 'web'],
      [T0 + 1000, 'a "quoted" \\ app\\'],
      [T0 + 2000, 'old'],
      [T0 + 3000, ''],
    ];
    for (const size of [1, 5, 1 << 20]) expect(scan(`window.YTD.tweets.part0 = ${text}`, size)).toEqual(want);
  });

  it('handles runs of backslashes before a quote split across chunks', () => {
    // "\\\\" is two escaped backslashes: the quote after them ends the string.
    const text = `[{"full_text":"a\\\\\\\\","created_at":"${createdAt(T0)}","source":"s\\"x"}]`;
    for (let size = 1; size <= text.length; size++) expect(scan(text, size)).toEqual([[T0, 's"x']]);
  });

  it('skips items without a readable time and counts them', () => {
    const sink = new PostSink();
    const s = new TweetsScanner(sink, 't.js');
    s.push(bytes(`[{"tweet":{"created_at":"yesterday"}},{"tweet":{"created_at":null}},"junk",{"tweet":{"created_at":"${createdAt(T0)}"}}]`));
    s.end();
    expect([s.posts, s.unreadable, sink.count]).toEqual([1, 2, 1]);
  });

  it.each([
    ['', 'is empty'],
    ['hello = world', 'cut short'],
    ['alert(1); [', 'not a tweets file'],
    ['window.YTD.tweets.part0 = {"a": 1}', 'does not hold a list'],
    ['window.YTD.tweets.part0 = [{"tweet": {', 'cut short'],
    ['[{"a": "unterminated]', 'cut short'],
    ['[{"a": 1]]', 'not valid JSON'],
    ['[] trailing', 'goes on after'],
    ['[' + '['.repeat(600), 'nests too deeply'],
  ])('refuses %j', (text, why) => {
    expect(fail(text)).toMatch(new RegExp(`^bad_tweets: tweets.js .*${why}`));
  });

  it('accepts an empty list, a trailing semicolon and a bare list', () => {
    expect(scan('window.YTD.tweets.part0 = [ ];\n')).toEqual([]);
    expect(scan(`[{"created_at":"${createdAt(T0)}"}]`)).toEqual([[T0, '']]);
  });
});

describe('parseCreatedAtBytes', () => {
  it.each([
    ['Wed Oct 10 20:19:24 +0000 2018', Date.UTC(2018, 9, 10, 20, 19, 24)],
    ['Wed Oct 10 20:19:24 +0900 2018', Date.UTC(2018, 9, 10, 11, 19, 24)],
    ['Wed Oct 10 20:19:24 -0130 2018', Date.UTC(2018, 9, 10, 21, 49, 24)],
    ['2013-01-31 23:39:48 +0000', Date.UTC(2013, 0, 31, 23, 39, 48)],
    ['2018-10-10T20:19:24.000Z', Date.UTC(2018, 9, 10, 20, 19, 24)],
    ['Wed Foo 10 20:19:24 +0000 2018', Number.NaN],
    ['Wed Oct 1x 20:19:24 +0000 2018', Number.NaN],
    ['Wed Oct 10 25:19:24 +0000 2018', Number.NaN],
    ['Wed Oct 10 20:19:24 ~0000 2018', Number.NaN],
    ['Mon Jan 01 00:00:00 +0000 2001', Number.NaN], // before Twitter
    ['Mon Jan 01 00:00:00 +0000 2101', Number.NaN],
    ['yesterday', Number.NaN],
  ])('%s', (s, want) => {
    expect(parseCreatedAtBytes(bytes(s))).toBe(want);
  });
});
