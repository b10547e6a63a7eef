// Inflating in a helper worker (inflate.worker.ts) while the archive worker scans: the chunks of
// an entry arrive as an async iterable, exactly as entryChunks gives them on one thread.
import { ArchiveError, type ArchiveErrorCode } from './errors';
import type { Inflater, ZipEntry } from './zip';

/** Archive worker -> inflate worker. */
export type InflateRequest =
  | { type: 'entry'; id: number; file: Blob; entry: ZipEntry; inflater: Inflater; window: number }
  | { type: 'credit'; id: number };

/** Inflate worker -> archive worker. */
export type InflateReply =
  | { type: 'chunk'; id: number; data: Uint8Array }
  | { type: 'end'; id: number }
  | { type: 'error'; id: number; code: ArchiveErrorCode; message: string; detail: string };

/** Chunks in flight between the two workers (DecompressionStream yields ~64 KiB each). */
const WINDOW = 32;

/**
 * Returns entryChunks' counterpart that inflates in `helper`, one entry at a time. The caller
 * owns the helper worker (and terminates it).
 */
export function remoteInflate(helper: Worker): (file: Blob, entry: ZipEntry, inflater: Inflater) => AsyncGenerator<Uint8Array> {
  let nextId = 1;
  return async function* chunks(file, entry, inflater) {
    const id = nextId++;
    const queue: Uint8Array[] = [];
    let ended = false;
    let failure: ArchiveError | null = null;
    let wake: (() => void) | null = null;
    const wakeUp = () => {
      wake?.();
      wake = null;
    };
    helper.onmessage = (ev: MessageEvent<InflateReply>) => {
      const m = ev.data;
      if (m.id !== id) return;
      if (m.type === 'chunk') queue.push(m.data);
      else if (m.type === 'end') ended = true;
      else failure = new ArchiveError(m.code, m.message, m.detail);
      wakeUp();
    };
    helper.onerror = (ev) => {
      ev.preventDefault();
      failure = new ArchiveError('worker_failed', ev.message || 'the inflating worker stopped');
      wakeUp();
    };
    helper.postMessage({ type: 'entry', id, file, entry, inflater, window: WINDOW } satisfies InflateRequest);
    for (;;) {
      const chunk = queue.shift();
      if (chunk !== undefined) {
        helper.postMessage({ type: 'credit', id } satisfies InflateRequest);
        yield chunk;
        continue;
      }
      if (failure !== null) throw failure;
      if (ended) return;
      await new Promise<void>((r) => (wake = r));
    }
  };
}
