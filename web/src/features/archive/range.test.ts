import { describe, expect, it } from 'vitest';
import { addDays, archiveRanges, loadRangeChoice, monthSlices, presetRange, rangeDays, RANGE_STORAGE_KEY, saveRangeChoice, sliceRange } from './range';

describe('range', () => {
  const times = Float64Array.from([
    Date.parse('2026-09-01T10:00:00+09:00'),
    Date.parse('2026-10-20T23:59:00+09:00'),
    Date.parse('2026-10-21T00:00:00+09:00'),
    Date.parse('2026-11-17T23:00:00+09:00'),
    Date.parse('2026-11-18T00:30:00+09:00'),
  ]);

  it('defaults to the 4 weeks up to the last post, in the zone', () => {
    expect(archiveRanges(times, 'Asia/Tokyo')).toEqual({
      bounds: { from: '2026-09-01', to: '2026-11-18' },
      initial: { from: '2026-10-22', to: '2026-11-18' },
    });
    // In UTC the last post is still on 11-17.
    expect(archiveRanges(times, 'UTC').initial.to).toBe('2026-11-17');
  });

  it('never starts before the first post', () => {
    const short = Float64Array.from([Date.parse('2026-11-10T10:00:00Z'), Date.parse('2026-11-12T10:00:00Z')]);
    expect(archiveRanges(short, 'UTC').initial).toEqual({ from: '2026-11-10', to: '2026-11-12' });
  });

  it.each([
    [{ from: '2026-10-21', to: '2026-11-17' }, [2, 4]],
    [{ from: '2026-10-20', to: '2026-10-20' }, [1, 2]],
    [{ from: '2026-01-01', to: '2026-12-31' }, [0, 5]],
    [{ from: '2027-01-01', to: '2027-01-31' }, [5, 5]],
  ])('slices %j', (range, want) => {
    expect(sliceRange(times, range, 'Asia/Tokyo')).toEqual(want);
  });

  it.each([
    // Santiago jumps from 00:00 to 01:00 on 2024-09-08: 23:30 the evening before is still the 7th.
    ['America/Santiago', '2024-09-08', ['2024-09-07T23:30:00-04:00', '2024-09-08T01:00:00-03:00', '2024-09-08T23:59:00-03:00', '2024-09-09T00:00:00-03:00'], [1, 3]],
    ['America/Havana', '2024-03-10', ['2024-03-09T23:59:00-05:00', '2024-03-10T01:00:00-04:00', '2024-03-11T00:00:00-04:00'], [1, 2]],
    // Havana's 00:00 happens twice on 2024-11-03: both belong to the 3rd.
    ['America/Havana', '2024-11-03', ['2024-11-02T23:59:00-04:00', '2024-11-03T00:10:00-04:00', '2024-11-03T00:10:00-05:00', '2024-11-04T00:00:00-05:00'], [1, 3]],
    ['America/Asuncion', '2024-10-06', ['2024-10-05T23:30:00-04:00', '2024-10-06T01:00:00-03:00'], [1, 2]],
  ])('slices a %s date whose clocks change at midnight (%s)', (tz, date, posts, want) => {
    const t = Float64Array.from(posts.map((p) => Date.parse(p)));
    expect(sliceRange(t, { from: date, to: date }, tz)).toEqual(want);
  });

  it('adds days across months', () => {
    expect(addDays('2026-11-18', -27)).toBe('2026-10-22');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  const bounds = { from: '2017-08-04', to: '2026-11-19' };
  it.each([
    ['weeks4', undefined, { from: '2026-10-23', to: '2026-11-19' }],
    ['year', undefined, { from: '2025-11-20', to: '2026-11-19' }],
    ['all', undefined, bounds],
    ['custom', { from: '2020-01-01', to: '2020-02-01' }, { from: '2020-01-01', to: '2020-02-01' }],
    ['custom', { from: '2001-01-01', to: '2030-01-01' }, bounds],
    ['custom', undefined, { from: '2026-10-23', to: '2026-11-19' }],
  ] as const)('preset %s %j', (preset, custom, want) => {
    expect(presetRange(preset, bounds, custom)).toEqual(want);
  });

  it('never reaches before the first post', () => {
    expect(presetRange('year', { from: '2026-10-01', to: '2026-11-19' })).toEqual({ from: '2026-10-01', to: '2026-11-19' });
    expect(rangeDays({ from: '2026-10-23', to: '2026-11-19' })).toBe(28);
  });

  it('remembers the choice, and falls back to 4 weeks on anything unreadable', () => {
    expect(loadRangeChoice()).toEqual({ preset: 'weeks4' });
    saveRangeChoice({ preset: 'year' });
    expect(loadRangeChoice()).toEqual({ preset: 'year' });
    saveRangeChoice({ preset: 'custom', custom: { from: '2020-01-01', to: '2020-03-01' } });
    expect(loadRangeChoice()).toEqual({ preset: 'custom', custom: { from: '2020-01-01', to: '2020-03-01' } });
    for (const bad of ['{', '{"preset":"forever"}', '{"preset":"custom","custom":{"from":"x"}}', '7']) {
      localStorage.setItem(RANGE_STORAGE_KEY, bad);
      expect(loadRangeChoice()).toEqual({ preset: 'weeks4' });
    }
  });

  it('cuts months at local midnights', () => {
    const t = Float64Array.from([
      Date.parse('2026-01-31T23:30:00+09:00'),
      Date.parse('2026-02-01T00:30:00+09:00'),
      Date.parse('2026-02-28T12:00:00+09:00'),
      Date.parse('2026-03-05T12:00:00+09:00'),
      Date.parse('2026-03-20T12:00:00+09:00'),
    ]);
    expect(monthSlices(t, '2026-01-15', '2026-03-10', 'Asia/Tokyo')).toEqual([
      { month: '2026-01', lo: 0, hi: 1 },
      { month: '2026-02', lo: 1, hi: 3 },
      { month: '2026-03', lo: 3, hi: 4 },
    ]);
    // In UTC the first two posts fall on the same date, January 31.
    expect(monthSlices(t, '2026-01-01', '2026-02-28', 'UTC').map((m) => m.hi - m.lo)).toEqual([2, 1]);
  });
});
