import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../api/types';
import { clockOf, dateInZone, layoutAnalysis, localMidnight, nextDate, nowOffset, offsetOf, singlePosts, zoneChangesOf, zoneOffsetFn } from './geometry';

const tokyo = zoneOffsetFn('Asia/Tokyo');
const newYork = zoneOffsetFn('America/New_York');

describe('offsets', () => {
  it.each([
    ['2026-11-01T07:40:00+09:00', 540],
    ['2026-11-01T07:40:00-05:00', -300],
    ['2026-11-01T07:40:00Z', 0],
    ['2026-11-01T07:40:00+05:30', 330],
    ['garbage', null],
  ])('offsetOf(%s) = %s', (s, want) => {
    expect(offsetOf(s)).toBe(want);
  });

  it('knows zones and rejects unknown ones', () => {
    expect(tokyo?.(Date.UTC(2026, 10, 1))).toBe(540);
    expect(newYork?.(Date.UTC(2026, 6, 1))).toBe(-240);
    expect(newYork?.(Date.UTC(2026, 11, 1))).toBe(-300);
    expect(zoneOffsetFn('Not/AZone')).toBeNull();
  });

  it('finds local midnight', () => {
    expect(localMidnight('2026-11-01', tokyo!)).toBe(Date.parse('2026-11-01T00:00:00+09:00'));
    expect(localMidnight('2026-03-08', newYork!)).toBe(Date.parse('2026-03-08T00:00:00-05:00'));
    expect(localMidnight('2026-03-09', newYork!)).toBe(Date.parse('2026-03-09T00:00:00-04:00'));
    expect(nextDate('2026-12-31')).toBe('2027-01-01');
  });

  // Zones whose clocks change at midnight (2024 rules): where 00:00 is skipped the date begins
  // at 01:00, the instant of the jump; where it happens twice, at the first.
  it.each([
    ['America/Santiago', '2024-09-07', '2024-09-07T00:00:00-04:00', 24],
    ['America/Santiago', '2024-09-08', '2024-09-08T01:00:00-03:00', 23],
    ['America/Santiago', '2024-09-09', '2024-09-09T00:00:00-03:00', 24],
    ['America/Santiago', '2024-04-06', '2024-04-06T00:00:00-03:00', 25],
    ['America/Santiago', '2024-04-07', '2024-04-07T00:00:00-04:00', 24],
    ['America/Havana', '2024-03-10', '2024-03-10T01:00:00-04:00', 23],
    ['America/Havana', '2024-03-11', '2024-03-11T00:00:00-04:00', 24],
    ['America/Havana', '2024-11-03', '2024-11-03T00:00:00-04:00', 25],
    ['America/Havana', '2024-11-04', '2024-11-04T00:00:00-05:00', 24],
    ['America/Asuncion', '2024-10-06', '2024-10-06T01:00:00-03:00', 23],
    ['America/Asuncion', '2024-03-23', '2024-03-23T00:00:00-03:00', 25],
    ['America/Asuncion', '2024-03-24', '2024-03-24T00:00:00-04:00', 24],
    ['Asia/Beirut', '2024-03-31', '2024-03-31T01:00:00+03:00', 23],
    ['Asia/Beirut', '2024-10-26', '2024-10-26T00:00:00+03:00', 25],
    ['Asia/Beirut', '2024-10-27', '2024-10-27T00:00:00+02:00', 24],
    ['America/New_York', '2024-03-10', '2024-03-10T00:00:00-05:00', 23],
    ['Asia/Kolkata', '2024-03-10', '2024-03-10T00:00:00+05:30', 24],
    ['Pacific/Kiritimati', '2024-03-10', '2024-03-10T00:00:00+14:00', 24],
    ['Etc/GMT+12', '2024-03-10', '2024-03-10T00:00:00-12:00', 24],
  ])('%s: %s begins at %s and lasts %i h', (zone, date, start, hours) => {
    const offsetAt = zoneOffsetFn(zone)!;
    const begins = localMidnight(date, offsetAt);
    expect(begins).toBe(Date.parse(start));
    expect(dateInZone(new Date(begins!), zone)).toBe(date);
    expect(dateInZone(new Date(begins! - 1), zone)).not.toBe(date);
    expect((localMidnight(nextDate(date), offsetAt)! - begins!) / 3_600_000).toBe(hours);
  });

  it('lays a date that begins at 01:00 out over its 23 hours', () => {
    const a = tokyoAnalysis({
      timezone: 'America/Santiago',
      from: '2024-09-08T01:00:00-03:00',
      to: '2024-09-09T00:00:00-03:00',
      days: [{ date: '2024-09-08', awake: [] }],
      periods: [{ start: '2024-09-08T01:00:00-03:00', end: '2024-09-08T02:00:00-03:00', posts: 3 }],
    });
    const [col] = layoutAnalysis(a, later);
    expect(col?.minutes).toBe(23 * 60);
    expect(col?.segments.find((s) => s.kind === 'awake')).toMatchObject({ startMinute: 0, endMinute: 60, continued: false });
  });
});

