// Sharing works, in the person's zone and language: a preview of exactly the card, the share
// made with tz, lang and an expiry, its page and PNG saying what the calendar says, "My shares"
// listing it, deleting it for good, focus moving to each result, the page not scrolling
// sideways at 360 px, and an expired session told to sign in again.
import { checkAxe } from '../lib/axe.mjs';
import { saveImage, sidewaysOverflow, signIn } from '../lib/harness.mjs';

export const name = 'share';

/* global document -- evaluated in the browser */

/** Width and height from a PNG's IHDR chunk. */
function pngSize(buf) {
  const sig = buf.subarray(0, 8).toString('hex') === '89504e470d0a1a0a';
  return sig ? { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) } : null;
}

/** The "HH:MM" a statistic card shows. */
async function statClock(page, key) {
  const text = await page.getByTestId(`stat-${key}`).locator('.stat-value').innerText();
  return /(\d\d:\d\d)/.exec(text)?.[1] ?? null;
}

export async function run(ctx) {
  const { r, base } = ctx;
  ctx.step = 'sign in as night_owl';
  const page = await ctx.newPage();
  await signIn(page, base, 'night_owl');
  await page.getByTestId('stat-wakeTime').waitFor({ timeout: 60_000 });
  const wake = await statClock(page, 'wakeTime');
  const bed = await statClock(page, 'bedTime');
  r.check(wake !== null && bed !== null, 'the calendar shows a wake time and a bedtime', `${wake} / ${bed}`);
  const share = page.getByTestId('share');

  ctx.step = 'preview';
  const previewed = page.waitForResponse((res) => res.url().endsWith('/api/shares/preview'), { timeout: 60_000 });
  await share.getByRole('button', { name: 'Preview the card' }).click();
  const preview = await previewed;
  r.check(preview.status() === 200 && preview.headers()['content-type'] === 'image/png', 'the preview is a PNG', `${preview.status()} ${preview.headers()['content-type']}`);
  r.check(/no-store/.test(preview.headers()['cache-control'] ?? ''), 'the preview is not cached');
  // The image the page shows is the answer itself (an object URL of the PNG received).
  const shown = await share.getByRole('img', { name: 'Preview of the share card' }).evaluate((img) => img.decode().then(() => `${img.naturalWidth}x${img.naturalHeight}`));
  r.check(shown === '1200x630', 'the preview shows the 1200×630 card before anything is published', shown);

  ctx.step = 'make a share';
  await share.getByTestId('share-expiry').selectOption('7');
  const created = page.waitForResponse((res) => res.url().endsWith('/api/shares') && res.request().method() === 'POST', { timeout: 60_000 });
  await share.getByRole('button', { name: 'Make a share image' }).click();
  const res = await created;
  r.check(res.status() === 201, 'POST /api/shares answers 201', `status ${res.status()}`);
  const sent = JSON.parse(res.request().postData() ?? '{}');
  r.check(sent.tz === 'Asia/Tokyo' && sent.lang === 'en' && sent.expiresInDays === 7, 'the share is asked for in the calendar’s zone and language, with the chosen expiry', JSON.stringify(sent));
  const made = await res.json();
  r.check(Date.parse(made.expiresAt) - Date.parse(made.createdAt) === 7 * 86_400_000, 'the share expires in 7 days', `${made.createdAt} -> ${made.expiresAt}`);
  await page.getByRole('heading', { name: 'Your share is ready' }).waitFor({ timeout: 60_000 });
  const focused = await page.evaluate(() => document.activeElement?.textContent);
  r.check(focused === 'Your share is ready', 'focus moves to the result after "Make a share image"', `focus on ${focused}`);
  r.check((await page.getByTestId('announcer').textContent()) === 'Your share is ready', 'and it is announced in the polite live region');

  ctx.step = 'the share page and card';
  const pageRes = await page.request.get(made.url);
  const html = await pageRes.text();
  r.check(pageRes.status() === 200, 'the share page loads', `${made.url} -> ${pageRes.status()}`);
  r.check(html.includes(wake) && html.includes(bed), 'the share page says the calendar’s wake time and bedtime', `looked for ${wake} and ${bed}`);
  r.check(html.includes('Asia/Tokyo'), 'the share page names the zone');
  const png = await page.request.get(made.imageUrl);
  const card = await png.body();
  const size = pngSize(card);
  r.check(png.ok() && png.headers()['content-type'] === 'image/png' && size?.width === 1200, 'the share PNG loads', `${made.imageUrl} -> ${png.status()} ${JSON.stringify(size)}`);
  saveImage(r, card, 'share-card.png', 'screenshot-share.png');
  const narrow = await ctx.newPage({ viewport: { width: 360, height: 740 } });
  await narrow.goto(made.url);
  const overflow = await sidewaysOverflow(narrow);
  r.check(overflow <= 0, 'the share page does not scroll sideways at 360 px', `${overflow}px too wide`);
  await checkAxe(r, narrow, 'the share page (360 px, English)');
  await narrow.close();
  ctx.current = page;

  ctx.step = 'my shares';
  const mine = page.getByTestId('my-shares').locator(`[data-share-id="${made.id}"]`);
  r.check((await mine.count()) === 1, '"My shares" lists the new share');
  await page.reload();
  await page.getByTestId('stat-wakeTime').waitFor({ timeout: 60_000 });
  await mine.waitFor({ timeout: 60_000 });
  r.ok('the share is still listed after a reload (GET /api/shares)');
  await checkAxe(r, page, 'the share section with a share listed');
  await mine.getByRole('button', { name: /Delete share \(made/ }).click();
  await page.waitForFunction((id) => !document.querySelector(`[data-share-id="${id}"]`), made.id, { timeout: 60_000 });
  const afterDelete = await page.evaluate(() => document.activeElement?.textContent);
  r.check(afterDelete === 'My shares', 'focus moves to "My shares" after "Delete"', `focus on ${afterDelete}`);
  const gone = await page.request.get(made.url);
  r.check(gone.status() === 404, 'a deleted share’s page is gone', `status ${gone.status()}`);

  ctx.step = 'Japanese card';
  await page.getByRole('combobox', { name: 'Language', exact: true }).selectOption('ja');
  const jaCreated = page.waitForResponse((res2) => res2.url().endsWith('/api/shares') && res2.request().method() === 'POST', { timeout: 60_000 });
  await share.getByRole('button', { name: 'シェア画像を作る' }).click();
  const jaRes = await jaCreated;
  r.check(JSON.parse(jaRes.request().postData() ?? '{}').lang === 'ja', 'a person reading Japanese makes a Japanese card (lang=ja)');
  const jaUrl = (await jaRes.json()).url;
  const jaPage = await page.request.get(jaUrl);
  r.check(/<html lang="ja"/.test(await jaPage.text()), 'the share page is in Japanese');
  const jaNarrow = await ctx.newPage({ viewport: { width: 360, height: 740 }, colorScheme: 'dark', locale: 'ja-JP' });
  await jaNarrow.goto(jaUrl);
  r.check((await sidewaysOverflow(jaNarrow)) <= 0, 'the Japanese share page does not scroll sideways at 360 px');
  await checkAxe(r, jaNarrow, 'the share page (360 px, dark, Japanese)');
  await jaNarrow.close();
  ctx.current = page;
  await page.getByRole('combobox', { name: '言語', exact: true }).selectOption('en');

  ctx.step = 'expired session';
  await page.context().clearCookies();
  await share.getByRole('button', { name: 'Make a share image' }).click();
  const problem = page.getByTestId('share-problem');
  await problem.waitFor({ timeout: 60_000 });
  r.check((await problem.getAttribute('data-kind')) === 'unauthenticated', 'an expired session on Share is a 401');
  r.check(/Sign in again to share/.test(await problem.innerText()), 'an expired session on Share says "sign in again", not "try again"');
  r.check((await problem.getByRole('link', { name: 'Sign in again' }).getAttribute('href')) === '/auth/login', 'and links to sign-in');
  const errors = ctx.messages.filter((m) => m.startsWith('pageerror'));
  r.check(errors.length === 0, 'no uncaught page errors while sharing', errors.join('; '));
}
