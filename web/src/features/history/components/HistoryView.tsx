import { useMemo } from 'react';
import type { Analysis } from '../../../api/types';
import { ProgressBar } from '../../../components/ProgressBar';
import { useI18n } from '../../../i18n/useI18n';
import { StatsPanel } from '../../../components/calendar/StatsPanel';
import { ZoneChanges } from '../../../components/calendar/ZoneChanges';
import { zoneChangesOf } from '../../../components/calendar/geometry';
import { actogramRows } from '../actogram';
import { dateWithYear } from '../../../components/dates';
import type { MonthTrend } from '../trends';
import { Actogram } from './Actogram';
import { MonthlyTrends } from './MonthlyTrends';
import '../history.css';

/**
 * The long-range views of one analysis: the double-plotted actogram, the statistics of the
 * whole range, and the month-by-month trends (null while they are being computed).
 */
export function HistoryView({ analysis, trends }: { analysis: Analysis; trends: MonthTrend[] | null }) {
  const { t, lang } = useI18n();
  const rows = useMemo(() => actogramRows(analysis), [analysis]);
  const first = rows.dates[0] ?? analysis.from.slice(0, 10);
  const last = rows.dates[rows.dates.length - 1] ?? first;
  const caption = `${t.calendarCaption(dateWithYear(first, lang), dateWithYear(last, lang), analysis.timezone)} · ${t.postsAnalysed(analysis.postCount)}`;
  return (
    <div className="history" data-testid="history">
      <Actogram rows={rows} heading={t.actogramHeading} caption={caption} />
      <ZoneChanges analysis={analysis} idPrefix="history" withYear />
      <StatsPanel stats={analysis.stats} idPrefix="history-stats" dayCount={rows.dates.length} zoneChanged={zoneChangesOf(analysis).length > 0} />
      {trends === null ? <ProgressBar label={t.trendsComputing} /> : <MonthlyTrends trends={trends} />}
    </div>
  );
}
