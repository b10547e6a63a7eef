import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../api/client';
import type { Analysis } from '../../../api/types';
import { analysisFixture } from '../../../test/fixtures';
import { renderWithI18n, stubClient } from '../../../test/render';
import { pollDelaySeconds } from '../hooks/usePeriods';
import { CalendarScreen } from './CalendarScreen';

const zone = (tz: string) => ({ tz, device: tz, choose: vi.fn() });

const queued = (position: number, retryAfter: number) =>
  new ApiError({ kind: 'queued', status: 202, code: 'queued', message: 'wait', position, retryAfter });

function flush() {
  return act(async () => {
    await Promise.resolve();
  });
}

describe('CalendarScreen states', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-11-02T03:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows loading with elapsed seconds, then the calendar and stats', async () => {
    let resolve: (a: Analysis) => void = () => {};
    const client = stubClient({ periods: vi.fn(() => new Promise<Analysis>((r) => (resolve = r))) });
    renderWithI18n(<CalendarScreen client={client} zone={zone('Asia/Tokyo')} onSessionExpired={() => {}} />);
    expect(screen.getByTestId('state-loading')).toHaveTextContent('0 s elapsed');
    expect(screen.getByRole('progressbar')).toBeInTheDocument();
    expect(screen.getByTestId('state-loading')).toHaveTextContent('Heavy posters take longer');
    await act(async () => {
      vi.advanceTimersByTime(3000);
    });
    expect(screen.getByTestId('state-loading')).toHaveTextContent('3 s elapsed');
    await act(async () => resolve(analysisFixture()));
    expect(screen.getAllByTestId('awake-bar')).toHaveLength(3);
    expect(screen.getByTestId('stat-wakeTime')).toBeInTheDocument();
    expect(client.periods).toHaveBeenCalledWith('Asia/Tokyo');
  });

  it('waits in the queue, polls after retryAfter, then shows the calendar', async () => {
    const periods = vi
      .fn()
      .mockRejectedValueOnce(queued(12, 4))
      .mockRejectedValueOnce(queued(3, 4))
      .mockResolvedValueOnce(analysisFixture());
    renderWithI18n(<CalendarScreen client={stubClient({ periods })} zone={zone('UTC')} onSessionExpired={() => {}} />);
    await flush();
    expect(screen.getByTestId('state-queued')).toHaveTextContent('You are number 12 in line');
    await act(async () => {
      vi.advanceTimersByTime(3900);
    });
    expect(periods).toHaveBeenCalledTimes(1);
    await act(async () => {
      vi.advanceTimersByTime(100);
    });
    expect(periods).toHaveBeenCalledTimes(2);
    expect(screen.getByTestId('state-queued')).toHaveTextContent('number 3');
    await act(async () => {
      vi.advanceTimersByTime(4000);
    });
    expect(periods).toHaveBeenCalledTimes(3);
    expect(screen.getAllByTestId('awake-bar')).toHaveLength(3);
  });

  it('says why a rate limit applies, when it clears (with the date) and counts down, then retries by itself', async () => {
    // 03:00 UTC on Nov 2; the budget clears at midnight UTC, 21 hours later, on Nov 3.
    const resetAt = Date.parse('2026-11-03T00:00:00Z');
    const periods = vi
      .fn()
      .mockRejectedValueOnce(
        new ApiError({ kind: 'rate_limited', status: 429, code: 'rate_limited', message: 'x', retryAfter: 75_600, resetAt, reason: 'app_quota' }),
      )
      .mockResolvedValueOnce(analysisFixture());
    renderWithI18n(<CalendarScreen client={stubClient({ periods })} zone={zone('Asia/Tokyo')} onSessionExpired={() => {}} archive={<button type="button">Import your archive now</button>} />);
    await flush();
    const state = screen.getByTestId('state-rate-limited');
    expect(state).toHaveTextContent('nezame’s Twitter reading budget for today is spent');
    // The date is said, in the calendar's zone (09:00 on Tue, Nov 3 in Tokyo), never a bare time.
    expect(state).toHaveTextContent(/It clears on Tue, Nov 3, 09:00 GMT\+9, in 21 h 00 min\./);
    expect(screen.getByRole('button', { name: 'Import your archive now' })).toBeInTheDocument();
    await act(async () => {
      vi.advanceTimersByTime(61_000);
    });
    expect(screen.getByTestId('countdown')).toHaveTextContent('in 20 h 58 min');
    expect(periods).toHaveBeenCalledTimes(1);
    await act(async () => {
      vi.advanceTimersByTime(75_600_000);
    });
    expect(periods).toHaveBeenCalledTimes(2);
    expect(screen.getAllByTestId('awake-bar')).toHaveLength(3);
  });

  it('counts a rate limit down from retryAfter on receipt, not from resetAt by a device clock that is off', async () => {
    // The device clock says 03:00 UTC (see beforeEach), the server's 01:00: the budget clears at
    // 02:00 UTC, in an hour, which a clock two hours fast would count as already past.
    const periods = vi.fn().mockRejectedValue(
      new ApiError({ kind: 'rate_limited', status: 429, code: 'rate_limited', message: 'x', retryAfter: 3600, resetAt: Date.parse('2026-11-02T02:00:00Z'), reason: 'app_quota' }),
    );
    renderWithI18n(<CalendarScreen client={stubClient({ periods })} zone={zone('Asia/Tokyo')} onSessionExpired={() => {}} />);
    await flush();
    expect(screen.getByTestId('state-rate-limited')).toHaveTextContent(/It clears on Mon, Nov 2, 11:00 GMT\+9, in 1 h 00 min\./);
  });

  it.each([
    ['twitter', 'Twitter is not letting nezame read more posts right now'],
    ['client', 'Too many requests came from this address'],
    [undefined, 'Twitter’s reading limit is used up for now'],
  ] as const)('names the reason %s', async (reason, title) => {
    const periods = vi.fn().mockRejectedValue(new ApiError({ kind: 'rate_limited', status: 429, code: 'rate_limited', message: 'x', retryAfter: 30, reason }));
    renderWithI18n(<CalendarScreen client={stubClient({ periods })} zone={zone('UTC')} onSessionExpired={() => {}} />);
    await flush();
    expect(screen.getByTestId('state-rate-limited')).toHaveTextContent(title);
    expect(screen.getByTestId('state-rate-limited')).toHaveTextContent('in 30 s');
  });

  it('shows how many posts a first fetch has read, polling until the calendar is ready', async () => {
    const fetching = (fetched: number) => new ApiError({ kind: 'fetching', status: 202, code: 'fetching', message: '', fetched, retryAfter: 2 });
    const periods = vi.fn().mockRejectedValueOnce(fetching(400)).mockRejectedValueOnce(fetching(1800)).mockResolvedValueOnce(analysisFixture());
    renderWithI18n(<CalendarScreen client={stubClient({ periods })} zone={zone('UTC')} onSessionExpired={() => {}} archive={<button type="button">Import your archive now</button>} />);
    await flush();
    expect(screen.getByTestId('state-fetching')).toHaveTextContent('400 posts read so far (at most 3,200)');
    expect(screen.getByRole('progressbar', { name: /Posts read so far/ })).toHaveAttribute('value', '400');
    expect(screen.getByRole('button', { name: 'Import your archive now' })).toBeInTheDocument();
    await act(async () => {
      vi.advanceTimersByTime(2000);
    });
    expect(screen.getByTestId('state-fetching')).toHaveTextContent('1,800 posts read so far');
    await act(async () => {
      vi.advanceTimersByTime(2000);
    });
    expect(screen.getAllByTestId('awake-bar')).toHaveLength(3);
  });

  it('retries a busy server by itself with a visible countdown', async () => {
    const periods = vi
      .fn()
      .mockRejectedValueOnce(new ApiError({ kind: 'busy', status: 503, code: 'analysis_busy', message: 'busy', retryAfter: 4 }))
      .mockResolvedValueOnce(analysisFixture());
    renderWithI18n(<CalendarScreen client={stubClient({ periods })} zone={zone('UTC')} onSessionExpired={() => {}} />);
    await flush();
    expect(screen.getByTestId('state-busy')).toHaveTextContent('Trying again by itself in 4 s.');
    await act(async () => {
      vi.advanceTimersByTime(1000);
    });
    expect(screen.getByTestId('state-busy')).toHaveTextContent('in 3 s');
    await act(async () => {
      vi.advanceTimersByTime(3000);
    });
    expect(periods).toHaveBeenCalledTimes(2);
    expect(screen.getAllByTestId('awake-bar')).toHaveLength(3);
  });

  it('offers the zone picker when the server refuses the zone', async () => {
    vi.useRealTimers();
    const periods = vi.fn().mockRejectedValue(new ApiError({ kind: 'invalid_timezone', status: 400, code: 'invalid_timezone', message: 'x' }));
    const z = zone('Mars/Olympus');
    renderWithI18n(<CalendarScreen client={stubClient({ periods })} zone={z} onSessionExpired={() => {}} />);
    const state = await screen.findByTestId('state-invalid-timezone');
    expect(state).toHaveTextContent('nezame does not know the time zone “Mars/Olympus”');
    expect(state).not.toHaveTextContent('Something went wrong');
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search by city or zone' }), 'tokyo');
    await userEvent.click(screen.getByRole('button', { name: /Tokyo Asia\/Tokyo/ }));
    expect(z.choose).toHaveBeenCalledWith('Asia/Tokyo');
  });

  it('offers a retry after a network failure', async () => {
    vi.useRealTimers();
    const periods = vi
      .fn()
      .mockRejectedValueOnce(new ApiError({ kind: 'network', status: 0, code: 'network', message: 'offline' }))
      .mockResolvedValueOnce(analysisFixture());
    renderWithI18n(<CalendarScreen client={stubClient({ periods })} zone={zone('UTC')} onSessionExpired={() => {}} />);
    const state = await screen.findByTestId('state-network');
    expect(state).toHaveTextContent('Could not reach nezame');
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findAllByTestId('awake-bar')).toHaveLength(3);
  });

  it.each([
    [new ApiError({ kind: 'unavailable', status: 503, code: 'storage_unavailable', message: 'Storage is down.' }), 'nezame had trouble drawing your calendar. Please try again in a moment.', 'Storage is down'],
    [new TypeError("Cannot read properties of undefined (reading 'days')"), 'nezame had trouble drawing your calendar.', 'Cannot read'],
    [new ApiError({ kind: 'rejected', status: 413, code: 'http_413', message: 'Request Entity Too Large' }), 'nezame could not answer this request. Reload the page', 'Entity'],
  ])('shows a failure in plain words with a retry, never its raw message (%s)', async (err, said, raw) => {
    const periods = vi.fn().mockRejectedValue(err);
    renderWithI18n(<CalendarScreen client={stubClient({ periods })} zone={zone('UTC')} onSessionExpired={() => {}} />);
    await flush();
    expect(screen.getByTestId('state-error')).toHaveTextContent(said);
    expect(screen.getByTestId('state-error')).not.toHaveTextContent(raw);
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });

  it('says so when there are no posts', async () => {
    const periods = vi.fn().mockResolvedValue(analysisFixture({ postCount: 0, periods: [], days: [] }));
    renderWithI18n(<CalendarScreen client={stubClient({ periods })} zone={zone('UTC')} onSessionExpired={() => {}} archive={<button type="button">Import your archive now</button>} />);
    await flush();
    expect(screen.getByTestId('state-no-posts')).toHaveTextContent('No posts in the last weeks');
    // A silent account is told to try the archive, and given the button to do it.
    expect(within(screen.getByTestId('state-no-posts')).getByRole('button', { name: 'Import your archive now' })).toBeInTheDocument();
  });

  it('hands a 401 back to the app', async () => {
    const onSessionExpired = vi.fn();
    const periods = vi.fn().mockRejectedValue(new ApiError({ kind: 'unauthenticated', status: 401, code: 'unauthenticated', message: '' }));
    renderWithI18n(<CalendarScreen client={stubClient({ periods })} zone={zone('UTC')} onSessionExpired={onSessionExpired} />);
    await flush();
    expect(onSessionExpired).toHaveBeenCalledTimes(1);
  });
});

describe('pollDelaySeconds', () => {
  it.each([
    [undefined, 0, 1],
    [undefined, 3, 8],
    [undefined, 10, 30],
    [20, 0, 20],
    [5, 4, 16],
    [90, 10, 90],
  ])('retryAfter %s, poll %s -> %s s', (retryAfter, n, want) => {
    expect(pollDelaySeconds(retryAfter, n)).toBe(want);
  });
});
