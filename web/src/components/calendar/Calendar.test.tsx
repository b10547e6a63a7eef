import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { analysisFixture } from '../../test/fixtures';
import { renderWithI18n } from '../../test/render';
import { Calendar } from './Calendar';
import { CalendarView } from './CalendarView';
import { StatsPanel } from './StatsPanel';

describe('Calendar', () => {
  const now = new Date('2026-11-02T12:00:00+09:00');

  it('draws one cell per date in a grid, weekend and today marked', () => {
    const { container } = renderWithI18n(<Calendar analysis={analysisFixture()} now={now} />);
    const grid = screen.getByRole('grid', { name: /Calendar, one column per date/ });
    const cells = within(grid).getAllByRole('gridcell');
    expect(cells.map((d) => d.getAttribute('data-date'))).toEqual(['2026-11-01', '2026-11-02']);
    expect(cells[0]).toHaveClass('cal-day--weekend'); // Sunday
    expect(cells[1]).not.toHaveClass('cal-day--weekend');
    expect(cells[1]).toHaveClass('cal-day--today');
    expect(cells[1]).toHaveAccessibleName(/^Monday, November 2, today\./);
    expect(screen.getAllByTestId('awake-bar')).toHaveLength(3);
    const bar = within(cells[0]!).getByTestId('awake-bar');
    expect(bar.style.getPropertyValue('--o')).toBe(String(8 / 24));
    expect(Number(bar.style.getPropertyValue('--l'))).toBeCloseTo(16 / 24);
    // Nothing drawn is a button or a link: the calendar is one widget, not dozens of tiny targets.
    expect(container.querySelectorAll('.cal button, .cal a')).toHaveLength(0);
  });

  it('draws sleep with its confidence, naps apart, no data as no data, single posts and now', () => {
    const a = analysisFixture({
      method: 'nezame-hsmm/2',
      singles: ['2026-11-01T01:00:00+09:00', '2026-11-01T03:00:00+09:00'],
      sleeps: [
        { start: '2026-11-01T01:00:00+09:00', end: '2026-11-01T03:00:00+09:00', confidence: 0.55, main: true },
        { start: '2026-11-01T03:00:00+09:00', end: '2026-11-01T07:40:00+09:00', confidence: 0.95, main: true },
        { start: '2026-11-02T14:00:00+09:00', end: '2026-11-02T15:00:00+09:00', confidence: 0.4, main: false },
      ],
      gaps: [
        { start: '2026-11-01T00:00:00+09:00', end: '2026-11-01T01:00:00+09:00', reason: 'api_limit' },
        { start: '2026-11-02T12:00:00+09:00', end: '2026-11-03T00:00:00+09:00', reason: 'future' },
      ],
    });
    renderWithI18n(<Calendar analysis={a} now={now} />);
    const sleeps = screen.getAllByTestId('sleep-bar');
    expect(sleeps.map((b) => b.style.getPropertyValue('--c'))).toEqual(['0.55', '0.95']);
    const [nap] = screen.getAllByTestId('nap-bar');
    expect(nap!.style.getPropertyValue('--c')).toBe('0.4');
    expect(nap!).toHaveClass('cal-seg--nap');
    const [gap] = screen.getAllByTestId('gap-bar');
    expect(gap!).toHaveAttribute('data-reason', 'api_limit');
    expect(gap!).toHaveClass('cal-seg--gap');
    expect(gap!).not.toHaveClass('cal-seg--sleep');
    const [future] = screen.getAllByTestId('future-bar');
    expect(Number(future!.style.getPropertyValue('--o'))).toBeCloseTo(0.5);
    // The lone posts the analysis lists: the first post (01:00, right after the cap) and the
    // break between the two sleeps (03:00).
    const ticks = screen.getAllByTestId('post-tick').map((k) => Number(k.style.getPropertyValue('--o')) * 24);
    expect(ticks).toEqual([1, 3]);
    const [line] = screen.getAllByTestId('now-line');
    expect(line!.closest('[role=gridcell]')).toHaveAttribute('data-date', '2026-11-02');
    expect(Number(line!.style.getPropertyValue('--o'))).toBeCloseTo(0.5);
    const first = screen.getAllByRole('gridcell')[0]!;
    expect(first).toHaveAccessibleName(expect.stringContaining('No data 00:00 – 01:00: Twitter returns only your last 3,200 posts'));
    expect(first).toHaveAccessibleName(expect.stringContaining('A single post at 03:00'));
    expect(first).toHaveAccessibleName(expect.stringContaining('Night: bed 03:00, wake 07:40 · 4 h 40 min · confidence 95%'));
    expect(screen.getAllByRole('gridcell')[1]).toHaveAccessibleName(expect.stringContaining('Nap 14:00 – 15:00 · 1 h · confidence 40%'));
  });

  it('is one tab stop; arrow keys, Home and End move between dates and focus shows the night', async () => {
    renderWithI18n(
      <>
        <button type="button">before</button>
        <Calendar analysis={analysisFixture()} now={now} />
        <button type="button">after</button>
      </>,
    );
    const cells = screen.getAllByRole('gridcell');
    expect(cells.map((c) => c.tabIndex)).toEqual([-1, 0]); // today holds the tab stop
    await userEvent.click(screen.getByRole('button', { name: 'before' }));
    await userEvent.tab();
    expect(cells[1]).toHaveFocus();
    const details = screen.getByTestId('day-details');
    expect(details).toHaveTextContent('Night: bed 01:30, wake 09:00 · 7 h 30 min · confidence 90%');
    await userEvent.keyboard('{ArrowLeft}');
    expect(cells[0]).toHaveFocus();
    expect(cells.map((c) => c.tabIndex)).toEqual([0, -1]);
    expect(screen.getByTestId('day-details')).toHaveTextContent('Awake 08:00 – 11/2 01:30 · 30 posts');
    await userEvent.keyboard('{End}');
    expect(cells[1]).toHaveFocus();
    await userEvent.keyboard('{Home}');
    expect(cells[0]).toHaveFocus();
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByTestId('day-details')).toBeNull();
    await userEvent.tab();
    expect(screen.getByRole('button', { name: 'after' })).toHaveFocus();
  });

  it('announces a period crossing midnight once, and only until when on the next date', () => {
    renderWithI18n(<Calendar analysis={analysisFixture()} now={now} />);
    const names = screen.getAllByRole('gridcell').map((c) => c.textContent ?? '');
    const whole = 'Awake 08:00 – 11/2 01:30 · 30 posts';
    expect(names.filter((n) => n.includes(whole))).toHaveLength(1);
    expect(names[1]).toContain('Awake until 01:30 (since the day before)');
    expect(names[1]).not.toContain('08:00 –');
  });

  it('shows the details on hover', () => {
    renderWithI18n(<Calendar analysis={analysisFixture()} now={now} />);
    const cells = screen.getAllByRole('gridcell');
    fireEvent.mouseEnter(cells[1]!);
    expect(screen.getByTestId('day-details')).toHaveTextContent('Awake 09:00 – 23:00 · 10 posts');
    fireEvent.mouseLeave(cells[1]!);
    expect(screen.queryByTestId('day-details')).toBeNull();
  });

  it('draws long ranges as rows, short ones as columns', () => {
    const days = Array.from({ length: 60 }, (_, i) => ({
      date: new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10),
      awake: [],
    }));
    const { container, unmount } = renderWithI18n(<Calendar analysis={analysisFixture({ days })} now={now} />);
    expect(container.querySelector('.cal')).toHaveAttribute('data-layout', 'rows');
    expect(screen.getAllByRole('row')).toHaveLength(60);
    unmount();
    const short = renderWithI18n(<Calendar analysis={analysisFixture()} now={now} />);
    expect(short.container.querySelector('.cal')).toHaveAttribute('data-layout', 'columns');
    expect(screen.getAllByRole('row')).toHaveLength(1);
  });

  it('says so when a date has nothing', () => {
    const a = analysisFixture({ days: [{ date: '2026-10-28', awake: [] }], periods: [], sleeps: [], gaps: [] });
    renderWithI18n(<Calendar analysis={a} now={now} />);
    expect(screen.getByRole('gridcell')).toHaveAccessibleName(/No posts and no sleep read on this date/);
  });
});