/** A Tokyo analysis of the given dates with only what a test names. */
function tokyoAnalysis(over: Partial<Analysis>): Analysis {
  return {
    timezone: 'Asia/Tokyo',
    method: 'gaprule/2020',
    from: '2026-11-01T00:00:00+09:00',
    to: '2026-11-03T00:00:00+09:00',
    postCount: 0,
    periods: [],
    singles: [],
    sleeps: [],
    gaps: [],
    days: [
      { date: '2026-11-01', awake: [] },
      { date: '2026-11-02', awake: [] },
    ],
    stats: {} as Analysis['stats'],
    ...over,
  };
}

const noon = new Date('2026-11-02T12:00:00+09:00');
/** A now after every date of the tests, so none has a future part. */
const later = new Date('2027-01-01T00:00:00Z');

describe('layoutAnalysis', () => {
  it('places a period by minutes from midnight and splits one crossing midnight, oldest date first', () => {
    const period = { start: '2026-11-01T22:00:00+09:00', end: '2026-11-02T03:00:00+09:00', posts: 9 };
    // Days served newest first on purpose: the layout must sort oldest left.
    const a = tokyoAnalysis({ periods: [period], days: [{ date: '2026-11-02', awake: [] }, { date: '2026-11-01', awake: [] }] });
    const cols = layoutAnalysis(a, noon);
    expect(cols.map((c) => c.date)).toEqual(['2026-11-01', '2026-11-02']);
    const [first, second] = cols;
    expect(first!.segments).toHaveLength(1);
    expect(first!.segments[0]).toMatchObject({ kind: 'awake', startMinute: 1320, endMinute: 1440, continued: false, continues: true, posts: 9 });
    expect(first!.segments[0]!.offset + first!.segments[0]!.length).toBeCloseTo(1);
    const awake = second!.segments.filter((s) => s.kind === 'awake');
    expect(awake[0]).toMatchObject({ kind: 'awake', startMinute: 0, endMinute: 180, offset: 0, continued: true, continues: false });
    // Both pieces carry the whole period.
    expect(awake[0]!.start).toBe(period.start);
    expect(first!.weekend).toBe(true); // 2026-11-01 is a Sunday
    expect(first!.today).toBe(false);
    expect(second!.today).toBe(true);
    expect(first!.minutes).toBe(1440);
  });

  it('draws sleeps with their confidence, naps apart, and no data as no data', () => {
    const a = tokyoAnalysis({
      sleeps: [
        { start: '2026-11-01T01:00:00+09:00', end: '2026-11-01T08:00:00+09:00', confidence: 0.93, main: true },
        { start: '2026-11-01T14:00:00+09:00', end: '2026-11-01T15:00:00+09:00', confidence: 0.4, main: false },
      ],
      gaps: [
        { start: '2026-11-01T00:00:00+09:00', end: '2026-11-01T01:00:00+09:00', reason: 'api_limit' },
        { start: '2026-11-02T12:00:00+09:00', end: '2026-11-03T00:00:00+09:00', reason: 'future' },
      ],
    });
    const [d1, d2] = layoutAnalysis(a, noon);
    expect(d1!.segments.map((s) => [s.kind, s.startMinute, s.endMinute])).toEqual([
      ['gap', 0, 60],
      ['sleep', 60, 480],
      ['nap', 840, 900],
    ]);
    expect(d1!.segments[0]!.reason).toBe('api_limit');
    expect(d1!.segments[1]!.confidence).toBe(0.93);
    expect(d1!.segments[2]!.confidence).toBe(0.4);
    expect(d2!.segments).toEqual([expect.objectContaining({ kind: 'future', reason: 'future', offset: 0.5, length: 0.5 })]);
    // Nothing of the no-data stretches is drawn as sleep.
    expect(d2!.segments.some((s) => s.kind === 'sleep' || s.kind === 'nap')).toBe(false);
  });

  it('spreads a no-data stretch over every date it covers', () => {
    const days = ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04'].map((date) => ({ date, awake: [] }));
    const a = tokyoAnalysis({
      days,
      gaps: [{ start: '2026-11-01T00:00:00+09:00', end: '2026-11-03T09:30:00+09:00', reason: 'api_limit' }],
      periods: [{ start: '2026-11-03T09:30:00+09:00', end: '2026-11-03T23:00:00+09:00', posts: 50 }],
    });
    const cols = layoutAnalysis(a, noon);
    expect(cols.map((c) => c.segments.filter((s) => s.kind === 'gap').map((s) => [s.offset, s.length]))).toEqual([
      [[0, 1]],
      [[0, 1]],
      [[0, 9.5 / 24]],
      [],
    ]);
    expect(cols[1]!.segments[0]).toMatchObject({ continued: true, continues: true });
  });

  it('handles the 23 h spring-forward day', () => {
    // New York, 2026-03-08: 02:00 EST jumps to 03:00 EDT.
    const a = tokyoAnalysis({
      timezone: 'America/New_York',
      from: '2026-03-08T00:00:00-05:00',
      days: [{ date: '2026-03-08', awake: [] }],
      periods: [
        { start: '2026-03-08T01:00:00-05:00', end: '2026-03-08T04:00:00-04:00', posts: 3 },
        { start: '2026-03-08T22:00:00-04:00', end: '2026-03-09T01:00:00-04:00', posts: 3 },
      ],
    });
    const [col] = layoutAnalysis(a, noon);
    expect(col!.minutes).toBe(23 * 60);
    // 01:00 EST to 04:00 EDT is two real hours.
    expect(col!.segments[0]).toMatchObject({ startMinute: 60, endMinute: 180 });
    // 22:00 EDT is 21 hours after midnight; the bar ends exactly at the column's end.
    expect(col!.segments[1]).toMatchObject({ startMinute: 21 * 60, endMinute: 23 * 60, continues: true });
    expect(col!.segments[1]!.offset + col!.segments[1]!.length).toBeCloseTo(1);
  });

  it('handles the 25 h fall-back day', () => {
    // New York, 2026-11-01: 02:00 EDT falls back to 01:00 EST; 01:30 happens twice.
    const a = tokyoAnalysis({
      timezone: 'America/New_York',
      from: '2026-11-01T00:00:00-04:00',
      days: [{ date: '2026-11-01', awake: [] }],
      sleeps: [{ start: '2026-11-01T01:30:00-04:00', end: '2026-11-01T01:30:00-05:00', confidence: 1, main: true }],
      periods: [{ start: '2026-11-01T23:00:00-05:00', end: '2026-11-02T00:00:00-05:00', posts: 2 }],
    });
    const [col] = layoutAnalysis(a, noon);
    expect(col!.minutes).toBe(25 * 60);
    expect(col!.segments[0]).toMatchObject({ kind: 'sleep', startMinute: 90, endMinute: 150 });
    expect(col!.segments[1]).toMatchObject({ kind: 'awake', startMinute: 24 * 60, endMinute: 25 * 60 });
  });

  it('falls back to the strings’ offsets when the zone is unknown', () => {
    const a = tokyoAnalysis({
      timezone: 'Nowhere/Special',
      from: '2026-11-02T00:00:00+05:30',
      days: [{ date: '2026-11-02', awake: [] }],
      periods: [{ start: '2026-11-02T12:00:00+05:30', end: '2026-11-02T13:00:00+05:30', posts: 2 }],
    });
    expect(layoutAnalysis(a, later)[0]!.segments[0]).toMatchObject({ startMinute: 720, endMinute: 780 });
  });

  it('lays out empty dates and skips broken intervals', () => {
    const a = tokyoAnalysis({
      days: [{ date: '2026-11-07', awake: [] }, { date: 'nope', awake: [] }],
      periods: [
        { start: 'nope', end: '2026-11-07T01:00:00+09:00', posts: 2 },
        { start: '2026-11-07T05:00:00+09:00', end: '2026-11-07T04:00:00+09:00', posts: 2 },
      ],
    });
    const cols = layoutAnalysis(a, later);
    expect(cols).toHaveLength(1);
    expect(cols[0]!.segments).toEqual([]);
    expect(cols[0]!.minutes).toBe(1440);
    expect(cols[0]!.weekend).toBe(true); // Saturday
  });

  it("marks the analysis's weekend, Saturday and Sunday when it names none", () => {
    const days = ['2026-11-05', '2026-11-06', '2026-11-07', '2026-11-08'].map((date) => ({ date, awake: [] })); // Thu..Sun
    const marked = (a: Analysis) => layoutAnalysis(a, later).map((c) => c.weekend);
    expect(marked(tokyoAnalysis({ days }))).toEqual([false, false, true, true]);
    expect(marked(tokyoAnalysis({ days, weekend: [0, 6] }))).toEqual([false, false, true, true]);
    expect(marked(tokyoAnalysis({ days, weekend: [5, 6] }))).toEqual([false, true, true, false]);
  });

  it('draws the rest of today as not yet happened when the analysis stops at its own now', () => {
    const a = tokyoAnalysis({ periods: [{ start: '2026-11-02T08:00:00+09:00', end: '2026-11-02T10:00:00+09:00', posts: 5 }] });
    const [, today] = layoutAnalysis(a, noon);
    expect(today!.segments.map((s) => [s.kind, s.startMinute, s.endMinute])).toEqual([
      ['future', 720, 1440],
      ['awake', 480, 600],
    ]);
    expect(today!.segments[0]!.start).toBe('2026-11-02T12:00:00+09:00');
    // An analysis that says where the future starts is drawn as it says.
    const told = tokyoAnalysis({ gaps: [{ start: '2026-11-02T11:00:00+09:00', end: '2026-11-03T00:00:00+09:00', reason: 'future' }] });
    expect(layoutAnalysis(told, noon)[1]!.segments.map((s) => [s.kind, s.startMinute])).toEqual([['future', 660]]);
  });

  it('finds now in today’s column only', () => {
    const [d1, d2] = layoutAnalysis(tokyoAnalysis({}), noon);
    expect(nowOffset(d1!, noon.getTime())).toBeNull();
    expect(nowOffset(d2!, noon.getTime())).toBeCloseTo(0.5);
  });
});

