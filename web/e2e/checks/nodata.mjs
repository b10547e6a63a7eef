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
  if (capped === 0) {
    r.pending('the analysis of the heavy poster has no api_limit gap (the server does not set Window.Truncated yet)');
  } else {
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
  }
  await screenshot(r, page.locator('.calendar-card'), 'no-data.png', { docsName: 'screenshot-no-data.png' });

  ctx.step = 'single posts';
  let ticks = 0;
  let who = '';
  for (const persona of ['chaotic', 'shift_worker', 'night_owl']) {
    const p = await ctx.newPage();
    await signIn(p, base, persona);
    await p.getByTestId('stat-wakeTime').waitFor({ timeout: 60_000 });
    ticks = await p.getByTestId('post-tick').count();
    if (ticks > 0) {
      who = persona;
      const cell = p.locator('[role=gridcell]', { has: p.getByTestId('post-tick') }).first();
      r.check(/A single post at \d\d:\d\d/.test((await cell.textContent()) ?? ''), `a lone post (${persona}) is a tick, and said as one`);
      break;
    }
  }
  if (ticks === 0) r.pending('no persona has a lone post: ticks are covered by Vitest only');
  else r.info(`${ticks} single posts drawn for ${who}`);
}
