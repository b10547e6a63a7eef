import { describe, expect, it } from 'vitest';
import { nightMinutes } from './trends';

describe('nightMinutes', () => {
  it.each([
    ['12:00', 0],
    ['22:30', 630],
    ['00:00', 720],
    ['07:15', 1155],
    ['11:59', 1439],
    [null, null],
    ['7:15', null],
  ])('%s -> %s', (hhmm, want) => {
    expect(nightMinutes(hhmm)).toBe(want);
  });
});
