import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { vi } from 'vitest';
import type { ApiClient } from '../api/client';
import { ArchiveError } from '../features/archive/errors';
import { extractPosts } from '../features/archive/extract';
import type { ArchiveSession, OpenArchive } from '../features/archive/session';
import type { Analysis } from '../api/types';
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

/**
 * An archive session on the test's own thread: the worker's reading code without the Worker,
 * with `analyse` standing in for the WebAssembly analyzer (which the e2e tests run for real).
 * Sources whose name contains "bot" count as automated.
 */
export function openArchiveInline(analyse: (times: Float64Array, tz: string) => Analysis): OpenArchive {
  return (): ArchiveSession => {
    let times = new Float64Array(0);
    let closed = false;
    const live = <T,>(v: T) => (closed ? Promise.reject(new ArchiveError('worker_failed', 'cancelled')) : Promise.resolve(v));
    return {
      read: async (file, onProgress) => {
        const { posts, unreadable } = await extractPosts(file, ({ fraction }) => onProgress(fraction), 'fflate');
        const kept = Array.from(posts.times.subarray(0, posts.count)).filter((_, i) => !/bot/i.test(posts.sources[posts.sourceOf[i] ?? 0] ?? ''));
        times = Float64Array.from(kept).sort();
        return live({ times: times.slice(), found: posts.count, automated: posts.count - kept.length, unreadable });
      },
      analyze: (lo, hi, tz) => live(analyse(times.subarray(lo, hi), tz)),
      stats: (ranges, tz) => live(ranges.map(([lo, hi]) => analyse(times.subarray(lo, hi), tz).stats)),
      close: () => {
        closed = true;
      },
    };
  };
}
