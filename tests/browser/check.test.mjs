// The gradient check (勾配確認) in the page: worked through a few milliseconds a frame, so a large input never
// holds the page, with the same step, precision and tolerance as `kobai check`, said on the panel.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, open, press, shot, startServer, state } from './harness.mjs';

let server, chrome;
before(async () => { server = await startServer(); chrome = await launch(); });
after(async () => { await chrome?.close(); server?.stop(); });

// A reproducible n x n matrix with entries in [lo, hi).
const matrix = (n, lo, hi) => Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => lo + (hi - lo) * (((r * 7919 + c * 104729) % 1000) / 1000)));

test('a 128x128 W: the check runs while the page keeps stepping, then reports a sample of 64 entries, agreeing', async () => {
  const ctx = await chrome.context();
  const { page, errors } = await open(ctx, server.url);
  const r = await page.evaluate((W) => window.kobai.load('y = sum(W @ W)', { W }), matrix(128, -1, 1));
  assert.deepEqual(r, { ok: true });
  // Right after the load the check is still under way: it was not done in one go inside load().
  const early = await state(page);
  assert.equal(early.check.done, false);
  assert.ok(early.check.progress < 1);
  // The page answers while it checks: a step steps.
  await press(page, 'ArrowRight');
  assert.equal((await state(page)).step, 1);
  await page.waitForFunction(() => window.kobai.state().check.done, null, { timeout: 60000 });
  const st = await state(page);
  assert.equal(st.check.results.length, 1);
  const c = st.check.results[0];
  assert.equal(c.input, 'W');
  assert.equal(c.checked, 64);
  assert.equal(c.entries, 16384);
  assert.equal(c.ok, true, c.verdict);
  assert.ok(c.rel_error <= c.tolerance);
  const times = await page.evaluate(() => window.kobai.frameTimes());
  console.log(`longest frame while checking a 128x128 W: ${Math.max(...times).toFixed(1)} ms of work`);
  await shot(page, 'gradcheck-sampled');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('the panel says the step, the precision and the tolerance, in both languages, as the command does', async () => {
  const ctx = await chrome.context();
  const { page } = await open(ctx, server.url + '#lesson=softmax_with_loss&step=0&lang=ja');
  await page.waitForFunction(() => window.kobai.state().check.done, null, { timeout: 30000 });
  let st = await state(page);
  assert.ok(st.check.results.every((c) => c.ok && c.checked === c.entries), JSON.stringify(st.check.results));
  assert.match(st.check.results[0].verdict, /一致/);
  await shot(page, 'gradcheck-ja');
  await page.evaluate(() => window.kobai.setLang('en'));
  await page.waitForFunction(() => window.kobai.state().lang === 'en');
  st = await state(page);
  assert.match(st.check.results[0].verdict, /\(ok\)/);
  await ctx.close();
});

test('where the function is not finite the check says it cannot be made, not a red number', async () => {
  const ctx = await chrome.context();
  const { page } = await open(ctx, server.url);
  assert.deepEqual(await page.evaluate(() => window.kobai.load('y = 1/x', { x: 0 })), { ok: true });
  await page.waitForFunction(() => window.kobai.state().check.done, null, { timeout: 30000 });
  const c = (await state(page)).check.results[0];
  assert.equal(c.ok, false);
  assert.match(c.verdict, /not finite here: the check cannot be made at this point/);
  await ctx.close();
});
