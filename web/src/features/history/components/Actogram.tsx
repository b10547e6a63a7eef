import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { Messages } from '../../../i18n/catalogue';
import { useI18n } from '../../../i18n/useI18n';
import type { ActogramRows, Segment } from '../actogram';
import { clock, monthWithYear, weekdayDateWithYear } from '../../../components/dates';

/** Row heights the zoom buttons step through (CSS pixels). */
const ROW_HEIGHTS = [2, 3, 4, 6, 8, 12, 16, 24];
/** The left gutter with the dates (narrower on a phone). */
const GUTTER = 88;
const GUTTER_NARROW = 56;
/** Below this frame width the gutter narrows and the axis is labelled every 12 hours. */
const NARROW = 480;
/**
 * The opacity of the least sure night (a sure one is opaque). Rows are too thin for an edge, so
 * the faintest fill itself must keep 3:1 against the background (WCAG 1.4.11).
 */
export const SLEEP_ALPHA_MIN = 0.6;
/** How much of the page the scrolling frame takes at most. */
const FRAME_HEIGHT = 560;

interface Palette {
  sleep: string;
  awake: string;
  gap: string;
  grid: string;
  text: string;
  bg: string;
  focus: string;
}

function palette(el: Element): Palette {
  const s = getComputedStyle(el);
  const v = (name: string, fallback: string) => s.getPropertyValue(name).trim() || fallback;
  return {
    sleep: v('--acto-sleep', '#2f3f8f'),
    awake: v('--acto-awake', '#b37d00'),
    gap: v('--acto-gap', '#6b7181'),
    grid: v('--acto-grid', '#d9dae0'),
    text: v('--acto-text', '#4f5461'),
    bg: v('--acto-bg', '#ffffff'),
    focus: v('--acto-focus', '#1d4ed8'),
  };
}

/** Diagonal stripes for "no data", as in the legend and on the calendar: never a solid like sleep. */
function hatchPattern(ctx: CanvasRenderingContext2D, line: string, bg: string): CanvasPattern | string {
  const tile = document.createElement('canvas');
  tile.width = tile.height = 6;
  const t = tile.getContext('2d');
  if (!t) return line;
  t.fillStyle = bg;
  t.fillRect(0, 0, 6, 6);
  t.strokeStyle = line;
  t.lineWidth = 2;
  t.beginPath();
  t.moveTo(-1, 7);
  t.lineTo(7, -1);
  t.stroke();
  return ctx.createPattern(tile, 'repeat') ?? line;
}

/** "asleep 01:10–08:20 (90% sure), no data 12:00–18:00" for one date; "" when nothing happened. */
export function describeDay(t: Messages, segs: Segment[]): string {
  const parts = segs
    .filter((s) => s.kind !== 'awake')
    .map((s) => {
      const span = `${clock(s.start)}–${s.end === 1440 ? '24:00' : clock(s.end)}`;
      return s.kind === 'sleep' ? t.actogramSleep(span, Math.round(s.confidence * 100)) : t.actogramNoData(span);
    });
  return parts.length === 0 ? t.actogramNoSleep : parts.join(', ');
}

/**
 * The double-plotted actogram: one row per day, 48 hours wide (the day, then the next), so a
 * night that crosses midnight is drawn whole on each row it touches; the standard picture of
 * circadian research. Sleep is blue, fainter where the inference is less sure; no data is
 * grey and never drawn as sleep; posting runs are yellow. The canvas draws only the rows in
 * view, so ten years of rows scroll as fast as a month. The frame is a slider over the days
 * (↑/↓ a day, PageUp/PageDown 30 days, Home/End) whose value text reads out the chosen day.
 */
