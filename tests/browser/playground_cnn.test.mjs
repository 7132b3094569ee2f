// The CNN in the playground, as a student uses it: the digits picked, CNN chosen, trained while the filters and
// the feature maps of a test example are drawn; a frame stays short; one mini-batch's filter update written out
// with the engine's numbers; a shared link with the conv settings; settings that do not fit the 8x8 images
// refused with the arithmetic. On a desktop, a tablet and a phone, in English and Japanese.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { click, launch, open, rects, settle, shot, startServer, state, tap } from './harness.mjs';

let server, chrome;
before(async () => { server = await startServer(); chrome = await launch(); });
after(async () => { await chrome?.close(); server?.stop(); });

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, hasTouch: true, isMobile: true };
const TABLET = { viewport: { width: 768, height: 1024 }, deviceScaleFactor: 2, hasTouch: true, isMobile: true };
const FINGER = 40;

const loaded = (page) => page.waitForFunction(() => {
  const p = window.kobai.state().playground;
  return p.data === 'digits' && !p.loading && p.inputs > 0;
}, null, { timeout: 20000 });
const pg = async (page) => (await state(page)).playground;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rect = (page, name) => page.evaluate((n) => window.kobai.rect(n), name);

// Scrolls the panel under the pointer until the named control is wholly in view (a person's mouse wheel).
async function reveal(page, name, panel) {
  for (let i = 0; i < 30; i++) {
    const r = await rect(page, name);
    if (r.w !== undefined && !r.cut) return r;
    const p = await rect(page, panel);
    await page.mouse.move(p.x + p.w / 2, p.y + p.h / 2);
    await page.mouse.wheel(0, 120);
    await settle(page);
  }
  throw new Error(name + ' never came into view');
}

test('desktop: digits, CNN chosen, trained: accuracy rises, filters and feature maps drawn, frames stay short', async () => {
  const ctx = await chrome.context();
  const { page, errors } = await open(ctx, server.url);
  await click(page, 'mode_playground');
  await click(page, 'pg_data');
  await click(page, 'pg_data_digits');
  await loaded(page);
  let p = await pg(page);
  assert.equal(p.model, 'mlp', 'the MLP first, as before');
  assert.equal(p.cnn.filters_count, undefined);
  await click(page, 'pg_model_cnn');
  p = await pg(page);
  assert.equal(p.model, 'cnn');
  assert.equal(p.cnn.refused, '');
  assert.equal(p.cnn.filters_count, 16);
  assert.deepEqual(p.cnn.filter_shape, [1, 3, 3]);
  assert.deepEqual(p.cnn.maps, [[16, 8, 8], [16, 4, 4]], 'conv: (8 + 2·1 − 3)/1 + 1 = 8; pooled: 4');
  assert.deepEqual(p.cnn.pooled, [false, true]);
  assert.equal(p.cnn.layers, '1x8x8 → Convolution 16 of 3x3, stride 1, pad 1 → Relu → 16x8x8 → Pooling 2x2, stride 2 → 16x4x4 → flatten 256 → Affine 100 → Relu → Affine 10 → SoftmaxWithLoss');
  assert.match(page.url(), /pg\.model=cnn&pg\.filters=16&pg\.fsize=3&pg\.stride=1&pg\.pad=1&pg\.pool=2&pg\.poolstride=2/, 'the link carries the conv settings');
  for (const name of ['pg_filter_images', 'pg_maps0', 'pg_maps1', 'pg_example', 'pg_cnn_layers']) assert.ok((await rect(page, name)).w > 0, name + ' is drawn');
  const first = p.test_accuracy, version = p.cnn.version;

  await click(page, 'pg_play');
  const mark = await page.evaluate(() => window.kobai.frameTimes().length);
  await page.waitForFunction(() => window.kobai.state().playground.epoch >= 3, null, { timeout: 60000 });
  const work = (await page.evaluate(() => window.kobai.frameTimes())).slice(mark);
  await click(page, 'pg_play');  // pause
  p = await pg(page);
  assert.ok(p.test_accuracy > 0.85 && p.test_accuracy > first + 0.5, `test accuracy rises: ${first} → ${p.test_accuracy}`);
  assert.ok(p.train_loss < p.first_loss / 2, `the loss falls: ${p.first_loss} → ${p.train_loss}`);
  assert.ok(p.cnn.version > version, 'the filters and maps were drawn again as the weights changed');
  // Training is sliced, about 8 ms a frame, however large a batch's convolution.
  const ms = median(work), worst = Math.max(...work);
  console.log(`CNN training frames: ${work.length}, work median ${ms.toFixed(1)} ms, largest ${worst.toFixed(1)} ms; an epoch's end (1,797 images scored in pieces): its longest piece ${p.scoring_ms.toFixed(1)} ms`);
  assert.ok(ms < 30, `frame work while the CNN trains: median ${ms.toFixed(1)} ms`);
  // An epoch's end is scored in pieces of rows across frames, and finishes while paused; each epoch is scored
  // once, with the weights it ended with (training waits for it).
  await page.waitForFunction(() => !window.kobai.state().playground.scoring, null, { timeout: 20000 });
  p = await pg(page);
  assert.ok(p.rows_per_part < 1437, `scored a piece at a time: ${p.rows_per_part} rows of the 1,437 training images`);
  assert.equal(p.curve_points, p.epoch + 1, 'one point per epoch, and the untrained net\'s');

  // Another example: its maps drawn at once.
  const v = (await pg(page)).cnn.version;
  await click(page, 'pg_example_next');
  p = await pg(page);
  assert.equal(p.cnn.example, 1);
  assert.ok(p.cnn.version > v);
  assert.deepEqual(errors, []);
  await shot(page, 'playground-cnn-trained');
  await ctx.close();
});

