// Makes synthetic Twitter/X archives in the real layouts, with full post objects as the real
// export writes them (pretty-printed with " : ", edit_info, entities with mentions and links,
// long text with Japanese, emoji, quotes and newlines, in_reply_to fields), for the unit and
// end-to-end tests and the speed runs. Deterministic: the same options give the same bytes.
//
// The person wakes around `wake` and goes to bed around `bed` (local hours, with jitter), in
// a zone `utcOffsetHours` east of UTC, and posts `perDay` times a day on average; about one day
// in fifty is silent (travel). A share `automatedShare` of posts comes from a bot client.
// `move: { day, hours }` moves them for good across time zones: from the local date `day` on
// (YYYY-MM-DD, on the clock they started on), they keep the same hours on a clock `hours`
// behind, so their wake and bed run `hours` later in UTC (+8: about 8 zones west).
//
// Large archives are written straight to a file in chunks (streamed zip), so a million posts
// (over a gigabyte of tweets.js) never sit in memory as one string.
import { closeSync, openSync, writeSync } from 'node:fs';
import { strToU8, Zip, ZipDeflate, ZipPassThrough } from 'fflate';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n, w = 2) => String(n).padStart(w, '0');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Twitter's created_at for a UTC instant: "Wed Oct 10 20:19:24 +0000 2018". */
export function createdAt(ms) {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000 ${d.getUTCFullYear()}`;
}

/** The 2012–2018 monthly files' created_at: "2013-01-31 23:39:48 +0000". */
export function monthlyCreatedAt(ms) {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ') + ' +0000';
}

export const SOURCES = {
  web: '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
  iphone: '<a href="http://twitter.com/download/iphone" rel="nofollow">Twitter for iPhone</a>',
  android: '<a href="http://twitter.com/download/android" rel="nofollow">Twitter for Android</a>',
  bot: '<a href="https://twittbot.net/" rel="nofollow">twittbot.net</a>',
};

const WORDS = 'sleep night coffee train rain lunch code deploy cat ramen meeting deadline tired sunny music game read walk build ship review bug fix morning'.split(' ');
const JA = ['おはよう', '眠い', '今日も一日', 'ラーメン食べたい', '締め切り', '雨だ', '寝る', 'コーヒー', '電車が遅れてる', 'やっと終わった'];
const EMOJI = ['😴', '☕', '🌙', '🍜', '🚃', '✨', '💻'];

function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    // xorshift32: fast and deterministic.
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/**
 * The post times (Unix ms, oldest first) and sources of a person, ending before `end`.
 * @returns {{ times: number[], sources: string[] }}
 */
export function personPosts({ posts, perDay = 30, end = Date.UTC(2026, 10, 20), utcOffsetHours = 9, wake = 7.5, bed = 24.5, automatedShare = 0, seed = 7, move }) {
  const rand = rng(seed);
  const times = [];
  const sources = [];
  // Walk back from the last day, then reverse: the newest posts are fixed by `end`.
  for (let d = 0; times.length < posts; d++) {
    const dayStart = end - (d + 1) * DAY - utcOffsetHours * HOUR; // local midnight
    if (rand() < 0.02 && d > 30) continue; // a silent day (travel)
    // After a move, the same local hours fall `hours` later on the first clock.
    const shift = move !== undefined && new Date(dayStart + utcOffsetHours * HOUR).toISOString().slice(0, 10) >= move.day ? move.hours : 0;
    const up = shift + wake + (rand() - 0.5) * 1.5;
    const down = shift + bed + (rand() - 0.5) * 1.5;
    const n = Math.max(1, Math.round(perDay * (0.5 + rand())));
    const day = [];
    for (let k = 0; k < n; k++) {
      // Bursts: most posts cluster near a few moments of the day.
      const at = up + (down - up) * Math.min(1, Math.max(0, (Math.floor(rand() * 6) + rand() * 0.3) / 6));
      day.push(Math.round((dayStart + at * HOUR) / 1000) * 1000);
    }
    day.sort((a, b) => b - a);
    for (const t of day) {
      if (times.length >= posts) break;
      times.push(t);
      const r = rand();
      sources.push(r < automatedShare ? SOURCES.bot : r < 0.55 ? SOURCES.iphone : r < 0.8 ? SOURCES.web : SOURCES.android);
    }
  }
  times.reverse();
  sources.reverse();
  if (move !== undefined && move.hours < 0) {
    // Moving east, the first day on the new clock begins before the last one on the old ended.
    const order = times.map((_, i) => i).sort((a, b) => times[a] - times[b]);
    return { times: order.map((i) => times[i]), sources: order.map((i) => sources[i]) };
  }
  return { times, sources };
}

function postText(rand, i) {
  let out = '';
  const n = 8 + Math.floor(rand() * 30);
  for (let k = 0; k < n; k++) {
    const r = rand();
    out += (k ? ' ' : '') + (r < 0.6 ? WORDS[Math.floor(rand() * WORDS.length)] : r < 0.9 ? JA[Math.floor(rand() * JA.length)] : EMOJI[Math.floor(rand() * EMOJI.length)]);
  }
  if (i % 97 === 0) out += '\n\n"quoted" and a \\ backslash';
  // A post may talk about the format itself: the scanner must not take this as a time.
  if (i % 101 === 0) out += ' "created_at" : "Mon Jan 01 00:00:00 +0000 2007", "source" : "twittbot.net"';
  return out;
}

/** One post object with the fields and sizes of a real archive (~1.2 KB pretty-printed). */
function tweetObject(rand, t, source, i, id) {
  const text = postText(rand, i);
  const reply = rand() < 0.3;
  const mention = { name: 'Someone ' + (i % 50), screen_name: 'someone' + (i % 50), indices: ['0', '12'], id_str: String(1000 + (i % 50)), id: String(1000 + (i % 50)) };
  const link = rand() < 0.2;
  const tweet = {
    edit_info: { initial: { editTweetIds: [id], editableUntil: new Date(t + HOUR).toISOString(), editsRemaining: '5', isEditEligible: !reply } },
    retweeted: false,
    source,
    entities: {
      hashtags: i % 13 === 0 ? [{ text: 'nezame', indices: ['20', '27'] }] : [],
      symbols: [],
      user_mentions: reply ? [mention] : [],
      urls: link ? [{ url: 'https://t.co/abc' + (i % 1000), expanded_url: 'https://example.com/article/' + i, display_url: 'example.com/article/' + i, indices: ['40', '63'] }] : [],
    },
    display_text_range: ['0', String(Math.min(280, text.length))],
    favorite_count: String(Math.floor(rand() * 50)),
    id_str: id,
    truncated: false,
    retweet_count: String(Math.floor(rand() * 5)),
    id,
    possibly_sensitive: false,
    created_at: createdAt(t),
    favorited: false,
    full_text: (reply ? '@' + mention.screen_name + ' ' : '') + text,
    lang: i % 3 === 0 ? 'en' : 'ja',
  };
  if (reply) {
    Object.assign(tweet, {
      in_reply_to_status_id_str: String(BigInt(id) - 17n),
      in_reply_to_user_id: mention.id,
      in_reply_to_status_id: String(BigInt(id) - 17n),
      in_reply_to_screen_name: mention.screen_name,
      in_reply_to_user_id_str: mention.id_str,
    });
  }
  return tweet;
}

/** JSON as the archive export writes it: two-space indent, `"key" : value`, `[ ]` when empty. */
export function archiveJSON(v, indent = '') {
  if (Array.isArray(v)) {
    if (v.length === 0) return '[ ]';
    const inner = indent + '  ';
    return '[\n' + v.map((x) => inner + archiveJSON(x, inner)).join(',\n') + '\n' + indent + ']';
  }
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v);
    if (keys.length === 0) return '{ }';
    const inner = indent + '  ';
    return '{\n' + keys.map((k) => `${inner}${JSON.stringify(k)} : ${archiveJSON(v[k], inner)}`).join(',\n') + '\n' + indent + '}';
  }
  return JSON.stringify(v);
}

/** The text of tweets files for the given posts, yielded in pieces of about `batch` posts. */
function* tweetsFileText({ times, sources, from, to, name, wrap, seed, batch = 500 }) {
  const rand = rng(seed + from);
  yield `window.YTD.${name} = [\n`;
  for (let i = from; i < to; i += batch) {
    let text = '';
    for (let k = i; k < Math.min(to, i + batch); k++) {
      // Archives list the newest first.
      const j = to - 1 - (k - from);
      const id = String(1_500_000_000_000_000_000n + BigInt(j));
      const tweet = tweetObject(rand, times[j], sources[j], j, id);
      text += (k > from ? ',\n' : '') + '  ' + archiveJSON(wrap ? { tweet } : tweet, '  ');
    }
    yield text;
  }
  yield '\n]';
}

/** Grailbird (2012–2018) monthly files: `Grailbird.data.tweets_2013_01 = [...]`, some retweets. */
function* monthlyFiles({ times, sources, seed }) {
  const rand = rng(seed);
  const byMonth = new Map();
  times.forEach((t, i) => {
    const key = new Date(t).toISOString().slice(0, 7).replace('-', '_');
    if (!byMonth.has(key)) byMonth.set(key, []);
    byMonth.get(key).push(i);
  });
  for (const [key, idx] of byMonth) {
    const items = idx.reverse().map((i) => {
      const tweet = {
        source: sources[i],
        entities: { user_mentions: [], media: [], hashtags: [], urls: [] },
        geo: {},
        id_str: String(300_000_000 + i),
        text: postText(rand, i),
        id: 300_000_000 + i,
        created_at: monthlyCreatedAt(times[i]),
        user: { name: 'e2e', screen_name: 'e2e', protected: false, id_str: '42', id: 42, verified: false },
      };
      if (i % 7 === 0) {
        // A retweet carries the original, with its own (older) created_at, one level deeper.
        tweet.retweeted_status = { source: SOURCES.bot, id_str: String(i), text: 'original', id: i, created_at: monthlyCreatedAt(times[i] - 30 * DAY) };
      }
      return tweet;
    });
    yield [`data/js/tweets/${key}.js`, `Grailbird.data.tweets_${key} = \n ${archiveJSON(items, ' ').replace(/\//g, '\\/')}`, items.length];
  }
}

/** An archive's bytes (a zip, or a bare tweets.js with layout 'js'), as a Buffer; see buildArchive. */
export function makeArchive(opts) {
  return Buffer.from(buildArchive(opts).bytes);
}

/**
 * Builds an archive. `layout`: 'current' (data/tweets.js + parts, manifest), 'tweet' (2019's
 * data/tweet.js), 'monthly' (2012–2018 files) or 'js' (a bare tweets.js, not zipped).
 * Returns the posts it holds ({ times, sources }) and its size, and its bytes, or writes them
 * to `path` when given.
 */
export function buildArchive({
  posts,
  perDay = 30,
  end,
  utcOffsetHours,
  automatedShare,
  seed = 7,
  partSize = 200_000,
  layout = 'current',
  level = 6,
  media = 2,
  omitPart = -1,
  path,
  move,
} = {}) {
  const person = personPosts({ posts, perDay, end, utcOffsetHours, automatedShare, seed, move });
  const { times, sources } = person;
  const out = path ? openSync(path, 'w') : null;
  const chunks = [];
  let size = 0;
  const write = (data) => {
    size += data.length;
    if (out !== null) writeSync(out, data);
    else chunks.push(data);
  };
  const finish = () => {
    if (out !== null) closeSync(out);
    const bytes = out === null ? concat(chunks, size) : undefined;
    return { ...person, size, bytes };
  };

  if (layout === 'js') {
    for (const piece of tweetsFileText({ times, sources, from: 0, to: times.length, name: 'tweets.part0', wrap: true, seed })) write(strToU8(piece));
    return finish();
  }

  let failed = null;
  const zip = new Zip((err, data) => {
    if (err) failed = err;
    else write(data);
  });
  const add = (name, pieces, deflate = true) => {
    const file = deflate ? new ZipDeflate(name, { level }) : new ZipPassThrough(name);
    zip.add(file);
    for (const piece of pieces) file.push(typeof piece === 'string' ? strToU8(piece) : piece);
    file.push(new Uint8Array(0), true);
  };
  add('Your archive.html', ['<!doctype html><title>Your archive</title>']);
  add('data/account.js', ['window.YTD.account.part0 = [ {\n  "account" : {\n    "username" : "e2e"\n  }\n} ]']);
  add('data/deleted-tweets.js', ['window.YTD.deleted_tweets.part0 = [ {\n  "tweet" : {\n    "created_at" : "Mon Jan 01 00:00:00 +0000 2007"\n  }\n} ]']);

  if (layout === 'monthly') {
    const index = [];
    for (const [name, text, count] of monthlyFiles({ times, sources, seed })) {
      add(name, [text]);
      const [y, m] = name.match(/(\d{4})_(\d{2})/).slice(1);
      index.push({ file_name: name, year: Number(y), var_name: `tweets_${y}_${m}`, tweet_count: count, month: Number(m) });
    }
    add('data/js/tweet_index.js', [`var tweet_index = ${JSON.stringify(index.reverse(), null, 1).replace(/\//g, '\\/')}`]);
    add('tweets.csv', ['"tweet_id","in_reply_to_status_id","in_reply_to_user_id","timestamp","source","text"\n']);
  } else {
    const base = layout === 'tweet' ? 'tweet' : 'tweets';
    const files = [];
    for (let p = 0; p * partSize < times.length || p === 0; p++) {
      const from = p * partSize;
      const to = Math.min(times.length, from + partSize);
      const name = p === 0 ? `data/${base}.js` : `data/${base}-part${p}.js`;
      files.push({ fileName: name, globalName: `YTD.${base}.part${p}`, count: String(to - from) });
      if (p === omitPart) continue;
      add(name, tweetsFileText({ times, sources, from, to, name: `${base}.part${p}`, wrap: layout !== 'tweet', seed }));
    }
    const manifest = { userInfo: { accountId: '42', userName: 'e2e', displayName: 'e2e' }, archiveInfo: { sizeBytes: '0', generationDate: new Date(end ?? Date.UTC(2026, 10, 20)).toISOString(), isPartialArchive: false }, dataTypes: { [base]: { files } } };
    add('data/manifest.js', [`window.__THAR_CONFIG = ${archiveJSON(manifest)}`]);
  }
  // Media: the bulk of a real archive, stored (already compressed), never read by the import.
  for (let k = 0; k < media; k++) {
    const jpeg = new Uint8Array(256 * 1024);
    const r = rng(seed + k);
    for (let i = 0; i < jpeg.length; i++) jpeg[i] = (r() * 256) | 0;
    add(`data/tweets_media/${1_500_000_000 + k}-photo.jpg`, [jpeg], false);
  }
  zip.end();
  if (failed) throw failed;
  return finish();
}

function concat(chunks, size) {
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
