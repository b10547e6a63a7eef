import { useMemo, useState, type CSSProperties } from 'react';
import type { Analysis } from '../../api/types';
import { useI18n } from '../../i18n/useI18n';
import { shortDate, shortDateTime } from './format';
import { layoutAnalysis, type Bar, type DayColumn } from './geometry';
import { useMediaQuery } from '../../hooks/useMediaQuery';

const HOURS = [0, 3, 6, 9, 12, 15, 18, 21, 24];
/** Below this width the calendar is rotated (rows per date). */
export const NARROW = '(max-width: 639px)';
/** More dates than this are drawn as rows whatever the width. */
export const MAX_COLUMNS = 45;

/** "Oct" / "10月" for a YYYY-MM-DD date. */
function monthName(lang: string, date: string): string {
  const ms = Date.parse(`${date.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(ms)) return '';
  return new Intl.DateTimeFormat(lang, { month: 'short', timeZone: 'UTC' }).format(ms);
}

function barRange(bar: Bar): { start: string; end: string; posts?: number } {
  const src = bar.period ?? bar.interval;
  return { start: shortDateTime(src.start), end: shortDateTime(src.end), posts: bar.period?.posts };
}

/**
 * The awake calendar: one column per local date (oldest left) with 24 hours top to bottom;
 * below 640 px wide the stylesheet rotates it to one row per date with hours left to right.
 * Each bar is a button so hover, tap and keyboard focus all reveal its exact times.
 */
export function Calendar({ analysis, now, idPrefix = 'cal' }: { analysis: Analysis; now: Date; idPrefix?: string }) {
  const { t } = useI18n();
  const columns = useMemo(() => layoutAnalysis(analysis, now), [analysis, now]);
  const [active, setActive] = useState<string | null>(null);
  const narrow = useMediaQuery(NARROW);
  // Past ~two months, columns get too thin to read, so long ranges use rows at every width.
  const rows = narrow || columns.length > MAX_COLUMNS;

  return (
    <div className={rows ? 'cal cal--rows' : 'cal'} role="group" aria-label={t.calendarLabel} data-layout={rows ? 'rows' : 'columns'}>
      <div className="cal-day cal-axis" aria-hidden="true">
        <div className="cal-date" />
        <div className="cal-track cal-track--axis">
          {HOURS.map((h) => (
            <span key={h} className={`cal-hour${h % 6 === 0 ? '' : ' cal-hour--minor'}`} style={{ '--o': h / 24 } as CSSProperties}>
              {t.hourLabel(h)}
            </span>
          ))}
        </div>
      </div>
      {columns.map((col, i) => (
        <DayView
          key={col.date}
          col={col}
          first={i === 0}
          flip={i > columns.length / 2}
          active={active}
          setActive={setActive}
          idPrefix={idPrefix}
        />
      ))}
    </div>
  );
}

function DayView({
  col,
  first,
  flip,
  active,
  setActive,
  idPrefix,
}: {
  col: DayColumn;
  first: boolean;
  flip: boolean;
  active: string | null;
  setActive: (id: string | null) => void;
  idPrefix: string;
}) {
  const { t, lang } = useI18n();
  const day = Number(col.date.slice(8, 10));
  const month = first || day === 1 ? monthName(lang, col.date) : '';
  const classes = ['cal-day', col.weekend ? 'cal-day--weekend' : '', col.today ? 'cal-day--today' : ''].filter(Boolean).join(' ');
  return (
    <div className={classes} data-date={col.date}>
      <div className="cal-date">
        <span className="cal-date-month">{month}</span>
        <span className="cal-date-num" aria-label={shortDate(col.date)}>
          {day}
        </span>
        <span className="cal-date-wd">{t.weekdays[col.weekday]}</span>
        {col.today && <span className="cal-today">{t.today}</span>}
      </div>
      <div className="cal-track">
        {col.bars.map((bar, j) => {
          const id = `${idPrefix}-${col.date}-${j}`;
          const r = barRange(bar);
          const label = t.barLabel(r.start, r.end) + (r.posts === undefined ? '' : ` · ${t.periodPosts(r.posts)}`);
          const shown = active === id;
          const style = { '--o': bar.offset, '--l': bar.length } as CSSProperties;
          return (
            <span key={id} className="cal-bar-wrap" style={style}>
              <button
                type="button"
                className="cal-bar"
                data-testid="awake-bar"
                aria-label={label}
                aria-describedby={shown ? `${id}-tip` : undefined}
                onMouseEnter={() => setActive(id)}
                onMouseLeave={() => setActive(null)}
                onFocus={() => setActive(id)}
                onBlur={() => setActive(null)}
                onClick={() => setActive(id)}
                onKeyDown={(e) => {
                  if (e.key === 'Escape') setActive(null);
                }}
              />
              {shown && (
                <span role="tooltip" id={`${id}-tip`} className={`cal-tip${flip ? ' cal-tip--flip' : ''}`}>
                  <strong>{t.awake}</strong> {r.start} – {r.end}
                  {r.posts !== undefined && <span className="cal-tip-posts"> · {t.periodPosts(r.posts)}</span>}
                </span>
              )}
            </span>
          );
        })}
      </div>
    </div>
  );
}
