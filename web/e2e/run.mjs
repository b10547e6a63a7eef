// End-to-end test: the real nezame binary in demo mode (built-in Twitter emulator, in-memory
// stores) driven by Debian's Chromium through playwright-core. It builds nothing: run
// `make build` first (or set NEZAME_BIN). Screenshots go to e2e/output/; the desktop one is
// also copied to ../docs/screenshot.png for the README when UPDATE_SCREENSHOT=1.
//
//   node e2e/run.mjs            (from web/)
import { spawn } from 'node:child_process';
import { copyFileSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { makeArchive } from './archive-fixture.mjs';

/* global document, window -- only inside page.evaluate, which runs in the browser */

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(webDir, 'e2e', 'output');
const docsShot = resolve(webDir, '..', 'docs', 'screenshot.png');
const bin = resolve(webDir, process.env.NEZAME_BIN ?? '../bin/nezame');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

let passed = 0;
let failed = 0;
let step = 'start';
/** The page in use, so a failure can show what it displayed. */
let current = null;

function ok(name) {
  passed++;
  console.log(`  ok  ${name}`);
}

function check(cond, name, detail = '') {
  if (!cond) throw new Error(`${name}${detail ? `: ${detail}` : ''}`);
  ok(name);
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

async function waitReady(base, server, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`nezame exited early with code ${server.exitCode}; see ${join(outDir, 'server.log')}`);
    try {
      const res = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nezame was not ready within ${timeoutMs} ms`);
}

function stopServer(server) {
  if (server.exitCode !== null) return Promise.resolve();
  return new Promise((res) => {
    const kill = setTimeout(() => server.kill('SIGKILL'), 10_000);
    server.once('exit', () => {
      clearTimeout(kill);
      res();
    });
    server.kill('SIGTERM');
  });
}

async function signIn(page, base, persona) {
  await page.goto(`${base}/`);
  await page.getByTestId('sign-in').click();
  step = 'emulator consent page';
  const radio = page.locator(`input[name=persona][value="${persona}"], input[value="${persona}"]`).first();
  await radio.waitFor({ timeout: 15_000 });
  await radio.check();
  await page.locator('form button[type=submit]:not([name=deny]), form button.allow').first().click();
}

async function main() {
  if (!existsSync(bin)) {
    throw new Error(`no binary at ${bin}: run \`make build\` first or set NEZAME_BIN`);
  }
  if (!existsSync(chromiumPath)) {
    throw new Error(`no Chromium at ${chromiumPath}: apt-get install chromium (or set CHROMIUM_PATH)`);
  }
  mkdirSync(outDir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'nezame-e2e-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = { ...process.env, PORT: String(port), PUBLIC_URL: base, SHARE_STORE: `file://${join(work, 'shares')}` };
  for (const k of ['REDIS_URL', 'TWITTER_CONSUMER_KEY', 'TWITTER_CONSUMER_SECRET', 'TWITTER_API_BASE', 'SESSION_SECRET']) delete env[k];

  step = 'start nezame';
  const log = createWriteStream(join(outDir, 'server.log'));
  const server = spawn(bin, [], { env, cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.pipe(log);
  server.stderr.pipe(log);
  let browser;
  try {
    await waitReady(base, server, 15_000);
    ok(`nezame ready on ${base} (demo mode)`);

    browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
    // A fixed zone proves the page sends the browser's zone as tz (and makes the picture stable).
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'en-US',
      timezoneId: 'Asia/Tokyo',
      colorScheme: 'light',
    });
    const page = await context.newPage();
    current = page;
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));

    step = 'landing';
    await page.goto(`${base}/`);
    await page.getByTestId('sign-in').waitFor({ timeout: 15_000 });
    check(await page.getByTestId('sign-in').isVisible(), 'landing shows "Sign in with Twitter"');
    check((await page.getByTestId('sign-in').getAttribute('href')) === '/auth/login', 'sign-in links to /auth/login');
    const sampleBars = await page.getByTestId('awake-bar').count();
    check(sampleBars > 10, 'landing draws the sample calendar', `${sampleBars} bars`);
    check(await page.getByText('No post text is stored').first().isVisible(), 'landing shows the privacy note');
    await page.screenshot({ path: join(outDir, 'landing.png'), fullPage: true });

    step = 'sign in as night_owl';
    await signIn(page, base, 'night_owl');
    await page.waitForURL((u) => u.origin === base && u.pathname === '/', { timeout: 15_000 });
    ok('emulator consent returns to /');

    step = 'calendar';
    await page.getByTestId('stat-wakeTime').waitFor({ timeout: 60_000 });
    const bars = await page.getByTestId('awake-bar').count();
    check(bars > 10, 'calendar draws awake bars', `${bars} bars`);
    check((await page.locator('[data-testid^=stat-]').count()) === 8, 'stats panel draws 8 statistics');
    const statsText = await page.locator('.stats').innerText();
    check(!/\bnull\b|NaN|undefined/.test(statsText), 'stats never print null/NaN');
    check(await page.getByText('@night_owl').isVisible(), 'header shows @night_owl');
    check((await page.getByTestId('sign-in').count()) === 0, 'landing is gone once signed in');
    check(await page.getByText('Asia/Tokyo').first().isVisible(), 'the analysis is in the browser zone (tz=Asia/Tokyo)');
    const avatar = await page.evaluate(() => {
      const img = document.querySelector('img.avatar');
      return img === null ? 'none' : `${img.getAttribute('src')} (${img.naturalWidth}px)`;
    });
    console.log(`  ..  avatar: ${avatar}`);

    await page.getByTestId('awake-bar').nth(Math.floor(bars / 2)).hover();
    const tip = page.getByRole('tooltip');
    await tip.waitFor({ timeout: 5_000 });
    check(/\d{1,2}\/\d{1,2} \d{2}:\d{2} – /.test(await tip.innerText()), 'hover shows exact start and end');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(outDir, 'desktop.png'), fullPage: true });
    // The README's screenshot is a tracked file: refresh it only when asked
    // (UPDATE_SCREENSHOT=1 make test-e2e), so a test run leaves the tree clean.
    if (process.env.UPDATE_SCREENSHOT === '1') {
      mkdirSync(dirname(docsShot), { recursive: true });
      copyFileSync(join(outDir, 'desktop.png'), docsShot);
      ok(`screenshot saved (${join(outDir, 'desktop.png')}, copied to ${docsShot})`);
    } else {
      ok(`screenshot saved (${join(outDir, 'desktop.png')}; UPDATE_SCREENSHOT=1 refreshes docs/screenshot.png)`);
    }

    step = 'share';
    const shareSection = page.getByTestId('share');
    if ((await shareSection.count()) > 0) {
      await shareSection.getByRole('button').first().click();
      // Either the share endpoint answers with real links, or (not landed: 404/405) the section goes.
      await page.waitForFunction(
        () => document.querySelector('[data-testid=share]') === null || document.querySelector('[data-testid=share] a[href*="intent/tweet"]') !== null,
        null,
        { timeout: 15_000 },
      );
      if ((await shareSection.count()) === 0) {
        ok('share section hides itself while POST /api/shares is not available');
      } else {
        const img = await shareSection.getByRole('link', { name: 'Save image' }).getAttribute('href');
        const res = await page.request.get(new URL(img, base).toString());
        check(res.ok() && res.headers()['content-type'] === 'image/png', 'share makes a tweet intent and a PNG', `${img} -> ${res.status()}`);
      }
    }

    step = 'switch language';
    await page.getByRole('combobox').selectOption('ja');
    await page.getByText('あなたのリズム').waitFor({ timeout: 5_000 });
    check(await page.getByText('あなたのリズム').isVisible(), 'switching to 日本語 shows Japanese');
    check((await page.locator('html').getAttribute('lang')) === 'ja', '<html lang> follows the language');
    await page.screenshot({ path: join(outDir, 'desktop-ja.png'), fullPage: true });

    step = 'mobile layout';
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.getByTestId('stat-wakeTime').waitFor({ timeout: 60_000 });
    check(await page.getByText('あなたのリズム').isVisible(), 'language choice survives a reload');
    const box = await page.locator('.cal-track').nth(1).boundingBox();
    check(box !== null && box.width > box.height, 'narrow screens use the rotated layout (rows per date)');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 0, 'no horizontal scrolling at 390 px', `${overflow}px too wide`);
    await page.screenshot({ path: join(outDir, 'mobile.png'), fullPage: true });
    ok('mobile screenshot saved');
    await page.setViewportSize({ width: 360, height: 740 });
    const overflow360 = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow360 <= 0, 'no horizontal scrolling at 360 px', `${overflow360}px too wide`);

    step = 'sign out';
    await page.getByRole('combobox').selectOption('en');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByTestId('sign-in').waitFor({ timeout: 15_000 });
    ok('sign out returns to the landing page');

    step = 'denied sign-in';
    const denied = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    const dpage = await denied.newPage();
    current = dpage;
    await dpage.goto(`${base}/`);
    await dpage.getByTestId('sign-in').click();
    await dpage.locator('button[name=deny]').click();
    await dpage.getByTestId('notice-denied').waitFor({ timeout: 15_000 });
    check(new URL(dpage.url()).search === '', 'cancelled sign-in explains itself and cleans the URL');
    await denied.close();

    step = 'archive import';
    const actx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', timezoneId: 'Asia/Tokyo' });
    const apage = await actx.newPage();
    current = apage;
    apage.on('pageerror', (e) => pageErrors.push(e.message));
    const sent = [];
    apage.on('request', (r) => {
      if (r.url().endsWith('/api/analyze')) sent.push(r);
    });
    await apage.goto(`${base}/`);
    const small = makeArchive({ posts: 2_000, perDay: 40 });
    await apage.getByTestId('archive-input').setInputFiles({ name: 'twitter-e2e.zip', mimeType: 'application/zip', buffer: small });
    await apage.getByTestId('archive-result').getByTestId('stat-wakeTime').waitFor({ timeout: 30_000 });
    const archiveBars = await apage.getByTestId('awake-bar').count();
    check(archiveBars > 10, 'a fixture archive is drawn as a calendar', `${archiveBars} bars`);
    check(/2,000 posts from/.test(await apage.getByTestId('archive-result').innerText()), 'every post of the archive is found');
    const body = sent[0]?.postData() ?? '';
    check(sent.length === 1 && !body.includes('text never leaves') && body.includes('"timestamps"'), 'only times (and sources) are sent to /api/analyze');

    step = 'archive import, 100,000 posts';
    const big = makeArchive({ posts: 100_000, perDay: 250 });
    const t0 = Date.now();
    await apage.getByTestId('archive-input').setInputFiles({ name: 'twitter-100k.zip', mimeType: 'application/zip', buffer: big });
    // The upload into the page (over the DevTools protocol) is not part of what a user waits for.
    const picked = Date.now();
    await apage.getByText('100,000 posts from').waitFor({ timeout: 120_000 });
    await apage.getByTestId('archive-result').getByTestId('stat-wakeTime').waitFor({ timeout: 60_000 });
    const drawn = Date.now();
    ok(
      `100,000-post archive (${(big.length / 1048576).toFixed(1)} MiB zip): read, analysed (last 4 weeks) and drawn in ${drawn - picked} ms after the pick (${picked - t0} ms test upload)`,
    );
    const min = await apage.getByLabel('From', { exact: true }).getAttribute('min');
    await apage.getByLabel('From', { exact: true }).fill(min);
    const t1 = Date.now();
    const answered = apage.waitForResponse((r) => r.url().endsWith('/api/analyze'), { timeout: 60_000 });
    await apage.getByRole('button', { name: 'Show' }).click();
    const resp = await answered;
    check(resp.ok(), 'the whole archive range is analysed', `status ${resp.status()}`);
    await apage.getByTestId('archive-result').getByTestId('stat-wakeTime').waitFor({ timeout: 60_000 });
    check((await apage.locator('.cal').getAttribute('data-layout')) === 'rows', 'a year-long range is drawn as rows');
    ok(`all 100,000 posts analysed and drawn in ${Date.now() - t1} ms after choosing the full range`);
    await apage.screenshot({ path: join(outDir, 'archive.png'), fullPage: true });
    await actx.close();

    check(pageErrors.length === 0, 'no uncaught page errors', pageErrors.join('; '));
  } catch (err) {
    if (current) {
      const shown = await current.locator('main').innerText({ timeout: 2_000 }).catch(() => '(page unavailable)');
      console.error(`page at failure (${current.url()}):\n${shown.replace(/\s+/g, ' ').slice(0, 600)}`);
      await current.screenshot({ path: join(outDir, 'failure.png'), fullPage: true }).catch(() => {});
    }
    throw err;
  } finally {
    if (browser) await browser.close();
    await stopServer(server);
    rmSync(work, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (err) {
  failed++;
  console.error(`FAIL at step "${step}": ${err instanceof Error ? err.message : err}`);
}
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
