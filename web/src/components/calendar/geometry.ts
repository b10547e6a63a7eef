// Pure geometry of the calendar: where each awake bar sits within its date. No React, no DOM.
//
// Positions are fractions of the date's real length measured from its local midnight, so a
// 23 h or 25 h daylight-saving day still fills its column exactly and bars never overlap or
// leave a false gap. The instants come from the RFC 3339 strings (which carry the offset in
// force at that moment); the date's midnight is found for the analysis zone with Intl, and
// falls back to the offset in the strings when the zone is unknown to the browser.

import type { Analysis, Day, Interval, Period } from '../../api/types';

/** One awake bar inside a date. */
export interface Bar {
  /** Offset of the start from local midnight, in minutes of elapsed time. */
  startMinute: number;
  endMinute: number;
  /** Position and length as fractions (0..1) of the date's length. */
  offset: number;
  length: number;
  /** The clipped interval as served. */
  interval: Interval;
  /** The whole awake period this bar is part of (it may cross midnight), if found. */
  period?: Period;
}

/** One date's column (or row, in the rotated layout). */
export interface DayColumn {
  date: string;
  /** Length of the date in minutes: 1440, or 1380/1500 on daylight-saving change days. */
  minutes: number;
  weekday: number; // 0 = Sunday
  weekend: boolean;
  today: boolean;
  bars: Bar[];
}

const MINUTE = 60_000;

function parseDate(date: string): [number, number, number] | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (m === null) return null;
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** Offset (minutes east of UTC) in the RFC 3339 string, e.g. "+09:00" -> 540, "Z" -> 0. */
export function offsetOf(rfc3339: string): number | null {
  const m = /(Z|([+-])(\d{2}):?(\d{2}))$/i.exec(rfc3339.trim());
  if (m === null) return null;
  if (m[1]?.toUpperCase() === 'Z') return 0;
  const sign = m[2] === '-' ? -1 : 1;
  return sign * (Number(m[3]) * 60 + Number(m[4]));
}

/**
 * Returns a function giving a zone's UTC offset in minutes at an instant, or null when the
 * browser does not know the zone.
 */
export function zoneOffsetFn(timeZone: string): ((utcMs: number) => number) | null {
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    return null;
  }
  return (utcMs: number) => {
    const parts: Record<string, number> = {};
    for (const p of fmt.formatToParts(new Date(utcMs))) {
      if (p.type !== 'literal') parts[p.type] = Number(p.value);
    }
    const asUTC = Date.UTC(
      parts.year ?? 1970,
      (parts.month ?? 1) - 1,
      parts.day ?? 1,
      parts.hour ?? 0,
      parts.minute ?? 0,
      parts.second ?? 0,
    );
    return Math.round((asUTC - Math.floor(utcMs / 1000) * 1000) / MINUTE);
  };
}

/**
 * The instant (UTC ms) of local midnight starting `date`. Where midnight does not exist (a
 * spring-forward at 00:00) this is the first instant of the date.
 */
export function localMidnight(date: string, offsetAt: (utcMs: number) => number): number | null {
  const ymd = parseDate(date);
  if (ymd === null) return null;
  const wall = Date.UTC(ymd[0], ymd[1] - 1, ymd[2]);
  // Two refinements converge for every real zone (offset changes are far apart).
  let t = wall - offsetAt(wall) * MINUTE;
  t = wall - offsetAt(t) * MINUTE;
  return t;
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}

/** Today's date (YYYY-MM-DD) in the zone, or in UTC if the zone is unknown. */
export function dateInZone(now: Date, timeZone: string): string {
  try {
    // en-CA formats as YYYY-MM-DD.
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  } catch {
    return now.toISOString().slice(0, 10);
  }
}

function findPeriod(periods: Period[], startMs: number, endMs: number): Period | undefined {
  return periods.find((p) => Date.parse(p.start) <= startMs && Date.parse(p.end) >= endMs);
}

/** Lays out one date. `offsetAt` gives the zone's offset; null means use the strings' offsets. */
export function layoutDay(
  day: Day,
  opts: { offsetAt: ((utcMs: number) => number) | null; today: string; periods?: Period[] },
): DayColumn {
  const ymd = parseDate(day.date);
  const weekday = ymd === null ? 0 : new Date(Date.UTC(ymd[0], ymd[1] - 1, ymd[2])).getUTCDay();
  const awake = day.awake ?? [];

  // Without a zone database, the first interval's own offset is the best guess for midnight.
  const first = awake[0];
  const fallbackOffset = first === undefined ? 0 : (offsetOf(first.start) ?? 0);
  const offsetAt = opts.offsetAt ?? (() => fallbackOffset);
  const start = localMidnight(day.date, offsetAt) ?? 0;
  const next = ymd === null ? null : localMidnight(nextDate(day.date), offsetAt);
  const minutes = next === null ? 1440 : Math.round((next - start) / MINUTE);

  const bars: Bar[] = [];
  for (const iv of awake) {
    const s = Date.parse(iv.start);
    const e = Date.parse(iv.end);
    if (Number.isNaN(s) || Number.isNaN(e) || e < s) continue;
    const startMinute = Math.max(0, Math.min(minutes, (s - start) / MINUTE));
    const endMinute = Math.max(startMinute, Math.min(minutes, (e - start) / MINUTE));
    bars.push({
      startMinute,
      endMinute,
      offset: clamp01(startMinute / minutes),
      length: clamp01((endMinute - startMinute) / minutes),
      interval: iv,
      period: opts.periods ? findPeriod(opts.periods, s, e) : undefined,
    });
  }
  return { date: day.date, minutes, weekday, weekend: weekday === 0 || weekday === 6, today: day.date === opts.today, bars };
}

/** The date after `date` (YYYY-MM-DD), by the proleptic Gregorian calendar. */
export function nextDate(date: string): string {
  const ymd = parseDate(date);
  if (ymd === null) return date;
  return new Date(Date.UTC(ymd[0], ymd[1] - 1, ymd[2] + 1)).toISOString().slice(0, 10);
}

/** Lays out every date of an analysis, oldest first. */
export function layoutAnalysis(a: Analysis, now: Date): DayColumn[] {
  const offsetAt = zoneOffsetFn(a.timezone);
  const today = dateInZone(now, a.timezone);
  const days = [...(a.days ?? [])].sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
  return days.map((d) => layoutDay(d, { offsetAt, today, periods: a.periods ?? [] }));
}

/** The local wall-clock "HH:MM" of an RFC 3339 string (already in the analysis zone). */
export function clockOf(rfc3339: string): string {
  const m = /T(\d{2}):(\d{2})/.exec(rfc3339);
  return m === null ? '--:--' : `${m[1]}:${m[2]}`;
}

/** The local date "YYYY-MM-DD" of an RFC 3339 string. */
export function dateOf(rfc3339: string): string {
  return rfc3339.slice(0, 10);
}
