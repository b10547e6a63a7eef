// What an archive share sends (POST /api/shares/archive): the analysis of at most the last 62
// days, trimmed to what the card draws. Never a post time: periods and single posts (whose ends
// are post times) are left out, and every time that is sent is rounded to the nearest quarter
// hour of the local wall clock (…:00, :15, :30, :45), so no instant in it can be traced back to
// a post. Clock times in the statistics are rounded the same way, and the durations measured
// between post times (median sleep, longest awake stretch) to a quarter of an hour. Changes of
// time zone go too (the card marks their date): their instant, a post time, rounded likewise.
import type { Analysis, ShareSummary, Stats, ZoneChange } from '../../api/types';
import { offsetOf, rfc3339At, zoneOffsetFn } from '../../components/calendar/geometry';

/** The most days a share carries (the server refuses more). */
export const SHARE_MAX_DAYS = 62;

/** The grid every time of a share summary sits on, in minutes of local wall clock. */
export const SHARE_GRID_MINUTES = 15;

const GRID_MS = SHARE_GRID_MINUTES * 60_000;

/**
 * An RFC 3339 time rounded to the nearest quarter hour of its local wall clock, written with
 * the offset `offsetAt` gives for the rounded instant (it can differ when the rounding crosses
 * a clock change): 2026-11-01T07:40:29+09:00 -> 2026-11-01T07:45:00+09:00. Every zone's offset
 * is a whole number of quarter hours, so the result is on the grid in either offset.
 * Anything unreadable is returned as it is (the server refuses it).
 */
export function toQuarterHour(rfc3339: string, offsetAt?: (utcMs: number) => number): string {
  const ms = Date.parse(rfc3339);
  const offset = offsetOf(rfc3339);
  if (Number.isNaN(ms) || offset === null) return rfc3339;
  const wall = ms + offset * 60_000;
  const rounded = Math.round(wall / GRID_MS) * GRID_MS - offset * 60_000;
  return rfc3339At(rounded, offsetAt?.(rounded) ?? offset);
}

/** A wall-clock "HH:MM" rounded to the nearest quarter hour (23:53 -> 00:00). */
export function clockToQuarterHour(hhmm: string): string {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (m === null) return hhmm;
  const minutes = (Math.round((Number(m[1]) * 60 + Number(m[2])) / SHARE_GRID_MINUTES) * SHARE_GRID_MINUTES) % 1440;
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Hours rounded to a quarter of an hour: durations between two post times say no more than the grid. */
const quarterHours = (h: number) => Math.round(h * 4) / 4;

function statsOnGrid(st: Stats): Stats {
  const clock = (v: string | null) => (v === null ? null : clockToQuarterHour(v));
  return {
    ...st,
    wakeTime: clock(st.wakeTime),
    bedTime: clock(st.bedTime),
    patterns: (st.patterns ?? []).map((p) => ({ ...p, wakeTime: clockToQuarterHour(p.wakeTime), bedTime: clockToQuarterHour(p.bedTime) })),
    sleepHours: st.sleepHours === null ? null : quarterHours(st.sleepHours),
    longestAwakeHours: quarterHours(st.longestAwakeHours),
  };
}

/** The most changes of time zone a summary carries (the server refuses more). */
export const SHARE_MAX_ZONE_CHANGES = 8;

/**
 * The changes of time zone the server accepts and the card can show: a whole number of hours in
 * −11..12, 4 or more either way, the instant rounded to the grid and within [from, to], each
 * after the one before; the first SHARE_MAX_ZONE_CHANGES of them.
 */
function zoneChangesOnGrid(a: Analysis, offsetAt?: (utcMs: number) => number): ZoneChange[] {
  const from = Date.parse(a.from);
  const to = Date.parse(a.to);
  const out: ZoneChange[] = [];
  let last = -Infinity;
  const changes = (a.zoneChanges ?? [])
    .filter((z) => Number.isInteger(z.hours) && z.hours >= -11 && z.hours <= 12 && Math.abs(z.hours) >= 4)
    .map((z) => ({ at: toQuarterHour(z.at, offsetAt), hours: z.hours }))
    .map((z) => ({ ...z, ms: Date.parse(z.at) }))
    .filter((z) => !Number.isNaN(z.ms) && z.ms >= from && z.ms <= to)
    .sort((x, y) => x.ms - y.ms);
  for (const z of changes) {
    if (z.ms <= last || out.length === SHARE_MAX_ZONE_CHANGES) continue;
    out.push({ at: z.at, hours: z.hours });
    last = z.ms;
  }
  return out;
}

/**
 * The summary of `a`, an analysis of at most SHARE_MAX_DAYS dates (the caller analyses the
 * last ones of a longer range). Episodes that become empty on the quarter-hour grid are dropped.
 */
export function shareSummary(a: Analysis): ShareSummary {
  const offsetAt = zoneOffsetFn(a.timezone) ?? undefined;
  const span = <T extends { start: string; end: string }>(x: T): T => ({ ...x, start: toQuarterHour(x.start, offsetAt), end: toQuarterHour(x.end, offsetAt) });
  const nonEmpty = (x: { start: string; end: string }) => Date.parse(x.start) < Date.parse(x.end);
  return {
    timezone: a.timezone,
    from: a.from,
    to: a.to,
    postCount: a.postCount,
    days: a.days.map((d) => ({ date: d.date, awake: d.awake.map((iv) => span({ start: iv.start, end: iv.end })).filter(nonEmpty) })),
    sleeps: (a.sleeps ?? []).map((s) => span({ start: s.start, end: s.end, confidence: Math.round(s.confidence * 100) / 100, main: s.main })).filter(nonEmpty),
    gaps: (a.gaps ?? []).map((g) => span({ start: g.start, end: g.end, reason: g.reason })).filter(nonEmpty),
    zoneChanges: zoneChangesOnGrid(a, offsetAt),
    stats: statsOnGrid(a.stats),
  };
}

/**
 * Whether an RFC 3339 time is on the share grid of its own wall clock (whole quarter hour, no
 * seconds), as the e2e check and tests assert of everything a share sends.
 */
export function onShareGrid(rfc3339: string): boolean {
  const m = /T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?/.exec(rfc3339);
  return m !== null && Number(m[2]) % SHARE_GRID_MINUTES === 0 && m[3] === '00' && (m[4] === undefined || Number(m[4]) === 0);
}
