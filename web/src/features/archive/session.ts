// The page's side of the archive worker: one worker per archive, which holds the posts; the
// page reads through it and asks it for analyses. close() ends the worker at once (the cancel
// button), which frees everything it held.
import type { Analysis, Stats } from '../../api/types';
import { ArchiveError } from './errors';
import type { LoadedArchive, WorkerReply, WorkerRequest } from './protocol';

/** An open archive: read it once, then analyse ranges of its sorted times. */
export interface ArchiveSession {
  /** Reads the file; `onProgress` gets the share of its tweets bytes read (0..1). */
  read(file: File, onProgress: (fraction: number) => void): Promise<LoadedArchive>;
  /** The analysis of the loaded times [lo, hi) in `tz`. */
  analyze(lo: number, hi: number, tz: string): Promise<Analysis>;
  /** The statistics of each range [lo, hi) of the loaded times (the monthly trends). */
  stats(ranges: [number, number][], tz: string): Promise<Stats[]>;
  /** Ends the session; pending calls reject with code worker_failed and message "cancelled". */
  close(): void;
}

/** Opens a session (the browser's runs a Web Worker). */
export type OpenArchive = () => ArchiveSession;

type Pending = { resolve: (json: string) => void; reject: (e: ArchiveError) => void };

/** The browser's session: a module Web Worker running archive.worker.ts. */
export const openArchiveWorker: OpenArchive = () => {
  const worker = new Worker(new URL('./archive.worker.ts', import.meta.url), { type: 'module' });
  const pending = new Map<number, Pending>();
  let reading: { resolve: (a: LoadedArchive) => void; reject: (e: ArchiveError) => void; onProgress: (f: number) => void } | null = null;
  let nextId = 1;
  let closed = false;

  const failAll = (e: ArchiveError) => {
    reading?.reject(e);
    reading = null;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };

  worker.onmessage = (ev: MessageEvent<WorkerReply>) => {
    const msg = ev.data;
    switch (msg.type) {
      case 'progress':
        reading?.onProgress(msg.fraction);
        break;
      case 'loaded':
        reading?.resolve({ times: msg.times, found: msg.found, automated: msg.automated, unreadable: msg.unreadable });
        reading = null;
        break;
      case 'analysis':
        pending.get(msg.id)?.resolve(msg.json);
        pending.delete(msg.id);
        break;
      case 'error': {
        const e = new ArchiveError(msg.code, msg.message, msg.detail);
        if (msg.id === undefined) {
          reading?.reject(e);
          reading = null;
        } else {
          pending.get(msg.id)?.reject(e);
          pending.delete(msg.id);
        }
      }
    }
  };
  worker.onerror = (ev) => {
    ev.preventDefault();
    failAll(new ArchiveError('worker_failed', ev.message || 'the archive reader stopped'));
  };

  const send = (msg: WorkerRequest) => {
    if (closed) throw new ArchiveError('worker_failed', 'cancelled');
    worker.postMessage(msg);
  };

  const ask = (msg: (id: number) => WorkerRequest) =>
    new Promise<string>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      send(msg(id));
    });

  return {
    read: (file, onProgress) =>
      new Promise<LoadedArchive>((resolve, reject) => {
        reading = { resolve, reject, onProgress };
        send({ type: 'read', file });
      }),
    analyze: (lo, hi, tz) => ask((id) => ({ type: 'analyze', id, lo, hi, tz })).then((json) => JSON.parse(json) as Analysis),
    stats: (ranges, tz) => ask((id) => ({ type: 'stats', id, ranges, tz })).then((json) => JSON.parse(json) as Stats[]),
    close: () => {
      if (closed) return;
      closed = true;
      worker.terminate();
      failAll(new ArchiveError('worker_failed', 'cancelled'));
    },
  };
};
