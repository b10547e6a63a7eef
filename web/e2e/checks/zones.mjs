// Time zones: a browser's ICU name is sent as the canonical IANA name, and a zone the server
// refuses opens the picker (search by city), whose choice is remembered.
/* global document -- evaluated in the browser */
import { checkAxe } from '../lib/axe.mjs';
import { signIn } from '../lib/harness.mjs';

export const name = 'zones';

export async function run(ctx) {
  const { r, base } = ctx;
  ctx.step = 'India';
  const india = await ctx.newPage({ timezoneId: 'Asia/Calcutta' });
  const sent = [];
  india.on('request', (req) => {
    if (req.url().includes('/api/periods')) sent.push(new URL(req.url()).searchParams.get('tz'));
  });
  await signIn(india, base, 'early_bird');
  await india.getByTestId('stat-wakeTime').waitFor({ timeout: 60_000 });
  r.check(sent[0] === 'Asia/Kolkata', 'a browser reporting Asia/Calcutta asks for Asia/Kolkata, and gets its calendar', sent.join(','));

  ctx.step = 'a zone the server refuses';
  const page = await ctx.newPage();
  await signIn(page, base, 'night_owl');
  await page.getByTestId('stat-wakeTime').waitFor({ timeout: 60_000 });
  // A name the browser knows but that is no canonical IANA zone (a POSIX-style Etc zone).
  await page.evaluate(() => localStorage.setItem('nezame.tz', 'Etc/GMT-9'));
  await page.reload();
  const state = page.getByTestId('state-invalid-timezone');
  const refused = await Promise.race([
    // The loser's wait ends by timing out (or with the page): null, never an unhandled rejection.
    state.waitFor({ timeout: 60_000 }).then(() => true, () => null),
    page.getByTestId('stat-wakeTime').waitFor({ timeout: 60_000 }).then(() => false, () => null),
  ]);
  if (refused === null) throw new Error('neither the zone picker nor the calendar appeared within 60 s');
  r.check(refused, 'a zone the server refuses (Etc/GMT-9) opens the zone picker, not the calendar');
  r.check(!/Something went wrong/.test(await state.innerText()), 'an unknown zone is not "Something went wrong on our side"');
  await checkAxe(r, page, 'the time zone picker');
  await page.getByRole('searchbox', { name: 'Search by city or zone' }).fill('tokyo');
  await page.getByRole('button', { name: /Tokyo Asia\/Tokyo/ }).click();
  await page.getByTestId('stat-wakeTime').waitFor({ timeout: 60_000 });
  r.ok('picking Tokyo draws the calendar');
  await page.reload();
  await page.getByTestId('stat-wakeTime').waitFor({ timeout: 60_000 });
  r.check((await page.evaluate(() => localStorage.getItem('nezame.tz'))) === 'Asia/Tokyo', 'the picked zone is remembered');

  ctx.step = 'picking another zone';
  await page.getByRole('button', { name: 'Change time zone' }).click();
  await page.getByRole('searchbox', { name: 'Search by city or zone' }).fill('new york');
  const asked = page.waitForRequest((req) => req.url().includes('/api/periods?tz=America%2FNew_York'), { timeout: 60_000 });
  await page.getByRole('button', { name: /New York America\/New_York/ }).click();
  await asked;
  await page.getByText('Times are shown in America/New_York.').first().waitFor({ timeout: 60_000 });
  r.ok('the calendar is drawn again in the picked zone');
  const change = page.getByRole('button', { name: 'Change time zone' });
  await page.waitForFunction(() => document.activeElement?.textContent === 'Change time zone', null, { timeout: 10_000 }).catch(() => {});
  r.check(await change.evaluate((b) => b === document.activeElement), 'focus is back on "Change time zone", not lost on the page', await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 80)));
  const said = (await page.getByTestId('announcer').innerText()).trim();
  r.check(said === 'Times are shown in America/New_York.', 'the picked zone is said politely', said);
}
