// Which files of an archive hold its posts, across the layouts Twitter/X has shipped:
//   - since 2019: data/tweets.js, data/tweets-part1.js, … (`window.YTD.tweets.part0 = [...]`),
//     listed in data/manifest.js; the first of them were named data/tweet.js, tweet-part1.js, …
//   - 2012–2018 ("Grailbird"): one file per month, data/js/tweets/2013_01.js
//     (`Grailbird.data.tweets_2013_01 = [...]`), listed in data/js/tweet_index.js, beside a
//     tweets.csv at the top.
// Paths are matched below the folder that holds `data/`, so an archive unzipped and zipped
// again inside a folder still works.
import { ArchiveError } from './errors';

/** Anything with a path inside the archive (a zip entry). */
export interface Named {
  name: string;
}

const CURRENT = /(^|\/)data\/(tweets?)(?:-part(\d+))?\.js$/i;
const MONTHLY = /(^|\/)data\/js\/tweets\/\d{4}_\d{2}\.js$/i;
const MANIFEST = /(^|\/)data\/manifest\.js$/i;
const MONTHLY_INDEX = /(^|\/)data\/js\/tweet_index\.js$/i;
const CSV = /(^|\/)tweets\.csv$/i;

/** The small files that list the tweets files, to be read before the tweets themselves. */
export function indexFiles<T extends Named>(entries: T[]): T[] {
  return entries.filter((e) => MANIFEST.test(e.name) || MONTHLY_INDEX.test(e.name));
}

/**
 * Picks the tweets files among the archive's entries, in reading order, and checks them
 * against the archive's own lists (`indexes`: path → text of data/manifest.js or
 * data/js/tweet_index.js). Throws ArchiveError: missing_part when a listed or numbered part is
 * absent, old_layout when only an unreadable layout is there, no_tweets when nothing is.
 */
export function tweetsFiles<T extends Named>(entries: T[], indexes: Map<string, string> = new Map()): T[] {
  const have = new Set(entries.map((e) => e.name.toLowerCase()));
  const checkListed = (root: string, index: RegExp, list: (text: string) => string[]) => {
    for (const [path, text] of indexes) {
      if (!index.test(path)) continue;
      for (const listed of list(text)) {
        if (!have.has((root + listed).toLowerCase())) missing(listed);
      }
    }
  };

  const current = entries.flatMap((e) => {
    const m = CURRENT.exec(e.name);
    return m === null ? [] : [{ e, root: e.name.slice(0, m.index + (m[1] ?? '').length), base: (m[2] ?? '').toLowerCase(), part: Number(m[3] ?? 0) }];
  });
  if (current.length > 0) {
    // tweets.js is the newer name of tweet.js; an archive has one or the other.
    const plural = current.filter((x) => x.base === 'tweets');
    const parts = (plural.length > 0 ? plural : current).sort((a, b) => a.part - b.part);
    const root = parts[0]?.root ?? '';
    const base = parts[0]?.base ?? 'tweets';
    checkListed(root, MANIFEST, manifestFiles);
    // Parts are numbered from 0 (tweets.js) without holes.
    parts.forEach((p, i) => {
      if (p.part !== i) missing(`data/${base}${i === 0 ? '' : `-part${i}`}.js`);
    });
    return parts.map((p) => p.e);
  }

  const monthly = entries.filter((e) => MONTHLY.test(e.name)).sort((a, b) => (a.name < b.name ? -1 : 1));
  if (monthly.length > 0) {
    const m = MONTHLY.exec(monthly[0]?.name ?? '');
    checkListed((monthly[0]?.name ?? '').slice(0, (m?.index ?? 0) + (m?.[1] ?? '').length), MONTHLY_INDEX, monthlyIndexFiles);
    return monthly;
  }

  if (entries.some((e) => CSV.test(e.name))) {
    throw new ArchiveError('old_layout', 'this archive keeps its posts in tweets.csv only', 'tweets.csv');
  }
  throw new ArchiveError('no_tweets', 'the archive has no tweets file (data/tweets.js)');
}

function missing(path: string): never {
  throw new ArchiveError('missing_part', `${path} is listed by the archive but not in it`, path);
}

/** The JSON value assigned in a `name = {...}` / `var name = [...]` file, or undefined. */
function assigned(text: string): unknown {
  const start = text.search(/[[{]/);
  if (start < 0) return undefined;
  try {
    return JSON.parse(text.slice(start).trim().replace(/;$/, '')) as unknown;
  } catch {
    return undefined;
  }
}

/** data/manifest.js: dataTypes.tweets.files[].fileName (or dataTypes.tweet…). */
export function manifestFiles(text: string): string[] {
  const cfg = assigned(text) as { dataTypes?: Record<string, { files?: { fileName?: unknown }[] }> } | undefined;
  const types = cfg?.dataTypes;
  const files = types?.tweets?.files ?? types?.tweet?.files ?? [];
  return files.map((f) => f.fileName).filter((f): f is string => typeof f === 'string' && CURRENT.test(f));
}

/** data/js/tweet_index.js: [{file_name: "data/js/tweets/2013_01.js", …}]. */
export function monthlyIndexFiles(text: string): string[] {
  const list = assigned(text);
  if (!Array.isArray(list)) return [];
  return list
    .map((x: unknown) => (typeof x === 'object' && x !== null ? (x as { file_name?: unknown }).file_name : undefined))
    .filter((f): f is string => typeof f === 'string' && MONTHLY.test(f));
}
