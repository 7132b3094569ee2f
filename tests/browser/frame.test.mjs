// The frame that every lab shares, used on a phone as a student would: the lab switch, the panels as tabs,
// taps, a tapped node's matrices, the phone's own keyboard, a link whose one bad setting is refused alone.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { click, launch, open, settle, shot, startServer, state } from './harness.mjs';

let server, chrome;
before(async () => { server = await startServer(); chrome = await launch(); });
after(async () => { await chrome?.close(); server?.stop(); });

const phone = { viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true, deviceScaleFactor: 3 };

async function tap(page, name) {
  const r = await page.evaluate((n) => window.kobai.rect(n), name);
  if (r.w === undefined) throw new Error('the control ' + name + ' is not on screen');
  await page.touchscreen.tap(r.x + r.w / 2, r.y + r.h / 2);
  await settle(page);
}

test('on a phone the walkthrough is tabs: lessons, the graph with the full width, this step; a lesson tapped opens its graph', async () => {
  const ctx = await chrome.context(phone);
  const { page, errors } = await open(ctx, server.url + '#lesson=apple&lang=ja');
  let st = await state(page);
  assert.equal(st.narrow, true);
  assert.equal(st.touch, true);
  const canvas = await page.evaluate(() => window.kobai.rect('canvas'));
  assert.ok(canvas.w > 300, `the graph has the width (${canvas.w} px)`);
  assert.equal((await page.evaluate(() => window.kobai.rect('explanation'))).w, undefined, 'this step is a tab of its own');
  await tap(page, 'tab_lessons');
  assert.equal((await page.evaluate(() => window.kobai.rect('canvas'))).w, undefined, 'the lessons replace the graph');
  await tap(page, 'lesson_relu');
  st = await state(page);
  assert.equal(st.lesson, 'relu');
  assert.equal(st.pane, 1, 'a lesson picked shows its graph');
  await tap(page, 'step');
  await tap(page, 'tab_step');
  assert.ok((await page.evaluate(() => window.kobai.rect('explanation'))).h > 0, 'the step view is shown');
  assert.equal((await state(page)).step, 1);
  // The less used controls are behind ⋯.
  await tap(page, 'more');
  await tap(page, 'run');
  st = await state(page);
  assert.equal(st.phase, 'forward');
  assert.ok(st.step > 1, 'run phase ran');
  assert.deepEqual(errors, []);
  await shot(page, 'frame-phone-step-ja');
  await ctx.close();
});

