// The signed-out landing page: the ways in, the sample calendar, said once and accessibly, and a
// visit that logs nothing in the console (no 401 from asking who is signed in).
import { checkAxe } from '../lib/axe.mjs';
import { checkQuiet, screenshot, sidewaysOverflow } from '../lib/harness.mjs';

export const name = 'landing';

export async function run(ctx) {
  const { r, base } = ctx;
  ctx.step = 'landing';
  const page = await ctx.newPage();
  const asked = [];
  page.on('request', (req) => {
    if (req.url().endsWith('/api/me')) asked.push(req.url());
  });
  await page.goto(`${base}/`);
  await page.getByTestId('sign-in').waitFor({ timeout: 60_000 });
  r.check(await page.getByTestId('sign-in').isVisible(), 'landing shows "Sign in with Twitter"');
  r.check((await page.getByTestId('sign-in').getAttribute('href')) === '/auth/login', 'sign-in links to /auth/login');
  const sampleBars = await page.getByTestId('awake-bar').count();
  r.check(sampleBars > 10, 'landing draws the sample calendar', `${sampleBars} bars`);
  r.check((await page.getByTestId('sleep-bar').count()) > 10, 'the sample draws its sleeps');
  const privacy = await page.getByText('No post text is stored').count();
  r.check(privacy === 1, 'the privacy line is said once', `${privacy} times`);
  r.check((await page.locator('.cal-day--today').count()) === 0, 'the sample (in the past) marks no made-up today');
  r.check(asked.length === 0, 'a first signed-out visit does not ask /api/me', asked.join(', '));
  await checkAxe(r, page, 'the landing page (desktop, light, English)');
  await screenshot(r, page, 'landing.png');

  ctx.step = 'landing, dark, Japanese, 360 px';
  const ja = await ctx.newPage({ locale: 'ja-JP', colorScheme: 'dark', viewport: { width: 360, height: 740 } });
  await ja.goto(`${base}/`);
  await ja.getByTestId('sign-in').waitFor({ timeout: 60_000 });
  r.check((await ja.getByTestId('sign-in').innerText()) === 'Twitterでサインイン', 'a Japanese browser gets the Japanese page');
  const overflow = await sidewaysOverflow(ja);
  r.check(overflow <= 0, 'the landing page does not scroll sideways at 360 px', `${overflow}px`);
  await checkAxe(r, ja, 'the landing page (360 px, dark, Japanese)');
  checkQuiet(r, ctx.messages, 'on signed-out visits');
}
