import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../api/client';
import { renderWithI18n, stubClient } from '../../../test/render';
import { SharePanel, tweetIntent } from './SharePanel';

const share = { id: 'abc', url: 'https://nezame.test/s/abc', imageUrl: 'https://nezame.test/s/abc.png' };

describe('SharePanel', () => {
  it('creates a share, then links the tweet intent and the image', async () => {
    const client = stubClient({ createShare: vi.fn().mockResolvedValue(share), deleteShare: vi.fn().mockResolvedValue(undefined) });
    renderWithI18n(<SharePanel client={client} tz="Asia/Tokyo" />);
    await userEvent.click(screen.getByRole('button', { name: 'Make a share image' }));
    const tweet = await screen.findByRole('link', { name: 'Share on Twitter' });
    expect(tweet).toHaveAttribute('href', tweetIntent(share.url, 'My awake calendar, drawn from my post times'));
    expect(tweet.getAttribute('href')).toContain('url=https%3A%2F%2Fnezame.test%2Fs%2Fabc');
    expect(screen.getByRole('link', { name: 'Save image' })).toHaveAttribute('href', share.imageUrl);
    await userEvent.click(screen.getByRole('button', { name: 'Delete share' }));
    expect(client.deleteShare).toHaveBeenCalledWith('abc');
    expect(await screen.findByRole('button', { name: 'Make a share image' })).toBeInTheDocument();
  });

  it.each([404, 405])('removes itself when POST /api/shares answers %i', async (status) => {
    const client = stubClient({
      createShare: vi.fn().mockRejectedValue(new ApiError({ kind: 'not_found', status, code: `http_${status}`, message: '' })),
    });
    renderWithI18n(<SharePanel client={client} tz="Asia/Tokyo" />);
    await userEvent.click(screen.getByRole('button', { name: 'Make a share image' }));
    expect(screen.queryByTestId('share')).toBeNull();
  });

  it('explains other failures and lets the user try again', async () => {
    const client = stubClient({
      createShare: vi.fn().mockRejectedValue(new ApiError({ kind: 'unavailable', status: 500, code: 'internal', message: '' })),
    });
    renderWithI18n(<SharePanel client={client} tz="Asia/Tokyo" />);
    await userEvent.click(screen.getByRole('button', { name: 'Make a share image' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not make the share image');
    expect(screen.getByRole('button', { name: 'Make a share image' })).toBeEnabled();
  });
});
