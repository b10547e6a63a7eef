// Pure geometry of the calendar: where each awake period, sleep, no-data stretch, single post
// and the "now" line sit within each date. No React, no DOM.
//
// Positions are fractions of the date's real length measured from its local midnight, so a
// 23 h or 25 h daylight-saving day still fills its column exactly and nothing overlaps or
// leaves a false gap. The instants come from the RFC 3339 strings (which carry the offset in
// force at that moment); the date's midnight is found for the analysis zone with Intl, and
// falls back to the offset in the strings when the zone is unknown to the browser.

import type { Analysis, GapReason } from '../../api/types';

/** What a segment of a date shows. */
export type SegmentKind = 'awake' | 'sleep' | 'nap' | 'gap' | 'future';

/** One drawn stretch inside a date: an item of the analysis clipped to the date. */
export interface Segment {
  kind: SegmentKind;
  /** Offset of the clipped start from local midnight, in minutes of elapsed time. */
  startMinute: number;
  endMinute: number;
  /** Position and length as fractions (0..1) of the date's length. */
  offset: number;
  length: number;
  /** The whole item as served (it may cross midnight). */
  start: string;
  end: string;
  startMs: number;
  endMs: number;
  /** The item began before this date (it continues from the day before). */
  continued: boolean;
  /** The item goes on after this date. */
  continues: boolean;
  /** Awake periods: the posts in it. */
  posts?: number;
  /** Sleeps and naps: 0..1. */
  confidence?: number;
  /** No-data stretches: why. */
  reason?: GapReason;
}

/** A single post: a post that belongs to no awake period. */
export interface Tick {
  minute: number;
  offset: number;
  /** The post's instant as RFC 3339 in the analysis zone's offset. */
  at: string;
  ms: number;
}

/** A change of time zone, placed in the analysis zone. */
export interface ZoneMark {
  /** The instant (UTC ms) and its local date (YYYY-MM-DD) in the analysis zone. */
  ms: number;
  date: string;
  /** The instant as RFC 3339 with the analysis zone's offset at it. */
  at: string;
  /** From here on the person's day runs this many hours later on the analysis clock (negative: earlier). */
  hours: number;
  /** The sum of this and every earlier change, the short way round the clock (-12..12): 0 is back on the clock the analysis began with. */
  total: number;
}

