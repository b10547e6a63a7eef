import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../api/client';
import type { Share } from '../../../api/types';
import { AnnouncerProvider } from '../../../components/Announcer';
import { renderWithI18n, stubClient } from '../../../test/render';
import { SharePanel, tweetIntent } from './SharePanel';

const share = (id: string, createdAt = '2026-11-02T03:00:00Z', expiresAt: string | null = '2026-12-02T03:00:00Z'): Share => ({
  id,
  url: `https://nezame.test/s/${id}`,
  imageUrl: `https://nezame.test/s/${id}.png`,
  createdAt,
  expiresAt,
});

function panel(client = stubClient(), lang: 'en' | 'ja' = 'en') {
  return renderWithI18n(
    <AnnouncerProvider>
      <SharePanel client={client} tz="Asia/Tokyo" />
    </AnnouncerProvider>,
    lang,
  );
}

describe('SharePanel', () => {
  it('makes a share in the calendar’s zone and language with the chosen expiry, then moves focus to it', async () => {
    const made = share('abc');
    const client = stubClient({ listShares: vi.fn().mockResolvedValue([]), createShare: vi.fn().mockResolvedValue(made) });
    panel(client);
    expect(await screen.findByText('You have no shares yet.')).toBeInTheDocument();
    await userEvent.selectOptions(screen.getByTestId('share-expiry'), '7');
    await userEvent.click(screen.getByRole('button', { name: 'Make a share image' }));
    expect(client.createShare).toHaveBeenCalledWith({ tz: 'Asia/Tokyo', lang: 'en', expiresInDays: 7 });
    const ready = await screen.findByRole('heading', { name: 'Your share is ready' });
    await waitFor(() => expect(ready).toHaveFocus());
    expect(screen.getByTestId('announcer')).toHaveTextContent('Your share is ready');
    const result = within(screen.getByTestId('share-result'));
    expect(result.getByRole('link', { name: 'Share on Twitter' })).toHaveAttribute('href', tweetIntent(made.url, 'My awake calendar, drawn from my post times'));
    expect(result.getByRole('link', { name: 'Open the share page' })).toHaveAttribute('href', made.url);
    expect(result.getByRole('link', { name: 'Save image' })).toHaveAttribute('href', made.imageUrl);
    expect(result.getByRole('img', { name: 'Your share card' })).toHaveAttribute('src', made.imageUrl);
    // It joins "My shares" at once.
    expect(within(screen.getByTestId('my-shares')).getAllByRole('listitem')).toHaveLength(1);
  });

  it('sends lang=ja when the page is in Japanese, and keeps a share forever when asked', async () => {
    const client = stubClient({ listShares: vi.fn().mockResolvedValue([]), createShare: vi.fn().mockResolvedValue(share('j')) });
    panel(client, 'ja');
    await userEvent.selectOptions(screen.getByTestId('share-expiry'), 'never');
    await userEvent.click(screen.getByRole('button', { name: 'シェア画像を作る' }));
    expect(client.createShare).toHaveBeenCalledWith({ tz: 'Asia/Tokyo', lang: 'ja', expiresInDays: null });
  });

  it('previews exactly the card it would publish, publishing nothing', async () => {
    const previewShare = vi.fn().mockResolvedValue(new Blob([new Uint8Array([137, 80, 78, 71])], { type: 'image/png' }));
    const client = stubClient({ listShares: vi.fn().mockResolvedValue([]), previewShare });
    URL.createObjectURL = vi.fn(() => 'blob:preview');
    URL.revokeObjectURL = vi.fn();
    panel(client);
    await userEvent.click(screen.getByRole('button', { name: 'Preview the card' }));
    expect(previewShare).toHaveBeenCalledWith({ tz: 'Asia/Tokyo', lang: 'en', expiresInDays: 30 });
    expect(await screen.findByRole('img', { name: 'Preview of the share card' })).toHaveAttribute('src', 'blob:preview');
    expect(screen.getByTestId('share-preview')).toHaveTextContent('nothing is published');
    expect(client.createShare).not.toHaveBeenCalled();
  });

  it('revokes each preview’s object URL when it is replaced or the panel goes, and hides a preview of another language', async () => {
    const previewShare = vi.fn().mockResolvedValue(new Blob([new Uint8Array([137, 80, 78, 71])], { type: 'image/png' }));
    const client = stubClient({ listShares: vi.fn().mockResolvedValue([]), previewShare });
    let n = 0;
    URL.createObjectURL = vi.fn(() => `blob:preview-${++n}`);
    const revoke = vi.fn();
    URL.revokeObjectURL = revoke;
    const view = panel(client);
    const button = screen.getByRole('button', { name: 'Preview the card' });
    await userEvent.click(button);
    expect(await screen.findByRole('img', { name: 'Preview of the share card' })).toHaveAttribute('src', 'blob:preview-1');
    await userEvent.click(button);
    await waitFor(() => expect(screen.getByRole('img', { name: 'Preview of the share card' })).toHaveAttribute('src', 'blob:preview-2'));
    expect(revoke).toHaveBeenCalledWith('blob:preview-1');
    // The card's language changes: the Japanese card was not previewed.
    await userEvent.selectOptions(screen.getAllByRole('combobox')[0]!, 'ja');
    expect(screen.queryByTestId('share-preview')).toBeNull();
    expect(revoke).not.toHaveBeenCalledWith('blob:preview-2');
    view.unmount();
    expect(revoke).toHaveBeenCalledWith('blob:preview-2');
  });

  it('lists my shares with when they go, and deletes any of them, moving focus to the list', async () => {
    const older = share('old', '2026-10-01T00:00:00Z', null);
    const newer = share('new');
    const client = stubClient({ listShares: vi.fn().mockResolvedValue([newer, older]), deleteShare: vi.fn().mockResolvedValue(undefined) });
    panel(client);
    const list = await screen.findByTestId('my-shares');
    const items = within(list).getAllByRole('listitem');
    expect(items.map((i) => i.getAttribute('data-share-id'))).toEqual(['new', 'old']);
    expect(items[1]).toHaveTextContent('kept until you delete it');
    expect(items[0]).toHaveTextContent('deleted by itself');
    await userEvent.click(within(items[1]!).getByRole('button', { name: /Delete share \(made/ }));
    expect(client.deleteShare).toHaveBeenCalledWith('old');
    await waitFor(() => expect(screen.getByRole('heading', { name: 'My shares' })).toHaveFocus());
    expect(within(screen.getByTestId('my-shares')).getAllByRole('listitem')).toHaveLength(1);
    expect(screen.getByTestId('announcer')).toHaveTextContent('Share deleted.');
  });

  it('says "sign in again" for an expired session and "try again" when nezame fails', async () => {
    const createShare = vi
      .fn()
      .mockRejectedValueOnce(new ApiError({ kind: 'unauthenticated', status: 401, code: 'unauthenticated', message: '' }))
      .mockRejectedValueOnce(new ApiError({ kind: 'unavailable', status: 503, code: 'share_store_unavailable', message: '' }))
      .mockRejectedValueOnce(new ApiError({ kind: 'network', status: 0, code: 'network', message: '' }))
      .mockRejectedValueOnce(new ApiError({ kind: 'rejected', status: 400, code: 'invalid_request', message: 'expiresInDays: want null or 1..365' }));
    panel(stubClient({ listShares: vi.fn().mockResolvedValue([]), createShare }));
    const make = screen.getByRole('button', { name: 'Make a share image' });
    await userEvent.click(make);
    expect(await screen.findByTestId('share-problem')).toHaveTextContent('Your session has ended. Sign in again to share.');
    expect(screen.getByRole('link', { name: 'Sign in again' })).toHaveAttribute('href', '/auth/login');
    await userEvent.click(make);
    await waitFor(() => expect(screen.getByTestId('share-problem')).toHaveTextContent('nezame had trouble on its side. Try again in a moment.'));
    expect(screen.queryByRole('link', { name: 'Sign in again' })).toBeNull();
    await userEvent.click(make);
    await waitFor(() => expect(screen.getByTestId('share-problem')).toHaveTextContent('nezame did not answer'));
    await userEvent.click(make);
    // A refusal is said in plain words, not with the server's field-level message.
    await waitFor(() => expect(screen.getByTestId('share-problem')).toHaveTextContent('nezame could not make this share. Try again later.'));
    expect(screen.getByTestId('share-problem')).not.toHaveTextContent('expiresInDays');
    expect(make).toBeEnabled();
  });

  it('offers a retry when the list cannot be loaded', async () => {
    const listShares = vi
      .fn()
      .mockRejectedValueOnce(new ApiError({ kind: 'unavailable', status: 500, code: 'internal', message: '' }))
      .mockResolvedValueOnce([share('a')]);
    panel(stubClient({ listShares }));
    expect(await screen.findByText(/Could not load your shares/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('my-shares')).toBeInTheDocument();
  });
});
