// A helper worker that inflates zip entries for the archive worker, so that inflating (native
// zlib) and scanning (JavaScript) run on two threads at once instead of taking turns on one.
// It sends chunks as transferred buffers, at most `window` ahead of what the scanner has
// taken, so a fast inflater never piles a gigabyte up in the scanner's message queue.
import { ArchiveError } from './errors';
import type { InflateReply, InflateRequest } from './pipeline';
import { entryChunks } from './zip';

let credit = 0;
let wake: (() => void) | null = null;

const post = (msg: InflateReply, transfer: Transferable[] = []) => postMessage(msg, { transfer });

async function pump(m: Extract<InflateRequest, { type: 'entry' }>) {
  credit = m.window;
  try {
    for await (const chunk of entryChunks(m.file, m.entry, m.inflater)) {
      while (credit <= 0) await new Promise<void>((r) => (wake = r));
      credit--;
      // Transfer only a buffer the chunk has to itself.
      const own = chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength ? chunk : chunk.slice();
      post({ type: 'chunk', id: m.id, data: own }, [own.buffer]);
    }
    post({ type: 'end', id: m.id });
  } catch (err) {
    const e = err instanceof ArchiveError ? err : new ArchiveError('worker_failed', err instanceof Error ? err.message : String(err));
    post({ type: 'error', id: m.id, code: e.code, message: e.message, detail: e.detail });
  }
}

onmessage = (ev: MessageEvent<InflateRequest>) => {
  const m = ev.data;
  if (m.type === 'credit') {
    credit++;
    wake?.();
    wake = null;
  } else {
    void pump(m);
  }
};
