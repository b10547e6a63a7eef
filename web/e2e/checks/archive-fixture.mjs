// Makes synthetic Twitter/X archives in the real layout (data/tweets.js, data/tweets-partN.js,
// `window.YTD.tweets.partN = [...]`) for the end-to-end test. Times follow a person who wakes
// around 08:00 and sleeps around 01:00 in Asia/Tokyo, ending at `end`.
import { strToU8, zipSync } from 'fflate';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n) => String(n).padStart(2, '0');

function createdAt(ms) {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000 ${d.getUTCFullYear()}`;
}

const WORDS = 'sleep night coffee train rain lunch code deploy cat ramen meeting deadline tired sunny music game read walk build ship'.split(' ');

function words(rand, n) {
  let out = '';
  for (let i = 0; i < n; i++) out += (i ? ' ' : '') + WORDS[Math.floor(rand() * WORDS.length)] + Math.floor(rand() * 100);
  return out;
}

/** A zip of `posts` posts spread over days of `perDay` posts, split into parts of `partSize`. */
export function makeArchive({ posts, perDay, end = Date.UTC(2026, 10, 20), partSize = 50_000 }) {
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const days = Math.ceil(posts / perDay);
  const times = [];
  for (let d = days - 1; d >= 0 && times.length < posts; d--) {
    // Local (UTC+9) day starts at 15:00 UTC the day before; awake 08:00-01:00 local.
    const dayStart = end - (d + 1) * 86_400_000 - 9 * 3_600_000;
    const wake = 8 + rand();
    const sleep = 24 + rand();
    for (let k = 0; k < perDay && times.length < posts; k++) {
      times.push(Math.round(dayStart + (wake + ((sleep - wake) * (k + rand())) / perDay) * 3_600_000));
    }
  }
  const files = {
    'Your archive.html': strToU8('<!doctype html><title>Your archive</title>'),
    'data/account.js': strToU8('window.YTD.account.part0 = [{"account":{"username":"e2e"}}]'),
  };
  // Archives list newest first; parts continue the list.
  times.reverse();
  for (let p = 0; p * partSize < times.length; p++) {
    // Fields and sizes as in a real archive (~1 KB a post), with text that compresses like text.
    const items = times.slice(p * partSize, (p + 1) * partSize).map((t, i) => {
      const id = String(1_500_000_000_000_000_000n + BigInt(p * partSize + i));
      return {
        tweet: {
          edit_info: { initial: { editTweetIds: [id], editableUntil: new Date(t + 3_600_000).toISOString(), editsRemaining: '5', isEditEligible: true } },
          retweeted: false,
          source: '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
          entities: { hashtags: [], symbols: [], user_mentions: [], urls: [] },
          display_text_range: ['0', '120'],
          favorite_count: String(Math.floor(rand() * 50)),
          id_str: id,
          truncated: false,
          retweet_count: String(Math.floor(rand() * 5)),
          id,
          created_at: createdAt(t),
          favorited: false,
          full_text: `e2e post ${p * partSize + i}: ${words(rand, 18)} — text never leaves the browser`,
          lang: 'en',
        },
      };
    });
    const name = p === 0 ? 'data/tweets.js' : `data/tweets-part${p}.js`;
    files[name] = strToU8(`window.YTD.tweets.part${p} = ${JSON.stringify(items, null, 2)}`);
  }
  return Buffer.from(zipSync(files, { level: 6 }));
}
