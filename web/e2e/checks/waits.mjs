// Honest waits: a spent budget says why, when it clears (with the date) and counts down, and
// offers the archive import there and then; a busy server is retried by itself with a visible
// countdown; a first fetch shows how far it got.
import { checkAxe } from '../lib/axe.mjs';
import { makeArchive } from './archive-fixture.mjs';
import { signIn } from '../lib/harness.mjs';

export const name = 'waits';

/** How far the rate-limited page's clock is set ahead of the real one. */
const SKEW_MS = 2 * 3_600_000;

/** The seconds a countdown text ("13 h 05 min", "4 min 10 s", "42 s") stands for, or null. */
function secondsLeft(text) {
  const m = /(?:(\d+) h )?(?:(\d+) min)?\s?(?:(\d+) s)?\./.exec(text.replace(/.*\bin (?=\d)/s, ''));
  if (m === null || (m[1] ?? m[2] ?? m[3]) === undefined) return null;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

export async function run(ctx) {
  const { r, base } = ctx;

  ctx.step = 'the daily budget is spent';
  // One Twitter call a day: the heavy poster's first page spends it.
  const tight = await ctx.startServer('server-quota', { TWITTER_APP_DAILY_QUOTA: '1' });
  const page = await ctx.newPage();
  // The page's clock is Playwright's: two hours fast (a skewed device clock), and moved on by
  // hand below, so the countdown is checked against the server's retryAfter, not timed.
  await page.clock.install({ time: Date.now() + SKEW_MS });
  const answers = [];
  page.on('response', async (res) => {
    if (res.url().includes('/api/periods')) answers.push({ status: res.status(), body: await res.json().catch(() => null) });
  });
  await signIn(page, tight.base, 'heavy');
  const state = page.getByTestId('state-rate-limited');
  await state.waitFor({ timeout: 60_000 });
  const text = await state.innerText();
  const limited = answers.find((a) => a.status === 429)?.body ?? {};
  // In demo mode the built-in emulator's own daily cap is set from the same variable, so
  // Twitter may refuse first (reason twitter) or our budget run out (app_quota): either way the
  // page must name the reason the server gave.
  const titles = { app_quota: /reading budget for today is spent/, twitter: /Twitter is not letting nezame read more posts/ };
  r.check(limited.reason in titles, 'a spent budget is 429 with its reason', JSON.stringify(limited));
  r.check(typeof limited.resetAt === 'string', 'and says when it clears (resetAt)', JSON.stringify(limited));
  r.check(titles[limited.reason].test(text), `the page names the real reason (${limited.reason})`, text);
  r.check(/It clears on \w{3}, \w{3} \d{1,2}, \d\d:\d\d/.test(text), 'the page says when it clears with the date, never a bare clock time', text);
  const countdown = state.getByTestId('countdown');
  const before = await countdown.innerText();
  const left = secondsLeft(before);
  // Counted from the answer's retryAfter on receipt, so the skewed clock changes nothing; the
  // margin is for the time between the answer and this read on a busy machine.
  r.check(
    left !== null && left <= limited.retryAfter && left >= limited.retryAfter - 300,
    'the countdown runs from the server’s retryAfter, whatever the device clock says',
    `${before} (${left} s) vs retryAfter ${limited.retryAfter} s, device clock ${SKEW_MS / 3_600_000} h fast`,
  );
  // Move the page's clock on (a minute, or a second near the end) and wait for the countdown to follow.
  const step = left !== null && left > 120 ? 60 : 1;
  await page.clock.fastForward(step * 1000);
  /* global document */
  await page.waitForFunction((b) => document.querySelector('[data-testid="state-rate-limited"] [data-testid="countdown"]')?.textContent !== b, before, { timeout: 60_000 });
  const after = await countdown.innerText();
  const moved = left !== null && secondsLeft(after) !== null ? left - secondsLeft(after) : null;
  r.check(moved !== null && moved >= 1 && moved <= step + 120, 'the wait shows a live countdown', `${before} -> ${after} after ${step} s of page time`);
  await checkAxe(r, page, 'the rate-limited page');

  ctx.step = 'import the archive instead';
  const input = state.getByTestId('archive-input');
  r.check((await input.count()) === 1 && /Import your archive now/.test(text), 'the rate-limited page offers "Import your archive now"');
  await input.setInputFiles({ name: 'twitter.zip', mimeType: 'application/zip', buffer: makeArchive({ posts: 600, perDay: 30 }) });
  await page.getByTestId('archive-result').getByTestId('stat-wakeTime').waitFor({ timeout: 120_000 });
  r.ok('the archive button on the wait opens the archive import');

  ctx.step = 'a busy server';
  const bpage = await ctx.newPage();
  await signIn(bpage, base, 'early_bird');
  await bpage.getByTestId('stat-wakeTime').waitFor({ timeout: 60_000 });
  // Fault injection at the browser's network layer: the next answer is the server's retryable
  // 503 (analysis_busy, retryAfter 3 s); later requests reach the real server.
  // The retry is held until the busy page has been read, so a slow read cannot miss it.
  let injected = 0;
  let release;
  const held = new Promise((res) => (release = res));
  await bpage.route('**/api/periods*', async (route) => {
    if (injected++ > 0) {
      await held;
      return route.continue();
    }
    return route.fulfill({
      status: 503,
      headers: { 'Content-Type': 'application/json', 'Retry-After': '3' },
      body: JSON.stringify({ error: { code: 'analysis_busy', message: 'Your calendar is still being prepared.' }, retryAfter: 3 }),
    });
  });
  await bpage.reload();
  const busy = bpage.getByTestId('state-busy');
  await busy.waitFor({ timeout: 60_000 });
  const busyText = await busy.innerText();
  release();
  r.check(/Trying again by itself in [0-3] s/.test(busyText), 'a busy 503 shows when it tries again', busyText);
  await bpage.getByTestId('stat-wakeTime').waitFor({ timeout: 60_000 });
  r.check(injected === 2, 'and retries by itself, drawing the calendar with no click', `${injected} requests`);

  ctx.step = 'a first fetch';
  // A slow Twitter (the emulator's latency fault): the heavy poster's 16 pages take seconds, so
  // the first view is answered 202 fetching with the posts read so far, until they are all in.
  const slow = await ctx.startServer('server-slow');
  const faulted = await fetch(`${slow.base}/_twitter/_emulator/faults`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ latencyMs: 400 }),
  });
  r.check(faulted.ok, 'the emulator slows down', `status ${faulted.status}`);
  const fpage = await ctx.newPage();
  const progress = [];
  fpage.on('response', async (res) => {
    if (res.url().includes('/api/periods') && res.status() === 202) progress.push((await res.json().catch(() => ({}))).fetched);
  });
  await signIn(fpage, slow.base, 'heavy');
  const fetching = fpage.getByTestId('state-fetching');
  await fetching.waitFor({ timeout: 60_000 });
  r.check(/posts read so far \(at most 3,200\)/.test(await fetching.innerText()), 'a first fetch shows how many posts were read', await fetching.innerText());
  r.check((await fetching.getByRole('progressbar').count()) === 1, 'as a progress bar');
  r.check((await fetching.getByTestId('archive-input').count()) === 1, 'and offers the archive meanwhile');
  await fpage.getByTestId('stat-wakeTime').waitFor({ timeout: 180_000 });
  r.check(progress.length >= 1 && progress.every((n) => typeof n === 'number'), 'then the calendar, with no click', `progress ${progress.join(' -> ')}`);
}
