// The archive import's Web Worker: reads the archive (extract.ts), drops automated posts and
// analyses ranges with the WebAssembly analyzer. The posts never leave it except as sorted
// times for the page; nothing is sent anywhere.
import { loadAnalyzer, type Analyzer } from './analyzer';
import { ArchiveError } from './errors';
import { extractPosts } from './extract';
import { remoteInflate } from './pipeline';
import { defaultInflater } from './zip';
import type { WorkerReply, WorkerRequest } from './protocol';

const post = (msg: WorkerReply, transfer: Transferable[] = []) => postMessage(msg, { transfer });

// Fetched and compiled while the archive is being read.
let analyzer: Promise<Analyzer> | null = null;
const getAnalyzer = () => (analyzer ??= loadAnalyzer());
let times = new Float64Array(0);

function fail(err: unknown, id?: number) {
  const e = err instanceof ArchiveError ? err : new ArchiveError('worker_failed', err instanceof Error ? err.message : String(err));
  post({ type: 'error', id, code: e.code, message: e.message, detail: e.detail });
}

async function read(file: File) {
  const loading = getAnalyzer();
  // Failures to load are reported when the analyzer is needed, not as an unhandled rejection.
  loading.catch(() => {});
  let lastSent = -Infinity;
  // Inflating on a second thread while this one scans; where a worker cannot start workers,
  // both happen here.
  const helper = typeof Worker === 'function' ? new Worker(new URL('./inflate.worker.ts', import.meta.url), { type: 'module' }) : null;
  const progress = ({ fraction }: { fraction: number }) => {
    // About 20 messages a second: progress is for eyes.
    const now = performance.now();
    if (now - lastSent > 50 || fraction === 1) {
      lastSent = now;
      post({ type: 'progress', fraction });
    }
  };
  let extracted;
  try {
    extracted = await extractPosts(file, progress, defaultInflater(), helper ? remoteInflate(helper) : undefined);
  } finally {
    helper?.terminate();
  }
  const { posts, unreadable } = extracted;
  const flags = (await loading).automated(posts.sources);
  const kept = new Float64Array(posts.count);
  let n = 0;
  posts.times.subarray(0, posts.count).forEach((t, i) => {
    if (flags[posts.sourceOf[i] ?? 0] === 0) kept[n++] = t;
  });
  times = kept.subarray(0, n).sort();
  const copy = times.slice();
  post({ type: 'loaded', times: copy, found: posts.count, automated: posts.count - n, unreadable }, [copy.buffer]);
}

async function analyzeTimes(id: number, t: Float64Array, tz: string, sources?: string[]) {
  const a = await getAnalyzer();
  let json: string;
  if (sources === undefined) {
    json = a.analyze(t, tz);
  } else {
    const distinct = new Map<string, number>();
    const sourceOf = Uint32Array.from(sources, (s) => {
      let k = distinct.get(s);
      if (k === undefined) distinct.set(s, (k = distinct.size));
      return k;
    });
    json = a.analyze(t, tz, [...distinct.keys()], sourceOf);
  }
  post({ type: 'analysis', id, json });
}

async function stats(id: number, ranges: [number, number][], tz: string) {
  const a = await getAnalyzer();
  const out = ranges.map(([lo, hi]) => a.stats(times.subarray(lo, hi), tz));
  post({ type: 'analysis', id, json: `[${out.join(',')}]` });
}

onmessage = (ev: MessageEvent<WorkerRequest>) => {
  const msg = ev.data;
  switch (msg.type) {
    case 'read':
      read(msg.file).catch((err: unknown) => fail(err));
      break;
    case 'analyze':
      analyzeTimes(msg.id, times.subarray(msg.lo, msg.hi), msg.tz).catch((err: unknown) => fail(err, msg.id));
      break;
    case 'stats':
      stats(msg.id, msg.ranges, msg.tz).catch((err: unknown) => fail(err, msg.id));
      break;
    case 'analyzeTimes':
      analyzeTimes(msg.id, msg.times, msg.tz, msg.sources).catch((err: unknown) => fail(err, msg.id));
      break;
  }
};
