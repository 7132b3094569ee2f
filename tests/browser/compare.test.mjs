// The playground's Compare: a preset of the book's chapter 6 picked by clicking, trained, its curves overlaid,
// exported as CSV; the student's own settings added as a run; the note on all-zero initial weights. On a desktop
// and a phone, in English and Japanese.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { click, launch, open, settle, shot, startServer, state, tap } from './harness.mjs';

let server, chrome;
before(async () => { server = await startServer(); chrome = await launch(); });
after(async () => { await chrome?.close(); server?.stop(); });

const compare = async (page) => (await state(page)).playground.compare;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, hasTouch: true, isMobile: true };

test('desktop, English: Figure 6-9 picked, trained in turn, four curves overlaid, exported; my settings added', async () => {
  const ctx = await chrome.context({ acceptDownloads: true });
  const { page, errors } = await open(ctx, server.url + '#mode=playground');
  await click(page, 'pg_results_compare');
  assert.equal((await state(page)).playground.results_tab, 1);
  await click(page, 'cmp_preset');
  await click(page, 'cmp_preset_fig6-9');
  await page.waitForFunction(() => window.kobai.state().playground.compare.runs.length === 4, null, { timeout: 20000 });
  await settle(page);
  let c = await compare(page);
  assert.equal(c.preset, 'fig6-9');
  assert.deepEqual(c.runs.map((r) => r.label), ['SGD lr 0.01', 'Momentum lr 0.01', 'AdaGrad lr 0.01', 'Adam lr 0.001']);
  assert.equal(new Set(c.runs.map((r) => r.train_loss)).size, 1, 'the four runs start from the same weights');
  assert.match(await page.evaluate(() => location.hash), /&pg\.compare=fig6-9/);

  await click(page, 'cmp_play');
  const mark = await page.evaluate(() => window.kobai.frameTimes().length);
  await page.waitForFunction(() => window.kobai.state().playground.compare.epochs >= 3, null, { timeout: 60000 });
  const work = (await page.evaluate(() => window.kobai.frameTimes())).slice(mark);
  await click(page, 'cmp_play');  // pause
  c = await compare(page);
  assert.equal(c.playing, false);
  // Four runs share about 8 ms of training a frame, a part of one run at a time: no frame is held for long.
  assert.ok(median(work) < 30, `frame work while four runs train: median ${median(work).toFixed(1)} ms`);
  assert.ok(c.runs.every((r) => r.epoch >= 3 && r.points === r.epoch + 1), JSON.stringify(c.runs));
  assert.ok(Math.max(...c.runs.map((r) => r.epoch)) - Math.min(...c.runs.map((r) => r.epoch)) <= 1, 'the runs take turns');
  assert.equal(c.loss_series, 4, 'four loss curves overlaid');
  assert.equal(c.accuracy_series, 8, 'test and train accuracy of each run');
  const sgd = c.runs[0], adam = c.runs[3];
  assert.ok(adam.train_loss < sgd.train_loss, `Adam's loss falls faster than SGD's (${adam.train_loss} < ${sgd.train_loss})`);
  await shot(page, 'compare-fig6-9-en');

  const [download] = await Promise.all([page.waitForEvent('download'), click(page, 'cmp_export')]);
  assert.equal(download.suggestedFilename(), 'kobai-compare.csv');
  const lines = readFileSync(await download.path(), 'utf8').trim().split('\n');
  assert.equal(lines[0], 'run,label,epoch,train_loss,test_loss,train_accuracy,test_accuracy');
  assert.equal(lines.length - 1, c.runs.reduce((n, r) => n + r.points, 0), 'one row per epoch and run');
  const last = lines.filter((l) => l.startsWith('4,Adam lr 0.001,' + adam.epoch + ','))[0].split(',');
  assert.ok(Math.abs(+last[3] - adam.train_loss) < 1e-5 * adam.train_loss, 'the CSV has the curves the page shows');

  await click(page, 'cmp_add');  // a fifth: refused, and said why
  c = await compare(page);
  assert.equal(c.runs.length, 4);
  assert.match(c.message, /Four runs at most/);
  await click(page, 'cmp_remove0');
  assert.equal((await compare(page)).runs.length, 3);
  await click(page, 'cmp_add');
  c = await compare(page);
  assert.equal(c.runs.length, 4);
  assert.equal(c.preset, '', 'no longer the book\'s preset');
  // The playground's defaults (TensorFlow Playground's) against the first run left, Momentum: its label says what differs.
  assert.equal(c.runs[3].label, '8-8-8, tanh, Xavier, squared, SGD lr 0.03, batch 10');
  assert.equal(c.runs[3].epoch, 0);
  const epochs = c.runs.map((r) => r.epoch);
  await click(page, 'cmp_epoch');
  c = await compare(page);
  assert.deepEqual(c.runs.map((r) => r.epoch), epochs.map((e) => e + 1), 'One epoch: each run one more');
  await click(page, 'cmp_play');  // the run furthest behind trains first: the new one catches up
  await page.waitForFunction((e) => window.kobai.state().playground.compare.epochs >= e, Math.max(...epochs) + 1, { timeout: 60000 });
  await click(page, 'cmp_play');
  c = await compare(page);
  assert.ok(Math.max(...c.runs.map((r) => r.epoch)) - Math.min(...c.runs.map((r) => r.epoch)) <= 1, JSON.stringify(c.runs.map((r) => r.epoch)));
  await shot(page, 'compare-mine-en');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('desktop, Japanese: a link opens the overfitting preset; train goes above test', async () => {
  const ctx = await chrome.context();
  const { page, errors } = await open(ctx, server.url + '#mode=playground&lang=ja&pg.compare=fig6-20');
  await page.waitForFunction(() => window.kobai.state().playground.compare.runs.length === 2, null, { timeout: 20000 });
  await settle(page);
  assert.equal((await state(page)).playground.results_tab, 1, 'the link opens the Compare tab');
  assert.deepEqual((await compare(page)).runs.map((r) => r.label), ['λ = 0', 'λ = 0.1']);
  await click(page, 'cmp_play');
  await page.waitForFunction(() => window.kobai.state().playground.compare.epochs >= 40, null, { timeout: 90000 });
  await click(page, 'cmp_play');
  const c = await compare(page);
  assert.ok(c.runs[0].train_accuracy > c.runs[0].test_accuracy + 0.03, `300 rows: train above test (${c.runs[0].train_accuracy} > ${c.runs[0].test_accuracy})`);
  assert.equal(c.loss_series, 2);
  assert.ok((await page.evaluate(() => window.kobai.rect('cmp_note'))).w > 0, 'the preset\'s note (the digits, not MNIST)');
  await shot(page, 'compare-fig6-20-ja');
  assert.deepEqual(errors, []);
  await ctx.close();
});

for (const lang of ['ja', 'en']) {
  test(`phone 390x844, ${lang}: the Compare tab by taps, a preset, curves; every control on screen and big enough`, async () => {
    const ctx = await chrome.context(PHONE);
    const { page, errors } = await open(ctx, server.url + `#mode=playground&lang=${lang}`);
    await tap(page, 'pg_tab_results');
    await tap(page, 'pg_results_compare');
    await tap(page, 'cmp_preset');
    await tap(page, 'cmp_preset_fig6-23');
    await page.waitForFunction(() => window.kobai.state().playground.compare.runs.length === 2, null, { timeout: 20000 });
    await settle(page);
    await tap(page, 'cmp_play');
    await page.waitForFunction(() => window.kobai.state().playground.compare.epochs >= 2, null, { timeout: 60000 });
    await tap(page, 'cmp_play');
    const c = await compare(page);
    assert.equal(c.loss_series, 2);
    assert.equal(c.accuracy_series, 4);
    assert.deepEqual(c.runs.map((r) => r.label_ja), ['なし', 'ドロップアウト 0.2'], 'a preset\'s labels in both languages');
    const all = await page.evaluate(() => window.kobai.rects());
    for (const name of ['cmp_preset', 'cmp_play', 'cmp_epoch', 'cmp_reset', 'cmp_add', 'cmp_export', 'cmp_remove0', 'cmp_remove1', 'pg_results_run', 'pg_results_compare']) {
      const r = all[name];
      assert.ok(r, `${name} is drawn`);
      assert.ok(r.x >= -0.5 && r.x + r.w <= 390.5, `${name} inside the width: ${JSON.stringify(r)}`);
      assert.ok(r.w >= 39.99 && r.h >= 39.99, `${name} at least 40 px for a finger: ${JSON.stringify(r)}`);
    }
    await shot(page, `compare-phone-${lang}`);
    assert.deepEqual(errors, []);
    await ctx.close();
  });
}

test('all-zero initial weights: the note says why the units stay alike, in both languages', async () => {
  for (const lang of ['en', 'ja']) {
    const ctx = await chrome.context();
    const { page, errors } = await open(ctx, server.url + `#mode=playground&lang=${lang}&pg.data=xor&pg.init=zero&pg.act=sigmoid`);
    let pg = (await state(page)).playground;
    assert.equal(pg.init, 'zero');
    assert.equal(pg.zero_note, true);
    assert.ok((await page.evaluate(() => window.kobai.rect('pg_zero_note'))).w > 0, 'the note is drawn');
    await click(page, 'pg_step');
    await click(page, 'pg_step');
    pg = (await state(page)).playground;
    assert.equal(pg.epoch, 2);
    await shot(page, `compare-zero-init-${lang}`);
    // Xavier again: no note.
    await page.evaluate(() => { location.hash = location.hash.replace('pg.init=zero', 'pg.init=xavier'); });
    await page.waitForFunction(() => window.kobai.state().playground.init === 'xavier', null, { timeout: 10000 });
    await settle(page);
    assert.equal((await state(page)).playground.zero_note, false);
    assert.equal((await page.evaluate(() => window.kobai.rect('pg_zero_note'))).w, undefined);
    assert.deepEqual(errors, []);
    await ctx.close();
  }
});

test('the digits cannot be fetched: the Compare tab says why instead of waiting for ever', async () => {
  const ctx = await chrome.context({ serviceWorkers: 'block' });
  await ctx.route('**/data/digits.csv', (r) => r.fulfill({ status: 404, body: 'gone' }));
  const { page, errors } = await open(ctx, server.url + '#mode=playground&pg.compare=fig6-9');
  await page.waitForFunction(() => { const c = window.kobai.state().playground.compare; return !c.pending && c.message !== ''; }, null, { timeout: 20000 });
  const c = await compare(page);
  assert.equal(c.runs.length, 0);
  assert.match(c.message, /could not read/);
  assert.ok((await page.evaluate(() => window.kobai.rect('cmp_message'))).w > 0, 'the message is drawn');
  await ctx.close();
  void errors;  // the 404 itself is logged by the browser
});
