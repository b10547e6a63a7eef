// Signing out, and a cancelled sign-in.
import { signIn } from '../lib/harness.mjs';

export const name = 'session';

export async function run(ctx) {
  const { r, base } = ctx;
  ctx.step = 'sign out';
  const page = await ctx.newPage();
  await signIn(page, base, 'early_bird');
  await page.getByTestId('stat-wakeTime').waitFor({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByTestId('sign-in').waitFor({ timeout: 15_000 });
  r.ok('sign out returns to the landing page');

  ctx.step = 'denied sign-in';
  const dpage = await ctx.newPage();
  await dpage.goto(`${base}/`);
  await dpage.getByTestId('sign-in').click();
  await dpage.locator('button[name=deny]').click();
  await dpage.getByTestId('notice-denied').waitFor({ timeout: 15_000 });
  r.check(new URL(dpage.url()).search === '', 'cancelled sign-in explains itself and cleans the URL');
}
