import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it, vi } from 'vitest';
import { buildArchive, SOURCES } from '../../../../e2e/checks/archive-fixture.mjs';
import { App } from '../../../App';
import { ApiError } from '../../../api/client';
import type { Analysis } from '../../../api/types';
import { analysisFixture } from '../../../test/fixtures';
import { openArchiveInline, renderWithI18n, stubClient } from '../../../test/render';
import { ArchiveError } from '../errors';
import { RANGE_STORAGE_KEY } from '../range';
import { SAVED_SHARES_KEY } from '../savedShares';
import { onShareGrid } from '../summary';
import type { ArchiveSession } from '../session';

const unauth = () => new ApiError({ kind: 'unauthenticated', status: 401, code: 'unauthenticated', message: '' });
const DAY = 86_400_000;
const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

/** A stand-in for the analyzer: one 08:07–23:04 awake span a day (UTC, off the quarter hours), sleep in between. */
function fakeAnalysis(times: Float64Array): Analysis {
  const first = Date.parse(`${utcDate(times[0]!)}T00:00:00Z`);
  const n = Math.round((Date.parse(`${utcDate(times[times.length - 1]!)}T00:00:00Z`) - first) / DAY) + 1;
  const days = Array.from({ length: n }, (_, i) => ({
    date: utcDate(first + i * DAY),
    awake: [{ start: iso(first + i * DAY + 8 * 3_600_000 + 7 * 60_000 + 17_000), end: iso(first + i * DAY + 23 * 3_600_000 + 4 * 60_000 + 42_000) }],
  }));
  const sleeps = days.slice(0, -1).map((d, i) => ({ start: d.awake[0]!.end, end: days[i + 1]!.awake[0]!.start, confidence: 0.876, main: true }));
  const periods = days.map((d) => ({ ...d.awake[0]!, posts: 5 }));
  return { ...analysisFixture(), timezone: 'UTC', from: iso(first), to: iso(first + n * DAY), postCount: times.length, days, sleeps, gaps: [], periods };
}

function zipFile(bytes: Uint8Array, name = 'twitter-archive.zip'): File {
  return new File([bytes.slice()], name, { type: 'application/zip' });
}

function renderApp(open = openArchiveInline(fakeAnalysis), client = stubClient({ me: vi.fn().mockRejectedValue(unauth()) })) {
  renderWithI18n(<App client={client} tz="UTC" openArchive={open} />);
  return client;
}

async function pick(file: File) {
  await userEvent.upload(await screen.findByTestId('archive-input'), file);
}

const archive = () => buildArchive({ posts: 3000, perDay: 10, utcOffsetHours: 0, automatedShare: 0.1, media: 0 });

