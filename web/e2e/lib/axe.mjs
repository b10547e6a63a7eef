// axe-core in the page under test: the WCAG 2.0/2.1/2.2 A and AA rules, target-size included.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const source = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The tags run: every WCAG A/AA level up to 2.2. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Runs axe on the page as it is and returns its violations (empty when there are none). */
export async function axeViolations(page) {
  /* global window, document -- evaluated in the browser */
  const has = await page.evaluate(() => typeof window.axe !== 'undefined');
  // Evaluated over the DevTools protocol, which the page's Content-Security-Policy (script-src
  // 'self', no inline scripts) does not govern: the page under test keeps its real CSP.
  if (!has) await page.evaluate(source);
  return page.evaluate(async (tags) => {
    const res = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return res.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.length,
      targets: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1, 2).join('') ?? ''}`),
    }));
  }, WCAG_TAGS);
}

/** Checks that axe finds nothing on the page, naming each violation otherwise. */
export async function checkAxe(r, page, where) {
  const violations = await axeViolations(page);
  const detail = violations.map((v) => `${v.id} (${v.nodes}): ${v.help}\n      ${v.targets.join('\n      ')}`).join('\n    ');
  r.check(violations.length === 0, `axe (${['wcag2a/aa', 'wcag21a/aa', 'wcag22aa'].join(', ')}): 0 violations on ${where}`, `\n    ${detail}`);
}
