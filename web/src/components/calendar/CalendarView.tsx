import type { Analysis } from '../../api/types';
import { useI18n } from '../../i18n/useI18n';
import { shortDate } from './format';
import { Calendar } from './Calendar';
import { StatsPanel } from './StatsPanel';

/** The calendar with its caption, legend and statistics for one analysis. */
export function CalendarView({
  analysis,
  now,
  heading,
  statsHeading,
  idPrefix,
}: {
  analysis: Analysis;
  now: Date;
  heading: string;
  /** Defaults to "Your rhythm"; the landing page's made-up sample says whose it is. */
  statsHeading?: string;
  idPrefix?: string;
}) {
  const { t } = useI18n();
  const days = analysis.days ?? [];
  const first = days[0]?.date ?? analysis.from.slice(0, 10);
  const last = days[days.length - 1]?.date ?? analysis.to.slice(0, 10);
  return (
    <div className="calendar-view">
      <section className="calendar-card" aria-labelledby={`${idPrefix ?? 'cal'}-heading`}>
        <h2 id={`${idPrefix ?? 'cal'}-heading`}>{heading}</h2>
        <p className="muted">
          {t.calendarCaption(shortDate(first), shortDate(last), analysis.timezone)} · {t.postsAnalysed(analysis.postCount)}
        </p>
        <Calendar analysis={analysis} now={now} idPrefix={idPrefix} />
        <ul className="legend" aria-hidden="true">
          <li>
            <span className="swatch swatch--awake" /> {t.awake}
          </li>
          <li>
            <span className="swatch swatch--asleep" /> {t.asleep}
          </li>
        </ul>
      </section>
      <StatsPanel stats={analysis.stats} heading={statsHeading} idPrefix={`${idPrefix ?? 'cal'}-stats`} />
    </div>
  );
}
