// The signed-out landing page: the ways in and the sample calendar.
import { screenshot } from '../lib/harness.mjs';

export const name = 'landing';

export async function run(ctx) {
  const { r, base } = ctx;
  ctx.step = 'landing';
  const page = await ctx.newPage();
  await page.goto(`${base}/`);
  await page.getByTestId('sign-in').waitFor({ timeout: 15_000 });
  r.check(await page.getByTestId('sign-in').isVisible(), 'landing shows "Sign in with Twitter"');
  r.check((await page.getByTestId('sign-in').getAttribute('href')) === '/auth/login', 'sign-in links to /auth/login');
  const sampleBars = await page.getByTestId('awake-bar').count();
  r.check(sampleBars > 10, 'landing draws the sample calendar', `${sampleBars} bars`);
  r.check(await page.getByText('No post text is stored').first().isVisible(), 'landing shows the privacy note');
  await screenshot(r, page, 'landing.png');
  const errors = ctx.messages.filter((m) => m.startsWith('pageerror'));
  r.check(errors.length === 0, 'no uncaught page errors on the landing page', errors.join('; '));
}
