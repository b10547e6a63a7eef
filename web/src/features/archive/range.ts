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

/** The ranges the picker offers; `custom` is the person's own from/to. */
export type RangePreset = 'weeks4' | 'year' | 'all' | 'custom';

export const PRESETS: readonly RangePreset[] = ['weeks4', 'year', 'all', 'custom'];

/** The longest range drawn as the day-by-day calendar; longer ones get the long-range views. */
export const CALENDAR_MAX_DAYS = 62;

/** Days in an inclusive range. */
export function rangeDays(r: DateRange): number {
  return Math.round((Date.parse(`${r.to}T00:00:00Z`) - Date.parse(`${r.from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** The range a preset stands for within `bounds` (the archive's first and last dates). */
export function presetRange(preset: RangePreset, bounds: DateRange, custom?: DateRange): DateRange {
  const clamp = (from: string): DateRange => ({ from: from < bounds.from ? bounds.from : from, to: bounds.to });
  switch (preset) {
    case 'weeks4':
      return clamp(addDays(bounds.to, -27));
    case 'year':
      return clamp(addDays(bounds.to, -364));
    case 'all':
      return { ...bounds };
    case 'custom': {
      if (custom === undefined) return clamp(addDays(bounds.to, -27));
      const from = custom.from < bounds.from || custom.from > bounds.to ? bounds.from : custom.from;
      const to = custom.to > bounds.to || custom.to < from ? bounds.to : custom.to;
      return { from, to };
    }
  }
}

/** The key under which the picker remembers the last choice. */
export const RANGE_STORAGE_KEY = 'nezame.archive.range';

/** The remembered choice: a preset, with its dates when custom. */
export interface RangeChoice {
  preset: RangePreset;
  custom?: DateRange;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Reads the remembered choice; anything unreadable is the default, the last 4 weeks. */
export function loadRangeChoice(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): RangeChoice {
  try {
    const v = JSON.parse(storage?.getItem(RANGE_STORAGE_KEY) ?? 'null') as Partial<RangeChoice> | null;
    if (v === null || !PRESETS.includes(v.preset as RangePreset)) return { preset: 'weeks4' };
    const c = v.custom;
    if (v.preset === 'custom' && c !== undefined && DATE.test(String(c.from)) && DATE.test(String(c.to))) {
      return { preset: 'custom', custom: { from: c.from, to: c.to } };
    }
    return { preset: v.preset === 'custom' ? 'weeks4' : (v.preset as RangePreset) };
  } catch {
    return { preset: 'weeks4' };
  }
}

export function saveRangeChoice(choice: RangeChoice, storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(RANGE_STORAGE_KEY, JSON.stringify(choice));
  } catch {
    // Private mode or a full quota: the choice is simply not remembered.
  }
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

/** One month of the range and the posts in it: the indexes [lo, hi) of the sorted times. */
export interface MonthSlice {
  month: string; // YYYY-MM
  lo: number;
  hi: number;
}

/** The months from `from` to `to` (YYYY-MM-DD, inclusive) and their posts in sorted `times`. */
export function monthSlices(times: Float64Array, from: string, to: string, tz: string): MonthSlice[] {
  const offsetAt = zoneOffsetFn(tz) ?? (() => 0);
  const out: MonthSlice[] = [];
  let [y, m] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  const last = to.slice(0, 7);
  let lo = lowerBound(times, localMidnight(from, offsetAt) ?? -Infinity);
  const end = lowerBound(times, (localMidnight(nextDate(to), offsetAt) ?? Infinity));
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month > last) break;
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
    const next = `${y}-${String(m).padStart(2, '0')}`;
    const hi = next > last ? end : lowerBound(times, localMidnight(`${next}-01`, offsetAt) ?? Infinity);
    out.push({ month, lo, hi });
    lo = hi;
  }
  return out;
}
