// End-to-end test: the real nezame binary in demo mode (built-in Twitter emulator, in-memory
// stores) driven by Debian's Chromium through playwright-core. It builds nothing: run
// `make build` first (or set NEZAME_BIN).
//
//   node e2e/run.mjs                 every check module, in order
//   node e2e/run.mjs share archive   only these modules
//
// Each module in e2e/checks/ tests one feature and exports { name, run(ctx) }. A module gets its
// own browser contexts (closed after it), so one module's failure is reported and the next
// still runs. Screenshots go to e2e/output/; UPDATE_SCREENSHOT=1 refreshes the README's under
// docs/.
import { join, resolve } from 'node:path';
import { CheckFailed, launchBrowser, outDir, Reporter, startServer, watchPage, webDir } from './lib/harness.mjs';
import * as landing from './checks/landing.mjs';
import * as calendar from './checks/calendar.mjs';
import * as nodata from './checks/nodata.mjs';
import * as share from './checks/share.mjs';
import * as waits from './checks/waits.mjs';
import * as zones from './checks/zones.mjs';
import * as session from './checks/session.mjs';
import * as archive from './checks/archive.mjs';

const modules = [landing, calendar, nodata, share, waits, zones, session, archive];
const bin = resolve(webDir, process.env.NEZAME_BIN ?? '../bin/nezame');
const only = process.argv.slice(2);
for (const name of only) {
  if (!modules.some((m) => m.name === name)) {
    console.error(`unknown module "${name}"; modules: ${modules.map((m) => m.name).join(', ')}`);
    process.exit(2);
  }
}

const r = new Reporter();
const failures = [];
const server = await startServer(bin).catch((err) => {
  console.error(`FAIL: ${err.message}`);
  process.exit(1);
});
r.ok(`nezame ready on ${server.base} (demo mode)`);
const browser = await launchBrowser();

try {
  for (const m of modules) {
    if (only.length > 0 && !only.includes(m.name)) continue;
    console.log(`\n${m.name}`);
    const contexts = [];
    const servers = [];
    const ctx = {
      r,
      base: server.base,
      bin,
      browser,
      outDir,
      /** Console errors/warnings and uncaught errors of this module's pages. */
      messages: [],
      step: 'start',
      /** The page in use, so a failure can show what it displayed. */
      current: null,
      /** A new page in a fresh context (defaults: 1280×900, en-US, Asia/Tokyo, light). */
      async newPage(opts = {}) {
        const context = await browser.newContext({
          viewport: { width: 1280, height: 900 },
          locale: 'en-US',
          timezoneId: 'Asia/Tokyo',
          colorScheme: 'light',
          ...opts,
        });
        contexts.push(context);
        const page = await context.newPage();
        watchPage(page, ctx.messages);
        ctx.current = page;
        return page;
      },
      /** Another nezame with its own settings, stopped after the module. */
      async startServer(name, env) {
        const s = await startServer(bin, { name, env });
        servers.push(s);
        return s;
      },
    };
    try {
      await m.run(ctx);
    } catch (err) {
      r.failed++;
      const msg = err instanceof CheckFailed ? err.message : (err?.stack ?? String(err));
      failures.push(`${m.name} at "${ctx.step}": ${msg}`);
      console.error(`FAIL ${m.name} at step "${ctx.step}": ${msg}`);
      if (ctx.current && !ctx.current.isClosed()) {
        const shown = await ctx.current.locator('body').innerText({ timeout: 2_000 }).catch(() => '(page unavailable)');
        console.error(`page at failure (${ctx.current.url()}):\n${shown.replace(/\s+/g, ' ').slice(0, 600)}`);
        await ctx.current.screenshot({ path: join(outDir, `failure-${m.name}.png`), fullPage: true }).catch(() => {});
      }
    } finally {
      for (const c of contexts) await c.close().catch(() => {});
      for (const s of servers) await s.stop();
    }
  }
} finally {
  await browser.close();
  await server.stop();
}

console.log(`\ne2e: ${r.passed} passed, ${r.failed} failed`);
for (const f of failures) console.log(`  FAILED ${f}`);
process.exit(r.failed === 0 ? 0 : 1);
