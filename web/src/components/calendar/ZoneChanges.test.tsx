import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Analysis, ZoneChange } from '../../api/types';
import { analysisFixture } from '../../test/fixtures';
import { renderWithI18n } from '../../test/render';
import { CalendarView } from './CalendarView';
import { StatsPanel } from './StatsPanel';
import { ZoneChanges } from './ZoneChanges';

const now = new Date('2026-11-20T12:00:00+09:00');

/** The fixture's Tokyo dates, with the given changes of time zone. */
function withChanges(zoneChanges: ZoneChange[] | undefined, over: Partial<Analysis> = {}): Analysis {
  const a = analysisFixture({ zoneChanges, ...over });
  if (zoneChanges === undefined) delete a.zoneChanges;
  return a;
}

/**
 * Los Angeles, 12–14 Nov 2026 (PST, UTC−8), with one sleep per night: a zone where the local
 * date of an evening instant is not its UTC date.
 */
function losAngeles(zoneChanges: ZoneChange[]): Analysis {
  return analysisFixture({
    timezone: 'America/Los_Angeles',
    from: '2026-11-12T00:00:00-08:00',
    to: '2026-11-15T00:00:00-08:00',
    periods: [],
    singles: [],
    gaps: [],
    sleeps: [
      { start: '2026-11-12T00:30:00-08:00', end: '2026-11-12T07:30:00-08:00', confidence: 0.9, main: true },
      { start: '2026-11-13T08:30:00-08:00', end: '2026-11-13T15:30:00-08:00', confidence: 0.8, main: true },
      { start: '2026-11-14T08:30:00-08:00', end: '2026-11-14T15:30:00-08:00', confidence: 0.9, main: true },
    ],
    days: ['2026-11-12', '2026-11-13', '2026-11-14'].map((date) => ({ date, awake: [] })),
    zoneChanges,
  });
}

