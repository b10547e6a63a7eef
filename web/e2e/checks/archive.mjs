// The archive import (owned with the archive feature): a zip read in the browser, only post
// times sent, a large archive drawn within the target.
import { makeArchive } from './archive-fixture.mjs';
import { screenshot } from '../lib/harness.mjs';

export const name = 'archive';

export async function run(ctx) {
  const { r, base } = ctx;
  ctx.step = 'archive import';
  const apage = await ctx.newPage();
  const sent = [];
  apage.on('request', (req) => {
    if (req.url().endsWith('/api/analyze')) sent.push(req);
  });
  await apage.goto(`${base}/`);
  const small = makeArchive({ posts: 2_000, perDay: 40 });
  await apage.getByTestId('archive-input').setInputFiles({ name: 'twitter-e2e.zip', mimeType: 'application/zip', buffer: small });
  await apage.getByTestId('archive-result').getByTestId('stat-wakeTime').waitFor({ timeout: 30_000 });
  const archiveBars = await apage.getByTestId('awake-bar').count();
  r.check(archiveBars > 10, 'a fixture archive is drawn as a calendar', `${archiveBars} bars`);
  r.check(/2,000 posts from/.test(await apage.getByTestId('archive-result').innerText()), 'every post of the archive is found');
  const body = sent[0]?.postData() ?? '';
  r.check(sent.length === 1 && !body.includes('text never leaves') && body.includes('"timestamps"'), 'only times (and sources) are sent to /api/analyze');

  ctx.step = 'archive import, 100,000 posts';
  const big = makeArchive({ posts: 100_000, perDay: 250 });
  const t0 = Date.now();
  await apage.getByTestId('archive-input').setInputFiles({ name: 'twitter-100k.zip', mimeType: 'application/zip', buffer: big });
  // The upload into the page (over the DevTools protocol) is not part of what a user waits for.
  const picked = Date.now();
  await apage.getByText('100,000 posts from').waitFor({ timeout: 120_000 });
  await apage.getByTestId('archive-result').getByTestId('stat-wakeTime').waitFor({ timeout: 60_000 });
  const drawn = Date.now();
  r.ok(
    `100,000-post archive (${(big.length / 1048576).toFixed(1)} MiB zip): read, analysed (last 4 weeks) and drawn in ${drawn - picked} ms after the pick (${picked - t0} ms test upload)`,
  );
  const min = await apage.getByLabel('From', { exact: true }).getAttribute('min');
  await apage.getByLabel('From', { exact: true }).fill(min);
  const t1 = Date.now();
  const answered = apage.waitForResponse((res) => res.url().endsWith('/api/analyze'), { timeout: 60_000 });
  await apage.getByRole('button', { name: 'Show' }).click();
  const resp = await answered;
  r.check(resp.ok(), 'the whole archive range is analysed', `status ${resp.status()}`);
  await apage.getByTestId('archive-result').getByTestId('stat-wakeTime').waitFor({ timeout: 60_000 });
  r.check((await apage.locator('.cal').getAttribute('data-layout')) === 'rows', 'a year-long range is drawn as rows');
  r.ok(`all 100,000 posts analysed and drawn in ${Date.now() - t1} ms after choosing the full range`);
  await screenshot(r, apage, 'archive.png');
  const errors = ctx.messages.filter((m) => m.startsWith('pageerror'));
  r.check(errors.length === 0, 'no uncaught page errors during the archive import', errors.join('; '));
}