/** One date's column (or row, in the rotated layout). */
export interface DayColumn {
  date: string;
  /** Length of the date in minutes: 1440, or 1380/1500 on daylight-saving change days. */
  minutes: number;
  /** Instants (UTC ms) of the date's start and end. */
  startMs: number;
  endMs: number;
  weekday: number; // 0 = Sunday
  weekend: boolean;
  today: boolean;
  /** Drawing order: no data, then sleep, then awake on top. */
  segments: Segment[];
  ticks: Tick[];
  /** The changes of time zone that happened on this date. */
  zoneChanges: ZoneMark[];
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

/** The widest span of UTC offsets (-12:00 … +14:00): local midnight lies this close to 00:00 UTC of the date. */
const EARLIEST_OFFSET = -12 * 60;
const LATEST_OFFSET = 14 * 60;

/**
 * The instant (UTC ms) the local `date` begins: its midnight, the first one where the clocks
 * go back over midnight (00:00 happens twice), and where they jump over it (a spring-forward
 * at 00:00, as in Santiago, Havana, Asunción or Beirut) the instant of the jump, when the date
 * begins at 01:00.
 */
export function localMidnight(date: string, offsetAt: (utcMs: number) => number): number | null {
  const ymd = parseDate(date);
  if (ymd === null) return null;
  const wall = Date.UTC(ymd[0], ymd[1] - 1, ymd[2]);
  const localOf = (t: number) => t + offsetAt(t) * MINUTE;
  // The offsets in force anywhere midnight could fall (clock changes are months apart, so
  // these are at most two: before and after a change).
  const offsets = new Set([wall - LATEST_OFFSET * MINUTE, wall, wall - EARLIEST_OFFSET * MINUTE].map(offsetAt));
  const candidates = [...offsets].map((o) => wall - o * MINUTE).sort((x, y) => x - y);
  const exact = candidates.find((t) => localOf(t) === wall);
  if (exact !== undefined) return exact;
  // 00:00 does not exist: the date starts at the jump, the first instant whose wall clock is
  // on or after it. Before the jump the wall clock is behind (lo), after it ahead (hi).
  const before = candidates.find((t) => localOf(t) < wall);
  const after = candidates.findLast((t) => localOf(t) > wall);
  if (before === undefined || after === undefined || after < before) return candidates[0] ?? wall;
  let [lo, hi] = [before, after];
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (localOf(mid) < wall) lo = mid;
    else hi = mid;
  }
  return hi;
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

/** The date after `date` (YYYY-MM-DD), by the proleptic Gregorian calendar. */
export function nextDate(date: string): string {
  const ymd = parseDate(date);
  if (ymd === null) return date;
  return new Date(Date.UTC(ymd[0], ymd[1] - 1, ymd[2] + 1)).toISOString().slice(0, 10);
}

/** An item of the analysis with its instants parsed, ready to be clipped to dates. */
interface Item {
  kind: SegmentKind;
  start: string;
  end: string;
  startMs: number;
  endMs: number;
  posts?: number;
  confidence?: number;
  reason?: GapReason;
}

function item(kind: SegmentKind, iv: { start: string; end: string }, extra: Partial<Item> = {}): Item | null {
  const startMs = Date.parse(iv.start);
  const endMs = Date.parse(iv.end);
  if (Number.isNaN(startMs) || Number.isNaN(endMs) || endMs <= startMs) return null;
  return { kind, start: iv.start, end: iv.end, startMs, endMs, ...extra };
}

function sorted(items: (Item | null)[]): Item[] {
  return items.filter((i): i is Item => i !== null).sort((a, b) => a.startMs - b.startMs);
}

/**
 * The analysis's items by layer, each sorted by start. Gaps and sleeps are drawn under awake
 * periods. Time after `nowMs` up to the end of the last date has not happened: when the
 * analysis does not say so itself (an analysis made earlier, or a server that stops at its
 * own now), that stretch is added as "future", so it is never left looking like a quiet night.
 */
function itemsOf(a: Analysis, nowMs: number, endMs: number | null, offsetMinutes: (ms: number) => number): Item[][] {
  const gaps = (a.gaps ?? []).map((g) => item(g.reason === 'future' ? 'future' : 'gap', g, { reason: g.reason }));
  const saysFuture = (a.gaps ?? []).some((g) => g.reason === 'future');
  if (!saysFuture && endMs !== null) {
    const lastEnd = [...gaps, ...(a.sleeps ?? []).map((s) => item('sleep', s)), ...(a.periods ?? []).map((p) => item('awake', p))].reduce(
      (last, it) => (it === null ? last : Math.max(last, it.endMs)),
      -Infinity,
    );
    const from = Math.max(nowMs, lastEnd);
    if (from < endMs) gaps.push(item('future', { start: rfc3339At(from, offsetMinutes(from)), end: rfc3339At(endMs, offsetMinutes(endMs)) }, { reason: 'future' }));
  }
  return [
    sorted(gaps),
    sorted((a.sleeps ?? []).map((s) => item(s.main ? 'sleep' : 'nap', s, { confidence: s.confidence }))),
    sorted((a.periods ?? []).map((p) => item('awake', p, { posts: p.posts }))),
  ];
}

function isGapRule(method: string | undefined): boolean {
  return (method ?? '').startsWith('gaprule/');
}

/**
 * The instants of single posts: posts that belong to no awake period (a period needs two
 * posts). The analysis lists them (`singles`); when the caller has the post instants themselves
 * (`posts`, Unix ms: an archive is read in the browser), those outside every period are the
 * single posts. An answer from before `singles` existed (a stored one) has them derived from
 * what it says:
 * - where one sleep or no-data stretch ends exactly where another begins, outside any awake
 *   period, something broke the silence at that instant: a post;
 * - under the gap rule ("gaprule/…"), every sleep and every absence runs from one post to the
 *   next, and the stretch before the first post ends at it, so those ends are posts too.
 * Without the instants, posts that a model folds into a sleep without breaking it cannot be
 * recovered.
 */
export function singlePosts(a: Analysis, posts?: ArrayLike<number>): { ms: number; at: string }[] {
  const periods = sorted((a.periods ?? []).map((p) => item('awake', p)));
  const inPeriod = (ms: number) => {
    // Periods are sorted and do not overlap: binary search for the last one starting at or before ms.
    let lo = 0;
    let hi = periods.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const p = periods[mid];
      if (p === undefined) return false;
      if (p.startMs <= ms) {
        if (ms <= p.endMs) return true;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return false;
  };
  const found = new Map<number, string>();
  const add = (ms: number, at: string) => {
    if (!found.has(ms) && !inPeriod(ms)) found.set(ms, at);
  };
  if (posts === undefined && a.singles !== undefined) {
    for (const at of a.singles) {
      const ms = Date.parse(at);
      if (!Number.isNaN(ms)) add(ms, at);
    }
  } else if (posts !== undefined) {
    const from = Date.parse(a.from);
    const to = Date.parse(a.to);
    const fallback = offsetOf(a.from ?? '') ?? 0;
    const offsetAt = zoneOffsetFn(a.timezone) ?? (() => fallback);
    for (let i = 0; i < posts.length; i++) {
      const ms = posts[i] ?? Number.NaN;
      if (ms >= from && ms < to && !found.has(ms) && !inPeriod(ms)) found.set(ms, rfc3339At(ms, offsetAt(ms)));
    }
  } else {
    const episodes = sorted([
      ...(a.sleeps ?? []).map((s) => item('sleep', s)),
      ...(a.gaps ?? []).filter((g) => g.reason !== 'future').map((g) => item('gap', g, { reason: g.reason })),
    ]);
    for (let i = 1; i < episodes.length; i++) {
      const prev = episodes[i - 1];
      const next = episodes[i];
      if (prev !== undefined && next !== undefined && prev.endMs === next.startMs) add(prev.endMs, prev.end);
    }
    if (isGapRule(a.method)) {
      for (const e of episodes) {
        if (e.kind === 'sleep' || e.reason === 'absence') add(e.startMs, e.start);
        add(e.endMs, e.end);
      }
    }
  }
  return [...found.entries()].sort((x, y) => x[0] - y[0]).map(([ms, at]) => ({ ms, at }));
}

/**
 * The analysis's changes of time zone that make sense (a readable instant; whole hours, not 0,
 * within a day either way), oldest first, each placed on its local date in the analysis zone.
 * An analysis from before the field has none.
 */
export function zoneChangesOf(a: Analysis): ZoneMark[] {
  // Without a zone database, the offset the analysis wrote into the instant is the best guess.
  const offsetAt = zoneOffsetFn(a.timezone);
  const marks = (a.zoneChanges ?? [])
    .map((z) => ({ ms: Date.parse(z.at), at: z.at, hours: z.hours }))
    .filter((z) => !Number.isNaN(z.ms) && Number.isInteger(z.hours) && z.hours !== 0 && Math.abs(z.hours) < 24)
    .sort((x, y) => x.ms - y.ms);
  let total = 0;
  return marks.map((z) => {
    total = ((((total + z.hours + 12) % 24) + 24) % 24) - 12;
    const at = rfc3339At(z.ms, offsetAt?.(z.ms) ?? offsetOf(z.at) ?? 0);
    return { ms: z.ms, at, date: at.slice(0, 10), hours: z.hours, total };
  });
}

/** What layoutDate needs besides the date. */
interface DayContext {
  offsetAt: (utcMs: number) => number;
  today: string;
  /** The days of the week the analysis reads as the weekend (0 = Sunday). */
  weekend: ReadonlySet<number>;
  layers: Item[][];
  /** Per layer, the first item that may still reach the date (the sweep's cursor). */
  cursors: number[];
  ticks: { ms: number; at: string }[];
  tickCursor: number;
  zoneChanges: ZoneMark[];
}

function layoutDate(date: string, c: DayContext): DayColumn {
  const ymd = parseDate(date);
  const weekday = ymd === null ? 0 : new Date(Date.UTC(ymd[0], ymd[1] - 1, ymd[2])).getUTCDay();
  const startMs = localMidnight(date, c.offsetAt) ?? 0;
  const endMs = localMidnight(nextDate(date), c.offsetAt) ?? startMs + 1440 * MINUTE;
  const minutes = Math.max(1, Math.round((endMs - startMs) / MINUTE));
  const span = endMs - startMs;

  const segments: Segment[] = [];
  c.layers.forEach((items, layer) => {
    let i = c.cursors[layer] ?? 0;
    // Items of one layer do not overlap, so those ending before this date never reach a later one.
    while ((items[i]?.endMs ?? Infinity) <= startMs) i++;
    c.cursors[layer] = i;
    for (let j = i; j < items.length; j++) {
      const it = items[j];
      if (it === undefined || it.startMs >= endMs) break;
      if (it.endMs <= startMs) continue;
      const s = Math.max(it.startMs, startMs);
      const e = Math.min(it.endMs, endMs);
      segments.push({
        ...it,
        startMinute: (s - startMs) / MINUTE,
        endMinute: (e - startMs) / MINUTE,
        offset: clamp01((s - startMs) / span),
        length: clamp01((e - s) / span),
        continued: it.startMs < startMs,
        continues: it.endMs > endMs,
      });
    }
  });

  const ticks: Tick[] = [];
  let k = c.tickCursor;
  while ((c.ticks[k]?.ms ?? Infinity) < startMs) k++;
  c.tickCursor = k;
  for (; k < c.ticks.length; k++) {
    const t = c.ticks[k];
    if (t === undefined || t.ms >= endMs) break;
    ticks.push({ ms: t.ms, at: t.at, minute: (t.ms - startMs) / MINUTE, offset: clamp01((t.ms - startMs) / span) });
  }
  // By the instant, like every other mark: the date whose hours hold it.
  const zoneChanges = c.zoneChanges.filter((z) => z.ms >= startMs && z.ms < endMs);
  return { date, minutes, startMs, endMs, weekday, weekend: c.weekend.has(weekday), today: date === c.today, segments, ticks, zoneChanges };
}

/**
 * Lays out every date of an analysis, oldest first, in one sweep over its items. `posts` (Unix
 * ms, any order) are the post instants when the caller has them, for exact single posts.
 */
export function layoutAnalysis(a: Analysis, now: Date, posts?: ArrayLike<number>): DayColumn[] {
  // Without a zone database, the offset in the analysis's own strings is the best guess for midnight.
  const fallback = offsetOf(a.from ?? '') ?? offsetOf(a.periods?.[0]?.start ?? '') ?? 0;
  const offsetAt = zoneOffsetFn(a.timezone) ?? (() => fallback);
  const dates = (a.days ?? [])
    .map((d) => d.date)
    .filter((d) => parseDate(d) !== null)
    .sort();
  const lastDate = dates[dates.length - 1];
  const endMs = lastDate === undefined ? null : localMidnight(nextDate(lastDate), offsetAt);
  const layers = itemsOf(a, now.getTime(), endMs, offsetAt);
  const c: DayContext = {
    offsetAt,
    today: dateInZone(now, a.timezone),
    // Saturday and Sunday for an analysis that names none (one from a service before the field).
    weekend: new Set(a.weekend ?? [0, 6]),
    layers,
    cursors: layers.map(() => 0),
    ticks: singlePosts(a, posts),
    tickCursor: 0,
    zoneChanges: zoneChangesOf(a),
  };
  return dates.map((d) => layoutDate(d, c));
}

/** An instant as RFC 3339 with the given offset (minutes east of UTC), like the server writes it. */
export function rfc3339At(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** Where "now" falls in the column (0..1), or null when it is not in this date. */
export function nowOffset(col: DayColumn, nowMs: number): number | null {
  if (nowMs < col.startMs || nowMs >= col.endMs) return null;
  return (nowMs - col.startMs) / (col.endMs - col.startMs);
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