describe('the notice of a change of time zone', () => {
  it.each([
    [
      'en',
      8,
      'Your time zone changed',
      'From Thu, Nov 12, your days run 8 h later on Asia/Tokyo time than before — a trip about 8 time zones west?',
      'The nights after it are read on your new clock.',
    ],
    [
      'en',
      -7,
      'Your time zone changed',
      'From Thu, Nov 12, your days run 7 h earlier on Asia/Tokyo time than before — a trip about 7 time zones east?',
      'The nights after it are read on your new clock.',
    ],
    [
      'ja',
      8,
      'タイムゾーンが変わりました',
      '11月12日(木)から、Asia/Tokyoの時刻で見ると一日がそれまでより8時間遅くなっています。西へ時差約8時間の旅行や引っ越しでしょうか？',
      'それ以降の夜は、新しい時刻に合わせて読み取っています。',
    ],
    [
      'ja',
      -7,
      'タイムゾーンが変わりました',
      '11月12日(木)から、Asia/Tokyoの時刻で見ると一日がそれまでより7時間早くなっています。東へ時差約7時間の旅行や引っ越しでしょうか？',
      'それ以降の夜は、新しい時刻に合わせて読み取っています。',
    ],
  ] as const)('%s, %i h: says when, which way and how the nights are read', (lang, hours, heading, sentence, read) => {
    renderWithI18n(<CalendarView analysis={withChanges([{ at: '2026-11-12T22:10:00+09:00', hours }])} now={now} heading="Cal" />, lang);
    const notice = screen.getByTestId('zone-changes');
    expect(within(notice).getByRole('heading', { level: 3 })).toHaveTextContent(heading);
    expect(notice).toHaveAccessibleName(heading);
    const [said, how] = within(notice).getAllByText(/./, { selector: 'p' });
    expect(said).toHaveTextContent(sentence);
    expect(how).toHaveTextContent(read);
  });

  it.each([
    ['an empty list', withChanges([])],
    ['no field (an analysis made before it)', withChanges(undefined)],
    ['only changes that make no sense', withChanges([{ at: 'soon', hours: 8 }, { at: '2026-11-01T10:00:00+09:00', hours: 0 }])],
  ])('is not shown for %s, and nothing is marked', (_, a) => {
    const { container } = renderWithI18n(<CalendarView analysis={a} now={now} heading="Cal" />);
    expect(screen.queryByTestId('zone-changes')).toBeNull();
    expect(screen.queryAllByTestId('zone-mark')).toHaveLength(0);
    expect(container.querySelector('.cal')).not.toHaveClass('cal--zones');
    expect(container.textContent).not.toMatch(/time zone changed|undefined|NaN/);
  });

  it('dates the change in the analysis zone, not in UTC or the offset it was written with', () => {
    // 23:30 on the 12th in Los Angeles is the 13th in UTC; written in UTC, it is still the 12th there.
    for (const at of ['2026-11-12T23:30:00-08:00', '2026-11-13T07:30:00Z']) {
      const { unmount } = renderWithI18n(<ZoneChanges analysis={losAngeles([{ at, hours: -9 }])} idPrefix="z" />);
      expect(screen.getByTestId('zone-changes')).toHaveTextContent(
        'From Thu, Nov 12, your days run 9 h earlier on America/Los_Angeles time than before — a trip about 9 time zones east?',
      );
      unmount();
    }
  });

  it('lists a trip out and the way back, oldest first, and says the second returns to the earlier clock', () => {
    const a = withChanges([
      { at: '2026-12-20T09:00:00+09:00', hours: -8 },
      { at: '2026-11-12T22:10:00+09:00', hours: 8 },
    ]);
    renderWithI18n(<ZoneChanges analysis={a} idPrefix="z" withYear />);
    const notice = screen.getByTestId('zone-changes');
    expect(within(notice).getByRole('heading')).toHaveTextContent('Your time zone changed 2 times');
    const items = within(notice).getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual([
      'From Thu, Nov 12, 2026, your days run 8 h later on Asia/Tokyo time than before — a trip about 8 time zones west?',
      'From Sun, Dec 20, 2026, your days run 8 h earlier on Asia/Tokyo time than before — back on your earlier clock?',
    ]);
    expect(notice).toHaveTextContent('The nights after each change are read on the clock you kept then.');
  });

  it('in Japanese, a move on after a trip is a new trip, not a return', () => {
    const a = withChanges([
      { at: '2026-11-12T22:10:00+09:00', hours: 8 },
      { at: '2026-12-20T09:00:00+09:00', hours: 5 },
    ]);
    renderWithI18n(<ZoneChanges analysis={a} idPrefix="z" />, 'ja');
    const notice = screen.getByTestId('zone-changes');
    expect(within(notice).getByRole('heading')).toHaveTextContent('タイムゾーンが2回変わりました');
    expect(within(notice).getAllByRole('listitem')[1]).toHaveTextContent(
      '12月20日(日)から、Asia/Tokyoの時刻で見ると一日がそれまでより5時間遅くなっています。西へ時差約5時間の旅行や引っ越しでしょうか？',
    );
  });

  it('tells the patterns apart from a move when the nights form two', () => {
    const stats = {
      ...analysisFixture().stats,
      patterns: [
        { wakeTime: '07:10', bedTime: '23:40', nights: 21 },
        { wakeTime: '15:10', bedTime: '07:40', nights: 20 },
      ],
    };
    const { unmount } = renderWithI18n(<StatsPanel stats={stats} dayCount={42} zoneChanged />);
    expect(screen.getByTestId('patterns')).toHaveTextContent(
      'Your time zone changed (see above): on this clock your nights fall at different hours before and after it, so each clock you kept is a pattern here, the one you keep now first. The typical wake time and bedtime above are that one’s.',
    );
    // The analysis puts the current clock first: the typical times are not "the most frequent".
    expect(screen.getByTestId('patterns')).not.toHaveTextContent('most frequent pattern');
    expect(screen.getByTestId('stat-bedTime')).toHaveTextContent('(your clock now)');
    unmount();
    const ja = renderWithI18n(<StatsPanel stats={stats} dayCount={42} zoneChanged />, 'ja');
    expect(screen.getByTestId('patterns-zone')).toHaveTextContent('タイムゾーンが変わったため（上記）');
    expect(screen.getByTestId('stat-bedTime')).toHaveTextContent('(いまの時刻)');
    ja.unmount();
    // A list with no change that makes sense is no move: the patterns block does not point to
    // a notice that is not there.
    const none = renderWithI18n(
      <CalendarView analysis={withChanges([{ at: 'soon', hours: 8 }], { stats })} now={now} heading="Cal" />,
    );
    expect(screen.getByTestId('patterns')).toBeInTheDocument();
    expect(screen.queryByTestId('patterns-zone')).toBeNull();
    none.unmount();
    // Nothing to explain without a move, or without several patterns.
    const still = renderWithI18n(<StatsPanel stats={stats} dayCount={42} />);
    expect(screen.getByTestId('patterns')).toBeInTheDocument();
    expect(screen.queryByTestId('patterns-zone')).toBeNull();
    expect(screen.getByTestId('stat-bedTime')).toHaveTextContent('(most frequent pattern)');
    still.unmount();
    renderWithI18n(<StatsPanel stats={analysisFixture().stats} dayCount={42} zoneChanged />);
    expect(screen.queryByTestId('patterns')).toBeNull();
    expect(screen.queryByTestId('patterns-zone')).toBeNull();
  });
});

