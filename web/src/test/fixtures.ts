import type { Analysis, Me } from '../api/types';

/** A small two-day analysis with one period crossing midnight. */
export function analysisFixture(over: Partial<Analysis> = {}): Analysis {
  return {
    timezone: 'Asia/Tokyo',
    method: 'gaprule/2020',
    from: '2026-11-01T00:00:00+09:00',
    to: '2026-11-03T00:00:00+09:00',
    postCount: 40,
    periods: [
      { start: '2026-11-01T08:00:00+09:00', end: '2026-11-02T01:30:00+09:00', posts: 30 },
      { start: '2026-11-02T09:00:00+09:00', end: '2026-11-02T23:00:00+09:00', posts: 10 },
    ],
    singles: [],
    sleeps: [{ start: '2026-11-02T01:30:00+09:00', end: '2026-11-02T09:00:00+09:00', confidence: 0.9, main: true }],
    gaps: [{ start: '2026-11-01T00:00:00+09:00', end: '2026-11-01T08:00:00+09:00', reason: 'before_first_post' }],
    days: [
      {
        date: '2026-11-01',
        awake: [{ start: '2026-11-01T08:00:00+09:00', end: '2026-11-02T00:00:00+09:00' }],
      },
      {
        date: '2026-11-02',
        awake: [
          { start: '2026-11-02T00:00:00+09:00', end: '2026-11-02T01:30:00+09:00' },
          { start: '2026-11-02T09:00:00+09:00', end: '2026-11-02T23:00:00+09:00' },
        ],
      },
    ],
    stats: {
      nights: 1,
      patterns: [],
      wakeTime: '07:40',
      bedTime: '01:15',
      wakeSpreadMinutes: 48.2,
      bedSpreadMinutes: 71,
      sleepHours: 6.44,
      sri: 62.5,
      socialJetlagHours: null,
      allNighters: 1,
      activeDays: 2,
      longestAwakeHours: 17.5,
    },
    ...over,
  };
}

/** The signed-in user. */
export const meFixture: Me = {
  id: '1',
  name: 'Night Owl',
  screenName: 'night_owl',
  imageUrl: 'https://example.test/a.png',
};
