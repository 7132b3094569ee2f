// Convolutions in the walkthrough (issue 13): a conv step opened window by window, forward and back, its products
// and sum the command's; max pooling's gradient shown going to the largest; 4-D values drawn as images; at phone,
// tablet and desktop sizes and in both languages.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { click, launch, open, press, root, shot, startServer, state, tap } from './harness.mjs';

let server, chrome;
before(async () => { server = await startServer(); chrome = await launch(); });
after(async () => { await chrome?.close(); server?.stop(); });

const SIZES = [
  { name: 'phone', viewport: { width: 360, height: 740 }, deviceScaleFactor: 3, hasTouch: true, isMobile: true },
  { name: 'tablet', viewport: { width: 768, height: 1024 }, deviceScaleFactor: 2, hasTouch: true, isMobile: true },
  { name: 'desktop', viewport: { width: 1366, height: 768 } },
];

test('Figure 7-3 window by window: the products and their sum, forward and back, and ◀ ▶ move the window', async () => {
  const ctx = await chrome.context();
  const { page, errors } = await open(ctx, server.url + '#lesson=conv');
  await press(page, 'ArrowRight');  // the conv's forward step
  let st = await state(page);
  assert.equal(st.window.count, 4);
  assert.equal(st.window.k, 0);
  assert.equal(st.window.forward, '1×2 + 2×0 + 3×1 + 0×0 + 1×1 + 2×2 + 3×1 + 0×0 + 1×2 + 0 = 15');
  for (let i = 0; i < 3; i++) await click(page, 'window_next');
  st = await state(page);
  assert.equal(st.window.k, 3);
  assert.deepEqual([st.window.top, st.window.left], [1, 1]);
  assert.match(st.window.forward, / = 15$/);  // the bottom-right cell of [[15, 16], [6, 15]]
  await click(page, 'window_prev');
  st = await state(page);
  assert.equal(st.window.k, 2);
  assert.match(st.window.forward, / = 6$/);
  await shot(page, 'conv-forward-window');
  await press(page, 'End');  // the forward pass's end, then the backward pass to the conv
  await press(page, 'End');
  st = await state(page);
  assert.equal(st.phase, 'backward');
  assert.equal(st.window.count, 4);
  assert.match(st.window.backward, /^∂L\/∂Y = 1 here: ∂L\/∂W gets 1 × this patch of X/);
  // The gradients the page shows are the command's.
  const cli = JSON.parse(execFileSync(join(root, 'build', 'native', 'kobai'), ['eval', '--lesson', 'conv', '--json'], { encoding: 'utf8' }));
  assert.deepEqual(st.nodes.find((n) => n.name === 'W').grad, cli.grads.W);
  await shot(page, 'conv-backward-window');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('max pooling backward: the window names the largest, where its gradient went', async () => {
  const ctx = await chrome.context();
  const { page, errors } = await open(ctx, server.url + '#lesson=max_pooling');
  await press(page, 'End');
  await press(page, 'End');
  let st = await state(page);
  // Walk back to the pooling step's backward (the last step of the pass).
  assert.equal(st.window.count, 4);
  await click(page, 'window_next');
  await click(page, 'window_next');
  st = await state(page);
  assert.deepEqual(st.window.arg, [3, 1]);  // the 4 at row 4, column 2
  assert.equal(st.window.backward, '∂L/∂Y = 3 goes to the largest, X[4,2]; the others in the window get 0');
  assert.deepEqual(st.nodes.find((n) => n.name === 'X').grad, [[0, 1, 0, 0], [0, 0, 0, 2], [0, 0, 0, 4], [0, 3, 0, 0]]);
  assert.deepEqual(errors, []);
  await ctx.close();
});

for (const size of SIZES)
  for (const lang of ['en', 'ja'])
    test(`the small CNN at ${size.name} size in ${lang}: 4-D values as images, its windows, one update lowers L`, async () => {
      const ctx = await chrome.context(size);
      const { page, errors } = await open(ctx, server.url + `#lesson=small_cnn&lang=${lang}`);
      await press(page, 'ArrowRight');
      let st = await state(page);
      assert.equal(st.window.count, 2 * 2 * 4 * 4);  // N·FN·OH·OW
      if (size.hasTouch) await tap(page, 'tab_step'); else await click(page, 'window_next');
      if (size.hasTouch) await tap(page, 'window_next');
      st = await state(page);
      assert.equal(st.window.k, 1);
      await shot(page, `conv-cnn-window-${size.name}-${lang}`);
      if (size.hasTouch) await tap(page, 'tab_graph');
      await press(page, 'End');
      await press(page, 'End');
      await press(page, 'End');  // the update
      const L0 = (await state(page)).nodes.find((n) => n.name === 'L').value;
      await press(page, 'n');  // next iteration
      await press(page, 'End');
      const L1 = (await state(page)).nodes.find((n) => n.name === 'L').value;
      assert.ok(L1 < L0, `L ${L0} then ${L1}`);
      await shot(page, `conv-cnn-after-${size.name}-${lang}`);
      assert.deepEqual(errors, []);
      await ctx.close();
    });