/** An answer from before `singles` existed (a stored one): single posts are derived from its episodes. */
function legacyAnalysis(over: Partial<Analysis>): Analysis {
  const old: Partial<Analysis> = tokyoAnalysis(over);
  delete old.singles;
  return old as Analysis;
}

describe('single posts', () => {
  it('draws the lone posts the analysis lists as ticks, a model\'s folded-in night post too', () => {
    const a = tokyoAnalysis({
      method: 'nezame-hsmm/2',
      periods: [{ start: '2026-11-01T10:00:00+09:00', end: '2026-11-01T23:00:00+09:00', posts: 40 }],
      singles: ['2026-11-02T03:00:00+09:00', '2026-11-02T05:30:15.5+09:00'],
      sleeps: [{ start: '2026-11-01T23:40:00+09:00', end: '2026-11-02T07:50:00+09:00', confidence: 0.9, main: true }],
      gaps: [{ start: '2026-11-02T07:50:00+09:00', end: '2026-11-03T00:00:00+09:00', reason: 'absence' }],
    });
    expect(singlePosts(a).map((p) => p.at)).toEqual(['2026-11-02T03:00:00+09:00', '2026-11-02T05:30:15.5+09:00']);
    const [, d2] = layoutAnalysis(a, new Date('2027-01-01T00:00:00Z'));
    expect(d2!.ticks.map((k) => k.minute)).toEqual([180, 330 + 15.5 / 60]);
  });

  it('finds a lone 03:00 post that splits a night under the gap rule, and draws it as a tick', () => {
    const a = legacyAnalysis({
      periods: [
        { start: '2026-11-01T10:00:00+09:00', end: '2026-11-01T23:30:00+09:00', posts: 40 },
        { start: '2026-11-02T08:00:00+09:00', end: '2026-11-02T11:00:00+09:00', posts: 12 },
      ],
      sleeps: [
        { start: '2026-11-01T23:30:00+09:00', end: '2026-11-02T03:00:00+09:00', confidence: 1, main: false },
        { start: '2026-11-02T03:00:00+09:00', end: '2026-11-02T08:00:00+09:00', confidence: 1, main: true },
      ],
      gaps: [{ start: '2026-11-01T00:00:00+09:00', end: '2026-11-01T10:00:00+09:00', reason: 'before_first_post' }],
    });
    expect(singlePosts(a).map((p) => p.at)).toEqual(['2026-11-02T03:00:00+09:00']);
    const [d1, d2] = layoutAnalysis(a, noon);
    expect(d1!.ticks).toEqual([]);
    expect(d2!.ticks).toEqual([{ ms: Date.parse('2026-11-02T03:00:00+09:00'), at: '2026-11-02T03:00:00+09:00', minute: 180, offset: 180 / 1440 }]);
  });

  it('finds a lone first post after the 3,200-post cap and a lone last post under the gap rule', () => {
    const a = legacyAnalysis({
      periods: [{ start: '2026-11-01T10:00:00+09:00', end: '2026-11-01T22:00:00+09:00', posts: 30 }],
      sleeps: [
        { start: '2026-11-01T05:00:00+09:00', end: '2026-11-01T10:00:00+09:00', confidence: 1, main: true },
        { start: '2026-11-01T22:00:00+09:00', end: '2026-11-02T06:00:00+09:00', confidence: 1, main: true },
      ],
      gaps: [
        { start: '2026-11-01T00:00:00+09:00', end: '2026-11-01T05:00:00+09:00', reason: 'api_limit' },
        { start: '2026-11-02T12:00:00+09:00', end: '2026-11-03T00:00:00+09:00', reason: 'future' },
      ],
    });
    expect(singlePosts(a).map((p) => p.at)).toEqual(['2026-11-01T05:00:00+09:00', '2026-11-02T06:00:00+09:00']);
  });

  it('under a model, only a break between two episodes is a post; its estimated sleep edges are not', () => {
    const a = legacyAnalysis({
      method: 'nezame-hsmm/2',
      periods: [{ start: '2026-11-01T10:00:00+09:00', end: '2026-11-01T23:00:00+09:00', posts: 40 }],
      sleeps: [
        { start: '2026-11-01T23:40:00+09:00', end: '2026-11-02T03:10:00+09:00', confidence: 0.8, main: true },
        { start: '2026-11-02T03:10:00+09:00', end: '2026-11-02T07:50:00+09:00', confidence: 0.9, main: true },
      ],
    });
    expect(singlePosts(a).map((p) => p.at)).toEqual(['2026-11-02T03:10:00+09:00']);
  });

  it('uses the post instants when the caller has them (an archive): a post a model folds into a sleep is still a tick', () => {
    const a = tokyoAnalysis({
      method: 'nezame-hsmm/2',
      periods: [{ start: '2026-11-01T10:00:00+09:00', end: '2026-11-01T23:00:00+09:00', posts: 3 }],
      sleeps: [{ start: '2026-11-01T23:25:00+09:00', end: '2026-11-02T07:20:00+09:00', confidence: 0.88, main: true }],
    });
    const posts = ['2026-11-01T10:00:00+09:00', '2026-11-01T16:00:00+09:00', '2026-11-01T23:00:00+09:00', '2026-11-02T03:00:00+09:00', '2026-11-02T03:00:00+09:00'].map(Date.parse);
    expect(singlePosts(a)).toEqual([]);
    expect(singlePosts(a, Float64Array.from(posts))).toEqual([{ ms: Date.parse('2026-11-02T03:00:00+09:00'), at: '2026-11-02T03:00:00+09:00' }]);
    const [, d2] = layoutAnalysis(a, new Date('2027-01-01T00:00:00Z'), posts);
    expect(d2!.ticks.map((k) => k.minute)).toEqual([180]);
  });

  it('never draws a post inside an awake period as single', () => {
    const a = legacyAnalysis({
      periods: [{ start: '2026-11-01T10:00:00+09:00', end: '2026-11-01T22:00:00+09:00', posts: 30 }],
      sleeps: [{ start: '2026-11-01T22:00:00+09:00', end: '2026-11-02T07:00:00+09:00', confidence: 1, main: true }],
      gaps: [{ start: '2026-11-01T00:00:00+09:00', end: '2026-11-01T10:00:00+09:00', reason: 'before_first_post' }],
    });
    expect(singlePosts(a)).toEqual([{ ms: Date.parse('2026-11-02T07:00:00+09:00'), at: '2026-11-02T07:00:00+09:00' }]);
  });
});

