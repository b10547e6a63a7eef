// Reads an archive (a .zip, or a tweets .js file picked on its own) into compact arrays of
// post times and sources. It runs in the Web Worker and is kept free of worker APIs so the unit
// tests can drive it. Memory stays bounded by one chunk of the file plus the arrays: nothing is
// held as text.
import { ArchiveError } from './errors';
import { indexFiles, tweetsFiles } from './layout';
import { TweetsScanner } from './scan';
import { PostSink } from './sink';
import { blobChunks, defaultInflater, entryChunks, entryIntact, looksLikeZip, readEntries, type Inflater, type ZipEntry } from './zip';

/** How far reading has got: the share of the tweets files' bytes read so far (0..1). */
export interface ExtractProgress {
  fraction: number;
}

/** What an archive held. */
export interface Extracted {
  posts: PostSink;
  /** Items without a readable created_at, skipped. */
  unreadable: number;
  /** The tweets files read. */
  files: string[];
}

/** Where the uncompressed bytes of an entry come from (entryChunks, or a helper worker's). */
export type EntrySource = (file: Blob, entry: ZipEntry, inflater: Inflater) => AsyncIterable<Uint8Array>;

/** The index files are small; anything bigger is not one. */
const MAX_INDEX_BYTES = 8 << 20;

/** Reads every post of `file`. Throws ArchiveError with a code for each way it can fail. */
export async function extractPosts(
  file: Blob & { name?: string },
  onProgress: (p: ExtractProgress) => void = () => {},
  inflater: Inflater = defaultInflater(),
  source: EntrySource = entryChunks,
): Promise<Extracted> {
  const name = file.name ?? 'archive.zip';
  const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  const sink = new PostSink();
  let unreadable = 0;
  let files: string[];
  if (/\.js$/i.test(name) && !looksLikeZip(head)) {
    const scanner = new TweetsScanner(sink, name);
    let read = 0;
    for await (const chunk of blobChunks(file)) {
      scanner.push(chunk);
      read += chunk.length;
      onProgress({ fraction: read / file.size });
    }
    scanner.end();
    unreadable = scanner.unreadable;
    files = [name];
  } else {
    const entries = await readEntries(file);
    const indexes = new Map<string, string>();
    for (const e of indexFiles(entries)) {
      if (e.size <= MAX_INDEX_BYTES) indexes.set(e.name, await entryText(file, e, inflater));
    }
    const chosen = tweetsFiles(entries, indexes);
    const total = chosen.reduce((n, e) => n + e.size, 0);
    let read = 0;
    for (const entry of chosen) {
      const scanner = new TweetsScanner(sink, entry.name);
      try {
        for await (const chunk of source(file, entry, inflater)) {
          scanner.push(chunk);
          read += chunk.length;
          onProgress({ fraction: total > 0 ? read / total : 1 });
        }
        scanner.end();
      } catch (err) {
        // Garbage that deflate let through is damage, not a bad tweets file.
        if (err instanceof ArchiveError && err.code === 'bad_tweets' && !(await entryIntact(file, entry, inflater))) {
          throw new ArchiveError('corrupt', `the archive is damaged: ${entry.name} does not match its checksum`);
        }
        throw err;
      }
      unreadable += scanner.unreadable;
    }
    files = chosen.map((e) => e.name);
  }
  if (sink.count === 0) throw new ArchiveError('empty', 'the archive has no posts');
  return { posts: sink, unreadable, files };
}

async function entryText(file: Blob, e: ZipEntry, inflater: Inflater): Promise<string> {
  const dec = new TextDecoder();
  let text = '';
  for await (const chunk of entryChunks(file, e, inflater)) text += dec.decode(chunk, { stream: true });
  return text + dec.decode();
}