export function Actogram({ rows, heading, caption }: { rows: ActogramRows; heading: string; caption: string }) {
  const { t, lang } = useI18n();
  const n = rows.dates.length;
  const [zoom, setZoom] = useState(() => {
    const fit = Math.floor(FRAME_HEIGHT / Math.max(1, n));
    const i = ROW_HEIGHTS.findIndex((h) => h >= Math.min(16, Math.max(4, fit)));
    return i < 0 ? ROW_HEIGHTS.length - 1 : i;
  });
  const rowH = ROW_HEIGHTS[zoom] ?? 4;
  const [selected, setSelected] = useState(n - 1);
  const [hover, setHover] = useState<number | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [view, setView] = useState({ top: 0, width: 0, height: 0 });
  const total = n * rowH;
  const frame = Math.min(FRAME_HEIGHT, total);

  // Month starts, for the gutter labels.
  const monthStart = useMemo(() => rows.dates.map((d, i) => i === 0 || d.slice(8) === '01'), [rows]);

  const measure = useCallback(() => {
    const el = scroller.current;
    if (el) setView({ top: el.scrollTop, width: el.clientWidth, height: el.clientHeight });
  }, []);
  useLayoutEffect(() => {
    measure();
    const el = scroller.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [measure]);

  // Start at the newest days, like the calendar.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
    measure();
  }, [rows, measure]);

  // A new row height keeps the chosen day where it was in the frame (not the pixel offset,
  // which would land in another year).
  const lastRowH = useRef(rowH);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || lastRowH.current === rowH) return;
    const offset = selected * lastRowH.current - el.scrollTop;
    lastRowH.current = rowH;
    el.scrollTop = Math.max(0, selected * rowH - Math.min(Math.max(0, offset), el.clientHeight - rowH));
    measure();
  }, [rowH, selected, measure]);

  // Keep the chosen day in view when the keyboard moves it.
  const reveal = useCallback(
    (i: number) => {
      const el = scroller.current;
      if (!el) return;
      const y = i * rowH;
      if (y < el.scrollTop) el.scrollTop = y;
      else if (y + rowH > el.scrollTop + el.clientHeight) el.scrollTop = y + rowH - el.clientHeight;
    },
    [rowH],
  );

  useEffect(() => {
    const c = canvas.current;
    if (!c || view.width === 0) return;
    const dpr = window.devicePixelRatio || 1;
    const w = view.width;
    const h = frame;
    if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) {
      c.width = Math.round(w * dpr);
      c.height = Math.round(h * dpr);
    }
    const ctx = c.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const p = palette(c);
    const hatch = hatchPattern(ctx, p.gap, p.bg);
    ctx.fillStyle = p.bg;
    ctx.fillRect(0, 0, w, h);
    const gutter = w < NARROW ? GUTTER_NARROW : GUTTER;
    const plot = Math.max(10, w - gutter);
    const x = (min: number) => gutter + (min / 2880) * plot;
    const first = Math.max(0, Math.floor(view.top / rowH));
    const last = Math.min(n - 1, Math.floor((view.top + h) / rowH));
    const gapH = rowH >= 6 ? 1 : 0; // a hairline between rows once they are tall enough
    ctx.font = '11px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    for (let i = first; i <= last; i++) {
      const y = i * rowH - view.top;
      for (const half of [0, 1]) {
        const segs = rows.segments[i + half];
        if (segs === undefined) continue;
        for (const s of segs) {
          ctx.globalAlpha = s.kind === 'sleep' ? SLEEP_ALPHA_MIN + (1 - SLEEP_ALPHA_MIN) * s.confidence : 1;
          ctx.fillStyle = s.kind === 'sleep' ? p.sleep : s.kind === 'gap' ? hatch : p.awake;
          const x0 = x(s.start + half * 1440);
          ctx.fillRect(x0, y, Math.max(1, x(s.end + half * 1440) - x0), rowH - gapH);
        }
      }
      ctx.globalAlpha = 1;
      // Each month's first row is labelled with its year (every row once they are tall).
      if (monthStart[i] || rowH >= 12) {
        const d = rows.dates[i] ?? '';
        ctx.fillStyle = p.text;
        ctx.fillText(rowH >= 12 && gutter === GUTTER ? d : monthWithYear(d.slice(0, 7), lang), 4, y + Math.max(rowH, 12) / 2);
        ctx.fillStyle = p.grid;
        ctx.fillRect(gutter, y, plot, 1);
      }
    }
    // Midnights and noons: the day boundary in the middle is the one that matters.
    ctx.fillStyle = p.grid;
    for (const hr of [12, 24, 36]) ctx.fillRect(x(hr * 60), 0, hr === 24 ? 2 : 1, h);
    for (const [i, color] of [
      [hover, p.text],
      [selected, p.focus],
    ] as const) {
      if (i === null || i < first || i > last) continue;
      ctx.strokeStyle = color;
      ctx.lineWidth = 2;
      ctx.strokeRect(gutter + 1, i * rowH - view.top + 1, plot - 2, Math.max(2, rowH - 2));
    }
  }, [rows, view, rowH, frame, n, selected, hover, monthStart, lang]);

  const move = (i: number) => {
    const next = Math.min(n - 1, Math.max(0, i));
    setSelected(next);
    reveal(next);
  };
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const step: Record<string, number> = { ArrowUp: -1, ArrowDown: 1, PageUp: -30, PageDown: 30 };
    if (e.key in step) move(selected + (step[e.key] ?? 0));
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(n - 1);
    else return;
    e.preventDefault();
  };
  const rowAt = (clientY: number) => {
    const el = scroller.current;
    if (!el) return null;
    const i = Math.floor((clientY - el.getBoundingClientRect().top + el.scrollTop) / rowH);
    return i >= 0 && i < n ? i : null;
  };

  const date = rows.dates[selected] ?? '';
  const readout = `${weekdayDateWithYear(date, lang)}: ${describeDay(t, rows.segments[selected] ?? [])}`;
  const narrow = view.width > 0 && view.width < NARROW;
  const hours = narrow ? [0, 12, 24, 36, 48] : [0, 6, 12, 18, 24, 30, 36, 42, 48];
  return (
    <section className="actogram" aria-labelledby="actogram-heading" data-testid="actogram">
      <div className="actogram-head">
        <div>
          <h2 id="actogram-heading">{heading}</h2>
          <p className="muted">{caption}</p>
        </div>
        <div className="actogram-zoom" role="group" aria-label={t.actogramZoom}>
          <button type="button" className="button button--quiet" onClick={() => setZoom((z) => Math.max(0, z - 1))} disabled={zoom === 0}>
            {t.actogramZoomOut}
          </button>
          <button type="button" className="button button--quiet" onClick={() => setZoom((z) => Math.min(ROW_HEIGHTS.length - 1, z + 1))} disabled={zoom === ROW_HEIGHTS.length - 1}>
            {t.actogramZoomIn}
          </button>
        </div>
      </div>
      <div className="actogram-axis" aria-hidden="true" style={{ marginLeft: narrow ? GUTTER_NARROW : GUTTER }}>
        {hours.map((h) => (
          <span key={h} style={{ left: `${(h / 48) * 100}%` }}>
            {t.hourLabel(h % 24)}
          </span>
        ))}
      </div>
      <div
        ref={scroller}
        className="actogram-scroll"
        style={{ height: frame }}
        tabIndex={0}
        role="slider"
        aria-orientation="vertical"
        aria-label={t.actogramLabel}
        aria-describedby="actogram-help"
        aria-valuemin={1}
        aria-valuemax={n}
        aria-valuenow={selected + 1}
        aria-valuetext={readout}
        onKeyDown={onKey}
        onScroll={measure}
        onMouseMove={(e) => setHover(rowAt(e.clientY))}
        onMouseLeave={() => setHover(null)}
        onClick={(e) => {
          const i = rowAt(e.clientY);
          if (i !== null) setSelected(i);
        }}
        data-testid="actogram-frame"
        data-rows={n}
      >
        <div style={{ height: total }}>
          <canvas ref={canvas} className="actogram-canvas" style={{ height: frame }} />
        </div>
      </div>
      {/* For the eye: the slider's value text already says this to a screen reader, once. */}
      <p className="actogram-readout" aria-hidden="true" data-testid="actogram-readout">
        {readout}
      </p>
      <p id="actogram-help" className="muted actogram-help">
        {t.actogramHelp}
      </p>
      <ul className="legend" aria-hidden="true">
        <li>
          <span className="swatch swatch--acto-sleep" /> {t.actogramLegendSleep}
        </li>
        <li>
          <span className="swatch swatch--acto-unsure" /> {t.actogramLegendUnsure}
        </li>
        <li>
          <span className="swatch swatch--acto-awake" /> {t.actogramLegendAwake}
        </li>
        <li>
          <span className="swatch swatch--acto-gap" /> {t.actogramLegendGap}
        </li>
      </ul>
    </section>
  );
}