describe('format', () => {
  it('reads the wall clock from RFC 3339', () => {
    expect(clockOf('2026-11-02T03:07:00+09:00')).toBe('03:07');
    expect(clockOf('bad')).toBe('--:--');
  });
});

describe('zoneChangesOf', () => {
  it('orders the changes, places each on its local date and sums them round the clock', () => {
    const a = tokyoAnalysis({
      zoneChanges: [
        { at: '2026-12-20T00:00:00+09:00', hours: -8 },
        { at: '2026-11-01T14:59:59Z', hours: 8 }, // 23:59:59 in Tokyo
        { at: '2027-01-10T10:00:00+09:00', hours: 12 },
        { at: '2027-02-10T10:00:00+09:00', hours: 0 }, // not a change
        { at: '2027-02-11T10:00:00+09:00', hours: 4.5 }, // not whole hours
      ],
    });
    expect(zoneChangesOf(a).map((z) => [z.date, z.at, z.hours, z.total])).toEqual([
      ['2026-11-01', '2026-11-01T23:59:59+09:00', 8, 8],
      ['2026-12-20', '2026-12-20T00:00:00+09:00', -8, 0],
      ['2027-01-10', '2027-01-10T10:00:00+09:00', 12, -12],
    ]);
  });

  it('marks the date whose hours hold the instant, midnight belonging to the new date', () => {
    const a = tokyoAnalysis({ zoneChanges: [{ at: '2026-11-02T00:00:00+09:00', hours: -6 }] });
    const cols = layoutAnalysis(a, later);
    expect(cols.map((c) => c.zoneChanges.map((z) => z.hours))).toEqual([[], [-6]]);
    expect(layoutAnalysis(tokyoAnalysis({}), later).every((c) => c.zoneChanges.length === 0)).toBe(true);
  });
});
