// Messages between the page (session.ts) and the archive worker (archive.worker.ts). The
// posts stay in the worker; the page gets their sorted times (to pick ranges) and asks for
// analyses of index ranges of them.
import type { ArchiveErrorCode } from './errors';

/** Page -> worker. */
export type WorkerRequest =
  /** Read an archive file; answered by progress messages, then `loaded` or `error`. */
  | { type: 'read'; file: File }
  /** Analyse the loaded posts [lo, hi) in `tz`; answered by `analysis` or `error` with the id. */
  | { type: 'analyze'; id: number; lo: number; hi: number; tz: string }
  /** The statistics of each range [lo, hi) of the loaded posts (months); answered by `analysis` (a JSON array). */
  | { type: 'stats'; id: number; ranges: [number, number][]; tz: string }
  /**
   * Analyse the given times (Unix ms) in `tz`, with one source per time if given (automated
   * posts are then dropped): POST /api/analyze's input, on the device.
   */
  | { type: 'analyzeTimes'; id: number; times: Float64Array; tz: string; sources?: string[] };

/** Worker -> page. */
export type WorkerReply =
  | { type: 'progress'; fraction: number }
  | { type: 'loaded'; times: Float64Array; found: number; automated: number; unreadable: number }
  | { type: 'analysis'; id: number; json: string }
  | { type: 'error'; id?: number; code: ArchiveErrorCode; message: string; detail: string };

/** What the page keeps of a read archive. */
export interface LoadedArchive {
  /** The times (Unix ms) of the posts the analysis uses, sorted; automated posts left out. */
  times: Float64Array;
  /** Posts found in the archive, automated ones included. */
  found: number;
  /** Posts left out as automated (bots, auto-reports). */
  automated: number;
  /** Items without a readable time. */
  unreadable: number;
}