describe('archive import', () => {
  it('reads an archive on the device, years in its dates, and remembers the range picked', async () => {
    const a = archive();
    const analyse = vi.fn(fakeAnalysis);
    renderApp(openArchiveInline(analyse));
    await pick(zipFile(a.bytes!));

    const found = await screen.findByTestId('archive-found');
    const bots = a.sources.filter((s) => s === SOURCES.bot).length;
    expect(found).toHaveTextContent(`${a.times.length.toLocaleString('en')} posts from`);
    expect(found).toHaveTextContent(/\w{3} \d{1,2}, 20\d\d to \w{3} \d{1,2}, 2026\./);
    expect(found).toHaveTextContent(`${bots} automated posts (bots, auto-reports) left out.`);
    // The default: the last 4 weeks, drawn as the calendar.
    await screen.findAllByTestId('awake-bar');
    const [sent] = analyse.mock.calls.at(-1)!;
    expect(utcDate(sent[sent.length - 1]!)).toBe(utcDate(a.times.at(-1)!));
    expect(utcDate(sent[0]!) >= utcDate(Date.parse(`${utcDate(a.times.at(-1)!)}T00:00:00Z`) - 27 * DAY)).toBe(true);

    await userEvent.click(screen.getByRole('radio', { name: 'Everything' }));
    expect(await screen.findByTestId('actogram')).toBeInTheDocument();
    // The whole archive in one analysis (then one per month for the trends), automated posts left out.
    expect(Math.max(...analyse.mock.calls.map(([t]) => t.length))).toBe(a.times.length - bots);
    expect(await screen.findByTestId('trends')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Show as a table' }));
    expect(within(screen.getByTestId('trends-table')).getAllByRole('row').length).toBeGreaterThan(10);
    expect(JSON.parse(localStorage.getItem(RANGE_STORAGE_KEY)!)).toEqual({ preset: 'all' });
  }, 30_000); // a 3,000-post archive read and drawn three ways on a shared machine

  it('starts from the remembered range', async () => {
    localStorage.setItem(RANGE_STORAGE_KEY, JSON.stringify({ preset: 'year' }));
    renderApp();
    await pick(zipFile(archive().bytes!));
    expect(await screen.findByTestId('actogram')).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'Last year' })).toBeChecked();
  });

  it.each([
    ['a file that is not an archive', () => zipFile(new TextEncoder().encode('not a zip'), 'cat.zip'), 'This is not a zip archive'],
    ['an archive without tweets', () => zipFile(zipSync({ 'data/account.js': strToU8('[]') })), 'has no data/tweets.js'],
    ['an archive from before 2012', () => zipFile(zipSync({ 'tweets.csv': strToU8('"tweet_id"') })), 'tweets.csv, which nezame cannot read'],
    ['a missing part', () => zipFile(buildArchive({ posts: 300, partSize: 100, omitPart: 2, media: 0 }).bytes!), 'File: data/tweets-part2.js'],
    [
      'a damaged archive',
      () => {
        const zip = archive().bytes!;
        return zipFile(zip.subarray(0, zip.length >> 1));
      },
      'damaged or incomplete',
    ],
  ])('explains %s and offers another try', async (_name, file, text) => {
    renderApp();
    await pick(file());
    expect(await screen.findByTestId('archive-error')).toHaveTextContent(text);
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Back' }));
    expect(await screen.findByTestId('sign-in')).toBeInTheDocument();
  });

  it('tells a failure of the device or the analyzer apart from a bad archive, and retries', async () => {
    const read = vi
      .fn<ArchiveSession['read']>()
      .mockRejectedValueOnce(new ArchiveError('analyzer_failed', 'HTTP 503'))
      .mockRejectedValueOnce(new ArchiveError('worker_failed', 'out of memory'));
    const open = () => ({ read, analyze: vi.fn(), stats: vi.fn(), close: vi.fn() });
    renderApp(open);
    await pick(zipFile(archive().bytes!));
    expect(await screen.findByTestId('archive-error')).toHaveTextContent('not a problem with your archive. Check your connection');
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(screen.getByTestId('archive-error')).toHaveTextContent('Reading stopped on this device'));
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('cancels a read: the session is closed and the landing page is back', async () => {
    const close = vi.fn();
    const open = () => ({ read: () => new Promise<never>(() => {}), analyze: vi.fn(), stats: vi.fn(), close });
    renderApp(open);
    await pick(zipFile(archive().bytes!));
    await userEvent.click(await screen.findByTestId('archive-cancel'));
    expect(close).toHaveBeenCalled();
    expect(await screen.findByTestId('sign-in')).toBeInTheDocument();
  });

  it('says so when every post is automated, with no made-up 1970 dates', async () => {
    renderApp();
    await pick(zipFile(buildArchive({ posts: 50, perDay: 10, utcOffsetHours: 0, automatedShare: 1, media: 0 }).bytes!));
    const state = await screen.findByTestId('archive-all-automated');
    expect(state).toHaveTextContent('All 50 posts in this archive are automated');
    expect(document.body).not.toHaveTextContent('1970');
    expect(screen.queryByTestId('archive-found')).toBeNull();
  });

  it('takes a file dropped anywhere on the page', async () => {
    renderApp();
    await screen.findByTestId('sign-in');
    const file = zipFile(archive().bytes!);
    const dataTransfer = { types: ['Files'], files: [file], dropEffect: 'none' };
    fireEvent.dragEnter(window, { dataTransfer });
    expect(screen.getByTestId('drop-overlay')).toHaveAttribute('data-active', 'true');
    fireEvent.drop(window, { dataTransfer });
    expect(screen.getByTestId('drop-overlay')).toHaveAttribute('data-active', 'false');
    expect(await screen.findByTestId('archive-found')).toBeInTheDocument();
  });

  it('shares a card only after a yes, sending a summary without post times', async () => {
    const a = archive();
    const createArchiveShare = vi.fn().mockResolvedValue({
      id: 'abc', url: 'http://x/s/abc', imageUrl: '/s/abc.png', createdAt: '2026-11-02T00:00:00Z', expiresAt: null, deleteToken: 'tok',
    });
    const deleteShare = vi.fn().mockResolvedValue(undefined);
    renderApp(openArchiveInline(fakeAnalysis), stubClient({ me: vi.fn().mockRejectedValue(unauth()), createArchiveShare, deleteShare }));
    await pick(zipFile(a.bytes!));
    await userEvent.click(await screen.findByTestId('archive-share-open'));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('rounded to the nearest 15 minutes');
    expect(dialog).toHaveTextContent('Not sent: your posts, their text, or the time of any post.');
    expect(dialog).not.toHaveTextContent('change of time zone'); // none found, none said
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(createArchiveShare).not.toHaveBeenCalled();

    await userEvent.click(screen.getByTestId('archive-share-open'));
    await userEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Share' }));
    await screen.findByText(/Your card is ready/);
    const req = createArchiveShare.mock.calls[0]![0] as { tz: string; summary: Analysis };
    expect(req.tz).toBe('UTC');
    expect(Object.keys(req.summary).sort()).toEqual(['days', 'from', 'gaps', 'postCount', 'sleeps', 'stats', 'timezone', 'to', 'zoneChanges']);
    const body = JSON.stringify(req);
    const times = body.match(/\d{4}-\d{2}-\d{2}T[^"]+/g) ?? [];
    expect(times.length).toBeGreaterThan(0);
    for (const t of times) expect(onShareGrid(t), t).toBe(true); // every time on the 15-minute grid
    expect(body).not.toMatch(/"(periods|singles|timestamps)"/);
    expect(req.summary.sleeps[0]?.confidence).toBe(0.88);
    await userEvent.click(screen.getByRole('button', { name: 'Delete share' }));
    expect(deleteShare).toHaveBeenCalledWith('abc', 'tok');
    await waitFor(() => expect(localStorage.getItem(SAVED_SHARES_KEY)).toBeNull());
  });

  it('says in the consent dialog that a change of time zone is sent, and sends it on the grid', async () => {
    // The traveller's change falls on the day before the last, at 07:13 (off the grid).
    const travelled = (times: Float64Array): Analysis => {
      const a = fakeAnalysis(times);
      return { ...a, zoneChanges: [{ at: `${a.days.at(-2)!.date}T07:13:00Z`, hours: 8 }] };
    };
    const createArchiveShare = vi.fn().mockResolvedValue(made);
    renderApp(openArchiveInline(travelled), stubClient({ me: vi.fn().mockRejectedValue(unauth()), createArchiveShare }));
    await pick(zipFile(archive().bytes!));
    await userEvent.click(await screen.findByTestId('archive-share-open'));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('the change of time zone found in these dates: when (rounded to 15 minutes) and by how many hours');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Share' }));
    await screen.findByText(/Your card is ready/);
    const req = createArchiveShare.mock.calls[0]![0] as { summary: Analysis };
    expect(req.summary.zoneChanges).toEqual([{ at: `${req.summary.days.at(-2)!.date}T07:15:00+00:00`, hours: 8 }]);
  });

  const made = { id: 'abc', url: 'http://x/s/abc', imageUrl: '/s/abc.png', createdAt: '2026-11-02T00:00:00Z', expiresAt: '2099-01-01T00:00:00Z', deleteToken: 'tok' };

  async function shareOnce(client: ReturnType<typeof stubClient>) {
    const view = renderWithI18n(<App client={client} tz="UTC" openArchive={openArchiveInline(fakeAnalysis)} />);
    await pick(zipFile(archive().bytes!));
    await userEvent.click(await screen.findByTestId('archive-share-open'));
    await userEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Share' }));
    return view;
  }

  it('keeps the delete token on this browser, so the card can be deleted after the page is gone', async () => {
    const deleteShare = vi.fn().mockResolvedValue(undefined);
    const client = stubClient({ me: vi.fn().mockRejectedValue(unauth()), createArchiveShare: vi.fn().mockResolvedValue(made), deleteShare });
    const view = await shareOnce(client);
    await screen.findByText(/Your card is ready/);
    expect(JSON.parse(localStorage.getItem(SAVED_SHARES_KEY)!)).toEqual({ abc: { url: made.url, imageUrl: made.imageUrl, createdAt: made.createdAt, expiresAt: made.expiresAt, deleteToken: 'tok' } });
    // The card just made is shown once, with its own Delete, not again in the saved list.
    expect(screen.queryByTestId('saved-archive-shares')).toBeNull();
    view.unmount();

    // A later visit: the landing page lists the card, and deletes it with its token.
    renderWithI18n(<App client={client} tz="UTC" openArchive={openArchiveInline(fakeAnalysis)} />);
    const saved = await screen.findByTestId('saved-archive-shares');
    expect(saved).toHaveTextContent('Archive cards made on this browser');
    expect(within(saved).getByRole('link', { name: /Made/ })).toHaveAttribute('href', made.url);
    await userEvent.click(within(saved).getByRole('button', { name: /Delete share \(made/ }));
    expect(deleteShare).toHaveBeenCalledWith('abc', 'tok');
    await waitFor(() => expect(screen.queryByTestId('saved-archive-shares')).toBeNull());
    expect(localStorage.getItem(SAVED_SHARES_KEY)).toBeNull();
  });

  it('forgets a saved card the server no longer has, and says so plainly when deleting fails', async () => {
    localStorage.setItem(SAVED_SHARES_KEY, JSON.stringify({ gone: { ...made, id: undefined }, kept: { ...made, id: undefined, createdAt: '2026-11-03T00:00:00Z' } }));
    const deleteShare = vi.fn((id: string) =>
      Promise.reject(id === 'gone' ? new ApiError({ kind: 'not_found', status: 404, code: 'not_found', message: '' }) : new ApiError({ kind: 'network', status: 0, code: 'network', message: 'TypeError: Failed to fetch' })),
    );
    renderApp(openArchiveInline(fakeAnalysis), stubClient({ me: vi.fn().mockRejectedValue(unauth()), deleteShare }));
    const saved = await screen.findByTestId('saved-archive-shares');
    const [kept, gone] = within(saved).getAllByRole('listitem');
    await userEvent.click(within(gone!).getByRole('button'));
    await waitFor(() => expect(within(saved).getAllByRole('listitem')).toHaveLength(1));
    await userEvent.click(within(kept!).getByRole('button'));
    expect(await within(saved).findByText(/The card could not be deleted\. nezame did not answer/)).toBeInTheDocument();
    expect(saved).not.toHaveTextContent('Failed to fetch');
    expect(localStorage.getItem(SAVED_SHARES_KEY)).toContain('kept');
  });

  it('deletes a card that comes back after the person cancelled', async () => {
    let answer: (s: typeof made) => void = () => {};
    const createArchiveShare = vi.fn(() => new Promise<typeof made>((res) => (answer = res)));
    const deleteShare = vi.fn().mockResolvedValue(undefined);
    await shareOnce(stubClient({ me: vi.fn().mockRejectedValue(unauth()), createArchiveShare, deleteShare }));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    answer(made);
    await waitFor(() => expect(deleteShare).toHaveBeenCalledWith('abc', 'tok'));
    await waitFor(() => expect(localStorage.getItem(SAVED_SHARES_KEY)).toBeNull());
    expect(screen.queryByText(/Your card is ready/)).toBeNull();
    expect(screen.getByTestId('archive-share-open')).toBeEnabled();
  });

  it('says why a card could not be made in plain words, not the raw message', async () => {
    const createArchiveShare = vi.fn().mockRejectedValue(new ApiError({ kind: 'rejected', status: 400, code: 'invalid_summary', message: 'summary.sleeps[3].end: not after its start' }));
    await shareOnce(stubClient({ me: vi.fn().mockRejectedValue(unauth()), createArchiveShare }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The card could not be made. nezame refused this summary. Try another range.');
    expect(alert).not.toHaveTextContent('summary.sleeps');
  });

  it('is a real modal: focus starts inside, Tab stays inside, Escape closes and focus returns to the button', async () => {
    renderApp(openArchiveInline(fakeAnalysis), stubClient({ me: vi.fn().mockRejectedValue(unauth()) }));
    await pick(zipFile(archive().bytes!));
    const opener = await screen.findByTestId('archive-share-open');
    await userEvent.click(opener);
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveAttribute('aria-modal', 'true');
    expect(dialog).toContainElement(document.activeElement as HTMLElement);
    const cancel = within(dialog).getByRole('button', { name: 'Cancel' });
    cancel.focus();
    await userEvent.tab();
    expect(within(dialog).getByRole('combobox')).toHaveFocus();
    await userEvent.tab({ shift: true });
    expect(cancel).toHaveFocus();
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    await waitFor(() => expect(opener).toHaveFocus());
  });
});
