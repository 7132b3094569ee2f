// The binary-addition lab (issue 12): opened from the lab switch, the notes' run 2 picked as a person picks it,
// played until the held-out sums start coming out right and the loss falls, paused; the same on a phone in
// Japanese; a link carries the settings (a bad value is refused alone, with its key and range); and "Step into
// this iteration" opens that example in the walkthrough, unrolled, with the lab's loss (screenshots in
// build/screenshots).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { click, launch, open, settle, shot, startServer, state, tap } from './harness.mjs';

let server, chrome;
before(async () => { server = await startServer(); chrome = await launch(); });
after(async () => { await chrome?.close(); server?.stop(); });

const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, hasTouch: true, isMobile: true };
const rnn = async (page) => (await state(page)).rnn;

// Plays until the accuracy is above the untrained net's and the last mean loss below the first, then pauses.
async function playUntilLearning(page, press) {
  await press(page, 'rnn_play');
  assert.equal((await rnn(page)).playing, true);
  await page.waitForFunction(() => {
    const r = window.kobai.state().rnn;
    return r.accuracy > r.accuracy_start && r.losses.length >= 2 && r.losses[r.losses.length - 1] < r.losses[0];
  }, null, { timeout: 120000 });
  await press(page, 'rnn_play');  // now Pause
  const r = await rnn(page);
  assert.equal(r.playing, false);
  const it = r.iteration;
  await settle(page);
  assert.equal((await rnn(page)).iteration, it, 'paused: no more iterations');
  assert.ok(r.frame_ms < 60, `a frame's training is time-boxed: ${r.frame_ms} ms`);
  return r;
}

for (const [size, options, lang, press] of [['desktop', {}, 'en', click], ['phone', phone, 'ja', tap]]) {
  test(`${size} (${lang}): open the lab, pick run 2, play until it learns`, async () => {
    const ctx = await chrome.context(options);
    const { page, errors } = await open(ctx, server.url + '#lesson=apple');
    await page.evaluate((l) => window.kobai.setLang(l), lang);
    await settle(page);
    await press(page, 'mode_rnn');
    await page.waitForFunction(() => { const s = window.kobai.state(); return s.lab_code && s.rnn && s.mode === 'rnn'; }, null, { timeout: 30000 });
    await settle(page);
    let r = await rnn(page);
    assert.equal(r.preset, 1);
    assert.equal(r.iteration, 0);
    if (size === 'phone') await press(page, 'rnn_tab_settings');
    await press(page, 'rnn_preset_2');
    r = await rnn(page);
    assert.equal(r.preset, 2);
    assert.equal(r.init, 'xavier');
    assert.equal(r.activation, 'sigmoid');
    assert.equal(r.hidden, 16);
    assert.equal(r.clip, false, 'clipping is off by default');
    assert.match(await page.evaluate(() => location.hash), /mode=rnn&rnn\.preset=2/);
    await shot(page, `rnn-${size}-${lang}-settings`);
    if (size === 'phone') await press(page, 'rnn_tab_training');
    r = await playUntilLearning(page, press);
    assert.ok(r.iteration > 0 && r.iteration % 1 === 0);
    assert.equal(r.accuracies.length, r.losses.length + 1, 'an accuracy at iteration 0, then one every 100');
    await shot(page, `rnn-${size}-${lang}-training`);
    if (size === 'desktop') {  // the other language at the same size
      await page.evaluate(() => window.kobai.setLang('ja'));
      await settle(page);
      await shot(page, 'rnn-desktop-ja-training');
      assert.equal((await state(page)).title_glyphs_missing, '');
      await page.evaluate(() => window.kobai.setLang('en'));
      await settle(page);
    }
    if (size === 'phone') await press(page, 'rnn_tab_sum');
    assert.equal(r.grad_h.length, 8, '‖∂L/∂h[t]‖ for t = 1 … 8');
    assert.equal(r.sum.predicted_bits.length, 8);
    await shot(page, `rnn-${size}-${lang}-sum`);
    // One iteration: one more.
    await press(page, 'rnn_one');
    assert.equal((await rnn(page)).iteration, r.iteration + 1);
    // Reset: from the start, the same settings.
    await press(page, 'rnn_reset');
    r = await rnn(page);
    assert.equal(r.iteration, 0);
    assert.equal(r.preset, 2);
    const s = await state(page);
    assert.equal(s.title_glyphs_missing, '');
    assert.deepEqual(errors, []);
    await ctx.close();
  });
}

