import { useMemo, useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';
import type { Analysis } from '../../api/types';
import { useMediaQuery } from '../../hooks/useMediaQuery';
import { useI18n } from '../../i18n/useI18n';
import { clockInZone, dayLines, longDate } from './describe';
import { dateInZone, layoutAnalysis, nowOffset, type DayColumn } from './geometry';

/** More dates than this are drawn as rows whatever the width. */
export const MAX_COLUMNS = 45;
/**
 * The narrowest a date column may be: each date is a touch target of at least 24 px (WCAG 2.2
 * target size) plus the 2 px between columns. Narrower screens get the rotated layout.
 */
const MIN_COLUMN_PX = 26;
/** Room taken beside the columns: the hour axis, the card's and the page's padding. */
const CHROME_PX = 48 + 96;

const HOURS = [0, 3, 6, 9, 12, 15, 18, 21, 24];

/** Below this width the calendar is drawn as rows (one per date) for `n` dates. */
export function narrowQuery(n: number): string {
  return `(max-width: ${n * MIN_COLUMN_PX + CHROME_PX}px)`;
}

/** "Oct" / "10月" for a YYYY-MM-DD date. */
function monthName(lang: string, date: string): string {
  const ms = Date.parse(`${date.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(ms)) return '';
  return new Intl.DateTimeFormat(lang, { month: 'short', timeZone: 'UTC' }).format(ms);
}

/** Keys that move between dates, and by how many. */
function step(key: string, count: number, at: number): number | null {
  switch (key) {
    case 'ArrowLeft':
    case 'ArrowUp':
      return Math.max(0, at - 1);
    case 'ArrowRight':
    case 'ArrowDown':
      return Math.min(count - 1, at + 1);
    case 'PageUp':
      return Math.max(0, at - 7);
    case 'PageDown':
      return Math.min(count - 1, at + 7);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

/**
 * The calendar: one column per local date (oldest left) with 24 hours top to bottom, or one
 * row per date when the screen is too narrow for columns of 24 px. It draws awake periods,
 * sleeps (paler when less sure; naps narrower), stretches with no data (hatched, never as
 * sleep), single posts as ticks and a line at "now"; a change of time zone is marked above
 * its date ("+8h").
 *
 * It is one tab stop: a grid whose dates are cells with a roving tabindex; arrow keys,
 * Page Up/Down (a week) and Home/End move between dates. A date's cell says in words what it
 * shows, and focus or hover shows the same details beside it.
 */
export function Calendar({
  analysis,
  now,
  idPrefix = 'cal',
  posts,
}: {
  analysis: Analysis;
  now: Date;
  idPrefix?: string;
  /** The post instants (Unix ms) when the caller has them (an archive), for exact single posts. */
  posts?: ArrayLike<number>;
}) {
  const { t, lang } = useI18n();
  const today = dateInZone(now, analysis.timezone);
  // The layout depends on the clock only through which date is today.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const columns = useMemo(() => layoutAnalysis(analysis, now, posts), [analysis, today, posts]);
  const tooNarrow = useMediaQuery(narrowQuery(columns.length));
  const rows = tooNarrow || columns.length > MAX_COLUMNS;
  const todayIndex = columns.findIndex((c) => c.today);
  // Room for the marks of time-zone changes above the dates, only when there are any.
  const zones = columns.some((c) => c.zoneChanges.length > 0);
  const [focusIndex, setFocusIndex] = useState(() => (todayIndex >= 0 ? todayIndex : columns.length - 1));
  const [shown, setShown] = useState<number | null>(null);
  const cells = useRef<(HTMLDivElement | null)[]>([]);
  const tabStop = Math.min(Math.max(0, focusIndex), columns.length - 1);
  const nowMs = now.getTime();
  const nowText = { ms: nowMs, clock: clockInZone(nowMs, analysis.timezone) };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      setShown(null);
      return;
    }
    const next = step(e.key, columns.length, tabStop);
    if (next === null) return;
    e.preventDefault();
    setFocusIndex(next);
    cells.current[next]?.focus();
  };

  const cell = (col: DayColumn, i: number) => {
    const title = col.today ? `${longDate(lang, col.date)}, ${t.today}` : longDate(lang, col.date);
    const label = t.sentences([title, ...dayLines(t, col, { full: false, first: i === 0, now: col.today ? nowText : undefined })]);
    return (
      <DayCell
        key={col.date}
        col={col}
        index={i}
        first={i === 0}
        flip={i > columns.length / 2}
        tabbable={i === tabStop}
        label={label}
        details={shown === i ? dayLines(t, col, { full: true, first: true, now: col.today ? nowText : undefined }) : null}
        detailsTitle={longDate(lang, col.date)}
        nowAt={col.today ? nowOffset(col, nowMs) : null}
        idPrefix={idPrefix}
        cellRef={(el) => {
          cells.current[i] = el;
        }}
        onShow={() => setShown(i)}
        onHide={() => setShown((s) => (s === i ? null : s))}
        onFocusCell={() => {
          setFocusIndex(i);
          setShown(i);
        }}
      />
    );
  };

  return (
    <div className={['cal', rows ? 'cal--rows' : '', zones ? 'cal--zones' : ''].filter(Boolean).join(' ')} data-layout={rows ? 'rows' : 'columns'}>
      <div className="cal-axis" aria-hidden="true">
        <div className="cal-date" />
        <div className="cal-track cal-track--axis">
          {HOURS.map((h) => (
            <span key={h} className={`cal-hour${h % 6 === 0 ? '' : ' cal-hour--minor'}`} style={{ '--o': h / 24 } as CSSProperties}>
              {t.hourLabel(h)}
            </span>
          ))}
        </div>
      </div>
      <div className="cal-grid" role="grid" aria-label={t.calendarLabel} onKeyDown={onKeyDown}>
        {rows ? (
          columns.map((col, i) => (
            <div role="row" className="cal-row" key={col.date}>
              {cell(col, i)}
            </div>
          ))
        ) : (
          <div role="row" className="cal-row">
            {columns.map(cell)}
          </div>
        )}
      </div>
    </div>
  );
}

function DayCell({
  col,
  first,
  flip,
  tabbable,
  label,
  details,
  detailsTitle,
  nowAt,
  idPrefix,
  cellRef,
  onShow,
  onHide,
  onFocusCell,
}: {
  col: DayColumn;
  index: number;
  first: boolean;
  flip: boolean;
  tabbable: boolean;
  label: string;
  details: string[] | null;
  detailsTitle: string;
  nowAt: number | null;
  idPrefix: string;
  cellRef: (el: HTMLDivElement | null) => void;
  onShow: () => void;
  onHide: () => void;
  onFocusCell: () => void;
}) {
  const { t, lang } = useI18n();
  const day = Number(col.date.slice(8, 10));
  const month = first || day === 1 ? monthName(lang, col.date) : '';
  const classes = ['cal-day', col.weekend ? 'cal-day--weekend' : '', col.today ? 'cal-day--today' : '', col.zoneChanges.length > 0 ? 'cal-day--zone' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div
      ref={cellRef}
      role="gridcell"
      id={`${idPrefix}-${col.date}`}
      className={classes}
      data-date={col.date}
      tabIndex={tabbable ? 0 : -1}
      onFocus={onFocusCell}
      onBlur={onHide}
      onMouseEnter={onShow}
      onMouseLeave={onHide}
    >
      <div className="cal-date" aria-hidden="true">
        {/* A change of time zone is marked above the date, never over the hours: it hides no sleep or gap. */}
        {col.zoneChanges.map((z) => (
          <span key={z.ms} className="cal-date-zone" data-testid="zone-mark" title={t.zoneMarkTitle(z.hours)}>
            {t.zoneMark(z.hours)}
          </span>
        ))}
        <span className="cal-date-month">{month}</span>
        <span className="cal-date-num">{day}</span>
        <span className="cal-date-wd">{t.weekdays[col.weekday]}</span>
      </div>
      <div className="cal-track" aria-hidden="true">
        {col.segments.map((s, j) => (
          <span
            key={j}
            className={`cal-seg cal-seg--${s.kind}`}
            data-testid={`${s.kind}-bar`}
            data-reason={s.reason}
            style={{ '--o': s.offset, '--l': s.length, '--c': s.confidence ?? 1 } as CSSProperties}
          />
        ))}
        {col.ticks.map((k) => (
          <span key={k.ms} className="cal-tick" data-testid="post-tick" style={{ '--o': k.offset } as CSSProperties} />
        ))}
        {nowAt !== null && <span className="cal-now" data-testid="now-line" style={{ '--o': nowAt } as CSSProperties} />}
      </div>
      <span className="visually-hidden">{label}</span>
      {details && (
        <div className={`cal-tip${flip ? ' cal-tip--flip' : ''}`} data-testid="day-details" aria-hidden="true">
          <strong>{detailsTitle}</strong>
          <ul>
            {details.map((line, k) => (
              <li key={k}>{line}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
