// No data is not sleep: the heavy poster's 3,200-post cap leaves days without data, drawn as
// such with the reason in words; lone posts are ticks.
/* global document -- evaluated in the browser */
import { screenshot, signIn } from '../lib/harness.mjs';

export const name = 'nodata';

export async function run(ctx) {
  const { r, base } = ctx;
  ctx.step = 'heavy poster';
  const page = await ctx.newPage();
  await signIn(page, base, 'heavy');
  await page.getByTestId('stat-wakeTime').waitFor({ timeout: 60_000 });
  const capped = await page.locator('[data-testid=gap-bar][data-reason=api_limit]').count();
  r.check(capped >= 2, 'the days before the 3,200-post cap are drawn as no data', `${capped} dates`);
  const sleepInGap = await page.evaluate(() => {
    let n = 0;
    for (const day of document.querySelectorAll('[role=gridcell]')) {
      const gap = day.querySelector('[data-reason=api_limit]');
      if (gap && Number(gap.style.getPropertyValue('--l')) > 0.99 && day.querySelector('[data-testid=sleep-bar]')) n++;
    }
    return n;
  });
  r.check(sleepInGap === 0, 'no sleep is drawn on a date without data', `${sleepInGap} dates`);
  const notes = await page.getByTestId('gap-notes').innerText();
  r.check(/Twitter returns only your last 3,200 posts: from \w{3} \d{1,2}, \d\d:\d\d/.test(notes), 'the reason is said in words, with the date data starts', notes);
  await screenshot(r, page.locator('.calendar-card'), 'no-data.png', { docsName: 'screenshot-no-data.png' });

  ctx.step = 'a silent account';
  const silent = await ctx.newPage();
  await signIn(silent, base, 'silent');
  const none = silent.getByTestId('state-no-posts');
  await none.waitFor({ timeout: 60_000 });
  r.check((await none.getByTestId('archive-input').count()) === 1, 'a silent account is told to try its archive, with the button to do it');

  ctx.step = 'single posts';
  // No emulated persona posts alone in the night, so an archive does: five days awake 08:00 to
  // 23:00 (Tokyo), and one post at 03:00 in the night before the fourth day.
  const tokyoMs = (day, h, m = 0) => Date.UTC(2026, 9, 1 + day, h - 9, m);
  const times = [];
  for (let d = 0; d < 5; d++) for (let h = 8; h < 23; h += 0.5) times.push(tokyoMs(d, Math.floor(h), (h % 1) * 60));
  times.push(tokyoMs(3, 3, 0));
  times.sort((x, y) => y - x);
  const createdAt = (ms) => {
    const d = new Date(ms);
    const [wd, mon] = [d.toUTCString().slice(0, 3), d.toUTCString().slice(8, 11)];
    const p = (n) => String(n).padStart(2, '0');
    return `${wd} ${mon} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:00 +0000 ${d.getUTCFullYear()}`;
  };
  const tweets = times.map((ms, i) => ({ tweet: { id_str: String(1e15 + i), created_at: createdAt(ms), full_text: 'e2e', source: 'Twitter Web App' } }));
  const apage = await ctx.newPage();
  await apage.goto(`${base}/`);
  await apage.getByTestId('archive-input').setInputFiles({ name: 'tweets.js', mimeType: 'text/javascript', buffer: Buffer.from(`window.YTD.tweets.part0 = ${JSON.stringify(tweets)}`) });
  await apage.getByTestId('archive-result').getByTestId('stat-wakeTime').waitFor({ timeout: 60_000 });
  const ticks = apage.getByTestId('post-tick');
  const method = (await apage.locator('.cal-method').innerText()).trim();
  r.check((await ticks.count()) === 1, 'a lone post in the night is drawn as a tick', `${await ticks.count()} ticks under "${method}"`);
  const cell = apage.locator('[role=gridcell]', { has: ticks }).first();
  r.check((await cell.getAttribute('data-date')) === '2026-10-04', 'on its date');
  r.check(/A single post at 03:00/.test((await cell.textContent()) ?? ''), 'and said as one: "A single post at 03:00"');
}
