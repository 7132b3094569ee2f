// The page in headless Chromium, used as a student uses it: keys, clicks, typing, links, reloads.
// Run: node --test tests/browser/ (make test does, after building the page). Screenshots: build/screenshots/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { click, distinctColours, launch, open, press, shot, startServer, state, type } from './harness.mjs';

let server, chrome;
before(async () => { server = await startServer(); chrome = await launch(); });
after(async () => { await chrome?.close(); server?.stop(); });

const near = (a, b, eps = 1e-9) => Math.abs(a - b) <= eps * Math.max(1, Math.abs(b));
const node = (st, name) => st.nodes.find((n) => n.name === name);

async function fresh(hash = '', options = {}) {
  const ctx = await chrome.context(options);
  const { page, errors } = await open(ctx, server.url + hash);
  return { ctx, page, errors };
}

test('the page loads with no console error, asks nothing of other origins, and draws the graph', async () => {
  const ctx = await chrome.context();
  const requests = [];
  ctx.on('request', (r) => requests.push(r.url()));
  const { page, errors } = await open(ctx, server.url);
  await page.waitForTimeout(300);
  assert.deepEqual(errors, []);
  const canvas = await page.evaluate(() => window.kobai.rect('canvas'));
  assert.ok(canvas.w > 300 && canvas.h > 300, 'the graph canvas has room');
  const colours = await distinctColours(page, { x: canvas.x, y: canvas.y, width: canvas.w, height: canvas.h });
  assert.ok(colours > 20, `the canvas is not blank (${colours} colours)`);
  const st = await state(page);
  assert.equal(st.lesson, 'apple');
  assert.equal(st.step, 0);
  assert.equal(st.steps, 5);
  await shot(page, 'load');
  const origin = new URL(server.url).origin;
  assert.deepEqual(requests.filter((u) => new URL(u).origin !== origin), [], 'every request stays on the page\'s origin');
  const csp = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]').content);
  assert.match(csp, /default-src 'self'/);
  await ctx.close();
});

test('the apple lesson walked to the end with the arrow key: 220; gradients 2.2, 110, 200', async () => {
  const { ctx, page } = await fresh();
  for (let i = 0; i < 5; i++) await press(page, 'ArrowRight');
  const st = await state(page);
  assert.equal(st.step, 5);
  assert.equal(st.phase, 'backward');
  assert.ok(near(node(st, 'price').value, 220));
  assert.ok(near(node(st, 'apple').grad, 2.2));
  assert.ok(near(node(st, 'num').grad, 110));
  assert.ok(near(node(st, 'tax').grad, 200));
  assert.match(st.explanation, /∂price\/∂apple = ∂price\/∂\(apple\*num\) × num = 1\.1 × 2 = 2\.2/);
  const live = await page.evaluate(() => document.getElementById('live').textContent);
  assert.match(live, /∂price\/∂apple/, 'the live region mirrors the explanation for screen readers');
  await shot(page, 'apple-end-keys');
  await ctx.close();
});

test('the apple lesson walked by clicking the Step button, and Back undoes', async () => {
  const { ctx, page } = await fresh();
  for (let i = 0; i < 3; i++) await click(page, 'step');
  const three = await state(page);
  assert.equal(three.step, 3);
  assert.equal(three.phase, 'backward');
  await click(page, 'step');
  await click(page, 'step');
  const end = await state(page);
  assert.equal(end.step, 5);
  assert.ok(near(node(end, 'apple').grad, 2.2));
  await click(page, 'back');
  await click(page, 'back');
  const back = await state(page);
  assert.deepEqual(back.nodes, three.nodes, 'two steps back is exactly the state after three steps');
  await press(page, 'ArrowLeft');
  assert.equal((await state(page)).step, 2);
  await shot(page, 'apple-clicked-back');
  await ctx.close();
});

test('everything from the keyboard: number keys pick lessons, E edits, Enter rebuilds, Esc leaves', async () => {
  const { ctx, page } = await fresh();
  await press(page, '3');
  assert.equal((await state(page)).lesson, 'chain_rule');
  await press(page, '0');
  assert.equal((await state(page)).lesson, 'tanh');
  await press(page, 'e');
  await press(page, 'Control+A');
  await type(page, 'y = z^3');  // a new name starts at 1
  await press(page, 'Enter');
  await press(page, 'Escape');
  await press(page, 'End');
  await press(page, 'End');
  const st = await state(page);
  assert.equal(st.expression, 'y = z^3');
  assert.equal(st.phase, 'backward');
  assert.ok(near(node(st, 'z').grad, 3), 'd(z^3)/dz at z = 1');
  await ctx.close();
});

