import { describe, expect, it } from 'vitest';
import { analysisFixture } from '../../test/fixtures';
import { clockToQuarterHour, onShareGrid, SHARE_MAX_ZONE_CHANGES, shareSummary, toQuarterHour } from './summary';

/** Every RFC 3339 time anywhere in a JSON text. */
const timesIn = (json: string) => json.match(/\d{4}-\d{2}-\d{2}T[^"]+/g) ?? [];

describe('shareSummary', () => {
  it('keeps what the card needs, every time on the local quarter-hour grid, and no periods or singles', () => {
    const a = analysisFixture({
      singles: ['2026-11-01T05:07:00+09:00'],
      sleeps: [
        { start: '2026-11-02T01:37:41+09:00', end: '2026-11-02T09:07:07+09:00', confidence: 0.876, main: true },
        { start: '2026-11-02T12:01:10+09:00', end: '2026-11-02T12:06:50+09:00', confidence: 0.3, main: false },
      ],
      gaps: [{ start: '2026-11-01T00:00:00+09:00', end: '2026-11-01T08:03:00+09:00', reason: 'before_first_post' }],
      days: [
        { date: '2026-11-01', awake: [{ start: '2026-11-01T08:03:00+09:00', end: '2026-11-02T00:00:00+09:00' }] },
        {
          date: '2026-11-02',
          awake: [
            { start: '2026-11-02T00:00:00+09:00', end: '2026-11-02T01:37:00+09:00' },
            { start: '2026-11-02T09:01:00+09:00', end: '2026-11-02T09:05:00+09:00' },
            { start: '2026-11-02T09:44:00+09:00', end: '2026-11-02T23:52:59+09:00' },
          ],
        },
      ],
      stats: { ...analysisFixture().stats, wakeTime: '07:41', bedTime: '23:53', sleepHours: 6.44, longestAwakeHours: 17.38, patterns: [{ wakeTime: '07:07', bedTime: '01:08', nights: 3 }] },
    });
    const s = shareSummary(a);
    expect(Object.keys(s).sort()).toEqual(['days', 'from', 'gaps', 'postCount', 'sleeps', 'stats', 'timezone', 'to', 'zoneChanges']);
    expect(s.sleeps).toEqual([{ start: '2026-11-02T01:45:00+09:00', end: '2026-11-02T09:00:00+09:00', confidence: 0.88, main: true }]);
    expect(s.gaps).toEqual([{ start: '2026-11-01T00:00:00+09:00', end: '2026-11-01T08:00:00+09:00', reason: 'before_first_post' }]);
    expect(s.days[1]?.awake).toEqual([
      { start: '2026-11-02T00:00:00+09:00', end: '2026-11-02T01:30:00+09:00' },
      // 09:01–09:05 becomes empty on the grid and is dropped.
      { start: '2026-11-02T09:45:00+09:00', end: '2026-11-03T00:00:00+09:00' },
    ]);
    expect(s.stats).toMatchObject({ wakeTime: '07:45', bedTime: '00:00', sleepHours: 6.5, longestAwakeHours: 17.5, patterns: [{ wakeTime: '07:00', bedTime: '01:15', nights: 3 }] });
    const json = JSON.stringify(s);
    expect(json).not.toContain('05:07');
    for (const t of timesIn(json)) expect(onShareGrid(t), t).toBe(true);
  });

  it('carries the changes of time zone the card marks, their instants on the grid, in order, within the range', () => {
    const a = analysisFixture({
      zoneChanges: [
        { at: '2026-11-02T09:41:17+09:00', hours: -7 },
        { at: '2026-11-01T23:41:17+09:00', hours: 8 },
        { at: '2026-11-01T23:44:00+09:00', hours: 9 }, // the same quarter hour as the one before: dropped
        { at: '2026-11-01T12:00:00+09:00', hours: 3 }, // too small to be a move
        { at: '2026-11-01T13:00:00+09:00', hours: -12 }, // out of range
        { at: '2026-11-01T14:00:00+09:00', hours: 4.5 }, // not whole hours
        { at: '2026-10-31T23:00:00+09:00', hours: 5 }, // before the range
        { at: '2026-11-02T23:53:00+09:00', hours: 6 }, // rounds to `to` itself: kept
        { at: 'yesterday', hours: 8 },
      ],
    });
    const s = shareSummary(a);
    expect(s.zoneChanges).toEqual([
      { at: '2026-11-01T23:45:00+09:00', hours: 8 },
      { at: '2026-11-02T09:45:00+09:00', hours: -7 },
      { at: '2026-11-03T00:00:00+09:00', hours: 6 },
    ]);
    expect(JSON.stringify(s)).not.toMatch(/23:41|09:41/);
    for (const z of s.zoneChanges) expect(onShareGrid(z.at), z.at).toBe(true);
  });

  it('sends an empty list without changes of time zone, and at most eight', () => {
    expect(shareSummary(analysisFixture()).zoneChanges).toEqual([]);
    expect(shareSummary(analysisFixture({ zoneChanges: undefined })).zoneChanges).toEqual([]);
    const many = Array.from({ length: 10 }, (_, i) => ({ at: `2026-11-0${1 + Math.floor(i / 5)}T0${i % 5}:00:00+09:00`, hours: i % 2 === 0 ? 8 : -8 }));
    const s = shareSummary(analysisFixture({ zoneChanges: many }));
    expect(s.zoneChanges).toHaveLength(SHARE_MAX_ZONE_CHANGES);
    expect(s.zoneChanges[0]).toEqual({ at: '2026-11-01T00:00:00+09:00', hours: 8 });
  });

  it('rounds on the wall clock of zones a quarter or half hour off UTC, and across a clock change', () => {
    const s = shareSummary(
      analysisFixture({
        timezone: 'Asia/Kathmandu',
        from: '2026-11-01T00:00:00+05:45',
        to: '2026-11-02T00:00:00+05:45',
        days: [{ date: '2026-11-01', awake: [{ start: '2026-11-01T07:52:00+05:45', end: '2026-11-01T22:08:00+05:45' }] }],
        sleeps: [],
        gaps: [],
      }),
    );
    expect(s.days[0]?.awake).toEqual([{ start: '2026-11-01T07:45:00+05:45', end: '2026-11-01T22:15:00+05:45' }]);
    // New York falls back at 02:00 EDT on 2026-11-01: 01:55 EDT rounds to 02:00 EDT, which is 01:00 EST.
    expect(toQuarterHour('2026-11-01T01:55:00-04:00', (ms) => (ms >= Date.parse('2026-11-01T06:00:00Z') ? -300 : -240))).toBe('2026-11-01T01:00:00-05:00');
  });

  it.each([
    ['2026-11-01T07:40:29+09:00', '2026-11-01T07:45:00+09:00'],
    ['2026-11-01T07:37:29.999Z', '2026-11-01T07:30:00+00:00'],
    ['2026-11-01T07:37:30Z', '2026-11-01T07:45:00+00:00'],
    ['2026-11-01T23:53:00-03:30', '2026-11-02T00:00:00-03:30'],
    ['2026-11-01T07:45:00+05:45', '2026-11-01T07:45:00+05:45'],
    ['garbage', 'garbage'],
  ])('toQuarterHour(%s)', (t, want) => {
    expect(toQuarterHour(t)).toBe(want);
  });

  it.each([
    ['07:07', '07:00'],
    ['07:08', '07:15'],
    ['23:53', '00:00'],
    ['12:45', '12:45'],
  ])('clockToQuarterHour(%s)', (t, want) => {
    expect(clockToQuarterHour(t)).toBe(want);
  });
});
