// Non-text contrast (WCAG 1.4.11), which axe does not check: every mark that carries meaning in
// the calendar and the actogram keeps 3:1 against what it is drawn on, in both themes. The
// colours are read from the stylesheets themselves, so a new colour is checked as it lands.
import { describe, expect, it } from 'vitest';
import historyCss from './features/history/history.css?raw';
import { SLEEP_ALPHA_MIN } from './features/history/components/Actogram';
import styles from './styles.css?raw';

type Tokens = Record<string, string>;

/** The custom properties declared in the first block after `selector` (its own braces only). */
function block(css: string, selector: string, from = 0): { tokens: Tokens; body: string } {
  const at = css.indexOf(selector, from);
  if (at < 0) throw new Error(`no ${selector} in the stylesheet`);
  const open = css.indexOf('{', at);
  const close = css.indexOf('}', open);
  const body = css.slice(open + 1, close);
  const tokens: Tokens = {};
  for (const m of body.matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g)) tokens[m[1] ?? ''] = (m[2] ?? '').replace(/\/\*.*?\*\//g, '').trim();
  return { tokens, body };
}

const DARK = '@media (prefers-color-scheme: dark)';

/** Light and dark tokens of the page and of the long-range views, dark overriding light. */
function theme(dark: boolean): Tokens {
  const root = block(styles, ':root').tokens;
  const acto = block(historyCss, '.actogram, .trends').tokens;
  if (!dark) return { ...root, ...acto };
  return {
    ...root,
    ...block(styles, ':root', styles.indexOf(DARK)).tokens,
    ...acto,
    ...block(historyCss, '.actogram, .trends', historyCss.indexOf(DARK)).tokens,
  };
}

/** A token's colour, following var(--x, fallback) references. */
function colour(t: Tokens, name: string): string {
  let v = t[name];
  for (let depth = 0; v !== undefined && v.startsWith('var('); depth++) {
    const m = /^var\((--[\w-]+)(?:,\s*([^)]+))?\)$/.exec(v);
    if (!m || depth > 5) throw new Error(`cannot resolve ${name}: ${v}`);
    v = t[m[1] ?? ''] ?? m[2];
  }
  if (v === undefined || !/^#[0-9a-f]{6}$/i.test(v)) throw new Error(`${name} is not a #rrggbb colour: ${v}`);
  return v;
}

function rgb(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

function luminance(hex: string): number {
  const [r, g, b] = rgb(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG's contrast ratio of two colours. */
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** `fg` at opacity `alpha` over `bg`. */
function over(fg: string, bg: string, alpha: number): string {
  const f = rgb(fg);
  const g = rgb(bg);
  return `#${f.map((c, i) => Math.round(c * alpha + (g[i] ?? 0) * (1 - alpha)).toString(16).padStart(2, '0')).join('')}`;
}

/** The declarations of the rule whose selector list is exactly `selector`. */
function rule(css: string, selector: string): string {
  const at = css.indexOf(`${selector} {`);
  if (at < 0) throw new Error(`no rule ${selector}`);
  return css.slice(css.indexOf('{', at) + 1, css.indexOf('}', at));
}

describe('contrast', () => {
  it('computes WCAG ratios', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(over('#000000', '#ffffff', 0.5)).toBe('#808080');
  });

  describe.each([
    ['light', false],
    ['dark', true],
  ])('%s theme', (_, dark) => {
    const t = theme(dark);
    // The calendar's marks sit on its tracks (weekdays and weekends); the actogram's on the surface.
    const marks: [string, string][] = [
      ['sleep bar edge', '--sleep'],
      ['no-data hatching', '--hatch'],
      ['not-yet-happened hatching', '--hatch-faint'],
      ['single-post tick and awake edge', '--awake-edge'],
      ['now line', '--now'],
    ];
    it.each(marks)('%s keeps 3:1 against the calendar tracks', (what, token) => {
      for (const track of ['--track', '--track-weekend']) {
        const ratio = contrast(colour(t, token), colour(t, track));
        expect(ratio, `${what} ${colour(t, token)} on ${track} ${colour(t, track)}`).toBeGreaterThanOrEqual(3);
      }
    });

    // The mark of a change of time zone is text ("+8h") above the dates, on the card; its
    // notice's edge is drawn in the same colour.
    it.each(['--surface', '--bg'])('the time-zone mark keeps 4.5:1 as text against %s', (bg) => {
      const ratio = contrast(colour(t, '--zone'), colour(t, bg));
      expect(ratio, `--zone ${colour(t, '--zone')} on ${bg} ${colour(t, bg)}`).toBeGreaterThanOrEqual(4.5);
    });

    const acto: [string, (bg: string) => string][] = [
      ['least sure sleep', (bg) => over(colour(t, '--acto-sleep'), bg, SLEEP_ALPHA_MIN)],
      ['posting', () => colour(t, '--acto-awake')],
      ['no-data hatching', () => colour(t, '--acto-gap')],
      ['chosen-day ring', () => colour(t, '--acto-focus')],
    ];
    it.each(acto)('actogram %s keeps 3:1 against its background', (what, mark) => {
      const bg = colour(t, '--acto-bg');
      expect(contrast(mark(bg), bg), `${what} ${mark(bg)} on ${bg}`).toBeGreaterThanOrEqual(3);
    });
  });

  it('draws every night inside a solid edge, however faint its fill, and legends as drawn', () => {
    // The fill's opacity is on a layer under the edge, never on the bar (which would fade the edge).
    const bars = rule(styles, '.cal-seg--sleep, .cal-seg--nap');
    expect(bars).toMatch(/box-shadow:\s*inset 0 0 0 1px var\(--sleep\)/);
    expect(bars).not.toMatch(/opacity/);
    expect(rule(styles, '.swatch--sleep-unsure')).toMatch(/box-shadow:\s*inset 0 0 0 1px var\(--sleep\)/);
    // The actogram's "less sure" swatch is as faint as the faintest night it draws.
    expect(rule(historyCss, '.swatch--acto-unsure')).toMatch(new RegExp(`opacity:\\s*${SLEEP_ALPHA_MIN};`));
  });
});
