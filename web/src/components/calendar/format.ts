// Formatting helpers for the calendar and stats; they never print "null" or "NaN".

import { clockOf, dateOf } from './geometry';

/** "M/D" for a YYYY-MM-DD date, understood in both languages. */
export function shortDate(date: string): string {
  const m = /^\d{4}-(\d{2})-(\d{2})/.exec(date);
  return m === null ? date : `${Number(m[1])}/${Number(m[2])}`;
}

/** "M/D HH:MM" of an RFC 3339 string, in its own (the analysis) zone. */
export function shortDateTime(rfc3339: string): string {
  return `${shortDate(dateOf(rfc3339))} ${clockOf(rfc3339)}`;
}

/** A number with one decimal, or null when it is not a finite number. */
export function oneDecimal(v: number | null | undefined): string | null {
  if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  return (Math.round(v * 10) / 10).toFixed(1);
}

/** A rounded whole number, or null when it is not finite. */
export function whole(v: number | null | undefined): number | null {
  if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  return Math.round(v);
}
