import { describe, expect, it } from 'vitest';
import { clock, dateWithYear, monthWithYear, weekdayDateWithYear } from './dates';

describe('dates', () => {
  it('carry their year in both languages', () => {
    expect(dateWithYear('2016-11-29', 'en')).toBe('Nov 29, 2016');
    expect(dateWithYear('2016-11-29', 'ja')).toBe('2016年11月29日');
    expect(weekdayDateWithYear('2024-03-05', 'en')).toBe('Tue, Mar 5, 2024');
    expect(monthWithYear('2024-03', 'en')).toBe('Mar 2024');
    expect(monthWithYear('2024-03', 'ja')).toBe('2024年3月');
    expect(dateWithYear('not a date', 'en')).toBe('not a date');
  });

  it('writes clock times, wrapping past midnight', () => {
    expect(clock(0)).toBe('00:00');
    expect(clock(1439)).toBe('23:59');
    expect(clock(1500)).toBe('01:00');
    expect(clock(-30)).toBe('23:30');
  });
});
