// Sharing: the card is made in the person's zone, its page and PNG load.
import { signIn } from '../lib/harness.mjs';

export const name = 'share';

export async function run(ctx) {
  const { r, base } = ctx;
  ctx.step = 'sign in as night_owl';
  const page = await ctx.newPage();
  await signIn(page, base, 'night_owl');
  await page.getByTestId('stat-wakeTime').waitFor({ timeout: 60_000 });

  ctx.step = 'make a share';
  const created = page.waitForResponse((res) => res.url().endsWith('/api/shares') && res.request().method() === 'POST', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Make a share image' }).click();
  const res = await created;
  r.check(res.status() === 201, 'POST /api/shares answers 201', `status ${res.status()}`);
  const sent = JSON.parse(res.request().postData() ?? '{}');
  r.check(sent.tz === 'Asia/Tokyo', 'the share is made in the browser zone (tz sent)', JSON.stringify(sent));
  const img = await page.getByTestId('share').getByRole('link', { name: 'Save image' }).getAttribute('href');
  const png = await page.request.get(new URL(img, base).toString());
  r.check(png.ok() && png.headers()['content-type'] === 'image/png', 'the share PNG loads', `${img} -> ${png.status()}`);
  const errors = ctx.messages.filter((m) => m.startsWith('pageerror'));
  r.check(errors.length === 0, 'no uncaught page errors while sharing', errors.join('; '));
}
