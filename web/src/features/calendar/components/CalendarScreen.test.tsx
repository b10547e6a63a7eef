import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../api/client';
import type { Analysis } from '../../../api/types';
import { analysisFixture } from '../../../test/fixtures';
import { renderWithI18n, stubClient } from '../../../test/render';
import { pollDelaySeconds } from '../hooks/usePeriods';
import { CalendarScreen } from './CalendarScreen';

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
    renderWithI18n(<CalendarScreen client={client} tz="Asia/Tokyo" onSessionExpired={() => {}} />);
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
    renderWithI18n(<CalendarScreen client={stubClient({ periods })} tz="UTC" onSessionExpired={() => {}} />);
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

  it('shows when a rate limit clears and retries then by itself', async () => {
    const periods = vi
      .fn()
      .mockRejectedValueOnce(new ApiError({ kind: 'rate_limited', status: 429, code: 'rate_limited', message: 'x', retryAfter: 600 }))
      .mockResolvedValueOnce(analysisFixture());
    renderWithI18n(<CalendarScreen client={stubClient({ periods })} tz="UTC" onSessionExpired={() => {}} />);
    await flush();
    const clears = new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit' }).format(new Date('2026-11-02T03:10:00Z'));
    expect(screen.getByTestId('state-rate-limited')).toHaveTextContent(`It clears at ${clears}`);
    await act(async () => {
      vi.advanceTimersByTime(600_000);
    });
    expect(periods).toHaveBeenCalledTimes(2);
    expect(screen.getAllByTestId('awake-bar')).toHaveLength(3);
  });

  it('offers a retry after a network failure', async () => {
    vi.useRealTimers();
    const periods = vi
      .fn()
      .mockRejectedValueOnce(new ApiError({ kind: 'network', status: 0, code: 'network', message: 'offline' }))
      .mockResolvedValueOnce(analysisFixture());
    renderWithI18n(<CalendarScreen client={stubClient({ periods })} tz="UTC" onSessionExpired={() => {}} />);
    const state = await screen.findByTestId('state-network');
    expect(state).toHaveTextContent('Could not reach nezame');
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findAllByTestId('awake-bar')).toHaveLength(3);
  });

  it('shows server errors with their message and a retry', async () => {
    const periods = vi.fn().mockRejectedValue(new ApiError({ kind: 'unavailable', status: 503, code: 'storage_unavailable', message: 'Storage is down.' }));
    renderWithI18n(<CalendarScreen client={stubClient({ periods })} tz="UTC" onSessionExpired={() => {}} />);
    await flush();
    expect(screen.getByTestId('state-error')).toHaveTextContent('Storage is down.');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });

  it('says so when there are no posts', async () => {
    const periods = vi.fn().mockResolvedValue(analysisFixture({ postCount: 0, periods: [], days: [] }));
    renderWithI18n(<CalendarScreen client={stubClient({ periods })} tz="UTC" onSessionExpired={() => {}} />);
    await flush();
    expect(screen.getByTestId('state-no-posts')).toHaveTextContent('No posts in the last weeks');
  });

  it('hands a 401 back to the app', async () => {
    const onSessionExpired = vi.fn();
    const periods = vi.fn().mockRejectedValue(new ApiError({ kind: 'unauthenticated', status: 401, code: 'unauthenticated', message: '' }));
    renderWithI18n(<CalendarScreen client={stubClient({ periods })} tz="UTC" onSessionExpired={onSessionExpired} />);
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
