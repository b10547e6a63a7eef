// The calendar in words: what each date shows, for screen readers and the details shown on
// focus or hover, and the notes that say why stretches have no data. Pure functions of the
// layout and the catalogue.

import type { Analysis, Gap } from '../../api/types';
import type { Lang, Messages } from '../../i18n/catalogue';
import { weekdayDate, weekdayDateWithYear } from '../dates';
import { shortDateTime } from './format';
import { clockOf, dateOf, zoneChangesOf, type DayColumn, type Segment } from './geometry';

/** "HH:MM" when the instant is on `date`, else "M/D HH:MM". */
export function timeOn(date: string, rfc3339: string): string {
  return dateOf(rfc3339) === date ? clockOf(rfc3339) : shortDateTime(rfc3339);
}

/** A length of time from ms, rounded to the minute, in words ("7 h 30 min"). */
export function durationText(t: Messages, ms: number): string {
  const total = Math.max(0, Math.round(ms / 60_000));
  return t.duration(Math.floor(total / 60), total % 60);
}

function confidenceText(t: Messages, c: number | undefined): string {
  const v = typeof c === 'number' && Number.isFinite(c) ? Math.min(1, Math.max(0, c)) : 1;
  return t.confidence(Math.round(v * 100));
}

/** The full description of one segment's item (its whole span, even beyond this date). */
function fullLine(t: Messages, date: string, s: Segment): string {
  const from = timeOn(date, s.start);
  const to = timeOn(date, s.end);
  const length = durationText(t, s.endMs - s.startMs);
  switch (s.kind) {
    case 'awake':
      return t.dayLine.awake(from, to, t.periodPosts(s.posts ?? 0));
    case 'sleep':
      return t.dayLine.night(from, to, length, confidenceText(t, s.confidence));
    case 'nap':
      return t.dayLine.nap(from, to, length, confidenceText(t, s.confidence));
    case 'gap':
      return t.dayLine.gap(from, to, t.gapReason[s.reason ?? 'absence']);
    case 'future':
      return t.dayLine.future(from);
  }
}

/** The short line for an item that began the day before and was described there. */
function continuationLine(t: Messages, date: string, s: Segment): string {
  const to = timeOn(date, s.end);
  switch (s.kind) {
    case 'awake':
      return t.dayLine.awakeCont(to);
    case 'sleep':
    case 'nap':
      return t.dayLine.sleepCont(to);
    case 'gap':
    case 'future':
      return t.dayLine.gapCont(to);
  }
}

/**
 * What one date shows, in time order. With `full`, every item touching the date is described
 * whole (the details on hover or focus). Without it (what a screen reader hears, one date at a
 * time), an item is described whole on the date it begins, and a date it continues into says
 * only until when, so a night or a period crossing midnight is announced once. The first date
 * describes whole what began before the calendar.
 */
export function dayLines(
  t: Messages,
  col: DayColumn,
  opts: { full: boolean; first: boolean; now?: { ms: number; clock: string } },
): string[] {
  const entries: { at: number; text: string }[] = [];
  for (const s of col.segments) {
    const whole = opts.full || opts.first || !s.continued;
    entries.push({ at: s.continued ? col.startMs : s.startMs, text: whole ? fullLine(t, col.date, s) : continuationLine(t, col.date, s) });
  }
  for (const k of col.ticks) entries.push({ at: k.ms, text: t.dayLine.tick(clockOf(k.at)) });
  for (const z of col.zoneChanges) entries.push({ at: z.ms, text: t.dayLine.zoneChange(clockOf(z.at), z.hours) });
  const now = opts.now;
  if (now !== undefined && now.ms >= col.startMs && now.ms < col.endMs) entries.push({ at: now.ms, text: t.dayLine.now(now.clock) });
  entries.sort((a, b) => a.at - b.at);
  const lines = entries.map((e) => e.text);
  return lines.length > 0 ? lines : [t.dayLine.nothing];
}

/** A long date in the page's language ("Sunday, November 1"). */
export function longDate(lang: string, date: string): string {
  const ms = Date.parse(`${date}T12:00:00Z`);
  if (Number.isNaN(ms)) return date;
  return new Intl.DateTimeFormat(lang, { weekday: 'long', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(ms);
}

/** "HH:MM" of an instant in a zone (UTC if the browser does not know the zone). */
export function clockInZone(ms: number, timeZone: string): string {
  const fmt = (tz: string) => new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: tz }).format(ms);
  try {
    return fmt(timeZone);
  } catch {
    return fmt('UTC');
  }
}

/** An instant as "Nov 9, 14:02" in the analysis zone (M/D HH:MM if the browser does not know it). */
export function instantText(lang: string, timeZone: string, rfc3339: string): string {
  const ms = Date.parse(rfc3339);
  if (Number.isNaN(ms)) return rfc3339;
  try {
    return new Intl.DateTimeFormat(lang, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(ms);
  } catch {
    return shortDateTime(rfc3339);
  }
}

/** Sentences saying why each stretch without data has none (the future needs no note). */
export function gapNotes(t: Messages, lang: string, a: Analysis): string[] {
  const notes: string[] = [];
  for (const g of a.gaps ?? ([] as Gap[])) {
    const at = (s: string) => instantText(lang, a.timezone, s);
    switch (g.reason) {
      case 'api_limit':
        notes.push(t.gapNote.api_limit(at(g.end)));
        break;
      case 'before_first_post':
        notes.push(t.gapNote.before_first_post(at(g.end)));
        break;
      case 'absence':
        notes.push(t.gapNote.absence(at(g.start), at(g.end), durationText(t, Date.parse(g.end) - Date.parse(g.start))));
        break;
      default:
        break;
    }
  }
  return notes;
}


/**
 * A sentence per change of time zone, oldest first: from which date (in the analysis zone; with
 * its year when the range spans years) the person's days run how much later or earlier, and
 * which way they likely went. A change that brings them back to the clock they started on says
 * so rather than naming a new trip.
 */
export function zoneChangeNotes(t: Messages, lang: Lang, a: Analysis, withYear = false): string[] {
  return zoneChangesOf(a).map((z, i) => t.zoneChange(withYear ? weekdayDateWithYear(z.date, lang) : weekdayDate(z.date, lang), z.hours, a.timezone, i > 0 && z.total === 0));
}
