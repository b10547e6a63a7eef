// Types of the HTTP contract (DESIGN.md "HTTP contract" and "Analysis").

/** A span of time; both ends are RFC 3339 strings with the requested zone's offset. */
export interface Interval {
  start: string;
  end: string;
}

/** An awake period: a run of posts with no gap over 3 h 30 min. */
export interface Period extends Interval {
  posts: number;
}

/** One local calendar date with the awake periods clipped to it. */
export interface Day {
  date: string; // YYYY-MM-DD
  awake: Interval[];
}

/** Sleep statistics; null means "too little data". */
export interface Stats {
  wakeTime: string | null;
  bedTime: string | null;
  wakeSpreadMinutes: number | null;
  bedSpreadMinutes: number | null;
  sleepHours: number | null;
  sri: number | null;
  socialJetlagHours: number | null;
  allNighters: number;
  activeDays: number;
  longestAwakeHours: number;
}

/** The result of GET /api/periods and POST /api/analyze. */
export interface Analysis {
  timezone: string;
  from: string;
  to: string;
  postCount: number;
  periods: Period[];
  days: Day[];
  stats: Stats;
}

/** GET /api/me. */
export interface Me {
  id: string;
  name: string;
  screenName: string;
  imageUrl: string;
}

/** POST /api/shares. */
export interface Share {
  id: string;
  url: string;
  imageUrl: string;
}