test('Home resets, End runs to the end of the phase, Space plays', async () => {
  const { ctx, page } = await fresh('#lesson=tanh');
  await press(page, 'End');
  let st = await state(page);
  assert.equal(st.phase, 'forward');
  assert.equal(st.step, 6, 'all six forward steps');
  await press(page, 'Home');
  assert.equal((await state(page)).step, 0);
  await press(page, 'Space');
  await page.waitForTimeout(1600);
  st = await state(page);
  assert.ok(st.step >= 2, `playback advanced (${st.step})`);
  await press(page, 'Space');
  const paused = (await state(page)).step;
  await page.waitForTimeout(700);
  assert.equal((await state(page)).step, paused, 'paused');
  await ctx.close();
});

test('a bad expression shows its message with the place, and the previous graph keeps working', async () => {
  const { ctx, page } = await fresh();
  await click(page, 'expr');
  await press(page, 'Control+A');
  await type(page, 'y = (x * 2');
  await press(page, 'Enter');
  let st = await state(page);
  assert.match(st.error, /line 1, column 11: expected '\)' to close the '\(' at line 1, column 5/);
  assert.equal(st.lesson, 'apple', 'the apple graph is still loaded');
  await shot(page, 'bad-expression');
  await click(page, 'canvas');  // leave the editor; keys step again
  await press(page, 'ArrowRight');
  st = await state(page);
  assert.equal(st.step, 1);
  assert.ok(near(node(st, 'apple*num').value, 200));
  await ctx.close();
});

test('a typed expression builds, lists its inputs, and steps', async () => {
  const { ctx, page } = await fresh();
  await click(page, 'expr');
  await press(page, 'Control+A');
  await type(page, 'y = sigmoid(w * x + b)');
  await press(page, 'Enter');
  let st = await state(page);
  assert.equal(st.error, '');
  assert.equal(st.lesson, '');
  assert.deepEqual(st.nodes.filter((n) => n.op === 'input').map((n) => n.name), ['w', 'x', 'b']);
  await click(page, 'in_w');
  await press(page, 'Control+A');
  await type(page, '-2');
  await press(page, 'Enter');
  await click(page, 'canvas');
  await press(page, 'End');
  st = await state(page);
  assert.ok(near(node(st, 'y').value, 1 / (1 + Math.exp(1))), 'sigmoid(-2 * 1 + 1)');
  await shot(page, 'typed-expression');
  await ctx.close();
});

test('the language toggle changes the text and survives a reload', async () => {
  const { ctx, page } = await fresh();
  await click(page, 'lang');
  await press(page, 'ArrowRight');
  let st = await state(page);
  assert.equal(st.lang, 'ja');
  assert.match(st.explanation, /順伝播/);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ja');
  await shot(page, 'japanese');
  await page.goto(server.url);  // no hash: the preference alone
  await page.waitForFunction(() => window.kobai && window.kobai.firstFrameTime && window.kobai.firstFrameTime());
  st = await state(page);
  assert.equal(st.lang, 'ja');
  await ctx.close();
});

test('the URL hash follows the walk, and a shared link restores that exact state', async () => {
  const { ctx, page } = await fresh();
  await press(page, 'ArrowRight');
  await press(page, 'ArrowRight');
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /lesson=apple&step=2/);
  const other = await fresh('#lesson=apple_orange&in.tax=1.08&step=7&lang=ja');
  const st = await state(other.page);
  assert.equal(st.lesson, 'apple_orange');
  assert.equal(st.step, 7);
  assert.equal(st.lang, 'ja');
  assert.ok(near(node(st, 'tax').value, 1.08));
  await shot(other.page, 'shared-link');
  await other.ctx.close();
  await ctx.close();
});

test('a corrupt link shows a message and the default lesson, never a blank page', async () => {
  const { ctx, page, errors } = await fresh('#lesson=nope&step=zz');
  const st = await state(page);
  assert.match(st.notice, /This link could not be opened: the link names an unknown lesson 'nope'/);
  assert.equal(st.lesson, 'apple');
  assert.deepEqual(errors, []);
  await shot(page, 'corrupt-link');
  await press(page, 'ArrowRight');
  assert.equal((await state(page)).step, 1);
  await ctx.close();
});

