import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from './App';
import { ApiError } from './api/client';
import { analysisFixture, meFixture } from './test/fixtures';
import { readArchiveInline, renderWithI18n, stubClient } from './test/render';

const unauth = () => new ApiError({ kind: 'unauthenticated', status: 401, code: 'unauthenticated', message: 'sign in' });

function setURL(path: string) {
  window.history.replaceState(null, '', path);
}

describe('App', () => {
  afterEach(() => setURL('/'));

  it('shows the landing page with a sample calendar when signed out', async () => {
    const client = stubClient({ me: vi.fn().mockRejectedValue(unauth()) });
    renderWithI18n(<App client={client} tz="UTC" reload={() => {}} readArchive={readArchiveInline} />);
    const signIn = await screen.findByTestId('sign-in');
    expect(signIn).toHaveAttribute('href', '/auth/login');
    expect(signIn).toHaveTextContent('Sign in with Twitter');
    expect(screen.getByText('See when you were awake and asleep, drawn from the times of your posts.')).toBeInTheDocument();
    expect(screen.getByText('ツイートの時刻から、あなたの起きていた時間と眠っていた時間を描きます。')).toBeInTheDocument();
    expect(screen.getAllByText('Only the times of your posts are used. No post text is stored.').length).toBeGreaterThan(0);
    expect(screen.getAllByTestId('awake-bar').length).toBeGreaterThan(10);
    expect(client.periods).not.toHaveBeenCalled();
    // The sample is someone else's past: it claims neither "your" rhythm nor a made-up today.
    expect(screen.getByRole('heading', { name: 'Their rhythm' })).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Your rhythm' })).not.toBeInTheDocument();
    expect(screen.queryByText('today')).not.toBeInTheDocument();
  });

  it.each([
    ['/?error=denied', 'notice-denied', 'You cancelled sign-in'],
    ['/?error=token_exchange_failed', 'notice-failed', 'Sign-in did not work (token_exchange_failed)'],
    ['/?error=%3Cscript%3E', 'notice-failed', 'Sign-in did not work (unknown)'],
  ])('explains %s and cleans the URL', async (url, testId, text) => {
    setURL(url);
    renderWithI18n(<App client={stubClient({ me: vi.fn().mockRejectedValue(unauth()) })} tz="UTC" reload={() => {}} readArchive={readArchiveInline} />);
    expect(await screen.findByTestId(testId)).toHaveTextContent(text);
    expect(window.location.search).toBe('');
    await userEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId(testId)).toBeNull();
  });

  it('shows the user, the calendar and signs out with a reload', async () => {
    const reload = vi.fn();
    const client = stubClient({
      me: vi.fn().mockResolvedValue(meFixture),
      periods: vi.fn().mockResolvedValue(analysisFixture()),
      logout: vi.fn().mockResolvedValue(undefined),
    });
    renderWithI18n(<App client={client} tz="Asia/Tokyo" reload={reload} readArchive={readArchiveInline} />);
    expect(await screen.findByText('@night_owl')).toBeInTheDocument();
    expect(screen.getByText('Night Owl')).toBeInTheDocument();
    expect(await screen.findAllByTestId('awake-bar')).toHaveLength(3);
    expect(client.periods).toHaveBeenCalledWith('Asia/Tokyo');
    expect(screen.queryByTestId('sign-in')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(client.logout).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(reload).toHaveBeenCalledTimes(1));
  });

  it('goes back to the landing page with a message when the session expires', async () => {
    const client = stubClient({
      me: vi.fn().mockResolvedValue(meFixture),
      periods: vi.fn().mockRejectedValue(unauth()),
    });
    renderWithI18n(<App client={client} tz="UTC" reload={() => {}} readArchive={readArchiveInline} />);
    expect(await screen.findByTestId('notice-expired')).toHaveTextContent('Your session has expired');
    expect(screen.getByTestId('sign-in')).toBeInTheDocument();
    expect(screen.queryByText('@night_owl')).toBeNull();
  });

  it('offers a retry when the server cannot be reached', async () => {
    const me = vi
      .fn()
      .mockRejectedValueOnce(new ApiError({ kind: 'network', status: 0, code: 'network', message: 'offline' }))
      .mockRejectedValueOnce(unauth());
    renderWithI18n(<App client={stubClient({ me })} tz="UTC" reload={() => {}} readArchive={readArchiveInline} />);
    expect(await screen.findByTestId('state-network')).toHaveTextContent('Could not reach nezame');
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('sign-in')).toBeInTheDocument();
    expect(me).toHaveBeenCalledTimes(2);
  });
});
