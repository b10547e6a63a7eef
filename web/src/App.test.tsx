import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from './App';
import { ApiError } from './api/client';
import { LEGACY_HINT_KEY, SESSION_HINT_COOKIE } from './features/auth/sessionHint';
import { analysisFixture, meFixture } from './test/fixtures';
import { openArchiveInline, renderWithI18n, stubClient } from './test/render';

const unauth = () => new ApiError({ kind: 'unauthenticated', status: 401, code: 'unauthenticated', message: 'sign in' });

function setHint(on: boolean) {
  document.cookie = on ? `${SESSION_HINT_COOKIE}=1; path=/` : `${SESSION_HINT_COOKIE}=; path=/; max-age=0`;
}

function setURL(path: string) {
  window.history.replaceState(null, '', path);
}

describe('App', () => {
  afterEach(() => setURL('/'));
  // As after sign-in: the server has set its readable hint beside the HttpOnly session cookie.
  beforeEach(() => setHint(true));

  it('shows the landing page with a sample calendar when signed out', async () => {
    const client = stubClient({ me: vi.fn().mockRejectedValue(unauth()) });
    renderWithI18n(<App client={client} tz="UTC" openArchive={openArchiveInline(() => analysisFixture())} />);
    const signIn = await screen.findByTestId('sign-in');
    expect(signIn).toHaveAttribute('href', '/auth/login');
    expect(signIn).toHaveTextContent('Sign in with Twitter');
    expect(screen.getByText('See when you were awake and asleep, drawn from the times of your posts.')).toBeInTheDocument();
    expect(screen.getByText('ツイートの時刻から、あなたの起きていた時間と眠っていた時間を描きます。')).toBeInTheDocument();
    // Said once, beside the sign-in button (not again in the footer).
    expect(screen.getAllByText('Only the times of your posts are used. No post text is stored.')).toHaveLength(1);
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
    renderWithI18n(<App client={stubClient({ me: vi.fn().mockRejectedValue(unauth()) })} tz="UTC" openArchive={openArchiveInline(() => analysisFixture())} />);
    expect(await screen.findByTestId(testId)).toHaveTextContent(text);
    expect(window.location.search).toBe('');
    await userEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId(testId)).toBeNull();
  });

  it('asks nobody on a visit without the signed-in hint, so no 401 is logged', async () => {
    setHint(false);
    const client = stubClient({ me: vi.fn().mockRejectedValue(unauth()) });
    renderWithI18n(<App client={client} tz="UTC" openArchive={openArchiveInline(() => analysisFixture())} />);
    expect(await screen.findByTestId('sign-in')).toBeInTheDocument();
    expect(client.me).not.toHaveBeenCalled();
  });

  it('recognises a signed-in browser from the hint cookie alone, with its storage cleared', async () => {
    localStorage.clear();
    sessionStorage.clear();
    const client = stubClient({
      me: vi.fn().mockResolvedValue(meFixture),
      periods: vi.fn().mockResolvedValue(analysisFixture()),
      listShares: vi.fn().mockResolvedValue([]),
    });
    renderWithI18n(<App client={client} tz="UTC" openArchive={openArchiveInline(() => analysisFixture())} />);
    expect(await screen.findByText('@night_owl')).toBeInTheDocument();
    expect(client.me).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId('sign-in')).toBeNull();
  });

  it('asks once for a session made before the hint cookie existed, then drops the old hint', async () => {
    setHint(false);
    localStorage.setItem(LEGACY_HINT_KEY, '1');
    const client = stubClient({ me: vi.fn().mockRejectedValue(unauth()) });
    renderWithI18n(<App client={client} tz="UTC" openArchive={openArchiveInline(() => analysisFixture())} />);
    expect(await screen.findByTestId('sign-in')).toBeInTheDocument();
    expect(client.me).toHaveBeenCalledTimes(1);
    expect(localStorage.getItem(LEGACY_HINT_KEY)).toBeNull();
  });

  it('shows the user and the calendar in the chosen zone, and signs out without reloading', async () => {
    const client = stubClient({
      me: vi.fn().mockResolvedValue(meFixture),
      periods: vi.fn().mockResolvedValue(analysisFixture()),
      listShares: vi.fn().mockResolvedValue([]),
      logout: vi.fn().mockResolvedValue(undefined),
    });
    renderWithI18n(<App client={client} tz="Asia/Calcutta" openArchive={openArchiveInline(() => analysisFixture())} />);
    expect(await screen.findByText('@night_owl')).toBeInTheDocument();
    expect(screen.getByText('Night Owl')).toBeInTheDocument();
    expect(await screen.findAllByTestId('awake-bar')).toHaveLength(3);
    // The browser's ICU name is sent as the canonical IANA name the server accepts.
    expect(client.periods).toHaveBeenCalledWith('Asia/Kolkata');
    expect(screen.queryByTestId('sign-in')).toBeNull();
    // Sharing sits right under the calendar, before the statistics.
    const share = screen.getByTestId('share');
    const stats = screen.getByRole('heading', { name: 'Your rhythm' });
    expect(share.compareDocumentPosition(stats) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(client.logout).toHaveBeenCalledTimes(1);
    expect(await screen.findByTestId('sign-in')).toBeInTheDocument();
  });

  it('stays signed in with an in-app error when signing out cannot reach nezame', async () => {
    const logout = vi
      .fn()
      .mockRejectedValueOnce(new ApiError({ kind: 'network', status: 0, code: 'network', message: 'Failed to fetch' }))
      .mockResolvedValueOnce(undefined);
    const client = stubClient({
      me: vi.fn().mockResolvedValue(meFixture),
      periods: vi.fn().mockResolvedValue(analysisFixture()),
      listShares: vi.fn().mockResolvedValue([]),
      logout,
    });
    renderWithI18n(<App client={client} tz="UTC" openArchive={openArchiveInline(() => analysisFixture())} />);
    await screen.findAllByTestId('awake-bar');
    await userEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByTestId('sign-out-failed')).toHaveTextContent('nezame did not answer, so you are still signed in');
    expect(screen.getByText('@night_owl')).toBeInTheDocument();
    await userEvent.click(within(screen.getByTestId('sign-out-failed')).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('sign-in')).toBeInTheDocument();
  });

  it('remembers a picked time zone and draws the calendar in it', async () => {
    const client = stubClient({
      me: vi.fn().mockResolvedValue(meFixture),
      periods: vi.fn().mockResolvedValue(analysisFixture()),
      listShares: vi.fn().mockResolvedValue([]),
    });
    const first = renderWithI18n(<App client={client} tz="Asia/Tokyo" openArchive={openArchiveInline(() => analysisFixture())} />);
    await screen.findAllByTestId('awake-bar');
    await userEvent.click(screen.getByRole('button', { name: 'Change time zone' }));
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search by city or zone' }), 'new york');
    await userEvent.click(screen.getByRole('button', { name: /New York America\/New_York/ }));
    await waitFor(() => expect(client.periods).toHaveBeenLastCalledWith('America/New_York'));
    // Once the calendar is drawn in the new zone, focus is back on the picker's button and the
    // zone is said politely (not lost on the page's body, nor drowned by "Loading").
    await screen.findByText('Times are shown in America/New_York.', { selector: '.tz-line span' });
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Change time zone' })));
    expect(screen.getByTestId('announcer')).toHaveTextContent(/^Times are shown in America\/New_York\.$/);
    first.unmount();
    renderWithI18n(<App client={client} tz="Asia/Tokyo" openArchive={openArchiveInline(() => analysisFixture())} />);
    await screen.findAllByTestId('awake-bar');
    expect(client.periods).toHaveBeenLastCalledWith('America/New_York');
  });

  it('goes back to the landing page with a message when the session expires', async () => {
    const client = stubClient({
      me: vi.fn().mockResolvedValue(meFixture),
      periods: vi.fn().mockRejectedValue(unauth()),
    });
    renderWithI18n(<App client={client} tz="UTC" openArchive={openArchiveInline(() => analysisFixture())} />);
    expect(await screen.findByTestId('notice-expired')).toHaveTextContent('Your session has expired');
    expect(screen.getByTestId('sign-in')).toBeInTheDocument();
    expect(screen.queryByText('@night_owl')).toBeNull();
  });

  it('offers a retry when the server cannot be reached', async () => {
    const me = vi
      .fn()
      .mockRejectedValueOnce(new ApiError({ kind: 'network', status: 0, code: 'network', message: 'offline' }))
      .mockRejectedValueOnce(unauth());
    renderWithI18n(<App client={stubClient({ me })} tz="UTC" openArchive={openArchiveInline(() => analysisFixture())} />);
    expect(await screen.findByTestId('state-network')).toHaveTextContent('Could not reach nezame');
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('sign-in')).toBeInTheDocument();
    expect(me).toHaveBeenCalledTimes(2);
  });
});