describe('CalendarView', () => {
  const now = new Date('2026-11-20T12:00:00+09:00');

  it('explains every stretch without data in words and has a key to everything drawn', () => {
    const a = analysisFixture({
      gaps: [
        { start: '2026-11-01T00:00:00+09:00', end: '2026-11-01T08:00:00+09:00', reason: 'api_limit' },
        { start: '2026-11-01T12:00:00+09:00', end: '2026-11-02T09:00:00+09:00', reason: 'absence' },
      ],
    });
    renderWithI18n(<CalendarView analysis={a} now={now} heading="Cal" />);
    const notes = screen.getByTestId('gap-notes');
    expect(notes).toHaveTextContent('Twitter returns only your last 3,200 posts: from Nov 1, 08:00.');
    expect(notes).toHaveTextContent('No posts from Nov 1, 12:00 to Nov 2, 09:00 (21 h): too long to be sleep');
    const legend = within(screen.getByTestId('legend'));
    for (const words of ['Awake', 'Asleep (main sleep); paler = less sure', 'Nap', 'No data (not sleep)', 'Not yet happened', 'A single post', 'Now', 'Weekend', 'Today']) {
      expect(legend.getByText(new RegExp(words.replace(/[()]/g, '\\$&')))).toBeInTheDocument();
    }
    expect(screen.getByText(/Sleep read by the gap rule/)).toBeInTheDocument();
  });
});

