import { describe, expect, it } from 'vitest';
import { analysisFixture } from '../../test/fixtures';
import { shareSummary, toMinute } from './summary';

describe('shareSummary', () => {
  it('keeps what the card needs, cut to the minute, and no periods', () => {
    const a = analysisFixture({
      sleeps: [
        { start: '2026-11-02T01:30:41+09:00', end: '2026-11-02T09:00:07+09:00', confidence: 0.876, main: true },
        { start: '2026-11-02T12:00:10+09:00', end: '2026-11-02T12:00:50+09:00', confidence: 0.3, main: false },
      ],
    });
    const s = shareSummary(a);
    expect(Object.keys(s).sort()).toEqual(['days', 'from', 'gaps', 'postCount', 'sleeps', 'stats', 'timezone', 'to']);
    expect(s.sleeps).toEqual([{ start: '2026-11-02T01:30:00+09:00', end: '2026-11-02T09:00:00+09:00', confidence: 0.88, main: true }]);
    expect(s.days).toEqual(a.days);
    expect(s.gaps).toEqual(a.gaps);
    expect(JSON.stringify(s)).not.toMatch(/:\d\d:(?!00)\d\d/);
  });

  it.each([
    ['2026-11-01T07:40:29+09:00', '2026-11-01T07:40:00+09:00'],
    ['2026-11-01T07:40:29.123Z', '2026-11-01T07:40:00Z'],
    ['2026-11-01T07:40:00-03:30', '2026-11-01T07:40:00-03:30'],
    ['garbage', 'garbage'],
  ])('toMinute(%s)', (t, want) => {
    expect(toMinute(t)).toBe(want);
  });
});