test('a corrupt saved preference is ignored with a message', async () => {
  const ctx = await chrome.context();
  await ctx.addInitScript(() => { if (!sessionStorage.getItem('seeded')) { localStorage.setItem('kobai.lang', '{garbage'); sessionStorage.setItem('seeded', '1'); } });
  const { page } = await open(ctx, server.url);
  const st = await state(page);
  assert.match(st.notice, /A saved language preference was corrupt and is ignored: '\{garbage'/);
  assert.equal(st.lang, 'en');
  await ctx.close();
});

test('when nothing changes the page stops drawing', async () => {
  const { ctx, page } = await fresh();
  await page.waitForTimeout(500);
  const a = (await state(page)).frames;
  await page.waitForTimeout(1500);
  const b = (await state(page)).frames;
  assert.ok(b - a <= 2, `frames drawn while idle: ${b - a}`);
  await page.mouse.move(400, 400);
  await page.mouse.move(420, 410);
  await page.waitForTimeout(200);
  assert.ok((await state(page)).frames > b, 'a mouse move wakes it');
  await ctx.close();
});

test('drag pans the graph, the wheel zooms, Fit brings it back, and the canvas follows the window', async () => {
  const { ctx, page } = await fresh();
  const c = await page.evaluate(() => window.kobai.rect('canvas'));
  const v0 = (await state(page)).view;
  await page.mouse.move(c.x + 40, c.y + 40);
  await page.mouse.down();
  for (let i = 1; i <= 5; i++) { await page.mouse.move(c.x + 40 + 20 * i, c.y + 40 + 10 * i); await page.waitForTimeout(30); }
  await page.mouse.up();
  await page.waitForTimeout(100);
  const v1 = (await state(page)).view;
  assert.ok(v1.x < v0.x - 30 && v1.y < v0.y - 15, `dragging right and down moves the view (${JSON.stringify([v0, v1])})`);
  await page.mouse.move(c.x + c.w / 2, c.y + c.h / 2);
  await page.mouse.wheel(0, -300);
  await page.waitForTimeout(150);
  assert.ok((await state(page)).view.zoom > v1.zoom, 'the wheel zooms in');
  await press(page, 'f');
  assert.deepEqual((await state(page)).view, v0, 'Fit restores the fitted view');
  await page.setViewportSize({ width: 1000, height: 700 });
  await page.waitForTimeout(300);
  const size = await page.evaluate(() => ({ w: document.getElementById('canvas').width, h: document.getElementById('canvas').height }));
  assert.deepEqual(size, { w: 1000, h: 700 });
  await shot(page, 'resized');
  await ctx.close();
});

test('crisp on a devicePixelRatio 2 display: the canvas has twice the pixels', async () => {
  const { ctx, page } = await fresh('#lesson=softmax_with_loss&step=3', { deviceScaleFactor: 2 });
  const size = await page.evaluate(() => ({ w: document.getElementById('canvas').width, css: window.innerWidth }));
  assert.equal(size.w, size.css * 2);
  await shot(page, 'dpr2');
  await ctx.close();
});

test('offline: once loaded, the page works with the network cut', async () => {
  const { ctx, page } = await fresh();
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();  // now under the service worker's control
  await page.waitForFunction(() => window.kobai && window.kobai.firstFrameTime && window.kobai.firstFrameTime());
  await ctx.setOffline(true);
  await page.reload();
  await page.waitForFunction(() => window.kobai && window.kobai.firstFrameTime && window.kobai.firstFrameTime(), null, { timeout: 20000 });
  await press(page, 'ArrowRight');
  assert.equal((await state(page)).step, 1);
  await ctx.close();
});

test('the scripting API loads expressions and reports bad ones', async () => {
  const { ctx, page } = await fresh();
  const ok = await page.evaluate(() => window.kobai.load('L = mse(y, t)', { y: [0.1, 0.6, 0.3], t: [0, 1, 0] }));
  assert.deepEqual(ok, { ok: true });
  const bad = await page.evaluate(() => window.kobai.load('L = frob(y)', { y: 1 }));
  assert.equal(bad.ok, false);
  assert.match(bad.error, /unknown function 'frob'/);
  await page.evaluate(() => { while (window.kobai.step()) {} });
  const st = await state(page);
  assert.ok(near(st.nodes.find((n) => n.name === 'L').value, 0.5 * (0.01 + 0.16 + 0.09)));
  await ctx.close();
});
