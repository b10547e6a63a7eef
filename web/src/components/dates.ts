// Dates with their year, for ranges that span years (shared by the archive and the long-range views) ("Nov 29, 2016", "2016年11月29日").
import type { Lang } from '../i18n/catalogue';

const formats = new Map<string, Intl.DateTimeFormat>();

function format(lang: Lang, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = lang + JSON.stringify(opts);
  let f = formats.get(key);
  if (f === undefined) {
    f = new Intl.DateTimeFormat(lang, { ...opts, timeZone: 'UTC' });
    formats.set(key, f);
  }
  return f;
}

const utc = (date: string) => Date.parse(`${date.slice(0, 10)}T00:00:00Z`);

/** A YYYY-MM-DD date with its year: "Nov 29, 2016" / "2016年11月29日". */
export function dateWithYear(date: string, lang: Lang): string {
  const ms = utc(date);
  return Number.isNaN(ms) ? date : format(lang, { year: 'numeric', month: 'short', day: 'numeric' }).format(ms);
}

/** With the weekday: "Tue, Mar 5, 2024" / "2024年3月5日(火)". */
export function weekdayDateWithYear(date: string, lang: Lang): string {
  const ms = utc(date);
  return Number.isNaN(ms) ? date : format(lang, { year: 'numeric', month: 'short', day: 'numeric', weekday: 'short' }).format(ms);
}

/** With the weekday, without the year (a date among a few weeks): "Thu, Nov 12" / "11月12日(木)". */
export function weekdayDate(date: string, lang: Lang): string {
  const ms = utc(date);
  return Number.isNaN(ms) ? date : format(lang, { month: 'short', day: 'numeric', weekday: 'short' }).format(ms);
}

/** A YYYY-MM month: "Mar 2024" / "2024年3月". */
export function monthWithYear(month: string, lang: Lang): string {
  const ms = utc(`${month}-01`);
  return Number.isNaN(ms) ? month : format(lang, { year: 'numeric', month: 'short' }).format(ms);
}

/** Minutes after midnight as HH:MM (wrapping past 24 h). */
export function clock(minutes: number): string {
  const m = ((Math.round(minutes) % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}