describe('StatsPanel', () => {
  it('formats values and never prints null or NaN', () => {
    const stats = {
      ...analysisFixture().stats,
      sleepHours: Number.NaN,
      sri: null,
    };
    const { container } = renderWithI18n(<StatsPanel stats={stats} dayCount={2} />);
    expect(screen.getByTestId('stat-wakeTime')).toHaveTextContent('07:40 ± 48 min');
    expect(screen.getByTestId('stat-bedTime')).toHaveTextContent('01:15 ± 71 min');
    expect(screen.getByTestId('stat-sleepHours')).toHaveTextContent('Not enough data yet');
    expect(screen.getByTestId('stat-sri')).toHaveTextContent('Not enough data yet');
    expect(screen.getByTestId('stat-socialJetlagHours')).toHaveTextContent('Not enough data yet');
    expect(screen.getByTestId('stat-longestAwakeHours')).toHaveTextContent('17.5 h');
    expect(screen.getByTestId('stat-allNighters')).toHaveTextContent('1');
    expect(screen.getByTestId('stat-sri')).toHaveTextContent('100 means the same schedule every day');
    expect(container.textContent).not.toMatch(/null|NaN|undefined/);
    expect(screen.queryByTestId('patterns')).toBeNull();
  });

  it('puts each statistic in context with population figures', () => {
    renderWithI18n(<StatsPanel stats={{ ...analysisFixture().stats, socialJetlagHours: 1.3 }} dayCount={28} />);
    expect(screen.getByTestId('stat-sri')).toHaveTextContent('62.5 / 100');
    expect(screen.getByTestId('stat-sri')).toHaveTextContent('UK Biobank adults wearing activity trackers, the median SRI was about 81 (Windred et al. 2024); yours is below it.');
    expect(screen.getByTestId('stat-socialJetlagHours')).toHaveTextContent('weekday wake times 50 min to 2 h earlier than on Sundays (Scheffler & Kyba 2016)');
    expect(screen.getByTestId('stat-sleepHours')).toHaveTextContent('6.4 h');
    expect(screen.getByTestId('stat-sleepHours')).toHaveTextContent('7 hours or more a night (Watson et al. 2015); yours falls short of it.');
    expect(screen.getByTestId('stat-longestAwakeHours')).toHaveTextContent('your longest stretch went past that');
    expect(screen.getByTestId('stat-activeDays')).toHaveTextContent('Out of 28 dates shown.');
    for (const el of screen.getAllByTestId(/^stat-/)) expect(el.querySelector('.stat-context')?.textContent).toMatch(/\S/);
  });

  it('names several sleep patterns as such, in Japanese too', () => {
    const stats = {
      ...analysisFixture().stats,
      patterns: [
        { wakeTime: '07:10', bedTime: '23:40', nights: 14 },
        { wakeTime: '15:30', bedTime: '08:00', nights: 9 },
      ],
    };
    const { unmount } = renderWithI18n(<StatsPanel stats={stats} dayCount={28} />);
    const block = screen.getByTestId('patterns');
    expect(block).toHaveTextContent('Your nights follow 2 sleep patterns');
    expect(block).toHaveTextContent('Pattern 1: bed 23:40, wake 07:10 · 14 nights');
    expect(block).toHaveTextContent('Pattern 2: bed 08:00, wake 15:30 · 9 nights');
    expect(screen.getByTestId('stat-wakeTime')).toHaveTextContent('(most frequent pattern)');
    unmount();
    renderWithI18n(<StatsPanel stats={stats} dayCount={28} />, 'ja');
    expect(screen.getByTestId('patterns')).toHaveTextContent('あなたの夜には2つの睡眠パターンがあります');
    expect(screen.getByTestId('stat-sri')).toHaveTextContent('UK Biobankの成人約6万人では、SRIの中央値は約81');
  });
});
