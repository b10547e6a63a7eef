import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { analysisFixture } from '../../test/fixtures';
import { renderWithI18n } from '../../test/render';
import { Calendar } from './Calendar';
import { StatsPanel } from './StatsPanel';

describe('Calendar', () => {
  const now = new Date('2026-11-02T12:00:00+09:00');

  it('draws one column per date, bars positioned, weekend and today marked', () => {
    const { container } = renderWithI18n(<Calendar analysis={analysisFixture()} now={now} />);
    const days = container.querySelectorAll('[data-date]');
    expect([...days].map((d) => d.getAttribute('data-date'))).toEqual(['2026-11-01', '2026-11-02']);
    expect(days[0]).toHaveClass('cal-day--weekend'); // Sunday
    expect(days[1]).not.toHaveClass('cal-day--weekend');
    expect(days[1]).toHaveClass('cal-day--today');
    expect(within(days[1] as HTMLElement).getByText('today')).toBeInTheDocument();
    expect(screen.getAllByTestId('awake-bar')).toHaveLength(3);
    const wrap = within(days[0] as HTMLElement).getByTestId('awake-bar').parentElement!;
    expect(wrap.style.getPropertyValue('--o')).toBe(String(8 / 24));
    expect(Number(wrap.style.getPropertyValue('--l'))).toBeCloseTo(16 / 24);
  });

  it('shows the whole period’s exact start and end on focus, hides on Escape', async () => {
    renderWithI18n(<Calendar analysis={analysisFixture()} now={now} />);
    const [first] = screen.getAllByTestId('awake-bar');
    expect(first).toHaveAccessibleName('Awake from 11/1 08:00 to 11/2 01:30 · 30 posts');
    await userEvent.tab();
    expect(first).toHaveFocus();
    expect(screen.getByRole('tooltip')).toHaveTextContent('11/1 08:00 – 11/2 01:30');
    expect(first).toHaveAttribute('aria-describedby', screen.getByRole('tooltip').id);
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('tooltip')).toBeNull();
  });

  it('shows the tooltip on hover and tap', () => {
    renderWithI18n(<Calendar analysis={analysisFixture()} now={now} />);
    const bars = screen.getAllByTestId('awake-bar');
    fireEvent.mouseEnter(bars[2]!);
    expect(screen.getByRole('tooltip')).toHaveTextContent('11/2 09:00 – 11/2 23:00');
    fireEvent.mouseLeave(bars[2]!);
    expect(screen.queryByRole('tooltip')).toBeNull();
    fireEvent.click(bars[1]!);
    expect(screen.getByRole('tooltip')).toHaveTextContent('11/1 08:00');
  });

  it('draws long ranges as rows, short ones as columns', () => {
    const days = Array.from({ length: 60 }, (_, i) => ({
      date: new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10),
      awake: [],
    }));
    const { container, unmount } = renderWithI18n(<Calendar analysis={analysisFixture({ days })} now={now} />);
    expect(container.querySelector('.cal')).toHaveAttribute('data-layout', 'rows');
    unmount();
    const short = renderWithI18n(<Calendar analysis={analysisFixture()} now={now} />);
    expect(short.container.querySelector('.cal')).toHaveAttribute('data-layout', 'columns');
  });

  it('draws empty days without bars', () => {
    const a = analysisFixture({ days: [{ date: '2026-11-05', awake: [] }] });
    const { container } = renderWithI18n(<Calendar analysis={a} now={now} />);
    expect(container.querySelectorAll('[data-date]')).toHaveLength(1);
    expect(screen.queryAllByTestId('awake-bar')).toHaveLength(0);
  });
});

describe('StatsPanel', () => {
  it('formats values and never prints null or NaN', () => {
    const stats = {
      ...analysisFixture().stats,
      sleepHours: Number.NaN,
      sri: null,
    };
    const { container } = renderWithI18n(<StatsPanel stats={stats} />);
    expect(screen.getByTestId('stat-wakeTime')).toHaveTextContent('07:40 ± 48 min');
    expect(screen.getByTestId('stat-bedTime')).toHaveTextContent('01:15 ± 71 min');
    expect(screen.getByTestId('stat-sleepHours')).toHaveTextContent('Not enough data yet');
    expect(screen.getByTestId('stat-sri')).toHaveTextContent('Not enough data yet');
    expect(screen.getByTestId('stat-socialJetlagHours')).toHaveTextContent('Not enough data yet');
    expect(screen.getByTestId('stat-longestAwakeHours')).toHaveTextContent('17.5 h');
    expect(screen.getByTestId('stat-allNighters')).toHaveTextContent('1');
    expect(screen.getByTestId('stat-sri')).toHaveTextContent('100 means the same schedule every day');
    expect(container.textContent).not.toMatch(/null|NaN|undefined/);
  });

  it('shows the SRI out of 100', () => {
    renderWithI18n(<StatsPanel stats={analysisFixture().stats} />);
    expect(screen.getByTestId('stat-sri')).toHaveTextContent('62.5 / 100');
    expect(screen.getByTestId('stat-sleepHours')).toHaveTextContent('6.4 h');
  });
});
