// Signing in and out: a cancelled sign-in, signing out, and what happens when nezame itself
// cannot be reached (the page stays and says so; it never lands on the browser's error page).
import { checkQuiet, signIn } from '../lib/harness.mjs';

export const name = 'session';

export async function run(ctx) {
  const { r, base } = ctx;
  ctx.step = 'sign out';
  const page = await ctx.newPage();
  await signIn(page, base, 'early_bird');
  await page.getByTestId('stat-wakeTime').waitFor({ timeout: 60_000 });

  // Storage cleared (or a new tab whose storage never saw the sign-in): the server's readable
  // hint cookie still says a session may exist, so the calendar comes back, not the landing page.
  ctx.step = 'storage cleared while signed in';
  await page.evaluate(() => {
    localStorage.clear();
    sessionStorage.clear();
  });
  await page.reload();
  await page.getByTestId('stat-wakeTime').waitFor({ timeout: 60_000 });
  r.check((await page.getByTestId('sign-in').count()) === 0, 'with site storage cleared, a signed-in reload shows the calendar');

  ctx.step = 'sign out';
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByTestId('sign-in').waitFor({ timeout: 60_000 });
  r.ok('sign out returns to the landing page');
  const quietFrom = ctx.messages.length;
  const asked = [];
  page.on('request', (req) => {
    if (req.url().endsWith('/api/me')) asked.push(req.url());
  });
  await page.reload();
  await page.getByTestId('sign-in').waitFor({ timeout: 60_000 });
  r.check(asked.length === 0, 'after signing out, a visit does not ask /api/me');
  checkQuiet(r, ctx.messages, 'on a visit after signing out', quietFrom);

  ctx.step = 'denied sign-in';
  const deniedFrom = ctx.messages.length;
  const dpage = await ctx.newPage();
  await dpage.goto(`${base}/`);
  await dpage.getByTestId('sign-in').click();
  await dpage.locator('button[name=deny]').click();
  await dpage.getByTestId('notice-denied').waitFor({ timeout: 60_000 });
  r.check(new URL(dpage.url()).search === '', 'cancelled sign-in explains itself and cleans the URL');
  checkQuiet(r, ctx.messages, 'after a cancelled sign-in', deniedFrom);

  ctx.step = 'nezame goes down while signed in';
  const other = await ctx.startServer('server-outage');
  const opage = await ctx.newPage();
  await signIn(opage, other.base, 'early_bird');
  await opage.getByTestId('stat-wakeTime').waitFor({ timeout: 60_000 });
  await other.stop();
  await opage.getByTestId('share').getByRole('button', { name: 'Make a share image' }).click();
  const problem = opage.getByTestId('share-problem');
  await problem.waitFor({ timeout: 60_000 });
  r.check((await problem.getAttribute('data-kind')) === 'network', 'Share while nezame is down is a network failure');
  r.check(/did not answer/.test(await problem.innerText()) && !/Sign in again/.test(await problem.innerText()), 'it says "try again", not "sign in again"');
  await opage.getByRole('button', { name: 'Sign out' }).click();
  await opage.getByTestId('sign-out-failed').waitFor({ timeout: 60_000 });
  r.check(new URL(opage.url()).origin === other.base, 'signing out while nezame is down stays on the page (not the browser’s error page)', opage.url());
  r.check(/still signed in/.test(await opage.getByTestId('sign-out-failed').innerText()), 'and says that sign-out did not happen');
  r.check(await opage.getByText('@early_bird').isVisible(), 'the person is shown as still signed in');
}
