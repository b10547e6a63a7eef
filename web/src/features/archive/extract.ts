// Streams an archive (a .zip, or a tweets .js picked on its own) and returns its posts. It
// runs inside the Web Worker; it is kept free of worker APIs so the unit tests can drive it.
import { Unzip, UnzipInflate, type UnzipFile } from 'fflate';
import { ArchiveError, isTweetsFile, parseTweetsJs, type ArchivePost } from './parse';

/** Progress of an import: the share of the input read (0..1), then the parsing. */
export interface ExtractProgress {
  phase: 'reading' | 'parsing';
  fraction: number;
}

/** A chunked source of bytes with a known total size (a File's stream, a Blob, a test array). */
export interface ByteSource {
  name: string;
  size: number;
  chunks: () => AsyncIterable<Uint8Array>;
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04]; // "PK\3\4": a local file header

/** Reads `src` and returns every post, oldest first. */
export async function extractPosts(src: ByteSource, onProgress: (p: ExtractProgress) => void = () => {}): Promise<ArchivePost[]> {
  const texts = /\.js$/i.test(src.name) ? await readPlain(src, onProgress) : await readZip(src, onProgress);
  if (texts.length === 0) {
    throw new ArchiveError('no_tweets', 'the archive has no data/tweets.js (or tweet.js)');
  }
  const posts: ArchivePost[] = [];
  texts.forEach(([name, text], i) => {
    for (const p of parseTweetsJs(text, name)) posts.push(p);
    onProgress({ phase: 'parsing', fraction: (i + 1) / texts.length });
  });
  if (posts.length === 0) throw new ArchiveError('empty', 'the archive has no posts');
  posts.sort((a, b) => a.time - b.time);
  return posts;
}

async function readPlain(src: ByteSource, onProgress: (p: ExtractProgress) => void): Promise<[string, string][]> {
  const dec = new TextDecoder();
  let text = '';
  let read = 0;
  for await (const chunk of src.chunks()) {
    text += dec.decode(chunk, { stream: true });
    read += chunk.length;
    onProgress({ phase: 'reading', fraction: src.size > 0 ? read / src.size : 1 });
  }
  text += dec.decode();
  return [[src.name, text]];
}

async function readZip(src: ByteSource, onProgress: (p: ExtractProgress) => void): Promise<[string, string][]> {
  const found: { name: string; parts: string[]; dec: TextDecoder; done: boolean }[] = [];
  let failure: Error | null = null;
  const unzip = new Unzip((file: UnzipFile) => {
    if (!isTweetsFile(file.name)) return; // other files are skipped without inflating them
    const entry = { name: file.name, parts: [] as string[], dec: new TextDecoder(), done: false };
    found.push(entry);
    file.ondata = (err, data, final) => {
      if (err) {
        failure ??= err;
        return;
      }
      entry.parts.push(entry.dec.decode(data, { stream: !final }));
      if (final) entry.done = true;
    };
    file.start();
  });
  unzip.register(UnzipInflate);

  let read = 0;
  let checked = false;
  try {
    for await (const chunk of src.chunks()) {
      if (!checked && chunk.length > 0) {
        if (!ZIP_MAGIC.every((b, i) => chunk[i] === b)) {
          throw new ArchiveError('not_archive', `${src.name} is not a zip archive`);
        }
        checked = true;
      }
      unzip.push(chunk, false);
      read += chunk.length;
      onProgress({ phase: 'reading', fraction: src.size > 0 ? read / src.size : 1 });
      if (failure) break;
    }
    if (!checked) throw new ArchiveError('not_archive', `${src.name} is empty`);
    if (!failure) unzip.push(new Uint8Array(0), true);
  } catch (err) {
    if (err instanceof ArchiveError) throw err;
    failure ??= err instanceof Error ? err : new Error(String(err));
  }
  const cut = found.find((f) => !f.done);
  if (failure || cut) {
    const why = failure ? failure.message : `${cut?.name} is cut short`;
    throw new ArchiveError('corrupt', `the archive is damaged: ${why}`);
  }
  // Parts in their natural order (tweets.js, tweets-part1.js, …).
  found.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  return found.map((f) => [f.name, f.parts.join('')]);
}

/** Wraps a Blob (a picked File) as a ByteSource read in 1 MiB slices. */
export function blobSource(blob: Blob & { name?: string }, chunkSize = 1 << 20): ByteSource {
  return {
    name: blob.name ?? 'archive.zip',
    size: blob.size,
    chunks: async function* () {
      for (let off = 0; off < blob.size; off += chunkSize) {
        yield new Uint8Array(await blob.slice(off, off + chunkSize).arrayBuffer());
      }
    },
  };
}
