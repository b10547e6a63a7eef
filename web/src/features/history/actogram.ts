// The data of the double-plotted actogram: per local date, what each stretch of its 24 hours
// was (sleep with its confidence, awake posting, or no data), in wall-clock minutes after that
// date's midnight. Times are read from the analysis' own RFC 3339 strings, which carry the
// zone's offset, so no time-zone library is needed and a DST day is drawn on the wall clock.
import type { Analysis } from '../../api/types';

export type SegmentKind = 'sleep' | 'gap' | 'awake';

/** A stretch of one date, [start, end) in minutes after its local midnight (0..1440). */
export interface Segment {
  start: number;
  end: number;
  kind: SegmentKind;
  /** Sleep: the analysis' confidence (0..1); 1 otherwise. */
  confidence: number;
}

/** One entry per date of the analysis, oldest first; segments in time order. */
export interface ActogramRows {
  dates: string[];
  segments: Segment[][];
}

const WALL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/;

/** The wall-clock reading of an RFC 3339 time, as minutes since 1970-01-01 00:00 (NaN if unreadable). */
export function wallMinutes(rfc3339: string): number {
  const m = WALL.exec(rfc3339);
  if (m === null) return Number.NaN;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) / 60_000;
}

/** Splits an analysis into per-date segments for drawing. */
export function actogramRows(a: Analysis): ActogramRows {
  const dates = a.days.map((d) => d.date);
  const segments: Segment[][] = dates.map(() => []);
  if (dates.length === 0) return { dates, segments };
  const base = Date.parse(`${dates[0]}T00:00:00Z`) / 60_000;
  const add = (start: string, end: string, kind: SegmentKind, confidence: number) => {
    const s = wallMinutes(start) - base;
    const e = wallMinutes(end) - base;
    if (!(e > s)) return; // unreadable, empty, or folded back by a DST change
    for (let d = Math.max(0, Math.floor(s / 1440)); d < dates.length && d * 1440 < e; d++) {
      const lo = Math.max(s, d * 1440) - d * 1440;
      const hi = Math.min(e, (d + 1) * 1440) - d * 1440;
      if (hi > lo) segments[d]?.push({ start: lo, end: hi, kind, confidence });
    }
  };
  for (const g of a.gaps ?? []) add(g.start, g.end, 'gap', 1);
  for (const p of a.periods) add(p.start, p.end, 'awake', 1);
  for (const s of a.sleeps ?? []) add(s.start, s.end, 'sleep', Math.min(1, Math.max(0, s.confidence)));
  for (const row of segments) row.sort((x, y) => x.start - y.start);
  return { dates, segments };
}
