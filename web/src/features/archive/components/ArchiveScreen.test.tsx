import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../../../App';
import { ApiError } from '../../../api/client';
import { analysisFixture } from '../../../test/fixtures';
import { readArchiveInline, renderWithI18n, stubClient } from '../../../test/render';
import { archiveZip, dailyTimes, tweetsJs } from '../fixtures';

const T0 = Date.UTC(2026, 8, 1);
const unauth = () => new ApiError({ kind: 'unauthenticated', status: 401, code: 'unauthenticated', message: '' });

function zipFile(bytes: Uint8Array, name = 'twitter-archive.zip'): File {
  return new File([bytes.slice().buffer as ArrayBuffer], name, { type: 'application/zip' });
}

async function pick(file: File) {
  await userEvent.upload(await screen.findByTestId('archive-input'), file);
}

describe('archive import', () => {
  it('reads a picked archive and analyses the last 4 weeks with times and sources only', async () => {
    const times = dailyTimes(T0, 60, 5); // 60 days, 5 posts a day, 08:00-23:00 UTC
    const analyze = vi.fn().mockResolvedValue(analysisFixture());
    const client = stubClient({ me: vi.fn().mockRejectedValue(unauth()), analyze });
    renderWithI18n(<App client={client} tz="UTC" readArchive={readArchiveInline} />);
    await pick(zipFile(archiveZip({ 'data/tweets.js': tweetsJs(times, { source: 'Twitter for iPhone' }) })));

    expect(await screen.findByTestId('archive-result')).toHaveTextContent('300 posts from 9/1 to 10/30.');
    await waitFor(() => expect(screen.getAllByTestId('awake-bar')).toHaveLength(3));
    expect(analyze).toHaveBeenCalledTimes(1);
    const [sent, tz, sources] = analyze.mock.calls[0] as [Float64Array, string, string[]];
    expect(tz).toBe('UTC');
    expect(sent).toHaveLength(28 * 5);
    expect(sent[0]).toBe(times[32 * 5]); // 10/03 is 28 days before 10/30 inclusive
    expect(sources).toEqual(new Array(28 * 5).fill('Twitter for iPhone'));
    expect(screen.getByLabelText('From')).toHaveValue('2026-10-03');
    expect(screen.getByLabelText('To')).toHaveValue('2026-10-30');

    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-09-01' } });
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2026-09-10' } });
    await userEvent.click(screen.getByRole('button', { name: 'Show' }));
    await waitFor(() => expect(analyze).toHaveBeenCalledTimes(2));
    expect((analyze.mock.calls[1] as [Float64Array])[0]).toHaveLength(50);
  });

  it.each([
    ['a file that is not an archive', () => zipFile(new TextEncoder().encode('not a zip'), 'cat.zip'), 'This is not a zip archive'],
    ['an archive without tweets', () => zipFile(archiveZip({})), 'has no data/tweets.js'],
    [
      'a damaged archive',
      () => {
        const zip = archiveZip({ 'data/tweets.js': tweetsJs(dailyTimes(T0, 30, 30)) });
        return zipFile(zip.subarray(0, zip.length >> 1));
      },
      'damaged or incomplete',
    ],
  ])('explains %s and offers another try', async (_name, file, text) => {
    const client = stubClient({ me: vi.fn().mockRejectedValue(unauth()) });
    renderWithI18n(<App client={client} tz="UTC" readArchive={readArchiveInline} />);
    await pick(file());
    expect(await screen.findByTestId('archive-error')).toHaveTextContent(text);
    expect(client.analyze).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Back' }));
    expect(await screen.findByTestId('sign-in')).toBeInTheDocument();
  });

  it('says so when the range has no posts and shows server errors', async () => {
    const analyze = vi.fn().mockRejectedValue(new ApiError({ kind: 'rate_limited', status: 429, code: 'rate_limited', message: 'Slow down.' }));
    const client = stubClient({ me: vi.fn().mockRejectedValue(unauth()), analyze });
    renderWithI18n(<App client={client} tz="UTC" readArchive={readArchiveInline} />);
    await pick(zipFile(archiveZip({ 'data/tweets.js': tweetsJs([T0, T0 + 3_600_000, T0 + 20 * 86_400_000]) })));
    expect(await screen.findByText('The calendar could not be drawn: Slow down.')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-09-05' } });
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2026-09-06' } });
    await userEvent.click(screen.getByRole('button', { name: 'Show' }));
    expect(await screen.findByText('No posts in this range. Pick other dates.')).toBeInTheDocument();
    expect(analyze).toHaveBeenCalledTimes(1);
  });
});
