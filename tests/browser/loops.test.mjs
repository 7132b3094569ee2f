// Recurrences in the page (issue 12): a loop typed into the editor builds the unrolled graph, steps forward and
// back through time, and its gradients are the command's; a bad loop gets its message and loses nothing.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { click, launch, open, press, root, settle, shot, startServer, state, tap, type } from './harness.mjs';

let server, chrome;
before(async () => { server = await startServer(); chrome = await launch(); });
after(async () => { await chrome?.close(); server?.stop(); });

const rnn = 'for t in 1..3 { h[t] = tanh(x[t] @ Wx + h[t-1] @ Wh + b); y[t] = sigmoid(h[t] @ Wy); L[t] = mse(y[t], d[t]) }; L = sum(L[1..3])';
const inputs = { x: [[1, 0], [0, 1], [1, 1]], Wx: [[0.1, 0.2], [0.3, 0.4]], Wh: [[0.5, -0.1], [0.2, 0.3]], b: [[0.01, 0.02]],
  Wy: [[0.7], [-0.2]], d: [[1], [0], [1]] };
// Numbers, or matrices of them, equal to 1e-9 (the page's libm and the command's may differ in the last bit).
const near = (a, b) => [a].flat(2).length === [b].flat(2).length &&
  [a].flat(2).every((x, i) => Math.abs(x - [b].flat(2)[i]) <= 1e-9 * Math.max(1, Math.abs([b].flat(2)[i])));

