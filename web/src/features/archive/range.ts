// The date range of an archive analysis, in the browser's zone.
import { dateInZone, localMidnight, nextDate, zoneOffsetFn } from '../../components/calendar/geometry';

/** An inclusive range of local dates (YYYY-MM-DD). */
export interface DateRange {
  from: string;
  to: string;
}

/** The date `days` before `date` (negative goes forward). */
export function addDays(date: string, days: number): string {
  const ms = Date.parse(`${date}T00:00:00Z`);
  return new Date(ms + days * 86_400_000).toISOString().slice(0, 10);
}

/** The dates the archive covers, and the default: the last 4 weeks up to the last post. */
export function archiveRanges(times: Float64Array, tz: string): { bounds: DateRange; initial: DateRange } {
  const first = dateInZone(new Date(times[0] ?? 0), tz);
  const last = dateInZone(new Date(times[times.length - 1] ?? 0), tz);
  const from = addDays(last, -27);
  return { bounds: { from: first, to: last }, initial: { from: from < first ? first : from, to: last } };
}

/** The indexes [lo, hi) of the sorted `times` that fall on the range's dates in `tz`. */
export function sliceRange(times: Float64Array, range: DateRange, tz: string): [number, number] {
  const offsetAt = zoneOffsetFn(tz) ?? (() => 0);
  const lo = localMidnight(range.from, offsetAt) ?? -Infinity;
  const hi = localMidnight(nextDate(range.to), offsetAt) ?? Infinity;
  return [lowerBound(times, lo), lowerBound(times, hi)];
}

function lowerBound(a: Float64Array, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] ?? Infinity) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