test('a link reopens the lab with its settings; a bad value is refused alone, naming its key', async () => {
  const ctx = await chrome.context();
  const { page, errors } = await open(ctx, server.url + '#lesson=apple&mode=rnn&rnn.preset=0&rnn.cell=gru&rnn.hidden=8&rnn.lr=0.3&rnn.seed=7&rnn.clip=1&rnn.clip_at=2');
  await page.waitForFunction(() => { const s = window.kobai.state(); return s.lab_code && s.rnn; }, null, { timeout: 30000 });
  let r = await rnn(page);
  assert.equal(r.cell, 'gru');
  assert.equal(r.hidden, 8);
  assert.equal(r.lr, 0.3);
  assert.equal(r.seed, 7);
  assert.equal(r.clip, true);
  assert.equal(r.clip_at, 2);
  assert.equal(r.preset, 0);
  // The page's own link says the same.
  const hash = await page.evaluate(() => location.hash);
  for (const part of ['mode=rnn', 'rnn.cell=gru', 'rnn.hidden=8', 'rnn.lr=0.3', 'rnn.seed=7', 'rnn.clip=1', 'rnn.clip_at=2'])
    assert.ok(hash.includes(part), `${part} in ${hash}`);

  // A hidden size out of range: a notice names rnn.hidden and its range; the rest of the link still applies.
  await page.evaluate(() => { window.location.hash = 'lesson=apple&mode=rnn&rnn.hidden=999&rnn.seed=5&rnn.init=he'; });
  await settle(page);
  const s = await state(page);
  r = s.rnn;
  assert.match(s.notice, /rnn\.hidden/);
  assert.match(s.notice, /128/);
  assert.equal(r.seed, 5);
  assert.equal(r.init, 'he');
  assert.equal(r.hidden, 16, 'the refused value left the default');
  await page.evaluate(() => { window.location.hash = 'lesson=apple&mode=rnn&rnn.cell=transformer'; });
  await settle(page);
  assert.match((await state(page)).notice, /rnn\.cell/);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('step into this iteration: the walkthrough shows the unrolled example, with the lab\'s loss, then its update', async () => {
  const ctx = await chrome.context();
  const { page, errors } = await open(ctx, server.url + '#lesson=apple&mode=rnn&rnn.preset=2');
  await page.waitForFunction(() => { const s = window.kobai.state(); return s.lab_code && s.rnn; }, null, { timeout: 30000 });
  for (let i = 0; i < 3; ++i) await click(page, 'rnn_one');
  await click(page, 'rnn_step_into');
  let s = await state(page);
  assert.equal(s.mode, 'walkthrough');
  assert.equal(s.phase, 'forward');
  await page.evaluate(() => window.kobai.runPhase());  // the forward pass to its end: L's value
  await settle(page);
  s = await state(page);
  assert.equal(s.rnn.iteration, 4, 'the lab took the iteration it stepped into');
  const names = s.nodes.map((n) => n.name);
  assert.ok(names.includes('h[8]'), `h[8] among the nodes: ${names.slice(0, 30)}`);
  assert.ok(names.includes('L'), 'L among the nodes');
  const value = s.nodes.find((n) => n.name === 'L').value;
  assert.ok(Math.abs(value - s.rnn.loss) <= 1e-4 * Math.max(1, Math.abs(value)), `L = ${value} in the walkthrough, ${s.rnn.loss} in the lab`);
  // Then backward and the update, as the lab did: W ← W − η·∂L/∂W for every weight.
  await page.evaluate(() => { window.kobai.runPhase(); window.kobai.runPhase(); });
  await settle(page);
  s = await state(page);
  assert.equal(s.phase, 'update');
  assert.equal(s.step, s.steps, 'the whole plan walked, update included');
  assert.equal(s.notice, '');
  assert.equal(s.nodes.find((n) => n.name === 'x').grad, null, 'the bits are data: no gradient');
  await shot(page, 'rnn-desktop-en-step-into');
  assert.deepEqual(errors, []);
  await ctx.close();
});