test('a recurrence over three steps: the unrolled graph, forward then back through time, the command\'s gradients', async () => {
  const ctx = await chrome.context();
  const { page, errors } = await open(ctx, server.url);
  const r = await page.evaluate(([t, v]) => window.kobai.load(t, v), [rnn, inputs]);
  assert.equal(r.ok, true, r.error);
  let st = await state(page);
  for (const n of ['h[0]', 'h[1]', 'h[3]', 'x[2]', 'y[3]', 'L[2]', 'L']) assert.ok(st.nodes.some((k) => k.name === n), n);
  await press(page, 'End');  // the forward pass
  await press(page, 'End');  // the backward pass, back through time
  st = await state(page);
  assert.equal(st.phase, 'backward');
  const args = ['eval', rnn, '--json'];
  for (const [k, v] of Object.entries(inputs)) args.push('--at', `${k}=${JSON.stringify(v)}`);
  const cli = JSON.parse(execFileSync(join(root, 'build', 'native', 'kobai'), args, { encoding: 'utf8' }));
  for (const name of ['L', 'h[1]', 'h[3]', 'y[2]', 'x[3]']) {
    const page_ = st.nodes.find((k) => k.name === name), mine = cli.nodes.find((k) => k.name === name);
    assert.ok(page_ && mine, name);
    assert.ok(near(page_.value, mine.value), `${name}'s value`);
    assert.ok(near(page_.grad, mine.grad), `${name}'s gradient`);
  }
  assert.ok(near(st.nodes.find((k) => k.name === 'L').value, cli.value));
  await shot(page, 'loop-rnn-backward');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a loop with a row past the end: the message names the step, the graph stays', async () => {
  const ctx = await chrome.context();
  const { page } = await open(ctx, server.url);
  await page.evaluate(([t, v]) => window.kobai.load(t, v), [rnn, inputs]);
  // Through the page's scripting door (typing a whole line drops keys on a loaded machine; the editor's typing is
  // tested in page.test.mjs): the same rebuild, the same message.
  const r = await page.evaluate(([t, v]) => window.kobai.load(t, v), [rnn.replace('1..3', '1..4'), inputs]);
  assert.equal(r.ok, false);
  const st = await state(page);
  assert.match(st.error, /column \d+: x\[4\]: x has 3 rows \(x\[1\] to x\[3\]\) \(in the loop's step t = 4\)/);
  assert.ok(st.nodes.some((k) => k.name === 'h[3]'), 'the three-step graph is still shown');
  await shot(page, 'loop-bad-step');
  await ctx.close();
});

// Eight steps of the notes' RNN: a loop long enough that its cells start folded.
const rnn8 = 'for t in 1..8 { h[t] = sigmoid(x[t] @ Wx + h[t-1] @ Wh); y[t] = sigmoid(h[t] @ Wy); L[t] = mse(y[t], d[t]) }; L = sum(L[1..8])';
const inputs8 = { x: [[1, 0], [0, 1], [1, 1], [0, 0], [1, 0], [1, 1], [0, 1], [0, 0]], d: [[1], [1], [0], [1], [1], [0], [0], [1]],
  Wx: [[0.1, 0.2, 0.3], [0.3, 0.4, -0.2]], Wh: [[0.5, -0.1, 0.2], [0.2, 0.3, 0.1], [0.1, 0.1, 0.1]], Wy: [[0.7], [-0.2], [0.3]] };
const live = (page) => page.evaluate(() => document.getElementById('live').textContent);

test('eight time steps: cells fold and open by a click and follow the walk; back through time, Wh\'s sum over t; ‖∂L/∂h[t]‖', async () => {
  const ctx = await chrome.context({ viewport: { width: 1280, height: 800 } });
  const { page, errors } = await open(ctx, server.url);
  assert.equal((await page.evaluate(([t, v]) => window.kobai.load(t, v), [rnn8, inputs8])).ok, true);
  // The new graph laid out (sliced over frames) and drawn: on a loaded machine that takes a while.
  await page.waitForFunction(() => window.kobai.rect('cell_5').w !== undefined, null, { timeout: 20000 });
  await settle(page);
  let st = await state(page);
  assert.deepEqual(st.cells, [false, true, true, true, true, true, true, true], 'all but the first step folded');
  await click(page, 'cell_5');  // a folded cell opens ...
  assert.equal((await state(page)).cells[4], false);
  await click(page, 'cell_5');  // ... and its band's header folds it again
  assert.equal((await state(page)).cells[4], true);
  // Stepping forward into step 2 opens its cell.
  for (let i = 0; i < 12 && (await state(page)).cells[1]; i++) await press(page, 'ArrowRight');
  assert.equal((await state(page)).cells[1], false, 'the walk reached step 2 and its cell opened');
  await press(page, 'End');
  await press(page, 'End');  // the whole backward pass
  st = await state(page);
  assert.equal(st.phase, 'backward');
  // The chart: ‖∂L/∂h[t]‖ for every step, the norms of the command's gradients.
  const args = ['eval', rnn8, '--json'];
  for (const [k, v] of Object.entries(inputs8)) args.push('--at', `${k}=${JSON.stringify(v)}`);
  const cli = JSON.parse(execFileSync(join(root, 'build', 'native', 'kobai'), args, { encoding: 'utf8' }));
  assert.equal(st.time_chart.name, 'h');
  for (let t = 1; t <= 8; t++) {
    const g = cli.nodes.find((k) => k.name === `h[${t}]`).grad.flat();
    const norm = Math.hypot(...g);
    assert.ok(Math.abs(st.time_chart.norms[t - 1] - norm) <= 1e-9 * norm, `‖∂L/∂h[${t}]‖`);
  }
  // Back from the end to the step that completes Wh's gradient: the sum over time, one term per step.
  let said = '';
  for (let i = 0; i < 30 && !/Wh is shared/.test(said); i++) { await press(page, 'ArrowLeft'); said = await live(page); }
  assert.match(said, /Wh is shared by the time steps: ∂L\/∂Wh = Σₜ ∂L\/∂Wh⁽ᵗ⁾, the sum over time steps t = 1 … 8/);
  assert.match(said, /∂L\/∂Wh⁽¹⁾ \+ ∂L\/∂Wh⁽²⁾ \+ .* \+ ∂L\/∂Wh⁽⁸⁾ = /);
  // Part way back through time, only the later steps' gradients are known.
  await press(page, 'Home');
  await press(page, 'End');
  for (let i = 0; i < 40 && (await state(page)).time_chart.norms[7] === null; i++) await press(page, 'ArrowRight');
  st = await state(page);
  assert.ok(st.time_chart.norms[7] > 0, 'h[8]\'s gradient is known first');
  assert.equal(st.time_chart.norms[0], null, 'h[1]\'s is not yet');
  await shot(page, 'loop-rnn8-backward');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('on a phone, in Japanese: a tap opens a folded cell, and the step tab charts the gradient through time', async () => {
  const ctx = await chrome.context({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, hasTouch: true, isMobile: true });
  const { page, errors } = await open(ctx, server.url + '#lang=ja');
  assert.equal((await page.evaluate(([t, v]) => window.kobai.load(t, v), [rnn8, inputs8])).ok, true);
  // The new graph laid out (sliced over frames) and fitted: on a loaded machine that takes a while.
  await page.waitForFunction(() => Object.keys(window.kobai.rects()).some((k) => k.startsWith('cell_')), null, { timeout: 20000 });
  await settle(page);
  // A folded cell in view (which ones the fitted view shows depends on the phone's width).
  const folded = (await state(page)).cells;
  const inView = Object.keys(await page.evaluate(() => window.kobai.rects())).filter((k) => k.startsWith('cell_'))
    .map((k) => Number(k.slice(5))).filter((t) => folded[t - 1]);
  assert.ok(inView.length > 0, 'a folded cell is in view');
  await tap(page, `cell_${inView[0]}`);
  assert.equal((await state(page)).cells[inView[0] - 1], false, 'the tapped cell opened');
  await shot(page, 'loop-rnn8-phone-ja-graph');
  await press(page, 'End');
  await press(page, 'End');
  let said = '';
  for (let i = 0; i < 30 && !/Wh は全時刻で共有/.test(said); i++) { await press(page, 'ArrowLeft'); said = await live(page); }
  assert.match(said, /Wh は全時刻で共有: ∂L\/∂Wh = Σₜ ∂L\/∂Wh⁽ᵗ⁾（時刻 t = 1 … 8 の和）/);
  await tap(page, 'tab_step');
  await shot(page, 'loop-rnn8-phone-ja-step');  // the sum's terms first: the chart is further down the tab
  let r = {};
  for (let i = 0; i < 12 && !(r.w > 0); i++) {
    await page.mouse.move(195, 600);
    await page.mouse.wheel(0, 400);
    await settle(page);
    r = await page.evaluate(() => window.kobai.rect('time_chart'));
  }
  assert.ok(r.w > 200, 'the chart spans the step tab');
  await shot(page, 'loop-rnn8-phone-ja-chart');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('the largest loop the limits allow, 64 steps and nearly 5000 nodes, opens folded, runs both passes and folds on a click', async () => {
  const ctx = await chrome.context({ viewport: { width: 1280, height: 800 } });
  const { page, errors } = await open(ctx, server.url);
  const cube = Array(70).fill('h[t-1]').join(' * ');  // 4995 nodes in all
  const big = `for t in 1..64 { h[t] = tanh(h[t-1] * w + x[t] * u) * 0.5 + ${cube} }; L = sum(h[1..64])`;
  const x = Array.from({ length: 64 }, (_, i) => [(i % 5) / 10]);
  const r = await page.evaluate(([t, v]) => window.kobai.load(t, v), [big, { x, w: 0.5, u: 0.3 }]);
  assert.equal(r.ok, true, r.error);
  let st = await state(page);
  assert.ok(st.nodes.length > 4900 && st.nodes.length <= 5000, `${st.nodes.length} nodes`);
  assert.equal(st.cells.filter((f) => f).length, 63, 'every cell but the first folded');
  await press(page, 'End');
  await press(page, 'End');
  st = await state(page);
  assert.equal(st.phase, 'backward');
  assert.ok(st.time_chart.norms.every((v) => v !== null), 'every step\'s gradient known');
  const shown = Object.keys(await page.evaluate(() => window.kobai.rects())).filter((k) => k.startsWith('cell_'));
  assert.ok(shown.length > 0, 'some cells are on screen');
  const t = Number(shown[shown.length - 1].slice(5));
  const was = (await state(page)).cells[t - 1];
  await click(page, `cell_${t}`);
  assert.equal((await state(page)).cells[t - 1], !was, `cell ${t} folded or opened`);
  await shot(page, 'loop-largest');
  assert.deepEqual(errors, []);
  await ctx.close();
});
