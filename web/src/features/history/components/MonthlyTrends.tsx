import { useLayoutEffect, useRef, useState } from 'react';
import type { Messages } from '../../../i18n/catalogue';
import { useI18n } from '../../../i18n/useI18n';
import { clock, monthWithYear } from '../../../components/dates';
import { nightMinutes, type MonthTrend } from '../trends';

const H = 150;

/** The element's width in CSS pixels, kept up to date, so charts draw at their real size. */
function useWidth(fallback: number) {
  const ref = useRef<HTMLElement>(null);
  const [width, setWidth] = useState(fallback);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = () => setWidth(el.clientWidth || fallback);
    update();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(update);
    ro.observe(el);
    return () => ro.disconnect();
  }, [fallback]);
  return [ref, width] as const;
}
const PAD = { left: 52, right: 12, top: 10, bottom: 24 };

interface Series {
  label: string;
  className: string;
  values: (number | null)[];
}

/** A line chart over the months; a month without enough data breaks the line. */
function Chart({
  title,
  months,
  series,
  domain,
  ticks,
  format,
  testId,
}: {
  title: string;
  months: string[];
  series: Series[];
  domain: [number, number];
  ticks: number[];
  format: (v: number) => string;
  testId: string;
}) {
  const { lang } = useI18n();
  const [ref, W] = useWidth(720);
  const x = (i: number) => PAD.left + (months.length <= 1 ? 0.5 : i / (months.length - 1)) * (W - PAD.left - PAD.right);
  const y = (v: number) => PAD.top + (1 - (v - domain[0]) / (domain[1] - domain[0] || 1)) * (H - PAD.top - PAD.bottom);
  // The first month is named with its year; then each January, where there is room.
  const years = months.map((m, i) => [m, i] as const).filter(([m], i) => i === 0 || (m.endsWith('-01') && x(i) - x(0) > 70));
  return (
    <figure className="trend" data-testid={testId} ref={ref}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={title}>
        {ticks.map((v) => (
          <g key={v}>
            <line className="trend-grid" x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} />
            <text className="trend-tick" x={PAD.left - 6} y={y(v)} textAnchor="end" dominantBaseline="middle">
              {format(v)}
            </text>
          </g>
        ))}
        {years.map(([m, i]) => (
          <text key={m} className="trend-tick" x={x(i)} y={H - 6} textAnchor={i === 0 ? 'start' : 'middle'}>
            {i === 0 ? monthWithYear(m, lang) : m.slice(0, 4)}
          </text>
        ))}
        {series.map((s) => {
          // One path per run of months with values.
          let d = '';
          s.values.forEach((v, i) => {
            if (v === null) return;
            d += `${i === 0 || s.values[i - 1] === null ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
          });
          return (
            <g key={s.label} className={s.className}>
              <path d={d} fill="none" />
              {s.values.map((v, i) => (v === null ? null : <circle key={months[i]} cx={x(i)} cy={y(v)} r={months.length > 60 ? 1.5 : 3} />))}
            </g>
          );
        })}
      </svg>
      {series.length > 1 && (
        <ul className="legend">
          {series.map((s) => (
            <li key={s.label}>
              <span className={`swatch ${s.className}`} /> {s.label}
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}

function extent(values: (number | null)[], pad: number, min: number, max: number, step: number): [number, number] {
  const v = values.filter((x): x is number => x !== null);
  if (v.length === 0) return [min, max];
  const lo = Math.max(min, Math.floor((Math.min(...v) - pad) / step) * step);
  const hi = Math.min(max, Math.ceil((Math.max(...v) + pad) / step) * step);
  return hi > lo ? [lo, hi] : [lo, lo + step];
}

function range(lo: number, hi: number, step: number): number[] {
  const out: number[] = [];
  for (let v = lo; v <= hi; v += step) out.push(v);
  return out;
}

function table(t: Messages, lang: Parameters<typeof monthWithYear>[1], trends: MonthTrend[]) {
  const dash = (v: string | null) => v ?? '–';
  return (
    <table className="trend-table" data-testid="trends-table">
      <thead>
        <tr>
          <th scope="col">{t.trendMonth}</th>
          <th scope="col">{t.trendBed}</th>
          <th scope="col">{t.trendWake}</th>
          <th scope="col">{t.trendSleep}</th>
          <th scope="col">{t.trendRegularity}</th>
          <th scope="col">{t.trendPosts}</th>
        </tr>
      </thead>
      <tbody>
        {trends.map((m) => (
          <tr key={m.month}>
            <th scope="row">{monthWithYear(m.month, lang)}</th>
            <td>{dash(m.stats.bedTime)}</td>
            <td>{dash(m.stats.wakeTime)}</td>
            <td>{dash(m.stats.sleepHours === null ? null : t.hoursShort(m.stats.sleepHours.toFixed(1)))}</td>
            <td>{dash(m.stats.sri === null ? null : m.stats.sri.toFixed(0))}</td>
            <td>{m.posts.toLocaleString(lang)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Bedtime, wake time, sleep length and regularity, month by month: each month's figures are
 * the analyzer's own statistics for that month's posts, so they mean what the headline
 * statistics mean. A table holds the same numbers for screen readers and for reading off.
 */
export function MonthlyTrends({ trends }: { trends: MonthTrend[] }) {
  const { t, lang } = useI18n();
  const [showTable, setShowTable] = useState(false);
  const months = trends.map((m) => m.month);
  const bed = trends.map((m) => nightMinutes(m.stats.bedTime));
  const wake = trends.map((m) => nightMinutes(m.stats.wakeTime));
  const sleep = trends.map((m) => m.stats.sleepHours);
  const sri = trends.map((m) => m.stats.sri);
  const timing = extent([...bed, ...wake], 30, 0, 1440, 120);
  const hours = extent(sleep, 0.5, 0, 24, 2);
  const reg = extent(sri, 5, -100, 100, 20);
  return (
    <section className="trends" aria-labelledby="trends-heading" data-testid="trends">
      <h2 id="trends-heading">{t.trendsHeading}</h2>
      <p className="muted">{t.trendsCaption}</p>
      <Chart
        title={t.trendTiming}
        testId="trend-timing"
        months={months}
        domain={timing}
        ticks={range(timing[0], timing[1], timing[1] - timing[0] > 600 ? 240 : 120)}
        format={(v) => clock(v + 720)}
        series={[
          { label: t.trendBed, className: 'trend-bed', values: bed },
          { label: t.trendWake, className: 'trend-wake', values: wake },
        ]}
      />
      <Chart title={t.trendSleep} testId="trend-sleep" months={months} domain={hours} ticks={range(hours[0], hours[1], 2)} format={(v) => t.hoursShort(String(v))} series={[{ label: t.trendSleep, className: 'trend-sleep', values: sleep }]} />
      <Chart title={t.trendRegularity} testId="trend-sri" months={months} domain={reg} ticks={range(reg[0], reg[1], reg[1] - reg[0] > 80 ? 40 : 20)} format={(v) => String(v)} series={[{ label: t.trendRegularity, className: 'trend-sri', values: sri }]} />
      <button type="button" className="button button--quiet" aria-expanded={showTable} onClick={() => setShowTable((s) => !s)}>
        {showTable ? t.trendHideTable : t.trendShowTable}
      </button>
      {showTable && table(t, lang, trends)}
    </section>
  );
}
