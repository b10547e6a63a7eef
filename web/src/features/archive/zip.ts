// Random access to a zip: the central directory at the end of the file says where each entry
// is, so only the few entries that matter are read. A Twitter/X archive is mostly media (often
// gigabytes); its tweets files are a small part, and reading them alone is what makes a large
// archive fast. Deflated entries are inflated by the browser's DecompressionStream (native),
// or by fflate where that is missing.
import { Inflate } from 'fflate';
import { ArchiveError } from './errors';

/** One file in a zip, from its central directory record. */
export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated; anything else cannot be read here. */
  method: number;
  flags: number;
  /** CRC-32 of the uncompressed data. */
  crc: number;
  compressedSize: number;
  size: number;
  /** Where its local header starts. */
  offset: number;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const SIG_END64 = 0x06064b50;
const SIG_END64_LOCATOR = 0x07064b50;
const MAX_COMMENT = 0xffff;
const END_SIZE = 22;

async function bytesAt(blob: Blob, start: number, end: number): Promise<Uint8Array> {
  return new Uint8Array(await blob.slice(start, end).arrayBuffer());
}

const damaged = (why: string) => new ArchiveError('corrupt', `the archive is damaged or incomplete: ${why}`);

/** Whether the bytes start like a zip (a local file header, or the end record of an empty zip). */
export function looksLikeZip(head: Uint8Array): boolean {
  if (head.length < 4) return false;
  const sig = new DataView(head.buffer, head.byteOffset, 4).getUint32(0, true);
  return sig === SIG_LOCAL || sig === SIG_END;
}

/** Reads the central directory: every entry's name, method, sizes and offset. */
export async function readEntries(blob: Blob): Promise<ZipEntry[]> {
  const size = blob.size;
  if (!looksLikeZip(await bytesAt(blob, 0, 4))) {
    throw new ArchiveError('not_archive', 'not a zip archive');
  }
  const tailStart = Math.max(0, size - END_SIZE - MAX_COMMENT);
  const tail = await bytesAt(blob, tailStart, size);
  const tv = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  let end = -1;
  for (let i = tail.length - END_SIZE; i >= 0; i--) {
    if (tv.getUint32(i, true) === SIG_END && i + END_SIZE + tv.getUint16(i + 20, true) === tail.length) {
      end = i;
      break;
    }
  }
  if (end < 0) throw damaged('its table of contents is missing (the file may be cut short)');
  let count = tv.getUint16(end + 10, true);
  let dirSize = tv.getUint32(end + 12, true);
  let dirOffset = tv.getUint32(end + 16, true);
  if (count === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) {
    // ZIP64: archives over 4 GB (media) or with over 65,535 files.
    const loc = end - 20;
    if (loc < 0 || tv.getUint32(loc, true) !== SIG_END64_LOCATOR) throw damaged('the ZIP64 locator is missing');
    const at = Number(tv.getBigUint64(loc + 8, true));
    const rec = await bytesAt(blob, at, at + 56);
    const rv = new DataView(rec.buffer, rec.byteOffset, rec.byteLength);
    if (rec.length < 56 || rv.getUint32(0, true) !== SIG_END64) throw damaged('the ZIP64 end record is missing');
    count = Number(rv.getBigUint64(32, true));
    dirSize = Number(rv.getBigUint64(40, true));
    dirOffset = Number(rv.getBigUint64(48, true));
  }
  if (dirOffset + dirSize > size) throw damaged('its table of contents points past the end of the file');
  const dir = await bytesAt(blob, dirOffset, dirOffset + dirSize);
  return parseCentralDirectory(dir, count, size);
}

const names = new TextDecoder();

