import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../api/types';
import { clockOf, layoutAnalysis, layoutDay, localMidnight, nextDate, offsetOf, zoneOffsetFn } from './geometry';

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
});

describe('layoutDay', () => {
  const base = { today: '2000-01-01' };

  it('places a plain day by minutes from midnight', () => {
    const col = layoutDay(
      { date: '2026-11-02', awake: [{ start: '2026-11-02T06:00:00+09:00', end: '2026-11-02T18:00:00+09:00' }] },
      { ...base, offsetAt: tokyo },
    );
    expect(col.minutes).toBe(1440);
    expect(col.bars).toHaveLength(1);
    expect(col.bars[0]).toMatchObject({ startMinute: 360, endMinute: 1080, offset: 0.25, length: 0.5 });
    expect(col.weekday).toBe(1);
    expect(col.weekend).toBe(false);
  });

  it('draws a period crossing midnight on both dates, linked to the whole period', () => {
    const period = { start: '2026-11-01T22:00:00+09:00', end: '2026-11-02T03:00:00+09:00', posts: 9 };
    const a: Analysis = {
      timezone: 'Asia/Tokyo',
      method: 'gaprule/2020',
      from: '2026-11-01T00:00:00+09:00',
      to: '2026-11-03T00:00:00+09:00',
      postCount: 9,
      periods: [period],
      sleeps: [],
      gaps: [],
      // Served newest first on purpose: the layout must sort oldest left.
      days: [
        { date: '2026-11-02', awake: [{ start: '2026-11-02T00:00:00+09:00', end: '2026-11-02T03:00:00+09:00' }] },
        { date: '2026-11-01', awake: [{ start: '2026-11-01T22:00:00+09:00', end: '2026-11-02T00:00:00+09:00' }] },
      ],
      stats: {} as Analysis['stats'],
    };
    const cols = layoutAnalysis(a, new Date('2026-11-02T12:00:00+09:00'));
    expect(cols.map((c) => c.date)).toEqual(['2026-11-01', '2026-11-02']);
    const [first, second] = cols;
    expect(first!.bars[0]).toMatchObject({ startMinute: 1320, endMinute: 1440 });
    expect(first!.bars[0]!.offset + first!.bars[0]!.length).toBeCloseTo(1);
    expect(second!.bars[0]).toMatchObject({ startMinute: 0, endMinute: 180, offset: 0 });
    expect(first!.bars[0]!.period).toBe(period);
    expect(second!.bars[0]!.period).toBe(period);
    expect(first!.weekend).toBe(true); // 2026-11-01 is a Sunday
    expect(first!.today).toBe(false);
    expect(second!.today).toBe(true);
  });

  it('handles the 23 h spring-forward day', () => {
    // New York, 2026-03-08: 02:00 EST jumps to 03:00 EDT.
    const col = layoutDay(
      {
        date: '2026-03-08',
        awake: [
          { start: '2026-03-08T01:00:00-05:00', end: '2026-03-08T04:00:00-04:00' },
          { start: '2026-03-08T22:00:00-04:00', end: '2026-03-09T00:00:00-04:00' },
        ],
      },
      { ...base, offsetAt: newYork },
    );
    expect(col.minutes).toBe(23 * 60);
    // 01:00 EST to 04:00 EDT is two real hours.
    expect(col.bars[0]).toMatchObject({ startMinute: 60, endMinute: 180 });
    // 22:00 EDT is 21 hours after midnight; the bar ends exactly at the column's end.
    expect(col.bars[1]).toMatchObject({ startMinute: 21 * 60, endMinute: 23 * 60 });
    expect(col.bars[1]!.offset + col.bars[1]!.length).toBeCloseTo(1);
  });

  it('handles the 25 h fall-back day', () => {
    // New York, 2026-11-01: 02:00 EDT falls back to 01:00 EST; 01:30 happens twice.
    const col = layoutDay(
      {
        date: '2026-11-01',
        awake: [
          { start: '2026-11-01T01:30:00-04:00', end: '2026-11-01T01:30:00-05:00' },
          { start: '2026-11-01T23:00:00-05:00', end: '2026-11-02T00:00:00-05:00' },
        ],
      },
      { ...base, offsetAt: newYork },
    );
    expect(col.minutes).toBe(25 * 60);
    expect(col.bars[0]).toMatchObject({ startMinute: 90, endMinute: 150 });
    expect(col.bars[1]).toMatchObject({ startMinute: 24 * 60, endMinute: 25 * 60 });
    expect(col.bars[1]!.offset + col.bars[1]!.length).toBeCloseTo(1);
  });

  it('falls back to the strings’ offsets when the zone is unknown', () => {
    const col = layoutDay(
      { date: '2026-11-02', awake: [{ start: '2026-11-02T12:00:00+05:30', end: '2026-11-02T13:00:00+05:30' }] },
      { ...base, offsetAt: zoneOffsetFn('Nowhere/Special') },
    );
    expect(col.bars[0]).toMatchObject({ startMinute: 720, endMinute: 780 });
  });

  it('lays out an empty day and skips broken intervals', () => {
    const empty = layoutDay({ date: '2026-11-07', awake: [] }, { ...base, offsetAt: tokyo });
    expect(empty.bars).toEqual([]);
    expect(empty.minutes).toBe(1440);
    expect(empty.weekend).toBe(true); // Saturday
    const broken = layoutDay(
      {
        date: '2026-11-03',
        awake: [
          { start: 'nope', end: '2026-11-03T01:00:00+09:00' },
          { start: '2026-11-03T05:00:00+09:00', end: '2026-11-03T04:00:00+09:00' },
        ],
      },
      { ...base, offsetAt: tokyo },
    );
    expect(broken.bars).toEqual([]);
  });

  it('reads the wall clock from RFC 3339', () => {
    expect(clockOf('2026-11-02T03:07:00+09:00')).toBe('03:07');
    expect(clockOf('bad')).toBe('--:--');
  });
});
