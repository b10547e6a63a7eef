import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { vi } from 'vitest';
import type { ApiClient } from '../api/client';
import { blobSource, extractPosts } from '../features/archive/extract';
import type { ReadArchive } from '../features/archive/protocol';
import type { Lang } from '../i18n/catalogue';
import { I18nProvider } from '../i18n/I18nProvider';

/** Renders inside the i18n provider with a fixed language. */
export function renderWithI18n(ui: ReactElement, lang: Lang = 'en') {
  return render(<I18nProvider initial={lang}>{ui}</I18nProvider>);
}

/** A client whose every method fails unless overridden. */
export function stubClient(over: Partial<ApiClient> = {}): ApiClient {
  const never = () => Promise.reject(new Error('not stubbed'));
  return {
    me: vi.fn(never),
    periods: vi.fn(never),
    analyze: vi.fn(never),
    createShare: vi.fn(never),
    previewShare: vi.fn(never),
    listShares: vi.fn(never),
    deleteShare: vi.fn(never),
    createArchiveShare: vi.fn(never),
    previewArchiveShare: vi.fn(never),
    logout: vi.fn(never),
    ...over,
  };
}

/** Reads an archive on the test's own thread: the worker's code without the Worker. */
export const readArchiveInline: ReadArchive = async (file, onProgress) => {
  const posts = await extractPosts(blobSource(file, 64 * 1024), onProgress);
  return { times: Float64Array.from(posts, (p) => p.time), sources: posts.map((p) => p.source) };
};
