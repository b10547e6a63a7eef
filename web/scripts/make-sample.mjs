// Generates the landing page's sample calendar (src/features/auth/sample-analysis.json):
// a made-up night owl in Asia/Tokyo over 28 days, built with the analyzer's gap rule
// ("gaprule/2020": gaps over 3 h 30 min end a period; 3 h 30 min to 16 h is sleep, the longest
// of its noon-to-noon night the main one; longer is no data) so it looks like a real answer of
// the API, with sleeps, the stretch before the first post and a few naps.
// Run: node scripts/make-sample.mjs
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const OFFSET_H = 9;
const GAP_MS = 3.5 * 3600e3;
let seed = 20261122;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);

const startDate = Date.UTC(2026, 9, 25); // 2026-10-25, local date
const days = 28;
const posts = [];
for (let d = 0; d < days; d++) {
  const weekday = new Date(startDate + d * 86400e3).getUTCDay();
  const weekend = weekday === 0 || weekday === 6;
  // Wakes late morning, sleeps 2-4 am; later on weekends.
  const wake = 10 + rand() * 2 + (weekend ? 1.5 : 0);
  let bed = 24 + 2 + rand() * 2 + (weekend ? 1 : 0);
  if (d === 17) bed = 24 + 24 + 6; // one all-nighter
  let t = wake;
  while (t < bed) {
    posts.push(startDate + (d * 24 + t - OFFSET_H) * 3600e3);
    // Mostly frequent posting, with an occasional 2-3 h lull (work, a film).
    t += rand() < 0.08 ? 2 + rand() : rand() * 0.7;
  }
  if (d === 17) d++;
  // A weekend afternoon nap now and then: a silence of over 3 h 30 min in the day.
  if (weekend && rand() < 0.5) {
    const napAt = (wake + 4 + rand() * 3) * 3600e3;
    for (let i = posts.length - 1; i >= 0 && posts[i] >= startDate + d * 86400e3 - OFFSET_H * 3600e3; i--) {
      const local = posts[i] - (startDate + d * 86400e3 - OFFSET_H * 3600e3);
      if (local > napAt && local < napAt + 4 * 3600e3) posts.splice(i, 1);
    }
  }
}
posts.sort((a, b) => a - b);

const pad = (n) => String(n).padStart(2, '0');
function fmt(ms) {
  const l = new Date(ms + OFFSET_H * 3600e3);
  return `${l.getUTCFullYear()}-${pad(l.getUTCMonth() + 1)}-${pad(l.getUTCDate())}T${pad(l.getUTCHours())}:${pad(l.getUTCMinutes())}:${pad(l.getUTCSeconds())}+09:00`;
}
const midnight = (d) => startDate + d * 86400e3 - OFFSET_H * 3600e3;

const periods = [];
const singles = []; // runs of one post: the lone posts
let run = [posts[0]];
for (const p of posts.slice(1)) {
  if (p - run[run.length - 1] > GAP_MS) {
    if (run.length > 1) periods.push(run);
    else singles.push(run[0]);
    run = [p];
  } else run.push(p);
}
if (run.length > 1) periods.push(run);
else singles.push(run[0]);

// The gap rule's episodes: sleeps between posts, the night of each (local date of its midpoint
// minus 12 h), the longest of a night its main sleep.
const SLEEP_MAX_MS = 16 * 3600e3;
const nightOf = (a, b) => new Date((a + b) / 2 - 12 * 3600e3 + OFFSET_H * 3600e3).toISOString().slice(0, 10);
const episodes = [];
for (let i = 1; i < posts.length; i++) {
  const gap = posts[i] - posts[i - 1];
  if (gap > GAP_MS && gap <= SLEEP_MAX_MS) episodes.push({ s: posts[i - 1], e: posts[i], night: nightOf(posts[i - 1], posts[i]) });
}
const longest = new Map();
for (const ep of episodes) longest.set(ep.night, Math.max(longest.get(ep.night) ?? 0, ep.e - ep.s));
const seenMain = new Set();
const sleeps = episodes.map((ep) => {
  const main = ep.e - ep.s === longest.get(ep.night) && !seenMain.has(ep.night);
  if (main) seenMain.add(ep.night);
  return { start: fmt(ep.s), end: fmt(ep.e), confidence: 1, main };
});

const dayList = [];
for (let d = 0; d < days; d++) {
  const lo = midnight(d);
  const hi = midnight(d + 1);
  const awake = [];
  for (const r of periods) {
    const s = Math.max(r[0], lo);
    const e = Math.min(r[r.length - 1], hi);
    if (s < e) awake.push({ start: fmt(s), end: fmt(e) });
  }
  dayList.push({ date: fmt(lo).slice(0, 10), awake });
}

const analysis = {
  timezone: 'Asia/Tokyo',
  method: 'gaprule/2020',
  from: fmt(midnight(0)),
  to: fmt(midnight(days)),
  postCount: posts.length,
  periods: periods.map((r) => ({ start: fmt(r[0]), end: fmt(r[r.length - 1]), posts: r.length })),
  singles: singles.map(fmt),
  sleeps,
  gaps: [{ start: fmt(midnight(0)), end: fmt(posts[0]), reason: 'before_first_post' }],
  days: dayList,
  stats: {
    nights: seenMain.size + 1,
    patterns: [],
    wakeTime: '11:20',
    bedTime: '03:05',
    wakeSpreadMinutes: 52,
    bedSpreadMinutes: 61,
    sleepHours: 8.1,
    sri: 58.4,
    socialJetlagHours: 1.6,
    allNighters: 1,
    activeDays: 28,
    longestAwakeHours: Math.round(Math.max(...periods.map((r) => r[r.length - 1] - r[0])) / 360e3) / 10,
  },
};
writeFileSync(
  fileURLToPath(new URL('../src/features/auth/sample-analysis.json', import.meta.url)),
  JSON.stringify(analysis, null, 1) + '\n',
);
console.log(`sample: ${posts.length} posts, ${periods.length} periods`);
