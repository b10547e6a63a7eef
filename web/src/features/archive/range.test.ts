import { describe, expect, it } from 'vitest';
import { addDays, archiveRanges, sliceRange } from './range';

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

  it('adds days across months', () => {
    expect(addDays('2026-11-18', -27)).toBe('2026-10-22');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
});
