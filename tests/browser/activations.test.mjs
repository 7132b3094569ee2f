// The activations lab (issue 11): the book's experiment on initial weights, Figures 6-10 to 6-14, as a student
// runs it: pick the activation and the initial weights, and each hidden layer's histogram changes as the book says.
// The numbers are the engine's: the page shows what `kobai activations` prints for the same settings.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { click, launch, open, root, settle, shot, startServer, state } from './harness.mjs';

let server, chrome;
before(async () => { server = await startServer(); chrome = await launch(); });
after(async () => { await chrome?.close(); server?.stop(); });

const cli = (...args) => JSON.parse(execFileSync(join(root, 'build', 'native', 'kobai'), ['activations', ...args, '--json'], { encoding: 'utf8' }));
// The share of a histogram's values in its outer bins (near 0 and 1 for sigmoid) and in its middle third.
const share = (h, pick) => h.counts.filter((_, i) => pick(i, h.counts.length)).reduce((a, b) => a + b, 0) / h.counts.reduce((a, b) => a + b, 0);
const ends = (h) => share(h, (i, n) => i < 3 || i >= n - 3);
const middle = (h) => share(h, (i, n) => i >= n / 3 && i < 2 * n / 3);


test('sigmoid with std 1 piles the activations at 0 and 1; std 0.01 at 0.5; Xavier spreads them; the numbers are the command\'s', async () => {
  const ctx = await chrome.context({ viewport: { width: 1366, height: 768 } });
  const { page, errors } = await open(ctx, server.url + '#mode=activations');
  let a = (await state(page)).activations;
  assert.equal(a.layers.length, 5);
  assert.equal(a.activation, 'sigmoid');
  assert.equal(a.init, 'std');
  const book = cli('--act', 'sigmoid', '--init', 'std=1', '--seed', '1');
  for (let l = 0; l < 5; l++) {
    assert.deepEqual(a.layers[l].activations.counts, book.layers[l].activations.counts, `layer ${l + 1}: the command's histogram`);
    assert.ok(ends(a.layers[l].activations) > 0.5, `layer ${l + 1}: most near 0 and 1 (${ends(a.layers[l].activations)})`);
  }
  await shot(page, 'activations-sigmoid-std1');

  // A link with std 0.01: the activations gather at 0.5 (every unit says the same).
  await page.evaluate(() => { location.hash = '#mode=activations&act.std=0.01'; });
  await page.waitForFunction(() => window.kobai.state().activations.std === 0.01, null, { timeout: 10000 });
  a = (await state(page)).activations;
  for (let l = 0; l < 5; l++) assert.ok(middle(a.layers[l].activations) > 0.95, `layer ${l + 1}: near 0.5`);

  // Xavier, from a link: in between.
  await page.evaluate(() => { location.hash = '#mode=activations&act.init=xavier'; });
  await page.waitForFunction(() => window.kobai.state().activations.init === 'xavier', null, { timeout: 10000 });
  a = (await state(page)).activations;
  const xavier = cli('--act', 'sigmoid', '--init', 'xavier', '--seed', '1');
  assert.deepEqual(a.layers[4].activations.counts, xavier.layers[4].activations.counts);
  assert.ok(ends(a.layers[4].activations) < 0.5 && middle(a.layers[4].activations) < 0.95, 'spread between the two');
  assert.equal((await page.evaluate(() => window.kobai.rect('act_std'))).w, undefined, 'no std to set for Xavier');
  await shot(page, 'activations-sigmoid-xavier');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('batch normalisation, ticked, spreads the activations whatever the weights\' scale; a bad link value is refused alone', async () => {
  const ctx = await chrome.context({ viewport: { width: 1366, height: 768 } });
  const { page, errors } = await open(ctx, server.url + '#mode=activations&act.std=0.01&act.layers=3&act.std=99');
  let st = await state(page);
  assert.match(st.notice, /act\.std must be a number from 0\.0001 to 10, not '99'/);
  assert.equal(st.activations.layers.length, 3, 'the rest of the link applied');
  await click(page, 'act_batchnorm');
  st = await state(page);
  assert.equal(st.activations.batchnorm, true);
  for (const l of st.activations.layers) assert.ok(middle(l.activations) < 0.9, 'spread, not piled at 0.5');
  assert.match(await page.evaluate(() => location.hash), /act\.batchnorm=1/);
  assert.deepEqual(errors, []);
  await ctx.close();
});

for (const [name, lang] of [['en', 'en'], ['ja', 'ja']]) {
  test(`on a phone (${name}): the histograms stack one per row, gradients behind a tab`, async () => {
    const ctx = await chrome.context({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 3 });
    const { page, errors } = await open(ctx, server.url + `#mode=activations&lang=${lang}`);
    const h1 = await page.evaluate(() => window.kobai.rect('act_hist_1'));
    assert.ok(h1.w > 300, `a histogram has the width (${h1.w})`);
    await shot(page, `activations-phone-${name}`);
    const r = await page.evaluate(() => window.kobai.rect('act_tab_gradients'));
    await page.touchscreen.tap(r.x + r.w / 2, r.y + r.h / 2);
    await settle(page);
    assert.ok((await page.evaluate(() => window.kobai.rect('act_grad_1'))).w > 300);
    await shot(page, `activations-phone-${name}-gradients`);
    assert.deepEqual(errors, []);
    await ctx.close();
  });
}