function parseCentralDirectory(dir: Uint8Array, count: number, fileSize: number): ZipEntry[] {
  const v = new DataView(dir.buffer, dir.byteOffset, dir.byteLength);
  const out: ZipEntry[] = [];
  let p = 0;
  for (let k = 0; k < count; k++) {
    if (p + 46 > dir.length || v.getUint32(p, true) !== SIG_CENTRAL) throw damaged('its table of contents is broken');
    const nameLen = v.getUint16(p + 28, true);
    const extraLen = v.getUint16(p + 30, true);
    const commentLen = v.getUint16(p + 32, true);
    if (p + 46 + nameLen + extraLen + commentLen > dir.length) throw damaged('its table of contents is broken');
    const e: ZipEntry = {
      name: names.decode(dir.subarray(p + 46, p + 46 + nameLen)),
      flags: v.getUint16(p + 8, true),
      method: v.getUint16(p + 10, true),
      crc: v.getUint32(p + 16, true),
      compressedSize: v.getUint32(p + 20, true),
      size: v.getUint32(p + 24, true),
      offset: v.getUint32(p + 42, true),
    };
    readZip64Extra(v, p + 46 + nameLen, extraLen, e);
    if (e.offset + e.compressedSize > fileSize) throw damaged(`${e.name} lies past the end of the file`);
    out.push(e);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** Replaces the 0xFFFFFFFF placeholders with the 64-bit values of the ZIP64 extra field. */
function readZip64Extra(v: DataView, start: number, len: number, e: ZipEntry): void {
  for (let q = start; q + 4 <= start + len; ) {
    const id = v.getUint16(q, true);
    const n = v.getUint16(q + 2, true);
    if (id === 0x0001) {
      let r = q + 4;
      const next = () => {
        const x = Number(v.getBigUint64(r, true));
        r += 8;
        return x;
      };
      if (e.size === 0xffffffff && r + 8 <= q + 4 + n) e.size = next();
      if (e.compressedSize === 0xffffffff && r + 8 <= q + 4 + n) e.compressedSize = next();
      if (e.offset === 0xffffffff && r + 8 <= q + 4 + n) e.offset = next();
      return;
    }
    q += 4 + n;
  }
}

/** How entries are inflated: the browser's DecompressionStream when it has one, else fflate. */
export type Inflater = 'native' | 'fflate';

export const defaultInflater = (): Inflater =>
  typeof DecompressionStream === 'function' ? 'native' : 'fflate';

/**
 * Streams the uncompressed bytes of one entry, in chunks. Throws ArchiveError when the entry
 * cannot be read or its data does not inflate to the size the directory promises.
 */
export async function* entryChunks(blob: Blob, e: ZipEntry, inflater: Inflater = defaultInflater(), chunkSize = 1 << 20): AsyncGenerator<Uint8Array> {
  if (e.flags & 0x1) throw new ArchiveError('unsupported_zip', `${e.name} is encrypted`, e.name);
  if (e.method !== 0 && e.method !== 8) {
    throw new ArchiveError('unsupported_zip', `${e.name} uses compression method ${e.method}`, e.name);
  }
  const head = await bytesAt(blob, e.offset, e.offset + 30);
  const hv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (head.length < 30 || hv.getUint32(0, true) !== SIG_LOCAL) throw damaged(`the header of ${e.name} is missing`);
  const start = e.offset + 30 + hv.getUint16(26, true) + hv.getUint16(28, true);
  const data = blob.slice(start, start + e.compressedSize);
  if (data.size !== e.compressedSize) throw damaged(`${e.name} is cut short`);
  let produced = 0;
  try {
    const chunks = e.method === 0 ? blobChunks(data, chunkSize) : inflater === 'native' ? nativeInflate(data, chunkSize) : fflateInflate(data, chunkSize);
    for await (const chunk of chunks) {
      produced += chunk.length;
      if (produced > e.size) break;
      yield chunk;
    }
  } catch (err) {
    if (err instanceof ArchiveError) throw err;
    throw damaged(`${e.name} does not decompress (${err instanceof Error ? err.message : String(err)})`);
  }
  if (produced !== e.size) throw damaged(`${e.name} holds ${produced} bytes instead of ${e.size}`);
}

/**
 * Whether an entry inflates to data with the CRC-32 the directory records. Deflate does not
 * check itself, so damage can inflate to garbage; this tells a damaged zip from a tweets file
 * that is wrong in itself, on the error path only (it reads the entry again).
 */
export async function entryIntact(blob: Blob, e: ZipEntry, inflater: Inflater = defaultInflater()): Promise<boolean> {
  let crc = 0xffffffff;
  const table = crcTable();
  try {
    for await (const chunk of entryChunks(blob, e, inflater)) {
      for (const byte of chunk) crc = (table[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
    }
  } catch {
    return false;
  }
  return (crc ^ 0xffffffff) >>> 0 === e.crc;
}

let table: Uint32Array | undefined;
function crcTable(): Uint32Array {
  if (table) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** A Blob in slices of chunkSize bytes. */
export async function* blobChunks(blob: Blob, chunkSize = 1 << 20): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  for (let off = 0; off < blob.size; off += chunkSize) {
    yield new Uint8Array(await blob.slice(off, off + chunkSize).arrayBuffer());
  }
}

async function* nativeInflate(data: Blob, chunkSize: number): AsyncGenerator<Uint8Array> {
  // Fed from slices rather than Blob.stream(), which not every Blob implementation has.
  const chunks = blobChunks(data, chunkSize);
  const input = new ReadableStream<BufferSource>({
    async pull(ctrl) {
      const { done, value } = await chunks.next();
      if (done) ctrl.close();
      else ctrl.enqueue(value);
    },
  });
  const reader = input.pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

async function* fflateInflate(data: Blob, chunkSize: number): AsyncGenerator<Uint8Array> {
  let out: Uint8Array[] = [];
  let ended = false;
  const inflate = new Inflate((chunk, final) => {
    out.push(chunk);
    if (final) ended = true;
  });
  for await (const chunk of blobChunks(data, chunkSize)) {
    inflate.push(chunk, false);
    yield* out;
    out = [];
  }
  inflate.push(new Uint8Array(0), true);
  yield* out;
  if (!ended) throw new Error('the compressed data ends early');
}