test('the lessons come in parts: the open lesson\'s part is unfolded, a tap unfolds another, and a link unfolds its lesson\'s', async () => {
  const ctx = await chrome.context({ viewport: { width: 1280, height: 800 } });
  let { page, errors } = await open(ctx, server.url + '#lesson=apple');
  const visible = (name) => page.evaluate((n) => window.kobai.rect(n).w !== undefined, name);
  assert.ok(await visible('lesson_apple') && await visible('lesson_tanh'), 'the first part is open');
  assert.ok(!(await visible('lesson_conv')), 'the convolutions part is folded');
  assert.ok(await visible('expr'), 'the expression editor stays in sight below the folded parts');
  await click(page, 'part_2');
  assert.ok(await visible('lesson_small_cnn'), 'a click unfolds the convolutions');
  await click(page, 'lesson_max_pooling');
  assert.equal((await state(page)).lesson, 'max_pooling');
  await page.close();
  ({ page, errors } = await open(ctx, server.url + '#lesson=lstm&lang=ja'));
  assert.ok(await visible('lesson_gru') && !(await visible('lesson_apple')), 'a link to the LSTM lesson unfolds the sequences part only');
  await shot(page, 'frame-lesson-parts-ja');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a tap on a node pins its value and gradient; a tap on empty space unpins them', async () => {
  const ctx = await chrome.context(phone);
  const { page, errors } = await open(ctx, server.url + '#lesson=apple&step=5');
  const canvas = await page.evaluate(() => window.kobai.rect('canvas'));
  // Find a node on screen: the view's transform is in the state; tap candidates across the canvas.
  let pinned = '';
  for (let y = canvas.y + 20; y < canvas.y + canvas.h && !pinned; y += 12)
    for (let x = canvas.x + 20; x < canvas.x + canvas.w / 3 && !pinned; x += 12) {
      await page.touchscreen.tap(x, y);
      await settle(page);
      pinned = (await state(page)).view.pinned;
    }
  assert.ok(['apple', 'num', 'tax'].includes(pinned), `an input node is pinned (${pinned})`);
  const tip = await page.evaluate(() => window.kobai.rect('node_tip'));
  assert.ok(tip.w > 40 && tip.h > 40, 'its matrices are shown');
  assert.ok(tip.x >= canvas.x - 0.5 && tip.x + tip.w <= canvas.x + canvas.w + 0.5, 'inside the graph view');
  await shot(page, 'frame-phone-node-tip');
  await page.touchscreen.tap(canvas.x + canvas.w - 8, canvas.y + 8);  // a corner: no node there
  await settle(page);
  assert.equal((await state(page)).view.pinned, '');
  assert.equal((await page.evaluate(() => window.kobai.rect('node_tip'))).w, undefined);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a phone\'s own keyboard types into the quiz: the hidden field takes the focus, its text and backspaces arrive', async () => {
  const ctx = await chrome.context(phone);
  const { page, errors } = await open(ctx, server.url + '#quiz=7');
  assert.equal((await state(page)).mode, 'quiz');
  await tap(page, 'quiz_answer');
  assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'kobai-keys', 'the keyboard would show');
  // What a phone's keyboard sends: text inserted without key presses, and a backspace as an input event.
  await page.keyboard.insertText('-0.11');  // x is used twice: ∂y/∂x = 2x + a = 2·0.9 − 1.9 = −0.1
  await settle(page);
  await page.evaluate(() => {
    const el = document.getElementById('kobai-keys');
    el.value = '';
    el.dispatchEvent(new InputEvent('input', { inputType: 'deleteContentBackward' }));
  });
  await settle(page);
  await tap(page, 'quiz_check');
  const q = (await state(page)).quiz;
  assert.equal(q.answered, 1);
  assert.equal(q.right, 1, `the typed answer -0.11 → backspace → -0.1 was read: ${q.message}`);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a link with one bad setting: that value is refused with a message naming its key, the rest applies', async () => {
  const ctx = await chrome.context();
  const { page, errors } = await open(ctx, server.url + '#lesson=relu&step=2&lang=ja&mode=garden&present=7');
  const st = await state(page);
  assert.equal(st.lesson, 'relu');
  assert.equal(st.step, 2);
  assert.equal(st.lang, 'ja');
  assert.equal(st.mode, 'walkthrough');
  assert.match(st.notice, /present must be a number from 0 to 1, not '7'/);
  // every lab the page offers, in its order: the labs' own list, not one kept here
  const labs = Object.entries(await page.evaluate(() => window.kobai.rects())).filter(([n]) => n.startsWith('mode_'))
    .sort((a, b) => a[1].x - b[1].x).map(([n]) => n.slice(5));
  assert.ok(labs.length >= 3);
  assert.ok(st.notice.includes(`mode は ${labs.join(', ')} のいずれかのはず（'garden' ではなく）`), st.notice);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('present=1 makes text and controls larger and hides the lessons; the link keeps it', async () => {
  const ctx = await chrome.context({ viewport: { width: 1920, height: 1080 } });
  let { page } = await open(ctx, server.url + '#lesson=apple');
  const plain = await page.evaluate(() => window.kobai.rect('step'));
  assert.ok((await page.evaluate(() => window.kobai.rect('lesson_apple'))).h > 0);
  await click(page, 'present');
  const st = await state(page);
  assert.equal(st.present, true);
  const big = await page.evaluate(() => window.kobai.rect('step'));
  assert.ok(big.h > plain.h * 1.3, `the step button grew from ${plain.h} to ${big.h} px`);
  assert.equal((await page.evaluate(() => window.kobai.rect('lesson_apple'))).w, undefined, 'the lessons panel is hidden');
  assert.match(await page.evaluate(() => location.hash), /present=1/);
  await shot(page, 'frame-present-1920');
  await page.close();
  ({ page } = await open(ctx, server.url + '#lesson=apple&present=1'));
  assert.equal((await state(page)).present, true, 'a link opens presenting');
  await ctx.close();
});

test('a link opened over a lesson that plays installs its graph as any new graph: playback stops, the view fits again', async () => {
  const ctx = await chrome.context();
  const { page, errors } = await open(ctx, server.url + '#lesson=two_layer_net');
  await click(page, 'play');
  assert.equal((await state(page)).playing, true);
  await page.evaluate(() => { location.hash = '#lesson=apple&step=2'; });
  await page.waitForFunction(() => window.kobai.state().lesson === 'apple');
  await settle(page);
  const st = await state(page);
  assert.equal(st.step, 2);
  assert.equal(st.playing, false, 'the new graph does not play on by itself');
  assert.deepEqual(errors, []);
  await ctx.close();
});
