// Recurrences in the page (issue 12): a loop typed into the editor builds the unrolled graph, steps forward and
// back through time, and its gradients are the command's; a bad loop gets its message and loses nothing.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { click, launch, open, press, root, shot, startServer, state, type } from './harness.mjs';

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

test('a loop typed in the editor with a row past the end: the message names the step, the graph stays', async () => {
  const ctx = await chrome.context();
  const { page } = await open(ctx, server.url);
  await page.evaluate(([t, v]) => window.kobai.load(t, v), [rnn, inputs]);
  await click(page, 'expr');
  await press(page, 'Control+A');
  await type(page, rnn.replace('1..3', '1..4'));
  await press(page, 'Enter');
  const st = await state(page);
  assert.match(st.error, /column \d+: x\[4\]: x has 3 rows \(x\[1\] to x\[3\]\) \(in the loop's step t = 4\)/);
  assert.ok(st.nodes.some((k) => k.name === 'h[3]'), 'the three-step graph is still shown');
  await shot(page, 'loop-bad-step');
  await ctx.close();
});
