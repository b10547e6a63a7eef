import { ArchiveError } from './parse';
import type { ArchiveData, ReadArchive, WorkerReply } from './protocol';

/** Reads an archive in a Web Worker (one per file, ended when done). */
export const readArchiveInWorker: ReadArchive = (file, onProgress) =>
  new Promise<ArchiveData>((resolve, reject) => {
    const worker = new Worker(new URL('./archive.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (ev: MessageEvent<WorkerReply>) => {
      const msg = ev.data;
      if (msg.type === 'progress') {
        onProgress({ phase: msg.phase, fraction: msg.fraction });
        return;
      }
      worker.terminate();
      if (msg.type === 'done') resolve({ times: msg.times, sources: msg.sources });
      else reject(new ArchiveError(msg.code, msg.message));
    };
    worker.onerror = (ev) => {
      worker.terminate();
      reject(new ArchiveError('corrupt', ev.message || 'the archive reader stopped'));
    };
    worker.postMessage({ file });
  });
