// Real data in the playground: the UCI digits fetched from the page's own origin, trained to 95% with a
// confusion matrix and the misclassified images; Iris from a link; a student's CSV through the file dialog
// (a bad one named by line and column, the current data kept) and by dropping it on the page; the hidden
// units' small maps on a 2-D set.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { click, launch, open, settle, shot, startServer, state } from './harness.mjs';

let server, chrome;
before(async () => { server = await startServer(); chrome = await launch(); });
after(async () => { await chrome?.close(); server?.stop(); });

const loaded = (page, data) => page.waitForFunction((d) => {
  const p = window.kobai.state().playground;
  return p.data === d && !p.loading && p.inputs > 0;
}, data, { timeout: 20000 });

test('digits: picked from the menu, fetched, trained past 95%, with a confusion matrix and the misclassified images', async () => {
  const ctx = await chrome.context();
  const { page, errors } = await open(ctx, server.url);
  const fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await click(page, 'mode_playground');
  assert.ok(!fetched.includes('/data/digits.csv'), 'the digits are not fetched before they are wanted');
  await click(page, 'pg_data');
  await click(page, 'pg_data_digits');
  await loaded(page, 'digits');
  let pg = (await state(page)).playground;
  assert.ok(fetched.includes('/data/digits.csv'));
  assert.equal(pg.inputs, 64);
  assert.equal(pg.classes, 10);
  assert.deepEqual(pg.units, [100], 'the suggested network: 64-100-10');
  assert.equal(pg.optimizer, 'adam');
  assert.equal(pg.train_points + pg.test_rows, 1797);
  await click(page, 'pg_play');
  await page.waitForFunction(() => window.kobai.state().playground.test_accuracy >= 0.95, null, { timeout: 60000 });
  await click(page, 'pg_play');  // pause
  pg = (await state(page)).playground;
  assert.equal(pg.confusion_total, pg.test_rows, 'every test image is counted once');
  assert.ok(Math.abs(pg.confusion_diagonal / pg.test_rows - pg.test_accuracy) < 1e-9, 'the diagonal is the accuracy');
  assert.equal(pg.misclassified, pg.test_rows - pg.confusion_diagonal);
  assert.ok(pg.misclassified > 0 && pg.misclassified < pg.test_rows * 0.05);
  assert.deepEqual(pg.unit_maps, [100], 'a weight image per hidden unit');
  for (const name of ['pg_confusion', 'pg_wrong', 'pg_units']) {
    const r = await page.evaluate((n) => window.kobai.rect(n), name);
    assert.ok(r.w > 0, name + ' is drawn');
  }
  assert.match(page.url(), /pg\.data=digits/, 'the link names the data set');
  assert.deepEqual(errors, []);
  await shot(page, 'playground-digits');
  await ctx.close();
});

test('Iris from a shared link: three classes, trained', async () => {
  const ctx = await chrome.context();
  const { page, errors } = await open(ctx, server.url + '#mode=playground&pg.data=iris&pg.hidden=8&pg.loss=softmax&pg.opt=adam&pg.lr=0.01&pg.test=30');
  await loaded(page, 'iris');
  let pg = (await state(page)).playground;
  assert.equal(pg.classes, 3);
  assert.equal(pg.inputs, 4);
  assert.equal(pg.test_rows, 45);
  await click(page, 'pg_play');
  await page.waitForFunction(() => window.kobai.state().playground.epoch >= 100, null, { timeout: 30000 });
  await click(page, 'pg_play');
  pg = (await state(page)).playground;
  assert.ok(pg.test_accuracy > 0.85, `Iris learned (${pg.test_accuracy})`);
  assert.deepEqual(errors, []);
  await ctx.close();
});

const csv = (rows) => Buffer.from(rows.join('\n') + '\n');

test('a CSV through the file dialog: a bad one is named by line and column and the data stays; a good one trains', async () => {
  const ctx = await chrome.context();
  const { page } = await open(ctx, server.url + '#mode=playground');
  let chooser = page.waitForEvent('filechooser');
  await click(page, 'pg_open_csv');
  await (await chooser).setFiles({ name: 'broken.csv', mimeType: 'text/csv', buffer: csv(['x,y,label', '1,2,0', '3,four,1']) });
  await page.waitForFunction(() => window.kobai.state().playground.message !== '', null, { timeout: 10000 });
  let pg = (await state(page)).playground;
  assert.equal(pg.message, "broken.csv: line 3, column 2: 'four' is not a number (the current data stays)");
  assert.equal(pg.data, 'spiral', 'the current data set stays');
  await shot(page, 'playground-bad-csv');

  const rows = ['# four blobs in three dimensions'];
  for (let i = 0; i < 200; i++) {
    const c = i % 4, j = (i * 7919) % 100 / 100;
    rows.push([c + j * 0.5, (c % 2) * 2 + j * 0.3, (c > 1 ? 3 : 0) - j, c].map(String).join(','));
  }
  chooser = page.waitForEvent('filechooser');
  await click(page, 'pg_open_csv');
  await (await chooser).setFiles({ name: 'blobs.csv', mimeType: 'text/csv', buffer: csv(rows) });
  await loaded(page, 'csv');
  pg = (await state(page)).playground;
  assert.equal(pg.csv_name, 'blobs.csv');
  assert.equal(pg.inputs, 3);
  assert.equal(pg.classes, 4);
  assert.equal(pg.message, '');
  await click(page, 'pg_play');
  await page.waitForFunction(() => window.kobai.state().playground.test_accuracy > 0.9, null, { timeout: 30000 });
  await click(page, 'pg_play');
  await ctx.close();
});

