// The signed-in calendar: a night owl's weeks in the browser's zone, drawn as sleep, awake,
// no data, single posts and now; explained by its legend and per-date details; one tab stop
// with arrow keys; accessible (axe, WCAG 2.2 AA) on desktop and at 360 px, light and dark,
// English and Japanese.
/* global document -- evaluated in the browser */
import { checkAxe } from '../lib/axe.mjs';
import { checkQuiet, overlap, screenshot, sidewaysOverflow, signIn, tabsUntil } from '../lib/harness.mjs';

export const name = 'calendar';

export async function run(ctx) {
  const { r, base } = ctx;
  ctx.step = 'sign in as night_owl';
  // A fixed zone proves the page sends the browser's zone as tz (and makes the picture stable).
  const page = await ctx.newPage();
  const analyses = watchAnalyses(page);
  await signIn(page, base, 'night_owl');
  r.ok('emulator consent returns to /');

  ctx.step = 'calendar';
  await page.getByTestId('stat-wakeTime').waitFor({ timeout: 60_000 });
  // "Today" is the server's today (its analysis instant) and the page's (its clock): a run that
  // straddled midnight in Tokyo would see two different dates. The page's clock is pinned to the
  // instant the server analysed at, so both agree whatever the hour.
  const analysedAt = await pinToAnalysis(page, analyses);
  const count = (id) => page.getByTestId(id).count();
  const awake = await count('awake-bar');
  const sleep = await count('sleep-bar');
  r.check(awake > 10, 'calendar draws awake periods', `${awake}`);
  r.check(sleep >= 20, 'calendar draws the sleeps of the Analysis', `${sleep} sleep bars`);
  r.check((await page.locator('[data-testid^=stat-]').count()) === 8, 'stats panel draws 8 statistics');
  const statsText = await page.locator('.stats').innerText();
  r.check(!/\bnull\b|NaN|undefined/.test(statsText), 'stats never print null/NaN');
  r.check(/median SRI was about 81 \(Windred et al\. 2024\)/.test(statsText), 'the SRI is put beside the UK Biobank median');
  r.check(/50 min to 2 h earlier than on Sundays \(Scheffler & Kyba 2016\)/.test(statsText), 'social jetlag is put beside the Twitter population studies');
  r.check(await page.getByText('@night_owl').isVisible(), 'header shows @night_owl');
  r.check((await page.getByTestId('sign-in').count()) === 0, 'landing is gone once signed in');
  r.check(await page.getByText('Times are shown in Asia/Tokyo.').isVisible(), 'the analysis is in the browser zone (tz=Asia/Tokyo), and says so');

  ctx.step = 'today and now';
  const today = page.locator('.cal-day--today');
  r.check((await today.count()) === 1, 'one date is today');
  const todayDate = tokyoDate(analysedAt);
  r.check((await today.getAttribute('data-date')) === todayDate, 'today is the date of the analysis in Asia/Tokyo', todayDate);
  r.check((await today.getByTestId('now-line').count()) === 1, 'a line marks now in today');
  r.check((await today.getByTestId('future-bar').count()) === 1, 'the rest of today is drawn as not yet happened, not as sleep');
  const afterNow = await today.evaluate((day) => {
    const now = Number(day.querySelector('[data-testid=now-line]').style.getPropertyValue('--o'));
    return [...day.querySelectorAll('[data-testid=sleep-bar], [data-testid=nap-bar]')].filter((b) => Number(b.style.getPropertyValue('--o')) > now).length;
  });
  r.check(afterNow === 0, 'no sleep is drawn after now', `${afterNow} sleep bars after now`);
  const [num, wd, month] = await Promise.all(['.cal-date-num', '.cal-date-wd', '.cal-date-month'].map((s) => today.locator(s).boundingBox()));
  r.check(!overlap(num, wd) && !overlap(num, month), 'today’s marker does not overlap the date label', JSON.stringify({ num, wd, month }));

  ctx.step = 'legend';
  const legend = await page.getByTestId('legend').innerText();
  for (const words of ['Awake', 'Asleep', 'Nap', 'No data', 'Not yet happened', 'A single post', 'Now', 'Weekend', 'Today']) {
    r.check(legend.includes(words), `the legend explains "${words}"`);
  }

  ctx.step = 'keyboard';
  const gridStops = await page.locator('[role=grid] [tabindex="0"]').count();
  r.check(gridStops === 1, 'the calendar is one tab stop', `${gridStops} tab stops`);
  const toGrid = await tabsUntil(page, () => document.activeElement?.getAttribute('role') === 'gridcell');
  r.check(toGrid > 0 && toGrid <= 8, 'Tab reaches the calendar in a few presses', `${toGrid} presses`);
  const focusedDate = () => page.evaluate(() => document.activeElement?.getAttribute('data-date'));
  const start = await focusedDate();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  const moved = await focusedDate();
  r.check(moved !== start && moved < start, 'arrow keys move between dates', `${start} -> ${moved}`);
  const details = await page.getByTestId('day-details').innerText();
  r.check(/Night: bed \d\d:\d\d, wake .*\d\d:\d\d · \d+ h( \d+ min)? · confidence \d+%/.test(details), 'focus on a night shows bed, wake, length and confidence', details);
  const name = await page.evaluate(() => document.activeElement?.textContent ?? '');
  r.check(/^\w+day, \w+ \d+\. /.test(name) && /Awake|Night|Asleep/.test(name), 'the focused date says in words what it shows', name.slice(0, 120));
  const toShare = await tabsUntil(page, () => document.activeElement?.textContent === 'Make a share image');
  r.check(toShare > 0 && toShare <= 16, '"Make a share image" is a few Tabs from the top (not 61)', `${toShare} presses`);
  await page.keyboard.press('Escape');

  ctx.step = 'hover';
  await page.locator('[role=gridcell]').nth(5).hover();
  const hover = await page.getByTestId('day-details').innerText();
  r.check(/Night: bed|Asleep until/.test(hover), 'hover on a date shows its night', hover);
  await page.mouse.move(0, 0);
  await checkAxe(r, page, 'the calendar (desktop, light, English)');
  await screenshot(r, page, 'desktop.png', { docsName: 'screenshot.png' });

  ctx.step = 'dark, Japanese';
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.getByRole('combobox', { name: 'Language', exact: true }).selectOption('ja');
  await page.getByText('あなたのリズム').waitFor({ timeout: 60_000 });
  r.check((await page.locator('html').getAttribute('lang')) === 'ja', '<html lang> follows the language');
  r.check(/UK Biobankの成人約6万人では、SRIの中央値は約81/.test(await page.locator('.stats').innerText()), 'the statistics’ context is in Japanese too');
  await checkAxe(r, page, 'the calendar (desktop, dark, Japanese)');
  await screenshot(r, page, 'desktop-ja-dark.png');

  ctx.step = 'mobile layout';
  await page.setViewportSize({ width: 360, height: 740 });
  await page.reload();
  await page.getByTestId('stat-wakeTime').waitFor({ timeout: 60_000 });
  r.check(await page.getByText('あなたのリズム').isVisible(), 'language choice survives a reload');
  r.check((await page.locator('.cal').getAttribute('data-layout')) === 'rows', 'at 360 px the calendar is drawn as rows (one per date)');
  const header = await page.locator('header').boundingBox();
  r.check(header !== null && header.height <= 64, 'the mobile header is one row', `${header?.height}px tall`);
  const shareY = (await page.getByTestId('share').boundingBox())?.y ?? Infinity;
  const statsY = (await page.locator('.stats').boundingBox())?.y ?? -1;
  r.check(shareY < statsY, 'on mobile, Share comes before the statistics', `share at ${shareY}, stats at ${statsY}`);
  const overflow = await sidewaysOverflow(page);
  r.check(overflow <= 0, 'no horizontal scrolling at 360 px', `${overflow}px too wide`);
  await checkAxe(r, page, 'the calendar (360 px, dark, Japanese)');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.getByRole('combobox', { name: '言語', exact: true }).selectOption('en');
  await page.getByRole('heading', { name: 'Your rhythm' }).waitFor({ timeout: 60_000 });
  await checkAxe(r, page, 'the calendar (360 px, light, English)');
  await screenshot(r, page, 'mobile.png');
  // The README's phone picture: the first screen and a half (the page is long).
  await page.setViewportSize({ width: 360, height: 1100 });
  await screenshot(r, page, 'mobile-top.png', { docsName: 'screenshot-mobile.png', fullPage: false });
  checkQuiet(r, ctx.messages, 'on the calendar');
}

