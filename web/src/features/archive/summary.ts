// What an archive share sends (POST /api/shares/archive): the analysis of at most the last 62
// days, trimmed to what the card draws. Never a post time: periods (whose ends are post times)
// are left out, and every time that is sent is cut to its minute, the finest the card shows.
import type { Analysis, ShareSummary } from '../../api/types';

/** The most days a share carries (the server refuses more). */
export const SHARE_MAX_DAYS = 62;

/** An RFC 3339 time cut to its minute: 2026-11-01T07:40:29+09:00 -> 2026-11-01T07:40:00+09:00. */
export function toMinute(rfc3339: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}):\d{2}(?:\.\d+)?(.*)$/.exec(rfc3339);
  return m === null ? rfc3339 : `${m[1]}:00${m[2]}`;
}

/**
 * The summary of `a`, an analysis of at most SHARE_MAX_DAYS dates (the caller analyses the
 * last ones of a longer range). Episodes that become empty at minute precision are dropped.
 */
export function shareSummary(a: Analysis): ShareSummary {
  const span = <T extends { start: string; end: string }>(x: T): T => ({ ...x, start: toMinute(x.start), end: toMinute(x.end) });
  const nonEmpty = (x: { start: string; end: string }) => x.start !== x.end;
  return {
    timezone: a.timezone,
    from: a.from,
    to: a.to,
    postCount: a.postCount,
    days: a.days.map((d) => ({ date: d.date, awake: d.awake.map(span) })),
    sleeps: (a.sleeps ?? []).map((s) => ({ start: s.start, end: s.end, confidence: Math.round(s.confidence * 100) / 100, main: s.main })).map(span).filter(nonEmpty),
    gaps: (a.gaps ?? []).map((g) => ({ start: g.start, end: g.end, reason: g.reason })).map(span).filter(nonEmpty),
    stats: a.stats,
  };
}
