// The signed-in calendar: a night owl's weeks in the browser's zone, its statistics, both
// languages and the narrow layout.
import { screenshot, sidewaysOverflow, signIn } from '../lib/harness.mjs';

export const name = 'calendar';

export async function run(ctx) {
  const { r, base } = ctx;
  ctx.step = 'sign in as night_owl';
  // A fixed zone proves the page sends the browser's zone as tz (and makes the picture stable).
  const page = await ctx.newPage();
  await signIn(page, base, 'night_owl');
  r.ok('emulator consent returns to /');

  ctx.step = 'calendar';
  await page.getByTestId('stat-wakeTime').waitFor({ timeout: 60_000 });
  const bars = await page.getByTestId('awake-bar').count();
  r.check(bars > 10, 'calendar draws awake bars', `${bars} bars`);
  r.check((await page.locator('[data-testid^=stat-]').count()) === 8, 'stats panel draws 8 statistics');
  const statsText = await page.locator('.stats').innerText();
  r.check(!/\bnull\b|NaN|undefined/.test(statsText), 'stats never print null/NaN');
  r.check(await page.getByText('@night_owl').isVisible(), 'header shows @night_owl');
  r.check((await page.getByTestId('sign-in').count()) === 0, 'landing is gone once signed in');
  r.check(await page.getByText('Asia/Tokyo').first().isVisible(), 'the analysis is in the browser zone (tz=Asia/Tokyo)');

  await page.getByTestId('awake-bar').nth(Math.floor(bars / 2)).hover();
  const tip = page.getByRole('tooltip');
  await tip.waitFor({ timeout: 5_000 });
  r.check(/\d{1,2}\/\d{1,2} \d{2}:\d{2} – /.test(await tip.innerText()), 'hover shows exact start and end');
  await page.mouse.move(0, 0);
  await screenshot(r, page, 'desktop.png', { docsName: 'screenshot.png' });

  ctx.step = 'switch language';
  await page.getByRole('combobox').selectOption('ja');
  await page.getByText('あなたのリズム').waitFor({ timeout: 5_000 });
  r.check(await page.getByText('あなたのリズム').isVisible(), 'switching to 日本語 shows Japanese');
  r.check((await page.locator('html').getAttribute('lang')) === 'ja', '<html lang> follows the language');
  await screenshot(r, page, 'desktop-ja.png');

  ctx.step = 'mobile layout';
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await page.getByTestId('stat-wakeTime').waitFor({ timeout: 60_000 });
  r.check(await page.getByText('あなたのリズム').isVisible(), 'language choice survives a reload');
  const box = await page.locator('.cal-track').nth(1).boundingBox();
  r.check(box !== null && box.width > box.height, 'narrow screens use the rotated layout (rows per date)');
  const overflow = await sidewaysOverflow(page);
  r.check(overflow <= 0, 'no horizontal scrolling at 390 px', `${overflow}px too wide`);
  await screenshot(r, page, 'mobile.png');
  await page.setViewportSize({ width: 360, height: 740 });
  const overflow360 = await sidewaysOverflow(page);
  r.check(overflow360 <= 0, 'no horizontal scrolling at 360 px', `${overflow360}px too wide`);
  const errors = ctx.messages.filter((m) => m.startsWith('pageerror'));
  r.check(errors.length === 0, 'no uncaught page errors on the calendar', errors.join('; '));
}
