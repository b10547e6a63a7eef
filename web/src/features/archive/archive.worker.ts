// The archive import's Web Worker: unzips and parses off the main thread so a large archive
// never freezes the page, and sends back only post times and sources.
import { blobSource, extractPosts } from './extract';
import { ArchiveError } from './parse';
import type { WorkerReply, WorkerRequest } from './protocol';

const post = (msg: WorkerReply, transfer: Transferable[] = []) => postMessage(msg, { transfer });

let lastSent = 0;
onmessage = async (ev: MessageEvent<WorkerRequest>) => {
  try {
    const posts = await extractPosts(blobSource(ev.data.file), (p) => {
      // At most ~20 messages a second: progress is for eyes, not for bookkeeping.
      const now = performance.now();
      if (now - lastSent > 50 || p.fraction === 1) {
        lastSent = now;
        post({ type: 'progress', ...p });
      }
    });
    const times = new Float64Array(posts.length);
    const sources = new Array<string>(posts.length);
    posts.forEach((p, i) => {
      times[i] = p.time;
      sources[i] = p.source;
    });
    post({ type: 'done', times, sources }, [times.buffer]);
  } catch (err) {
    post({
      type: 'error',
      code: err instanceof ArchiveError ? err.code : 'corrupt',
      message: err instanceof Error ? err.message : String(err),
    });
  }
};
