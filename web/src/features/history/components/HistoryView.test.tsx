import { fireEvent, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { analysisFixture } from '../../../test/fixtures';
import { renderWithI18n } from '../../../test/render';
import { HistoryView } from './HistoryView';

describe('HistoryView', () => {
  it('reads out the chosen day with its year, moved by the keyboard', async () => {
    renderWithI18n(<HistoryView analysis={analysisFixture()} trends={null} />);
    const frame = screen.getByRole('slider', { name: 'Days of the actogram' });
    expect(frame).toHaveAttribute('aria-valuenow', '2');
    expect(screen.getByTestId('actogram-readout')).toHaveTextContent('Mon, Nov 2, 2026: asleep 01:30–09:00 (90% sure)');
    fireEvent.keyDown(frame, { key: 'ArrowUp' });
    expect(frame).toHaveAttribute('aria-valuenow', '1');
    expect(screen.getByTestId('actogram-readout')).toHaveTextContent('Sun, Nov 1, 2026: no data 00:00–08:00');
    fireEvent.keyDown(frame, { key: 'End' });
    expect(frame).toHaveAttribute('aria-valuetext', expect.stringContaining('Nov 2, 2026'));
    // Said once: by the slider's value. The visible readout repeats it for the eye only, and
    // nothing in the actogram is a live region that would say it a second time.
    expect(frame).toHaveAccessibleName('Days of the actogram');
    expect(screen.getByTestId('actogram-readout')).toHaveAttribute('aria-hidden', 'true');
    expect(screen.getByTestId('actogram').querySelectorAll('[aria-live], [role=status], [role=alert], [role=log]')).toHaveLength(0);
    expect(screen.getByRole('progressbar', { name: 'Computing the monthly trends…' })).toBeInTheDocument();
  });

  it('says when the time zone changed, the date with its year, beside the patterns it explains', () => {
    const stats = {
      ...analysisFixture().stats,
      patterns: [
        { wakeTime: '07:10', bedTime: '23:40', nights: 200 },
        { wakeTime: '15:10', bedTime: '07:40', nights: 150 },
      ],
    };
    renderWithI18n(<HistoryView analysis={analysisFixture({ stats, zoneChanges: [{ at: '2026-11-01T21:30:00+09:00', hours: 8 }] })} trends={null} />);
    expect(screen.getByTestId('zone-changes')).toHaveTextContent('From Sun, Nov 1, 2026, your days run 8 h later on Asia/Tokyo time than before — a trip about 8 time zones west?');
    expect(screen.getByTestId('patterns-zone')).toBeInTheDocument();
  });

  it('has no notice without a change of time zone', () => {
    renderWithI18n(<HistoryView analysis={analysisFixture()} trends={null} />);
    expect(screen.queryByTestId('zone-changes')).toBeNull();
  });

  it('draws the monthly trends and their table', async () => {
    const stats = analysisFixture().stats;
    const trends = [
      { month: '2025-12', posts: 320, stats },
      { month: '2026-01', posts: 0, stats: { ...stats, wakeTime: null, bedTime: null, sleepHours: null, sri: null } },
      { month: '2026-02', posts: 410, stats: { ...stats, bedTime: '23:40' } },
    ];
    renderWithI18n(<HistoryView analysis={analysisFixture()} trends={trends} />, 'ja');
    expect(screen.getByRole('heading', { name: '月ごとの推移' })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: '表で見る' }));
    const rows = screen.getByTestId('trends-table').querySelectorAll('tbody tr');
    expect(Array.from(rows, (r) => r.textContent)).toEqual([
      '2025年12月01:1507:406.4時間63320',
      '2026年1月––––0',
      '2026年2月23:4007:406.4時間63410',
    ]);
  });
});
