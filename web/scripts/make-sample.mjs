// Generates the landing page's sample calendar (src/features/auth/sample-analysis.json):
// a made-up night owl in Asia/Tokyo over 28 days, built with the analyzer's period rule
// (gaps over 3 h 30 min end a period) so it looks like a real answer of the API.
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
}
posts.sort((a, b) => a - b);

const pad = (n) => String(n).padStart(2, '0');
function fmt(ms) {
  const l = new Date(ms + OFFSET_H * 3600e3);
  return `${l.getUTCFullYear()}-${pad(l.getUTCMonth() + 1)}-${pad(l.getUTCDate())}T${pad(l.getUTCHours())}:${pad(l.getUTCMinutes())}:${pad(l.getUTCSeconds())}+09:00`;
}
const midnight = (d) => startDate + d * 86400e3 - OFFSET_H * 3600e3;

const periods = [];
let run = [posts[0]];
for (const p of posts.slice(1)) {
  if (p - run[run.length - 1] > GAP_MS) {
    if (run.length > 1) periods.push(run);
    run = [p];
  } else run.push(p);
}
if (run.length > 1) periods.push(run);

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
  from: fmt(midnight(0)),
  to: fmt(midnight(days)),
  postCount: posts.length,
  periods: periods.map((r) => ({ start: fmt(r[0]), end: fmt(r[r.length - 1]), posts: r.length })),
  days: dayList,
  stats: {
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
