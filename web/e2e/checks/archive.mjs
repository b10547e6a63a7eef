// The archive import (owned with the archive feature): archives of the real layouts read and
// analysed in the browser by the WebAssembly analyzer; the same JSON as the server's
// /api/analyze (parity); no request carrying a post time; speed at 4 weeks and 100,000 posts
// (1,000,000 with NEZAME_E2E_LARGE=1, see `make e2e-archive-large`); errors told apart; the
// drop target; cancel; the long-range views; sharing a card of the result with consent.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
/* global document, window -- inside page.evaluate, which runs in the browser */
import { checkAxe } from '../lib/axe.mjs';
import { overlap, screenshot, sidewaysOverflow } from '../lib/harness.mjs';
import { buildArchive, createdAt, personPosts, SOURCES } from './archive-fixture.mjs';

export const name = 'archive';

const generator = createHash('sha1').update(readFileSync(new URL('./archive-fixture.mjs', import.meta.url))).digest('hex').slice(0, 8);

/** Writes an archive once to e2e/output/fixtures (reused while the generator is unchanged). */
function fixture(outDir, opts) {
  const dir = join(outDir, 'fixtures');
  mkdirSync(dir, { recursive: true });
  const key = Object.entries(opts)
    .map(([k, v]) => `${k}-${typeof v === 'object' ? Object.values(v).join('~') : v}`)
    .join('_');
  const path = join(dir, `${key}_${generator}.${opts.layout === 'js' ? 'js' : 'zip'}`);
  if (!existsSync(path)) {
    buildArchive({ ...opts, path: `${path}.part` });
    renameSync(`${path}.part`, path);
  }
  return { path, ...personPosts(opts) };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Every way a post time could be written into a request: ms, s, ISO UTC, local, created_at. */
function timeStrings(times, offsetHours) {
  const out = new Set();
  for (const t of times) {
    const iso = new Date(t).toISOString().slice(0, 19);
    const local = new Date(t + offsetHours * 3_600_000).toISOString().slice(0, 19);
    out.add(String(t)).add(String(t / 1000)).add(iso).add(local).add(createdAt(t));
  }
  return out;
}

/** Imports `path` through the picker and waits for `done` (a locator); returns the milliseconds. */
async function importFile(page, path, done) {
  const t0 = performance.now();
  await page.getByTestId('archive-input').setInputFiles(path);
  await done.waitFor({ timeout: 180_000 });
  return Math.round(performance.now() - t0);
}

/** Peak resident memory (VmHWM, MiB) of the browser's renderer processes, from /proc. */
async function rendererPeakMiB(browser) {
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
  await cdp.detach();
  let peak = 0;
  for (const p of processInfo.filter((x) => x.type === 'renderer')) {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p.id}/status`, 'utf8'));
    if (m) peak = Math.max(peak, Number(m[1]) / 1024);
  }
  return Math.round(peak);
}

/** The number of bytes on the wire for a GET with Accept-Encoding: gzip. */
function rawLength(url) {
  return new Promise((resolve, reject) => {
    get(url, { headers: { 'Accept-Encoding': 'gzip' } }, (res) => {
      let n = 0;
      res.on('data', (c) => (n += c.length));
      res.on('end', () => resolve(n));
    }).on('error', reject);
  });
}

/** POST /api/analyze from the test runner, waiting out the per-address limit when it answers 429. */
async function serverAnalyze(base, body) {
  for (;;) {
    const res = await fetch(`${base}/api/analyze`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    if (res.status === 429) {
      const wait = Number(res.headers.get('Retry-After') ?? '6');
      await new Promise((r) => setTimeout(r, Math.min(60, Math.max(1, wait)) * 1000));
      continue;
    }
    if (!res.ok) throw new Error(`/api/analyze answered ${res.status}: ${text.slice(0, 200)}`);
    return text;
  }
}

function firstDifference(a, b) {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `at byte ${i}: server …${b.slice(Math.max(0, i - 60), i + 60)}… wasm …${a.slice(Math.max(0, i - 60), i + 60)}…`;
}

/** The parity cases: DST zones, empty input, duplicates, unsorted input, automated sources. */
function parityCases() {
  const person = (end, utcOffsetHours, posts = 400) => personPosts({ posts, perDay: 20, end, utcOffsetHours, seed: 11 });
  const ny = person(Date.UTC(2026, 2, 12), -5); // across 2026-03-08, spring forward
  const nyFall = person(Date.UTC(2026, 10, 5), -5); // across 2026-11-01, fall back
  const sp = person(Date.UTC(2018, 10, 8), -3); // São Paulo 2018-11-04: clocks jumped at midnight
  const lh = person(Date.UTC(2026, 3, 9), 11); // Lord Howe: a 30-minute change on 2026-04-05
  const tokyo = person(Date.UTC(2026, 10, 20), 9, 1500);
  const dupes = tokyo.times.slice(0, 300);
  const shuffled = [...dupes, ...dupes.slice(0, 100)];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = (i * 7919) % (i + 1);
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  const mixed = tokyo.times.slice(0, 600);
  const sources = mixed.map((_, i) => (i % 5 === 0 ? SOURCES.bot : i % 7 === 0 ? 'IFTTT' : SOURCES.iphone));
  return [
    { name: 'empty input', times: [], tz: 'Asia/Tokyo' },
    { name: 'America/New_York, spring forward', times: ny.times, tz: 'America/New_York' },
    { name: 'America/New_York, fall back', times: nyFall.times, tz: 'America/New_York' },
    { name: 'America/Sao_Paulo, a midnight that did not exist', times: sp.times, tz: 'America/Sao_Paulo' },
    { name: 'Australia/Lord_Howe, a half-hour change', times: lh.times, tz: 'Australia/Lord_Howe' },
    { name: 'duplicates, unsorted', times: shuffled, tz: 'Asia/Tokyo' },
    { name: 'automated sources filtered', times: mixed, sources, tz: 'Asia/Tokyo' },
    { name: 'a realistic 1,500 posts, Europe/London', times: tokyo.times, tz: 'Europe/London' },
  ];
}

const RFC3339_G = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/g;

/** The paths of fields in a share request whose names say they hold post times. */
function fieldsCarryingPostTimes(v, path = '') {
  if (v === null || typeof v !== 'object') return [];
  return Object.entries(v).flatMap(([k, x]) => [
    ...(/^(periods|singles|timestamps|times|posts|tweets)$/i.test(k) ? [`${path}${k}`] : []),
    ...fieldsCarryingPostTimes(x, `${path}${k}.`),
  ]);
}

/** Every time in a share request (RFC 3339 instants, HH:MM clocks) not on a whole quarter hour of its wall clock. */
function timesOffGrid(body) {
  const json = JSON.stringify(body);
  const instants = (json.match(RFC3339_G) ?? []).filter((t) => {
    const m = /T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?/.exec(t);
    return Number(m[2]) % 15 !== 0 || Number(m[3] ?? 0) !== 0 || Number(m[4] ?? 0) !== 0;
  });
  const clocks = (json.match(/"(wakeTime|bedTime)":"\d{2}:\d{2}"/g) ?? []).filter((c) => Number(c.slice(-3, -1)) % 15 !== 0);
  return [...instants, ...clocks];
}

export async function run(ctx) {
  const { r, base, outDir, browser } = ctx;
  const large = process.env.NEZAME_E2E_LARGE === '1';

  ctx.step = 'fixtures';
  const weeks4 = fixture(outDir, { posts: 840, perDay: 30 });
  const small = fixture(outDir, { posts: 2000, perDay: 40, automatedShare: 0.05 });
  const big = fixture(outDir, { posts: 100_000, perDay: 30 });
  r.ok(`fixtures: 4 weeks (840 posts), 2,000 posts, 100,000 posts (${(readFileSync(big.path).length / 1048576).toFixed(1)} MiB zip, 135 MB tweets.js), cached in ${join(outDir, 'fixtures')}`);

  // Every request of every page of this module, to prove no post time ever leaves the browser.
  const requests = [];
  let page = await ctx.newPage();
  const watch = (p) => {
    p.on('request', (req) => requests.push({ url: req.url(), method: req.method(), body: req.postData() ?? '' }));
    p.on('crash', () => r.info(`the page crashed at step "${ctx.step}"`));
  };
  watch(page);
  const workers = [];
  /** Every archive worker the pages start, and whether it has ended. */
  const track = (p) =>
    p.on('worker', (w) => {
      const entry = { w, url: () => w.url(), closed: false };
      w.on('close', () => (entry.closed = true));
      workers.push(entry);
    });
  track(page);
  await page.goto(`${base}/`);
  /** The result is drawn: its statistics are on the page. */
  const drawn = () => page.getByTestId('archive-result').getByTestId('stat-wakeTime');

  ctx.step = 'four weeks of posts';
  const t4 = [];
  for (let i = 0; i < 3; i++) {
    await page.goto(`${base}/`);
    t4.push(await importFile(page, weeks4.path, drawn()));
  }
  r.check((await page.getByTestId('awake-bar').count()) > 10, 'a 4-week archive is drawn as the calendar');
  r.check(/840 posts from \w{3} \d{1,2}, 2026 to Nov 19, 2026/.test(await page.getByTestId('archive-found').innerText()), 'every post is found; the dates carry their year');
  r.ok(`4 weeks (840 posts): picked to drawn in ${median(t4)} ms (median of ${t4.join(', ')})`);
  const wasm = requests.find((q) => q.url.endsWith('.wasm'));
  r.check(wasm !== undefined && requests.filter((q) => q.url.endsWith('.wasm')).length >= 1, 'the WebAssembly analyzer is loaded for the import', wasm?.url);
  const landing = await page.request.get(`${base}/`);
  r.check(!(await landing.text()).includes('.wasm'), 'the landing page does not load the analyzer');
  const mod = await page.request.get(wasm.url, { headers: { 'Accept-Encoding': 'gzip' } });
  const h = mod.headers();
  r.check(
    h['content-type'] === 'application/wasm' && h['content-encoding'] === 'gzip' && h['cache-control'] === 'public, max-age=31536000, immutable' && /-[\w-]{6,}\.wasm$/.test(wasm.url),
    'the analyzer is served pre-gzipped under a hashed name, cached for a year',
    JSON.stringify({ type: h['content-type'], enc: h['content-encoding'], cache: h['cache-control'] }),
  );
  const gz = await rawLength(wasm.url); // Playwright and fetch hand over the body inflated
  r.check(gz <= 1.2e6, `the analyzer is ${(gz / 1e6).toFixed(3)} MB gzipped (budget 1.2 MB)`);
  const csp = (await page.request.get(`${base}/`)).headers()['content-security-policy'] ?? '';
  r.check(/script-src 'self' 'wasm-unsafe-eval';/.test(csp) && !/'unsafe-eval'/.test(csp), 'the CSP allows WebAssembly and nothing broader', csp);

  ctx.step = '100,000 posts';
  const t100 = [];
  for (let i = 0; i < 3; i++) {
    await page.goto(`${base}/`);
    t100.push(await importFile(page, big.path, drawn()));
  }
  const found = await page.getByTestId('archive-found').innerText();
  r.check(/^100,000 posts from \w{3} \d{1,2}, 20\d\d to Nov 19, 2026\./.test(found), 'all 100,000 posts are found, dates with years', found);
  // A measurement, not a check: on a shared machine wall-clock time says nothing about the code
  // (the target is measured on a quiet machine; a hang still fails importFile's wait).
  r.ok(`100,000 posts (135 MB tweets.js): picked to drawn in ${median(t100)} ms (median of ${t100.join(', ')}; target 3,000 ms on a quiet machine)`);

  ctx.step = 'the long-range views';
  const t0 = performance.now();
  await page.getByRole('radio', { name: 'Everything' }).check();
  const frame = page.getByTestId('actogram-frame');
  await frame.waitFor({ timeout: 120_000 });
  const tEverything = Math.round(performance.now() - t0);
  await page.getByTestId('trends-table').or(page.getByRole('button', { name: 'Show as a table' })).first().waitFor({ timeout: 120_000 });
  const tTrends = Math.round(performance.now() - t0);
  const rows = Number(await frame.getAttribute('data-rows'));
  r.check(rows > 3000, `the whole archive is one actogram of ${rows} day rows, analysed in ${tEverything} ms, monthly trends by ${tTrends} ms`);
  const painted = await page.evaluate(() => {
    const c = document.querySelector('.actogram-canvas');
    const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const colours = new Set();
    for (let i = 0; i < px.length; i += 4 * 97) colours.add(`${px[i]},${px[i + 1]},${px[i + 2]}`);
    return colours.size;
  });
  r.check(painted > 4, 'the actogram canvas is painted (sleep, posting, no data)', `${painted} colours`);
  await frame.focus();
  await page.keyboard.press('Home');
  const first = await page.getByTestId('actogram-readout').innerText();
  await page.keyboard.press('PageDown');
  await page.keyboard.press('ArrowDown');
  const moved = await page.getByTestId('actogram-readout').innerText();
  await page.keyboard.press('End');
  const last = await page.getByTestId('actogram-readout').innerText();
  r.check(/2017/.test(first) && /2017/.test(moved) && moved !== first && /Nov 19, 2026: /.test(last), 'the actogram is a keyboard slider over days, read out with their year', `${first} | ${moved} | ${last}`);
  r.check((await frame.getAttribute('aria-valuenow')) === String(rows), 'End selects the newest day');
  const valueText = (await frame.getAttribute('aria-valuetext')) ?? '';
  const live = await page.getByTestId('actogram').locator('[aria-live], [role=status], [role=alert], [role=log]').count();
  r.check(
    valueText === last && live === 0 && (await page.getByTestId('actogram-readout').getAttribute('aria-hidden')) === 'true',
    'the chosen day is said once, as the slider’s value (the readout is for the eye; no live region repeats it)',
    `${valueText} | ${live} live regions`,
  );
  await page.getByRole('button', { name: 'Show as a table' }).click();
  const months = await page.getByTestId('trends-table').locator('tbody tr').count();
  r.check(months >= 110, `monthly trends of bedtime, wake time, sleep length and regularity: ${months} months`);
  const trendRow = await page.getByTestId('trends-table').locator('tbody tr').nth(12).innerText();
  r.check(/20\d\d/.test(trendRow) && /\d\d:\d\d/.test(trendRow), 'each month is named with its year and has its times', trendRow);
  await screenshot(r, page, 'archive-history.png');
  ctx.messages.length = 0;

  ctx.step = 'the range is remembered';
  await page.goto(`${base}/`);
  await importFile(page, small.path, drawn());
  r.check(await page.getByRole('radio', { name: 'Everything' }).isChecked(), 'the range picker remembers "Everything" (localStorage)');
  r.check((await page.getByTestId('awake-bar').count()) > 10 && (await page.getByTestId('actogram').count()) === 0, 'everything of a 7-week archive is short: the calendar stays');
  await page.getByRole('radio', { name: 'Last 4 weeks' }).check();
  await page.waitForFunction(() => JSON.parse(window.localStorage.getItem('nezame.archive.range') ?? '{}').preset === 'weeks4');
  r.ok('back to 4 weeks, remembered');
  const bots = small.sources.filter((s) => s === SOURCES.bot).length;
  r.check((await page.getByTestId('archive-found').innerText()).includes(`${bots} automated posts`), `automated posts are left out (${bots})`);
  await screenshot(r, page, 'archive.png');

  ctx.step = 'share a card of the result';
  await page.getByTestId('archive-share-open').click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  const said = await dialog.innerText();
  r.check(
    /Not sent: your posts, their text, or the time of any post\./.test(said) && /rounded to the nearest 15 minutes/.test(said) && /Asia\/Tokyo/.test(said),
    'the consent dialog says exactly what is sent (rounded to 15 minutes) and what is not',
  );
  const posted = page.waitForResponse((res) => res.url().endsWith('/api/shares/archive') && res.request().method() === 'POST', { timeout: 60_000 });
  await dialog.getByRole('button', { name: 'Share', exact: true }).click();
  const res = await posted;
  r.check(res.status() === 201, 'POST /api/shares/archive answers 201', `${res.status()} ${await res.text()}`);
  const body = JSON.parse(res.request().postData() ?? '{}');
  r.check(
    body.tz === 'Asia/Tokyo' && body.summary && body.summary.days.length <= 62,
    'only the summary is sent, 62 days at most',
  );
  const carriers = fieldsCarryingPostTimes(body);
  r.check(carriers.length === 0, 'no field that carries post times (periods, singles, timestamps, posts)', carriers.join(', '));
  const offGrid = timesOffGrid(body);
  r.check(
    offGrid.length === 0,
    `every time sent is on the 15-minute local grid (${JSON.stringify(body).match(RFC3339_G)?.length ?? 0} instants, wake/bed clocks)`,
    offGrid.slice(0, 5).join(', '),
  );
  const share = await res.json();
  const pageHtml = await (await page.request.get(share.url)).text();
  r.check(/archive/i.test(pageHtml), 'the share page says the card came from an archive');
  const png = await page.request.get(new URL(share.imageUrl, base).toString());
  r.check(png.ok() && png.headers()['content-type'] === 'image/png', 'the card PNG loads');
  const stored = await page.evaluate(() => JSON.parse(window.localStorage.getItem('nezame.archiveShares') ?? '{}'));
  r.check(stored[share.id]?.deleteToken === share.deleteToken && stored[share.id]?.url === share.url, 'the delete token is kept on this browser, keyed by the share id, with its url and expiry');
  // A later visit: the archive page is gone, the card can still be deleted from the landing page.
  await page.goto(`${base}/`);
  const saved = page.getByTestId('saved-archive-shares');
  await saved.waitFor({ timeout: 60_000 });
  const item = saved.locator(`[data-share-id="${share.id}"]`);
  r.check((await item.count()) === 1, 'after a reload the landing page lists the archive card made on this browser');
  await item.getByRole('button', { name: /^Delete share/ }).click();
  await item.waitFor({ state: 'detached', timeout: 60_000 });
  r.check((await page.request.get(share.url)).status() === 404, 'the share is deleted with its token, no sign-in needed, after the page that made it is gone');
  r.check((await page.evaluate(() => window.localStorage.getItem('nezame.archiveShares'))) === null, 'and its token is forgotten');
  // Back to the archive for the checks that follow.
  await importFile(page, small.path, drawn());

  ctx.step = 'parity with /api/analyze';
  // A server of its own: /api/analyze allows 5 at once per address, then one every 6 s.
  const parityServer = await ctx.startServer('parity');
  const workerUrl = workers[0]?.url();
  r.check(workerUrl !== undefined, 'the import runs in a Web Worker', String(workerUrl));
  /** Runs one message through a fresh archive worker in the page and returns its reply. */
  const inWorker = (msg, file) =>
    page.evaluate(
      async ({ url, msg, file }) => {
        /* global Worker */
        const w = new Worker(url, { type: 'module' });
        const reply = (want) =>
          new Promise((res) => {
            w.onmessage = (e) => {
              if (e.data.type === want || e.data.type === 'error') res(e.data);
            };
          });
        try {
          if (file) {
            const input = document.querySelector('#parity-file');
            const loaded = reply('loaded');
            w.postMessage({ type: 'read', file: input.files[0] });
            const l = await loaded;
            if (l.type === 'error') return l;
            const done = reply('analysis');
            w.postMessage({ type: 'analyze', id: 1, lo: 0, hi: l.times.length, tz: msg.tz });
            return await done;
          }
          const done = reply('analysis');
          w.postMessage({ type: 'analyzeTimes', id: 1, times: Float64Array.from(msg.times), tz: msg.tz, sources: msg.sources });
          return await done;
        } finally {
          w.terminate();
        }
      },
      { url: workerUrl, msg, file },
    );
  for (const c of parityCases()) {
    const server = await serverAnalyze(parityServer.base, { timestamps: c.times, tz: c.tz, ...(c.sources ? { sources: c.sources } : {}) });
    const reply = await inWorker({ times: c.times, tz: c.tz, sources: c.sources });
    r.check(reply.type === 'analysis' && reply.json === server, `parity: ${c.name} (${c.times.length} posts, ${c.tz}): identical JSON, ${server.length} bytes`, reply.type === 'analysis' ? firstDifference(reply.json, server) : JSON.stringify(reply));
  }
  // The whole pipeline: the archive read by the worker's scanner against an independent reading
  // of the same tweets.js (JSON.parse) sent to the server with its sources.
  const files = unzipSync(readFileSync(small.path), { filter: (f) => f.name === 'data/tweets.js' });
  const text = new TextDecoder().decode(files['data/tweets.js']);
  const items = JSON.parse(text.slice(text.indexOf('[')));
  const timestamps = items.map((x) => Date.parse(x.tweet.created_at.replace(/^\w+ (\w+) (\d+) ([\d:]+) \+0000 (\d+)$/, '$1 $2 $4 $3 UTC')));
  const server = await serverAnalyze(parityServer.base, { timestamps, sources: items.map((x) => x.tweet.source), tz: 'Asia/Tokyo' });
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.id = 'parity-file';
    input.hidden = true;
    document.body.append(input);
  });
  await page.locator('#parity-file').setInputFiles(small.path);
  const whole = await inWorker({ tz: 'Asia/Tokyo' }, true);
  r.check(whole.type === 'analysis' && whole.json === server, `parity: a whole archive read in the browser = JSON.parse + /api/analyze with sources (${items.length} posts, ${server.length} bytes)`, whole.type === 'analysis' ? firstDifference(whole.json, server) : JSON.stringify(whole));

  ctx.step = 'errors told apart';
  const errDir = join(outDir, 'fixtures');
  const write = (name, bytes) => {
    const p = join(errDir, name);
    writeFileSync(p, bytes);
    return p;
  };
  const cases = [
    ['not a zip', write('photo.zip', strToU8('GIF89a, not a zip')), 'not_archive', /not a zip archive/],
    ['no tweets inside', write('other.zip', zipSync({ 'notes/readme.txt': strToU8('hello') })), 'no_tweets', /has no data\/tweets\.js/],
    [
      'a part file missing',
      (() => {
        const p = join(errDir, 'missing-part.zip');
        if (!existsSync(p)) buildArchive({ posts: 600, partSize: 200, omitPart: 1, media: 0, path: p });
        return p;
      })(),
      'missing_part',
      /File: data\/tweets-part1\.js/,
    ],
    ['tweets.csv only (before 2012)', write('csv.zip', zipSync({ 'tweets.csv': strToU8('"tweet_id","timestamp"\n') })), 'old_layout', /tweets\.csv/],
    [
      'a damaged zip',
      (() => {
        const b = readFileSync(small.path);
        return write('cut.zip', b.subarray(0, b.length >> 1));
      })(),
      'corrupt',
      /damaged or incomplete/,
    ],
  ];
  for (const [what, path, code, text] of cases) {
    await page.goto(`${base}/`);
    await page.getByTestId('archive-input').setInputFiles(path);
    const err = page.getByTestId('archive-error');
    await err.waitFor({ timeout: 60_000 });
    const shown = await err.innerText();
    r.check((await err.locator('[data-code]').getAttribute('data-code')) === code && text.test(shown), `${what}: its own message`, shown);
  }
  for (const [layout, what] of [
    ['monthly', 'the 2012–2018 monthly files (data/js/tweets/*.js)'],
    ['tweet', 'the 2019 data/tweet.js'],
  ]) {
    const old = fixture(outDir, { posts: 1500, perDay: 12, layout, end: Date.UTC(2016, 5, 1), media: 0 });
    await page.goto(`${base}/`);
    await importFile(page, old.path, drawn());
    r.check((await page.getByTestId('archive-found').innerText()).startsWith('1,500 posts from'), `${what}: read`);
  }

  ctx.step = 'the analyzer cannot be loaded';
  await page.route('**/*.wasm', (route) => route.abort());
  await page.goto(`${base}/`);
  await page.getByTestId('archive-input').setInputFiles(weeks4.path);
  await page.getByTestId('archive-error').waitFor({ timeout: 60_000 });
  r.check(
    (await page.getByTestId('archive-error').innerText()).includes('not a problem with your archive') && (await page.getByRole('button', { name: 'Try again' }).count()) === 1,
    'a failed analyzer is not "your archive is damaged", and can be retried',
  );
  await page.unroute('**/*.wasm');
  await page.getByRole('button', { name: 'Try again' }).click();
  await drawn().waitFor({ timeout: 60_000 });
  r.ok('retrying after the failure works');
  ctx.messages.length = 0; // the aborted module load is logged as a console error, as it should be

  ctx.step = 'drop anywhere';
  // A fresh page: each import above held its worker's memory until the next navigation.
  page = await ctx.newPage();
  watch(page);
  track(page);
  await page.goto(`${base}/`);
  const bytes = [...readFileSync(weeks4.path)];
  const dt = await page.evaluateHandle((b) => {
    /* global DataTransfer */
    const d = new DataTransfer();
    d.items.add(new File([new Uint8Array(b)], 'twitter-archive.zip', { type: 'application/zip' }));
    return d;
  }, bytes);
  await page.dispatchEvent('main', 'dragenter', { dataTransfer: dt });
  const overlay = page.getByTestId('drop-overlay');
  r.check((await overlay.getAttribute('data-active')) === 'true' && (await overlay.isVisible()), 'dragging a file over the page shows the drop target');
  await screenshot(r, page, 'archive-drop.png');
  await page.dispatchEvent('header', 'drop', { dataTransfer: dt });
  await drawn().waitFor({ timeout: 60_000 });
  r.check(!(await overlay.isVisible()), 'a file dropped anywhere on the page is read');

  ctx.step = 'cancel';
  await page.goto(`${base}/`);
  const before = workers.length;
  await page.getByTestId('archive-input').setInputFiles(big.path);
  await page.getByTestId('archive-cancel').click();
  await page.getByTestId('sign-in').waitFor({ timeout: 60_000 });
  const started = workers.slice(before);
  // Workers end when the page lets them go; wait for their close events (generously: a busy machine is slow to tear down).
  await Promise.all(started.map((e) => (e.closed ? null : e.w.waitForEvent('close', { timeout: 60_000 }).catch(() => null))));
  r.check(started.length > 0 && started.every((e) => e.closed), 'cancel ends the reading workers (their memory with them) and returns to the start', `${started.filter((e) => e.closed).length} of ${started.length} ended`);

  ctx.step = 'a move across time zones';
  // Six weeks of a Tokyo poster who flies about 8 zones west after three: from 30 Oct on, they
  // keep their hours on a clock 8 h behind. The page stays on Asia/Tokyo, so their days run 8 h
  // later on it: the analyzer must find the move, and the page must say so and mark its date.
  const moveDay = '2026-10-30';
  const mover = fixture(outDir, { posts: 1260, perDay: 30, move: { day: moveDay, hours: 8 }, media: 0 });
  page = await ctx.newPage();
  watch(page);
  await page.goto(`${base}/`);
  await page.evaluate(() => window.localStorage.setItem('nezame.archive.range', JSON.stringify({ preset: 'all' })));
  await importFile(page, mover.path, drawn());
  const tokyoDate = (ms) => new Date(ms + 9 * 3_600_000).toISOString().slice(0, 10);
  // The journey: the longest silence around the move, from the last post on the old clock to
  // the first on the new one.
  const moveStart = Date.parse(`${moveDay}T00:00:00+09:00`);
  let journey = [0, 0];
  mover.times.forEach((t, i) => {
    const next = mover.times[i + 1] ?? t;
    if (t > moveStart - 12 * 3_600_000 && t < moveStart + 24 * 3_600_000 && next - t > journey[1] - journey[0]) journey = [t, next];
  });
  const [lastOld, firstNew] = journey.map(tokyoDate);
  const cal = page.getByTestId('archive-result');
  const notice = cal.getByTestId('zone-changes');
  const told = (await notice.count()) === 1 ? await notice.innerText() : '';
  const marks = cal.getByTestId('zone-mark');
  const markedDates = await marks.evaluateAll((els) => els.map((el) => el.closest('[role=gridcell]')?.getAttribute('data-date')));
  const marked = markedDates[0] ?? '';
  if (told === '' && markedDates.length === 0) {
    r.check(false, 'a move 8 zones west after 3 of 6 weeks is found (no notice, no mark: the analyzer reported no zoneChanges)');
  } else {
    const dayName = new Intl.DateTimeFormat('en', { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(Date.parse(`${marked}T12:00:00Z`));
    r.check(
      /your days run 8 h later on Asia\/Tokyo time/.test(told) && /about 8 time zones west\?/.test(told) && told.includes(`From ${dayName},`),
      `the notice says the days run 8 h later from the marked date (${dayName}), a trip west`,
      told,
    );
    r.check(
      markedDates.length === 1 && marked >= lastOld && marked <= firstNew && (await marks.first().innerText()) === '+8h',
      `one mark, "+8h", on ${marked}: within the journey (${lastOld} – ${firstNew}, Asia/Tokyo)`,
      markedDates.join(', '),
    );
    const cell = cal.locator(`[data-date="${marked}"]`);
    // Above the date in both layouts: in rows (44 dates are too many for columns at 1280 px) over
    // its own row, which alone makes room for it; in columns in the header.
    for (const [width, layout] of [
      [1280, 'rows'],
      [1600, 'columns'],
    ]) {
      await page.setViewportSize({ width, height: 900 });
      // The calendar is drawn anew in the other layout once the page sees the width.
      await cal.locator(`.cal[data-layout="${layout}"]`).waitFor();
      await marks.first().waitFor();
      const [markBox, trackBox] = [await marks.first().boundingBox(), await cell.locator('.cal-track').boundingBox()];
      const clear = layout === 'rows' ? markBox.x + markBox.width <= trackBox.x : markBox.y + markBox.height <= trackBox.y;
      r.check(
        (await marks.first().isVisible()) && !overlap(markBox, trackBox) && clear,
        `the mark is drawn with its date, clear of the hours it could hide (${layout}, ${width} px)`,
        JSON.stringify({ markBox, trackBox }),
      );
      await screenshot(r, page, `archive-zone-change-${layout}.png`);
    }
    r.check(/a change of time zone; from then on your days run 8 h later/.test((await cell.textContent()) ?? ''), 'the marked date says the change in words, for screen readers');
    // The statistics: one pattern per clock, the clock kept since the move first. On Tokyo's
    // clock its nights fall 8 h later than before, and the typical times are marked as its.
    const lines = await cal.getByTestId('patterns').first().locator('li').allInnerTexts();
    const beds = lines.map((l) => /bed (\d\d):(\d\d)/.exec(l)).map((m) => (m ? Number(m[1]) * 60 + Number(m[2]) : NaN));
    const later = (((beds[0] - beds[1]) % 1440) + 1440) % 1440;
    const bedLabel = await cal.getByTestId('stat-bedTime').first().innerText();
    r.check(
      lines.length === 2 && Math.abs(later - 480) <= 90 && /\(your clock now\)/.test(bedLabel),
      'the statistics lead with the clock kept since the move (bedtime about 8 h later than before), marked "your clock now"',
      `${lines.join(' / ')}; ${bedLabel.split('\n')[0]}`,
    );
    await checkAxe(r, page, 'the notice and the mark of a change of time zone');

    // Shared, the change goes along (asked first): the card marks it and the page says it.
    await page.getByTestId('archive-share-open').click();
    const zoneDialog = page.getByRole('dialog');
    await zoneDialog.waitFor();
    r.check(/the change of time zone found in these dates/.test(await zoneDialog.innerText()), 'the consent dialog says the change of time zone is sent');
    const zonePosted = page.waitForResponse((res) => res.url().endsWith('/api/shares/archive') && res.request().method() === 'POST', { timeout: 60_000 });
    await zoneDialog.getByRole('button', { name: 'Share', exact: true }).click();
    const zoneRes = await zonePosted;
    const zoneBody = JSON.parse(zoneRes.request().postData() ?? '{}');
    const sent = zoneBody.summary?.zoneChanges ?? [];
    r.check(
      zoneRes.status() === 201 && sent.length === 1 && sent[0].hours === 8 && timesOffGrid(zoneBody).length === 0,
      'the archive share sends the change (+8 h, its instant on the 15-minute grid)',
      `${zoneRes.status()} ${JSON.stringify(sent)}`,
    );
    if (zoneRes.status() === 201) {
      const made = await zoneRes.json();
      const html = await (await page.request.get(made.url)).text();
      const sentence = /Their time zone changed around \w{3}, \w{3} \d{1,2}: from then on, their days run 8 h later on Asia\/Tokyo time\./;
      r.check(sentence.test(html), 'the share page says when the time zone changed', html.match(/<p>[^<]*time zone[^<]*<\/p>/)?.[0] ?? '');
      await page.getByRole('button', { name: 'Delete share', exact: true }).click();
      await page.waitForFunction(() => window.localStorage.getItem('nezame.archiveShares') === null, null, { timeout: 60_000 });
      r.check((await page.request.get(made.url)).status() === 404, 'and the traveller’s share is deleted again');
    }
  }

  ctx.step = 'accessibility of the archive views';
  const year = fixture(outDir, { posts: 11_000, perDay: 30 });
  for (const [opts, where] of [
    [{ colorScheme: 'light', locale: 'en-US' }, 'desktop, light, English'],
    [{ colorScheme: 'dark', locale: 'ja-JP', viewport: { width: 360, height: 740 } }, '360 px, dark, Japanese'],
  ]) {
    const a = await ctx.newPage(opts);
    await a.goto(`${base}/`);
    await a.evaluate(() => window.localStorage.setItem('nezame.archive.range', JSON.stringify({ preset: 'year' })));
    await importFile(a, year.path, a.getByTestId('actogram-frame'));
    await a.getByTestId('trends').waitFor({ timeout: 60_000 });
    await checkAxe(r, a, `the actogram and monthly trends (${where})`);
    const over = await sidewaysOverflow(a);
    r.check(over <= 0, `no sideways scrolling (${where})`, `${over}px too wide`);
    await a.getByTestId('archive-share-open').click();
    await a.getByRole('dialog').waitFor();
    await checkAxe(r, a, `the share consent dialog (${where})`);
    await a.keyboard.press('Escape');
    r.check((await a.getByRole('dialog').count()) === 0, `Escape closes the dialog without sending anything (${where})`);
    await screenshot(r, a, `archive-year-${opts.colorScheme}.png`);
  }

  if (large) {
    ctx.step = '1,000,000 posts';
    const huge = fixture(outDir, { posts: 1_000_000, perDay: 150, partSize: 200_000 });
    const t1m = [];
    for (let i = 0; i < 3; i++) {
      const p = await ctx.newPage();
      watch(p);
      await p.goto(`${base}/`);
      t1m.push(await importFile(p, huge.path, p.getByTestId('archive-result').getByTestId('stat-wakeTime')));
      const text = await p.getByTestId('archive-found').innerText();
      r.check(text.startsWith('1,000,000 posts from'), 'all 1,000,000 posts are found', text);
      await p.close();
    }
    r.check(median(t1m) <= 30_000, `1,000,000 posts (${(readFileSync(huge.path).length / 1048576).toFixed(0)} MiB zip, 5 parts): picked to drawn in ${median(t1m)} ms (median of ${t1m.join(', ')}; target 30,000 ms)`);
    r.info(`peak resident memory of a renderer (page + worker): ${await rendererPeakMiB(browser)} MiB`);
    const every = huge.times.length > 0 ? timeStrings(huge.times.filter((_, i) => i % 997 === 0), 9) : new Set();
    r.check(requests.every((q) => ![...every].some((s) => q.body.includes(s))), 'the 1,000,000-post import sent no post time (sampled)');
  }

  ctx.step = 'no post time left the browser';
  const sent = requests.filter((q) => q.body !== '' || q.url.includes('?'));
  const all = [weeks4, small, big, mover].flatMap((f) => f.times);
  const needles = [...timeStrings(all, 9)];
  const leaks = sent.filter((q) => needles.some((s) => q.body.includes(s) || q.url.includes(s)));
  r.check(requests.every((q) => !q.url.endsWith('/api/analyze')), 'the archive import never calls /api/analyze');
  r.check(
    leaks.length === 0 && requests.every((q) => !/\d{10}/.test(new URL(q.url).pathname)),
    `no request carries a post time (${requests.length} requests; ${sent.length} with a body or query checked against ${needles.length} spellings of ${all.length} post times; no path with a 10-digit number)`,
    leaks.map((q) => q.url).join(', '),
  );
  const errors = ctx.messages.filter((m) => m.startsWith('pageerror') || /Content Security Policy/i.test(m));
  r.check(errors.length === 0, 'no uncaught page errors or CSP violations during the archive import', errors.join('; '));
}
