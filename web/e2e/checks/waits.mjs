// Honest waits: a spent budget says why, when it clears (with the date) and counts down, and
// offers the archive import there and then; a busy server is retried by itself with a visible
// countdown; a first fetch shows how far it got.
import { checkAxe } from '../lib/axe.mjs';
import { makeArchive } from './archive-fixture.mjs';
import { signIn } from '../lib/harness.mjs';

export const name = 'waits';

export async function run(ctx) {
  const { r, base } = ctx;

  ctx.step = 'the daily budget is spent';
  // One Twitter call a day: the heavy poster's first page spends it.
  const tight = await ctx.startServer('server-quota', { TWITTER_APP_DAILY_QUOTA: '1' });
  const page = await ctx.newPage();
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
  const before = await state.getByTestId('countdown').innerText();
  await page.waitForTimeout(1100);
  const after = await state.getByTestId('countdown').innerText();
  r.check(before !== after || /in 1 s|in 0 s/.test(before), 'the wait shows a live countdown', `${before} -> ${after}`);
  await checkAxe(r, page, 'the rate-limited page');

  ctx.step = 'import the archive instead';
  const input = state.getByTestId('archive-input');
  r.check((await input.count()) === 1 && /Import your archive now/.test(text), 'the rate-limited page offers "Import your archive now"');
  await input.setInputFiles({ name: 'twitter.zip', mimeType: 'application/zip', buffer: makeArchive({ posts: 600, perDay: 30 }) });
  await page.getByTestId('archive-result').getByTestId('stat-wakeTime').waitFor({ timeout: 30_000 });
  r.ok('the archive button on the wait opens the archive import');

  ctx.step = 'a busy server';
  const bpage = await ctx.newPage();
  await signIn(bpage, base, 'early_bird');
  await bpage.getByTestId('stat-wakeTime').waitFor({ timeout: 60_000 });
  // Fault injection at the browser's network layer: the next answer is the server's retryable
  // 503 (analysis_busy, retryAfter 3 s); later requests reach the real server.
  let injected = 0;
  await bpage.route('**/api/periods*', async (route) => {
    if (injected++ > 0) return route.continue();
    return route.fulfill({
      status: 503,
      headers: { 'Content-Type': 'application/json', 'Retry-After': '3' },
      body: JSON.stringify({ error: { code: 'analysis_busy', message: 'Your calendar is still being prepared.' }, retryAfter: 3 }),
    });
  });
  await bpage.reload();
  const busy = bpage.getByTestId('state-busy');
  await busy.waitFor({ timeout: 15_000 });
  r.check(/Trying again by itself in [1-3] s/.test(await busy.innerText()), 'a busy 503 shows when it tries again', await busy.innerText());
  await bpage.getByTestId('stat-wakeTime').waitFor({ timeout: 15_000 });
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
  await fetching.waitFor({ timeout: 30_000 });
  r.check(/posts read so far \(at most 3,200\)/.test(await fetching.innerText()), 'a first fetch shows how many posts were read', await fetching.innerText());
  r.check((await fetching.getByRole('progressbar').count()) === 1, 'as a progress bar');
  r.check((await fetching.getByTestId('archive-input').count()) === 1, 'and offers the archive meanwhile');
  await fpage.getByTestId('stat-wakeTime').waitFor({ timeout: 90_000 });
  r.check(progress.length >= 1 && progress.every((n) => typeof n === 'number'), 'then the calendar, with no click', `progress ${progress.join(' -> ')}`);
}
