import type { ReactNode } from 'react';
import type { Analysis } from '../../api/types';
import { useI18n } from '../../i18n/useI18n';
import { Calendar } from './Calendar';
import { gapNotes } from './describe';
import { shortDate } from './format';
import { zoneChangesOf } from './geometry';
import { Legend } from './Legend';
import { StatsPanel } from './StatsPanel';
import { ZoneChanges } from './ZoneChanges';

/** How many no-data notes are listed before "and N more". */
const MAX_NOTES = 4;

/**
 * The calendar with its caption, legend, notes on missing data and statistics for one
 * analysis. `zone` (a time zone control) sits under the caption; `between` (e.g. sharing) sits
 * between the calendar and the statistics, so on a phone it is not below eight cards.
 */
export function CalendarView({
  analysis,
  now,
  heading,
  statsHeading,
  idPrefix = 'cal',
  zone,
  between,
  posts,
}: {
  analysis: Analysis;
  now: Date;
  heading: string;
  /** Defaults to "Your rhythm"; the landing page's made-up sample says whose it is. */
  statsHeading?: string;
  idPrefix?: string;
  zone?: ReactNode;
  between?: ReactNode;
  /** The post instants (Unix ms) when the caller has them (an archive): single posts are then exact. */
  posts?: ArrayLike<number>;
}) {
  const { t, lang } = useI18n();
  const days = analysis.days ?? [];
  const first = days[0]?.date ?? analysis.from.slice(0, 10);
  const last = days[days.length - 1]?.date ?? analysis.to.slice(0, 10);
  const notes = gapNotes(t, lang, analysis);
  return (
    <div className="calendar-view">
      <section className="calendar-card" aria-labelledby={`${idPrefix}-heading`}>
        <h2 id={`${idPrefix}-heading`}>{heading}</h2>
        <p className="muted">
          {t.calendarCaption(shortDate(first), shortDate(last), analysis.timezone)} · {t.postsAnalysed(analysis.postCount)} ·{' '}
          {t.nightsWithEvidence(analysis.stats?.nights ?? 0)}
        </p>
        {zone}
        <ZoneChanges analysis={analysis} idPrefix={idPrefix} />
        <Calendar analysis={analysis} now={now} idPrefix={idPrefix} posts={posts} />
        <Legend idPrefix={idPrefix} />
        {notes.length > 0 && (
          <div className="cal-notes" data-testid="gap-notes">
            <h3>{t.notesHeading}</h3>
            <ul>
              {notes.slice(0, MAX_NOTES).map((n, i) => (
                <li key={i}>{n}</li>
              ))}
              {notes.length > MAX_NOTES && <li>{t.moreNotes(notes.length - MAX_NOTES)}</li>}
            </ul>
          </div>
        )}
        {analysis.method && <p className="muted cal-method">{t.method(analysis.method)}</p>}
      </section>
      {between}
      <StatsPanel
        stats={analysis.stats}
        heading={statsHeading}
        idPrefix={`${idPrefix}-stats`}
        dayCount={days.length}
        zoneChanged={zoneChangesOf(analysis).length > 0}
      />
    </div>
  );
}
