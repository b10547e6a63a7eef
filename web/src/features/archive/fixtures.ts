// Synthetic archives in the real layout, made by the project for tests (unit and end-to-end).
import { strToU8, zipSync, type Zippable } from 'fflate';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** Twitter's created_at format for a UTC instant. */
export function createdAt(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000 ${d.getUTCFullYear()}`;
}

/** A tweets.js body as the archive writes it, for the given post times. */
export function tweetsJs(times: number[], opts: { part?: number; old?: boolean; source?: string } = {}): string {
  const source = opts.source ?? '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>';
  const items = times.map((t, i) => {
    const tweet = {
      edit_info: { initial: { editTweetIds: [String(i)] } },
      retweeted: false,
      source,
      entities: { hashtags: [], urls: [] },
      id_str: String(1_000_000 + i),
      created_at: createdAt(t),
      full_text: `post number ${i}, "created_at" : "Mon Jan 01 00:00:00 +0000 2001" in text`,
      lang: 'en',
    };
    return opts.old ? tweet : { tweet };
  });
  const name = opts.old ? 'tweet' : 'tweets';
  return `window.YTD.${name}.part${opts.part ?? 0} = ${JSON.stringify(items, null, 2)}`;
}

/** Post times: `perDay` posts from 08:00 to 23:00 UTC on each of `days` days from `start`. */
export function dailyTimes(start: number, days: number, perDay: number): number[] {
  const out: number[] = [];
  for (let d = 0; d < days; d++) {
    for (let k = 0; k < perDay; k++) out.push(start + d * 86_400_000 + (8 + (15 * k) / Math.max(1, perDay - 1)) * 3_600_000);
  }
  return out;
}

/** A zip of the given files, plus the usual neighbours (Your archive.html, media, account.js). */
export function archiveZip(files: Record<string, string>, level: 0 | 6 = 6): Uint8Array {
  const z: Zippable = {
    'Your archive.html': strToU8('<html>archive</html>'),
    'data/account.js': strToU8('window.YTD.account.part0 = [{"account":{"username":"someone"}}]'),
    'data/deleted-tweets.js': strToU8('window.YTD.deleted_tweets.part0 = [{"tweet":{"created_at":"Mon Jan 01 00:00:00 +0000 2001"}}]'),
    'data/tweets_media/1-a.jpg': new Uint8Array([0xff, 0xd8, 0xff, 0xe0]),
  };
  for (const [name, text] of Object.entries(files)) z[name] = strToU8(text);
  return zipSync(z, { level });
}
