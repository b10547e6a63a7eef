// Types of the HTTP contract: the Analysis and the request and response bodies the UI uses.
// Times are RFC 3339 strings carrying the offset of the zone that was asked for.

/** A span of time; both ends are RFC 3339 strings with the requested zone's offset. */
export interface Interval {
  start: string;
  end: string;
}

/** An awake period: a run of two or more posts with no silence over 3 h 30 min. A lone post is no period. */
export interface Period extends Interval {
  posts: number;
}

/** An inferred sleep episode. `main` marks the main sleep of its night; the others are naps. */
export interface Sleep extends Interval {
  /** 0..1: how sure the inference is that this was sleep. */
  confidence: number;
  main: boolean;
}

/** Why a stretch has no data. A gap is never sleep. */
export type GapReason = 'before_first_post' | 'api_limit' | 'absence' | 'future';

/** A stretch with no data, and why. */
export interface Gap extends Interval {
  reason: GapReason;
}

/** One local calendar date with the awake periods clipped to it. */
export interface Day {
  date: string; // YYYY-MM-DD
  awake: Interval[];
}

/** One recurring sleep timing, when nights form more than one (shift work). */
export interface Pattern {
  wakeTime: string; // "HH:MM"
  bedTime: string; // "HH:MM"
  nights: number;
}

/**
 * A lasting move of the person's daily rhythm (a flight or a move across time zones), found
 * from the clock of their posts.
 */
export interface ZoneChange {
  /** RFC 3339 in the analysis zone: where the model starts reading the days on the new clock, within about a day of the move (usually the journey or the first night on the new clock; after a move west it can be some hours after the first posts on the new clock). */
  at: string;
  /**
   * Whole hours, -11..12, never 0, at least 4 either way: from `at` on, the person's day runs
   * this much later on the analysis zone's clock than just before (+8: about 8 zones west;
   * -7: about 7 zones east). Each change is relative to the rhythm just before it.
   */
  hours: number;
}

/** Sleep statistics; null means "too little data". */
export interface Stats {
  /** Nights with evidence (a main sleep or an all-nighter). */
  nights: number;
  /** Of the dominant pattern when there are several. */
  wakeTime: string | null;
  bedTime: string | null;
  wakeSpreadMinutes: number | null;
  bedSpreadMinutes: number | null;
  /** Empty unless nights form two or more patterns; the dominant one first. */
  patterns: Pattern[];
  /** Median main-sleep length. */
  sleepHours: number | null;
  /** Sleep Regularity Index, -100..100. */
  sri: number | null;
  socialJetlagHours: number | null;
  allNighters: number;
  activeDays: number;
  longestAwakeHours: number;
}

/** The result of GET /api/periods and POST /api/analyze. Lists are [] when empty, never null. */
export interface Analysis {
  timezone: string;
  /** The days of the week read as the weekend (0 = Sunday … 6 = Saturday): the zone's country's, e.g. [5, 6] in Riyadh. */
  weekend?: number[];
  /** The inference's name and version, e.g. "nezame-hsmm/2" or "gaprule/2020". */
  method: string;
  from: string;
  to: string;
  postCount: number;
  periods: Period[];
  /** Lone posts (RFC 3339, oldest first): each distinct instant that belongs to no period, e.g. a 03:00 post inside a night. */
  singles: string[];
  sleeps: Sleep[];
  gaps: Gap[];
  days: Day[];
  stats: Stats;
  /**
   * The lasting changes of the person's daily rhythm, oldest first; the nights after each are
   * read on the new clock. Missing in an analysis made before the field: read it as none.
   */
  zoneChanges?: ZoneChange[];
}

/** GET /api/me. */
export interface Me {
  id: string;
  name: string;
  screenName: string;
  imageUrl: string;
}

/** Languages a share card can be drawn in. */
export type ShareLang = 'en' | 'ja';

/** Body of POST /api/shares and POST /api/shares/preview. */
export interface ShareRequest {
  /** Canonical IANA zone: the card shows the times the person saw. Required. */
  tz: string;
  lang: ShareLang;
  /** Days until the share is deleted; null keeps it until its owner deletes it. */
  expiresInDays: number | null;
}

/** A share as POST /api/shares answers it and GET /api/shares lists it. */
export interface Share {
  id: string;
  url: string;
  imageUrl: string;
  createdAt: string;
  /** null = never expires. */
  expiresAt: string | null;
}

/** POST /api/shares/archive answers a share plus the token that deletes it (there is no session owner). */
export interface ArchiveShare extends Share {
  deleteToken: string;
}

/**
 * What an archive share sends: an Analysis trimmed to what the card needs, the last 62 days at
 * most, never post times or periods.
 */
export type ShareSummary = Pick<Analysis, 'timezone' | 'from' | 'to' | 'postCount' | 'days' | 'sleeps' | 'gaps' | 'stats'> & {
  /** The changes of time zone the card marks, on the grid too (optional to the server). */
  zoneChanges: ZoneChange[];
};

/** Body of POST /api/shares/archive and POST /api/shares/archive/preview. */
export interface ArchiveShareRequest extends ShareRequest {
  summary: ShareSummary;
}

/** Why a 429 `rate_limited` happened. */
export type RateLimitReason =
  /** nezame's daily Twitter budget is spent. */
  | 'app_quota'
  /** Twitter refused us. */
  | 'twitter'
  /** This address sent too many requests. */
  | 'client';

/** The JSON error body: `{"error":{"code","message"}}` plus extra fields at the top level. */
export interface ErrorBody {
  error: { code: string; message: string };
  /** Seconds to wait (429, 202, retryable 503). */
  retryAfter?: number;
  /** 429: when it clears, RFC 3339. */
  resetAt?: string;
  /** 429: why. */
  reason?: RateLimitReason;
  /** 202 `queued`: place in the waiting room. */
  position?: number;
  /** 202 `fetching`: posts read so far. */
  fetched?: number;
}
