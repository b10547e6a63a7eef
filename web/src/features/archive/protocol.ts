// Messages between the page and archive.worker.ts.
import type { ExtractProgress } from './extract';
import type { ArchiveErrorCode } from './parse';

/** Page -> worker: the picked file. */
export interface WorkerRequest {
  file: File;
}

/** Worker -> page. */
export type WorkerReply =
  | ({ type: 'progress' } & ExtractProgress)
  | { type: 'done'; times: Float64Array; sources: string[] }
  | { type: 'error'; code: ArchiveErrorCode; message: string };

/** The posts of an archive, oldest first: parallel arrays to keep a million posts compact. */
export interface ArchiveData {
  times: Float64Array;
  sources: string[];
}

/** Reads an archive file; the browser implementation runs in a Worker. */
export type ReadArchive = (file: File, onProgress: (p: ExtractProgress) => void) => Promise<ArchiveData>;
