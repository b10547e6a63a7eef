// The e2e harness: starts the real nezame binary, launches Debian's Chromium through
// playwright-core, and hands each check module a context (`ctx`) with what it needs. No browser
// is downloaded and nothing is mocked: the server runs in demo mode against its built-in
// Twitter emulator.
import { spawn } from 'node:child_process';
import { copyFileSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const outDir = join(webDir, 'e2e', 'output');
export const docsDir = resolve(webDir, '..', 'docs');
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** A failed expectation: the message names what was expected and what was seen. */
export class CheckFailed extends Error {}

/**
 * Counts and prints results; `check` throws so a module stops at its first failure. There is no
 * "pending": a check either asserts or is not written.
 */
export class Reporter {
  passed = 0;
  failed = 0;
  ok(name) {
    this.passed++;
    console.log(`  ok  ${name}`);
  }
  check(cond, name, detail = '') {
    if (!cond) throw new CheckFailed(`${name}${detail ? `: ${detail}` : ''}`);
    this.ok(name);
  }
  info(text) {
    console.log(`  ..  ${text}`);
  }
}

export function freePort() {
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

async function waitReady(base, proc, logPath, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`nezame exited early with code ${proc.exitCode}; see ${logPath}`);
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

/**
 * Starts nezame in demo mode on a free port with its own share store; `env` adds or overrides
 * variables (e.g. a tiny TWITTER_APP_DAILY_QUOTA). Returns { base, stop }.
 */
export async function startServer(bin, { name = 'server', env: extra = {} } = {}) {
  if (!existsSync(bin)) throw new Error(`no binary at ${bin}: run \`make build\` first or set NEZAME_BIN`);
  mkdirSync(outDir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'nezame-e2e-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = { ...process.env, PORT: String(port), PUBLIC_URL: base, SHARE_STORE: `file://${join(work, 'shares')}` };
  for (const k of ['REDIS_URL', 'TWITTER_CONSUMER_KEY', 'TWITTER_CONSUMER_SECRET', 'TWITTER_API_BASE', 'SESSION_SECRET']) delete env[k];
  Object.assign(env, extra);
  const logPath = join(outDir, `${name}.log`);
  const log = createWriteStream(logPath);
  const proc = spawn(bin, [], { env, cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout.pipe(log);
  proc.stderr.pipe(log);
  const stop = async () => {
    if (proc.exitCode === null) {
      await new Promise((res) => {
        const kill = setTimeout(() => proc.kill('SIGKILL'), 10_000);
        proc.once('exit', () => {
          clearTimeout(kill);
          res();
        });
        proc.kill('SIGTERM');
      });
    }
    rmSync(work, { recursive: true, force: true });
  };
  try {
    // Generous: on a busy machine the binary can be slow to start; a crash still ends the wait at once.
    await waitReady(base, proc, logPath, 60_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { base, stop, proc };
}

export async function launchBrowser() {
  if (!existsSync(chromiumPath)) {
    throw new Error(`no Chromium at ${chromiumPath}: apt-get install chromium (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
}

/** Console messages and uncaught errors of every page of a context, for "no errors" checks. */
export function watchPage(page, log) {
  page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') log.push(`console.${m.type()}: ${m.text()} (${page.url()})`);
  });
}

/** Signs in through the emulator's consent page as `persona` and waits for the app at /. */
export async function signIn(page, base, persona) {
  await page.goto(`${base}/`);
  await page.getByTestId('sign-in').click();
  const radio = page.locator(`input[name=persona][value="${persona}"], input[value="${persona}"]`).first();
  await radio.waitFor({ timeout: 60_000 });
  await radio.check();
  await page.locator('form button[type=submit]:not([name=deny]), form button.allow').first().click();
  await page.waitForURL((u) => u.origin === base && u.pathname === '/', { timeout: 60_000 });
}

/**
 * Saves a screenshot to e2e/output/<file>; with UPDATE_SCREENSHOT=1 it also refreshes
 * docs/<docsName> for the README (a tracked file, so plain test runs leave the tree clean).
 */
export async function screenshot(r, target, file, { docsName, fullPage = true } = {}) {
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, file);
  await target.screenshot({ path, ...(target.url ? { fullPage } : {}) });
  if (docsName && process.env.UPDATE_SCREENSHOT === '1') {
    mkdirSync(docsDir, { recursive: true });
    copyFileSync(path, join(docsDir, docsName));
    r.ok(`screenshot ${file} saved and copied to docs/${docsName}`);
  } else {
    r.info(`screenshot ${path}${docsName ? ` (UPDATE_SCREENSHOT=1 refreshes docs/${docsName})` : ''}`);
  }
}

/** Saves bytes (e.g. a share card PNG) like `screenshot` does. */
export function saveImage(r, bytes, file, docsName) {
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, file);
  writeFileSync(path, bytes);
  if (docsName && process.env.UPDATE_SCREENSHOT === '1') {
    copyFileSync(path, join(docsDir, docsName));
    r.ok(`${file} saved and copied to docs/${docsName}`);
  } else {
    r.info(`image ${path}${docsName ? ` (UPDATE_SCREENSHOT=1 refreshes docs/${docsName})` : ''}`);
  }
}

/** Horizontal overflow of the page in CSS px (0 when nothing scrolls sideways). */
export function sidewaysOverflow(page) {
  /* global document, window -- evaluated in the browser */
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** Presses Tab until `matches(focused)` holds (evaluated in the page); returns how many presses, or -1. */
export async function tabsUntil(page, matches, max = 80) {
  /* global HTMLElement -- evaluated in the browser */
  await page.evaluate(() => {
    if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
    window.scrollTo(0, 0);
  });
  for (let n = 1; n <= max; n++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(matches)) return n;
  }
  return -1;
}

/** Whether two bounding boxes overlap (touching edges do not count). */
export function overlap(a, b) {
  if (!a || !b) return false;
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Checks that the pages logged no console error or warning and threw nothing since `from`. */
export function checkQuiet(r, messages, where, from = 0) {
  const seen = messages.slice(from);
  r.check(seen.length === 0, `no console errors, warnings or uncaught errors ${where}`, seen.join('\n      '));
}