test('desktop: a shared link with conv settings; one batch writes out W ← W − η·∂L/∂W with the engine\'s numbers; a stride that does not fit is refused', async () => {
  const ctx = await chrome.context();
  const { page, errors } = await open(ctx, server.url + '#mode=playground&pg.data=digits&pg.model=cnn&pg.filters=8&pg.fsize=5&pg.pad=2&pg.opt=sgd&pg.lr=0.1&pg.hidden=64');
  await loaded(page);
  let p = await pg(page);
  assert.equal(p.model, 'cnn');
  assert.equal(p.filters, 8);
  assert.equal(p.filter_size, 5);
  assert.equal(p.cnn.filters_count, 8);
  assert.deepEqual(p.cnn.filter_shape, [1, 5, 5]);
  assert.deepEqual(p.cnn.maps, [[8, 8, 8], [8, 4, 4]], '(8 + 2·2 − 5)/1 + 1 = 8');
  assert.deepEqual(p.units, [64]);

  await click(page, 'pg_batch_step');
  p = await pg(page);
  const { filter_before: w, filter_grad: g, filter_after: after, filter_weight: j } = p.cnn;
  assert.equal(w.length, 25, 'the first filter: 5x5 weights');
  assert.ok(j >= 0 && Math.abs(g[j]) === Math.max(...g.map(Math.abs)), 'the weight written out has the largest gradient');
  for (let i = 0; i < 25; i++) assert.ok(Math.abs(after[i] - (w[i] - 0.1 * g[i])) < 1e-6, `W ← W − η·∂L/∂W for weight ${i}`);
  assert.ok(g.some((x) => x !== 0), 'the filter has a gradient');
  assert.ok((await rect(page, 'pg_filter_update')).h > 0, 'the update is written out');
  await shot(page, 'playground-cnn-batch');

  // The stride slider pushed to its end (4): (8 + 2·2 − 5)/4 = 7/4 does not fit.
  const s = await reveal(page, 'pg_stride', 'pg_left');
  await page.mouse.click(s.x + s.w * 0.62 - 2, s.y + s.h / 2);
  await settle(page);
  p = await pg(page);
  assert.equal(p.stride, 4);
  assert.equal(p.cnn.refused, 'the CNN\'s filter size 5, stride 4 and padding 2 do not fit the 8x8 images: conv stage 1: (8 + 2·2 − 5)/4 = 7/4 is not a whole number: the windows do not fit the height (8) evenly');
  assert.equal(p.message, p.cnn.refused, 'said in the results too');
  assert.equal(p.cnn.filters_count, undefined, 'no network is built on settings that do not fit');
  await reveal(page, 'pg_refused', 'pg_left');
  assert.match(page.url(), /pg\.stride=4/);
  await shot(page, 'playground-cnn-refused');
  // Back to 1: the network is built again.
  const s2 = await rect(page, 'pg_stride');
  await page.mouse.click(s2.x + 3, s2.y + s2.h / 2);
  await settle(page);
  p = await pg(page);
  assert.equal(p.stride, 1);
  assert.equal(p.cnn.refused, '');
  assert.equal(p.cnn.filters_count, 8);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('links that do not fit: a 9x9 filter refused with the arithmetic; 33 filters refused naming the key, the rest applied', async () => {
  const ctx = await chrome.context();
  let { page, errors } = await open(ctx, server.url + '#mode=playground&pg.data=digits&pg.model=cnn&pg.fsize=9');
  await loaded(page);
  let p = await pg(page);
  assert.equal(p.cnn.refused, 'the CNN\'s filter size 9, stride 1 and padding 1 do not fit the 8x8 images: conv stage 1: the window\'s size must be from 1 to 8 (its input is 1x8x8), not 9');
  assert.ok((await rect(page, 'pg_refused')).w > 0, 'the refusal is under the CNN\'s settings');
  assert.ok((await rect(page, 'pg_refused_view')).w > 0, 'and where the maps would be');
  assert.equal(p.train_loss, 0, 'no curves of a network that was not built');
  await page.close();
  ({ page, errors } = await open(ctx, server.url + '#mode=playground&pg.data=digits&pg.model=cnn&pg.filters=33&pg.fsize=5&pg.pad=2'));
  await loaded(page);
  const st = await state(page);
  assert.match(st.notice, /pg\.filters must be a number from 1 to 32, not '33'/);
  assert.equal(st.playground.filter_size, 5, 'the rest of the link applies');
  assert.equal(st.playground.cnn.filters_count, 16, 'the default number of filters');
  assert.deepEqual(errors, []);
  await ctx.close();
});

for (const [name, device] of [['phone 390x844', PHONE], ['tablet 768x1024', TABLET]])
  test(`${name}, Japanese: CNN tapped, trained; the filters and maps in the view tab; every CNN control a finger's size`, async () => {
    const ctx = await chrome.context(device);
    const { page, errors } = await open(ctx, server.url + '#mode=playground&lang=ja');
    const st = await state(page);
    assert.equal(st.lang, 'ja');
    assert.equal(st.narrow, true);
    await tap(page, 'pg_tab_settings');
    await tap(page, 'pg_data');
    await tap(page, 'pg_data_digits');
    await loaded(page);
    await tap(page, 'pg_model_cnn');
    let p = (await state(page)).playground;
    assert.equal(p.model, 'cnn');
    assert.equal(p.cnn.filters_count, 16);
    assert.equal(p.cnn.layers, '1x8x8 → Convolution 3x3 が 16 個, stride 1, pad 1 → Relu → 16x8x8 → Pooling 2x2, stride 2 → 16x4x4 → 平坦化 256 → Affine 100 → Relu → Affine 10 → SoftmaxWithLoss');
    const all = await rects(page);
    for (const n of ['pg_model_mlp', 'pg_model_cnn', 'pg_filters', 'pg_filter_size', 'pg_stride', 'pg_pad', 'pg_pool', 'pg_pool_stride'].filter((n) => all[n] && !all[n].cut))
      assert.ok(all[n].w >= FINGER - 0.01 && all[n].h >= FINGER - 0.01, `${n} is a finger's size: ${JSON.stringify(all[n])}`);
    await shot(page, `playground-cnn-${name.split(' ')[0]}-settings-ja`);
    await tap(page, 'pg_play');
    await page.waitForFunction(() => window.kobai.state().playground.epoch >= 2, null, { timeout: 60000 });
    await tap(page, 'pg_play');
    p = (await state(page)).playground;
    assert.ok(p.test_accuracy > 0.8, `test accuracy ${p.test_accuracy}`);
    await tap(page, 'pg_tab_view');
    const view = await rects(page);
    for (const n of ['pg_filter_images', 'pg_maps0', 'pg_example_next', 'pg_example'])
      assert.ok(view[n] && view[n].w > 0, `${n} is in the view tab`);
    for (const n of ['pg_example_prev', 'pg_example_next', 'pg_example'])
      assert.ok(view[n].w >= FINGER - 0.01 && view[n].h >= FINGER - 0.01, `${n} is a finger's size: ${JSON.stringify(view[n])}`);
    for (const [n, r] of Object.entries(view))
      assert.ok(r.x >= -0.5 && r.x + r.w <= device.viewport.width + 0.5, `${n} fits the screen's width: ${JSON.stringify(r)}`);
    await tap(page, 'pg_example_next');
    assert.equal((await state(page)).playground.cnn.example, 1);
    await shot(page, `playground-cnn-${name.split(' ')[0]}-maps-ja`);
    // A shared link with a stride the 8x8 digits cannot take: the view tab, where a phone opens, says why.
    await page.evaluate(() => { window.location.hash = 'mode=playground&lang=ja&pg.data=digits&pg.model=cnn&pg.stride=2&pg.pad=0'; });
    await settle(page);
    await page.waitForFunction(() => window.kobai.state().playground.cnn.refused !== '', null, { timeout: 10000 });
    p = (await state(page)).playground;
    assert.match(p.cnn.refused, /stride 2 and padding 0 do not fit the 8x8 images: conv stage 1: \(8 \+ 2·0 − 3\)\/2 = 5\/2 is not a whole number/);
    await tap(page, 'pg_tab_view');
    const refused = await rect(page, 'pg_refused_view');
    assert.ok(refused.w > 0 && refused.x + refused.w <= device.viewport.width + 0.5, 'said in the view, within the screen');
    await shot(page, `playground-cnn-${name.split(' ')[0]}-refused-ja`);
    assert.deepEqual(errors, []);
    await ctx.close();
  });
