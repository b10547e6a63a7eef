import { describe, expect, it } from 'vitest';
import { analysisFixture } from '../../test/fixtures';
import { actogramRows, wallMinutes } from './actogram';

describe('actogramRows', () => {
  it('splits sleep, posting and no data at local midnights, on the wall clock', () => {
    const rows = actogramRows(analysisFixture());
    expect(rows.dates).toEqual(['2026-11-01', '2026-11-02']);
    expect(rows.segments[0]).toEqual([
      { start: 0, end: 480, kind: 'gap', confidence: 1 },
      { start: 480, end: 1440, kind: 'awake', confidence: 1 },
    ]);
    expect(rows.segments[1]).toEqual([
      { start: 0, end: 90, kind: 'awake', confidence: 1 },
      { start: 90, end: 540, kind: 'sleep', confidence: 0.9 },
      { start: 540, end: 1380, kind: 'awake', confidence: 1 },
    ]);
  });

  it('draws a DST day on the wall clock and keeps every date', () => {
    // New York, 2026-03-08: 02:00 EST became 03:00 EDT. A sleep 23:00 -> 07:00 wall clock.
    const a = analysisFixture({
      timezone: 'America/New_York',
      days: [
        { date: '2026-03-07', awake: [] },
        { date: '2026-03-08', awake: [] },
      ],
      periods: [],
      gaps: [],
      sleeps: [{ start: '2026-03-07T23:00:00-05:00', end: '2026-03-08T07:00:00-04:00', confidence: 0.5, main: true }],
    });
    const rows = actogramRows(a);
    expect(rows.segments[0]).toEqual([{ start: 1380, end: 1440, kind: 'sleep', confidence: 0.5 }]);
    expect(rows.segments[1]).toEqual([{ start: 0, end: 420, kind: 'sleep', confidence: 0.5 }]);
  });

  it('ignores what it cannot place and returns nothing for no days', () => {
    expect(actogramRows(analysisFixture({ days: [] }))).toEqual({ dates: [], segments: [] });
    const rows = actogramRows(analysisFixture({ sleeps: [{ start: 'nonsense', end: '2026-11-02T01:00:00+09:00', confidence: 1, main: true }] }));
    expect(rows.segments.flat().filter((s) => s.kind === 'sleep')).toEqual([]);
    expect(wallMinutes('2026-11-01T00:01:00+09:00')).toBe(Date.UTC(2026, 10, 1, 0, 1) / 60_000);
  });
});