describe('the mark of a change of time zone on the calendar', () => {
  const later = new Date('2026-12-01T00:00:00Z');

  it('sits on the local date of the change in a zone behind UTC, with its words, hiding no sleep', () => {
    const plain = renderWithI18n(<CalendarView analysis={losAngeles([])} now={later} heading="Cal" />);
    const sleepsWithout = screen.getAllByTestId('sleep-bar').length;
    plain.unmount();

    const { container } = renderWithI18n(<CalendarView analysis={losAngeles([{ at: '2026-11-12T23:30:00-08:00', hours: 8 }])} now={later} heading="Cal" />);
    const marks = screen.getAllByTestId('zone-mark');
    expect(marks).toHaveLength(1);
    const cell = marks[0]!.closest('[role=gridcell]')!;
    expect(cell).toHaveAttribute('data-date', '2026-11-12');
    expect(cell).toHaveClass('cal-day--zone');
    expect(marks[0]).toHaveTextContent('+8h');
    expect(marks[0]).toHaveAttribute('title', 'Time zone change: from this date your days run 8 h later');
    // Screen readers hear it in the date's own description, in time order, after the night.
    expect(cell).toHaveAccessibleName(/Night: bed 00:30, wake 07:30 .*\. About 23:30: a change of time zone; from then on your days run 8 h later\.$/);
    // Above the date, outside the hours: every sleep is still drawn, and on its own date.
    expect(marks[0]!.closest('.cal-track')).toBeNull();
    expect(screen.getAllByTestId('sleep-bar')).toHaveLength(sleepsWithout);
    expect(container.querySelector('.cal')).toHaveClass('cal--zones');
    for (const date of ['2026-11-13', '2026-11-14']) {
      expect(container.querySelector(`[data-date="${date}"]`)).not.toHaveClass('cal-day--zone');
    }
  });

  it('reads the other way in Japanese, and marks a move east with a minus', () => {
    renderWithI18n(<CalendarView analysis={losAngeles([{ at: '2026-11-13T07:30:00Z', hours: -7 }])} now={later} heading="Cal" />, 'ja');
    const [mark] = screen.getAllByTestId('zone-mark');
    expect(mark!.closest('[role=gridcell]')).toHaveAttribute('data-date', '2026-11-12');
    expect(mark).toHaveTextContent('−7h');
    expect(mark).toHaveAttribute('title', 'タイムゾーンの変化：この日から一日が7時間早くなります');
    expect(mark!.closest('[role=gridcell]')).toHaveAccessibleName(/23:30ごろ：タイムゾーンの変化。そこから一日が7時間早くなります。$/);
  });
});
