// The training playground in the page: pick a data set, train, watch the loss fall and the boundary move;
// a learning rate of 100 diverges with a message and the page keeps working.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { click, launch, open, press, shot, startServer, state, type } from './harness.mjs';

let server, chrome;
before(async () => { server = await startServer(); chrome = await launch(); });
after(async () => { await chrome?.close(); server?.stop(); });

const view = async (page) => {
  const r = await page.evaluate(() => window.kobai.rect('pg_view'));
  return page.screenshot({ clip: { x: r.x, y: r.y, width: r.w, height: r.h } });
};

test('spiral: press train, the loss falls and the heat map changes', async () => {
  const ctx = await chrome.context();
  const { page, errors } = await open(ctx, server.url);
  await click(page, 'mode_playground');
  let pg = (await state(page)).playground;
  assert.equal(pg.mode, true);
  assert.equal(pg.epoch, 0);
  const before = await view(page);
  await click(page, 'pg_play');
  await page.waitForFunction(() => window.kobai.state().playground.epoch >= 300, null, { timeout: 30000 });
  await click(page, 'pg_play');  // pause
  pg = (await state(page)).playground;
  assert.equal(pg.playing, false);
  assert.ok(pg.train_loss < pg.first_loss * 0.8, `the loss falls (${pg.first_loss} -> ${pg.train_loss})`);
  assert.ok(pg.heatmap_version > 2, 'the heat map was drawn again as the weights changed');
  const after = await view(page);
  assert.notEqual(Buffer.compare(before, after), 0, 'the heat map\'s pixels changed');
  assert.deepEqual(errors, []);
  await shot(page, 'playground-trained');
  await ctx.close();
});

test('a learning rate of 100 shows the divergence message; the last good weights come back; the page keeps working', async () => {
  const ctx = await chrome.context();
  const { page } = await open(ctx, server.url);
  await click(page, 'mode_playground');
  await click(page, 'pg_lr');
  await press(page, 'Control+A');
  await type(page, '100');
  await press(page, 'Enter');
  assert.equal((await state(page)).playground.lr, 100);
  await click(page, 'pg_play');
  await page.waitForFunction(() => window.kobai.state().playground.diverged, null, { timeout: 20000 });
  let pg = (await state(page)).playground;
  assert.equal(pg.playing, false, 'training paused');
  assert.match(pg.message, /The learning rate \(100\) is probably too large: try a tenth of it/);
  await shot(page, 'playground-diverged');
  await click(page, 'pg_restore');
  pg = (await state(page)).playground;
  assert.equal(pg.diverged, false);
  await click(page, 'mode_walkthrough');
  await press(page, 'ArrowRight');
  assert.equal((await state(page)).step, 1, 'the walkthrough still steps');
  await ctx.close();
});

test('a shared link restores the playground configuration, and the hash follows the settings', async () => {
  const ctx = await chrome.context();
  const { page } = await open(ctx, server.url + '#mode=playground&pg.data=xor&pg.hidden=4,6&pg.act=relu&pg.opt=adam&pg.lr=0.005&pg.seed=3');
  const pg = (await state(page)).playground;
  assert.equal(pg.mode, true);
  assert.equal(pg.data, 'xor');
  assert.deepEqual(pg.units, [4, 6]);
  assert.equal(pg.activation, 'relu');
  assert.equal(pg.optimizer, 'adam');
  assert.equal(pg.lr, 0.005);
  assert.equal(pg.seed, 3);
  await click(page, 'pg_lr');
  await press(page, 'Control+A');
  await type(page, '0.2');
  await press(page, 'Enter');
  assert.match(await page.evaluate(() => location.hash), /mode=playground&pg\.data=xor.*&pg\.lr=0\.2&/);
  await shot(page, 'playground-link');
  await ctx.close();
});

test('clicking the view adds a point of the chosen class where it was clicked', async () => {
  const ctx = await chrome.context();
  const { page } = await open(ctx, server.url + '#mode=playground&pg.data=gauss');
  const n = (await state(page)).playground.train_points;
  await click(page, 'pg_click_orange');
  const r = await page.evaluate(() => window.kobai.rect('pg_view'));
  await page.mouse.click(r.x + r.w * 0.75, r.y + r.h * 0.25);  // upper right: x = 3, y = 3
  await page.waitForTimeout(150);
  const pg = (await state(page)).playground;
  assert.equal(pg.train_points, n + 1);
  const [x, y, t] = pg.last_point;
  assert.ok(Math.abs(x - 3) < 0.2 && Math.abs(y - 3) < 0.2, `at (${x}, ${y})`);
  assert.ok(t <= 0, 'orange: class 0 (or -1)');
  await ctx.close();
});

test('one mini-batch at a time: SGD shows ΔW = −η·∇ for the first weights', async () => {
  const ctx = await chrome.context();
  const { page } = await open(ctx, server.url + '#mode=playground&pg.data=xor&pg.opt=sgd&pg.lr=0.5');
  await click(page, 'pg_batch_step');
  const pg = (await state(page)).playground;
  assert.equal(pg.shown_w.length, 3);
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(pg.shown_delta[i] + 0.5 * pg.shown_grad[i]) < 1e-5, `ΔW = −η·∇ for weight ${i}`);
  await shot(page, 'playground-batch-step');
  await ctx.close();
});

test('the seed: typed in, the data and the weights change, and the link carries it', async () => {
  const ctx = await chrome.context();
  const { page } = await open(ctx, server.url + '#mode=playground&pg.data=xor');
  const first = (await state(page)).playground;
  await click(page, 'pg_seed');
  await press(page, 'Control+A');
  await type(page, '42');
  await press(page, 'Enter');
  const pg = (await state(page)).playground;
  assert.equal(pg.seed, 42);
  assert.notDeepEqual(pg.last_point, first.last_point, 'new points');
  assert.match(page.url(), /pg\.seed=42/);
  await ctx.close();
});

test('a link with more units than the boundary shader holds says so and uses 64', async () => {
  const ctx = await chrome.context();
  const { page } = await open(ctx, server.url + '#mode=playground&pg.data=spiral&pg.hidden=100,8');
  await page.waitForFunction(() => window.kobai.state().playground.units.length === 2, null, { timeout: 10000 });
  const pg = (await state(page)).playground;
  assert.deepEqual(pg.units, [64, 8]);
  assert.equal(pg.message, 'layer 1 had 100 units; the 2-D sets take up to 64, so it has 64');
  assert.ok(pg.heatmap_version > 0, 'the boundary is drawn');
  await ctx.close();
});