/** Collects the Analyses the page is answered with (200s of /api/periods), in order. */
function watchAnalyses(page) {
  const seen = [];
  page.on('response', (res) => {
    if (res.url().includes('/api/periods') && res.status() === 200) seen.push(res.json().catch(() => null));
  });
  return seen;
}

/** The instant an Analysis was made at: where its "future" stretch starts. */
function analysisInstant(analysis) {
  const future = analysis?.gaps?.find((g) => g.reason === 'future');
  return future ? Date.parse(future.start) : NaN;
}

/**
 * Fixes the page's clock at the instant of the analysis it shows and reloads, until the answer
 * after the reload is that same analysis (it is the stored one for CACHE_TTL, so once). Returns
 * the instant.
 */
async function pinToAnalysis(page, analyses) {
  for (let tries = 0; tries < 3; tries++) {
    const at = analysisInstant(await analyses.at(-1));
    if (!Number.isFinite(at)) throw new Error('the calendar’s analysis has no "future" stretch to tell when it was made');
    const before = analyses.length;
    await page.clock.setFixedTime(at);
    await page.reload();
    await page.getByTestId('stat-wakeTime').waitFor({ timeout: 60_000 });
    // A revisit may be a 304 (the page keeps the analysis it had): then it is the same one.
    const again = analyses.length > before ? analysisInstant(await analyses.at(-1)) : at;
    if (again === at) return at;
  }
  throw new Error('the server made a new analysis on every reload: cannot pin the page to one');
}

function tokyoDate(ms) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}