test('a CSV dropped on the walkthrough opens it in the playground', async () => {
  const ctx = await chrome.context();
  const { page } = await open(ctx, server.url);
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['a,b,label\n0,0,0\n1,1,1\n0,1,1\n1,0,0\n'], 'tiny.csv', { type: 'text/csv' }));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await loaded(page, 'csv');
  await settle(page);
  const pg = (await state(page)).playground;
  assert.equal(pg.mode, true);
  assert.equal(pg.csv_name, 'tiny.csv');
  assert.equal(pg.train_points + pg.test_rows, 4);
  await ctx.close();
});

test('2-D data: a small map per hidden unit, redrawn as the network learns', async () => {
  const ctx = await chrome.context();
  const { page } = await open(ctx, server.url + '#mode=playground&pg.data=circle&pg.hidden=4,3');
  await page.waitForFunction(() => window.kobai.state().playground.units_version > 0, null, { timeout: 10000 });
  let pg = (await state(page)).playground;
  assert.deepEqual(pg.unit_maps, [4, 3]);
  const v0 = pg.units_version;
  const r = await page.evaluate(() => window.kobai.rect('pg_units'));
  const before = await page.screenshot({ clip: { x: r.x, y: r.y, width: r.w, height: r.h } });
  await click(page, 'pg_play');
  await page.waitForFunction(() => window.kobai.state().playground.epoch >= 100, null, { timeout: 30000 });
  await click(page, 'pg_play');
  pg = (await state(page)).playground;
  assert.ok(pg.units_version > v0);
  const after = await page.screenshot({ clip: { x: r.x, y: r.y, width: r.w, height: r.h } });
  assert.notEqual(Buffer.compare(before, after), 0, 'the maps changed');
  await shot(page, 'playground-units');
  await ctx.close();
});

test('hovering a misclassified digit shows it large with the network\'s probabilities; a hidden unit\'s map too', async () => {
  const ctx = await chrome.context();
  const { page } = await open(ctx, server.url + '#mode=playground&pg.data=digits&pg.hidden=100&pg.act=relu&pg.init=he&pg.loss=softmax&pg.opt=adam&pg.lr=0.001&pg.batch=32&pg.test=20');
  await loaded(page, 'digits');
  await click(page, 'pg_step');  // one epoch
  const wrong = await page.evaluate(() => window.kobai.rect('pg_wrong'));
  assert.ok(wrong.w > 0, 'misclassified images are drawn');
  assert.equal((await page.evaluate(() => window.kobai.rect('pg_wrong_large'))).w, undefined, 'no tooltip before hovering');
  await page.mouse.move(wrong.x + 10, wrong.y + 10);
  await settle(page);
  await settle(page);
  const large = await page.evaluate(() => window.kobai.rect('pg_wrong_large'));
  assert.ok(large.w > 100, 'the image shows large');
  await shot(page, 'playground-digit-tooltip');
  await page.mouse.move(5, 790);
  await settle(page);
  await settle(page);
  assert.equal((await page.evaluate(() => window.kobai.rect('pg_wrong_large'))).w, undefined, 'gone when the mouse leaves');
  const units = await page.evaluate(() => window.kobai.rect('pg_units'));
  await page.mouse.move(units.x + 8, units.y + 30);  // the first unit's map, under the layer's name
  await settle(page);
  await settle(page);
  assert.ok((await page.evaluate(() => window.kobai.rect('pg_unit_large'))).w > 100, 'a unit\'s weights show large');
  await ctx.close();
});

test('a large CSV trains a few mini-batches a frame: the page keeps drawing inside an epoch', async () => {
  const ctx = await chrome.context();
  const { page } = await open(ctx, server.url);
  await page.evaluate(() => {  // 30000 rows of 40 features: about 3.5 MB, an epoch of 3000 mini-batches
    const lines = [];
    for (let i = 0; i < 30000; i++) {
      const row = [];
      for (let j = 0; j < 40; j++) row.push((i * 31 + j * 17 * (i % 3 + 1)) % 97);
      row.push(i % 3);
      lines.push(row.join(','));
    }
    const dt = new DataTransfer();
    dt.items.add(new File([lines.join('\n')], 'large.csv', { type: 'text/csv' }));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await loaded(page, 'csv');
  await settle(page);
  // Between frames, training stops wherever its 8 ms ran out: part-way through an epoch. (Whole epochs a call,
  // as before, would leave every frame at a batch boundary of 0.) Record the frames seen part-way.
  await page.evaluate(() => {
    window.midEpochFrames = new Set();
    const t0 = performance.now();
    const poll = () => {
      const st = window.kobai.state();
      if (st.playground.batch_in_epoch > 0) window.midEpochFrames.add(st.frames);
      if (performance.now() - t0 < 3000) setTimeout(poll, 0);
    };
    poll();
  });
  await click(page, 'pg_play');
  await page.waitForFunction(() => window.kobai.state().playground.epoch >= 1, null, { timeout: 60000 });
  await page.waitForTimeout(1500);
  await click(page, 'pg_play');
  assert.ok(await page.evaluate(() => window.midEpochFrames.size) >= 3, 'frames end part-way through epochs');
  const pg = (await state(page)).playground;
  assert.equal(pg.train_points + pg.test_rows, 30000);
  assert.ok(pg.train_accuracy > 0.3);
  await ctx.close();
});
