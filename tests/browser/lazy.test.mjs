// The labs' code arrives later (issue 10): the first frame needs kobai.wasm, kobai.data and kobai.js only; the
// other labs' code (the quiz's question makers, training, the data sets, the charts) is kobai.labs.wasm, fetched
// when such a lab is first opened. When it cannot be fetched, the walkthrough (its quiz mode too) keeps working and
// the lab says why.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { click, launch, open, press, root, settle, site, startServer, state } from './harness.mjs';

let server, chrome;
before(async () => { server = await startServer(); chrome = await launch(); });
after(async () => { await chrome?.close(); server?.stop(); });

// The files the page asked for, by name, in order (not its service worker, which keeps copies for offline use
// once the page is drawn).
function requests(ctx) {
  const names = [];
  ctx.on('request', (r) => { if (!r.serviceWorker()) names.push(new URL(r.url()).pathname.replace(/^\//, '') || 'index.html'); });
  return names;
}

// A page opened at `url` with the labs' file held back until release() is called: its first frame drawn.
async function openHeld(url) {
  const ctx = await chrome.context();
  let release;
  const held = new Promise((res) => { release = res; });
  await ctx.route('**/kobai.labs.wasm', async (r) => { await held; await r.continue(); });
  const { page, errors } = await open(ctx, url, { settled: false });
  return { ctx, page, errors, release };
}

test('the walkthrough starts without the labs\' code; the playground fetches it when opened and trains', async () => {
  const ctx = await chrome.context();
  const asked = requests(ctx);
  const { page, errors } = await open(ctx, server.url + '#lesson=apple');
  assert.ok(asked.includes('kobai.wasm') && asked.includes('kobai.data'), asked.join(', '));
  // Step the apple lesson to its end by keys, and answer nothing: all of it without the labs' file.
  for (let i = 0; i < 12; i++) await press(page, 'ArrowRight');
  let st = await state(page);
  assert.ok(st.step > 0);
  assert.ok(!asked.includes('kobai.labs.wasm'), 'nothing asked for the labs\' code before a lab needed it: ' + asked.join(', '));
  assert.equal((await page.evaluate(() => window.kobai.labCode())).requested, false);
  // Every lab's title on the switch has its glyphs before any lab's code and font arrive, in both languages.
  assert.equal(st.title_glyphs_missing, '');

  await click(page, 'mode_playground');
  await page.waitForFunction(() => window.kobai.state().lab_code === true, null, { timeout: 20000 });
  assert.ok(asked.includes('kobai.labs.wasm'));
  await page.waitForFunction(() => { const p = window.kobai.state().playground; return p && !p.loading && p.inputs > 0; }, null, { timeout: 20000 });
  await click(page, 'pg_play');
  await page.waitForFunction(() => window.kobai.state().playground.epoch >= 3, null, { timeout: 20000 });
  await click(page, 'pg_play');
  st = await state(page);
  assert.ok(st.playground.train_loss < st.playground.first_loss, `the loss fell: ${st.playground.first_loss} → ${st.playground.train_loss}`);
  // Back to the walkthrough and again: the code stays in, nothing is fetched twice.
  await click(page, 'mode_walkthrough');
  await click(page, 'mode_playground');
  assert.equal(asked.filter((n) => n === 'kobai.labs.wasm').length, 1);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a link to the playground waits for its code and then applies every setting', async () => {
  const ctx = await chrome.context();
  const { page, errors } = await open(ctx, server.url + '#mode=playground&pg.data=spiral&pg.hidden=6,4&pg.lr=0.03&lang=ja');
  await page.waitForFunction(() => { const p = window.kobai.state().playground; return p && !p.loading && p.inputs > 0; }, null, { timeout: 20000 });
  const st = await state(page);
  assert.equal(st.mode, 'playground');
  assert.equal(st.playground.data, 'spiral');
  assert.deepEqual(st.playground.units, [6, 4]);
  assert.equal(st.playground.lr, 0.03);
  assert.match(await page.evaluate(() => location.hash), /pg\.data=spiral/, 'the link kept its settings while the code came');
  // A right arrow trains one epoch: the playground's key, once its code is in.
  await page.mouse.click(5, 300);
  await press(page, 'ArrowRight');
  assert.equal((await state(page)).playground.epoch, 1);
  assert.deepEqual(errors, []);
  await ctx.close();
});

// The later labs' settings tables come with their code: the first frame keeps such a lab's keys of the link as
// text (its own link writes them back as they came), and reads them once the code is in.
test('a link\'s keys for a later lab wait for its code as text, then apply; a bad one is said once the code is in', async () => {
  const { ctx, page, errors, release } = await openHeld(server.url + '#mode=rnn&rnn.cell=lstm&rnn.hidden=8&rnn.lr=fast');
  let st = await state(page);
  assert.equal(st.mode, 'rnn');
  assert.equal(st.lab_code, false);
  assert.equal(st.rnn, undefined);
  // The page has written its own link (the first lesson, step 0) with the lab's keys as they came.
  const hash = await page.evaluate(() => location.hash);
  for (const part of ['lesson=apple', 'step=0', 'mode=rnn', 'rnn.cell=lstm', 'rnn.hidden=8', 'rnn.lr=fast'])
    assert.ok(hash.includes(part), `${part} in ${hash}`);
  assert.ok(!/rnn\.lr/.test(st.notice || ''), 'nothing said about rnn.lr before its table is in');
  release();
  await page.waitForFunction(() => { const s = window.kobai.state(); return s.lab_code && s.rnn; }, null, { timeout: 30000 });
  await settle(page);
  st = await state(page);
  assert.equal(st.rnn.cell, 'lstm');
  assert.equal(st.rnn.hidden, 8);
  assert.equal(st.rnn.lr, 0.1, 'the refused value left the default');
  assert.match(st.notice, /rnn\.lr must be a number/);
  const now = await page.evaluate(() => location.hash);
  assert.ok(now.includes('rnn.cell=lstm') && now.includes('rnn.hidden=8') && !now.includes('rnn.lr='), now);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('when the labs\' code cannot be fetched, the playground says so, its keys do nothing, and the rest keeps working', async () => {
  const ctx = await chrome.context();
  await ctx.route('**/kobai.labs.wasm', (r) => r.abort('connectionrefused'));
  const { page, errors } = await open(ctx, server.url + '#lesson=apple');
  await click(page, 'mode_playground');
  await page.waitForFunction(() => window.kobai.labCode().progress === -1, null, { timeout: 20000 });
  await settle(page);
  const failed = await page.evaluate(() => window.kobai.rect('lab_error'));
  assert.ok(failed.w > 0, 'the playground shows why it has nothing to show');
  assert.match((await page.evaluate(() => window.kobai.labCode())).error, /kobai\.labs\.wasm/);
  await press(page, 'ArrowRight');  // the playground's key would train an epoch: with no code it must not run
  await press(page, 'Space');
  let st = await state(page);
  assert.equal(st.lab_code, false);
  assert.equal(st.playground.epoch, undefined, 'no playground state without its code');
  // The quiz lab says the same; the walkthrough still steps, and its quiz mode still asks and marks.
  await click(page, 'mode_quiz');
  assert.equal((await state(page)).mode, 'quiz');
  assert.ok((await page.evaluate(() => window.kobai.rect('lab_error'))).w > 0);
  await click(page, 'mode_walkthrough');
  await press(page, 'Home');
  await click(page, 'quiz_mode');
  for (let i = 0; i < 4; i++) await press(page, 'ArrowRight');  // the first backward step asks instead of showing
  st = await state(page);
  assert.equal(st.step_quiz.asking, true);
  await click(page, 'step_answer_0');
  await page.keyboard.type('1.1');
  await click(page, 'step_answer_1');
  await page.keyboard.type('200');
  await press(page, 'Enter');
  st = await state(page);
  assert.equal(st.quiz.right, 1, 'marked right without the labs\' code');
  // Only the blocked fetch itself is reported: no placeholder ran, nothing threw.
  assert.deepEqual(errors.filter((e) => !/kobai\.labs\.wasm|ERR_CONNECTION_REFUSED|Failed to load resource/.test(e)), []);
  assert.ok(!errors.some((e) => /placeholder/.test(e)), errors.join('\n'));
  await ctx.close();
});

test('while the page downloads, a bar says how many bytes of how many have come, in the visitor\'s language', async () => {
  const ctx = await chrome.context({ locale: 'ja-JP' });
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  // About 2 Mbit/s: the download takes a second or two, time to read the bar as it moves.
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 40, downloadThroughput: 250000, uploadThroughput: 250000 });
  const seen = [];
  await page.exposeFunction('__sawBar', (s) => seen.push(s));
  await page.addInitScript(() => {
    const look = () => {
      const bar = document.getElementById('loading');
      if (bar && bar.getAttribute('role') === 'progressbar')
        window.__sawBar({ now: bar.getAttribute('aria-valuenow'), text: bar.textContent.trim() });
      if (!window.kobai || !window.kobai.firstFrameTime || window.kobai.firstFrameTime() === null) setTimeout(look, 50);
    };
    document.addEventListener('DOMContentLoaded', look);
  });
  await page.goto(server.url);
  await page.waitForFunction(() => window.kobai && window.kobai.firstFrameTime && window.kobai.firstFrameTime() !== null, null, { timeout: 60000 });
  const moving = seen.filter((s) => +s.now > 0 && +s.now < 100);
  assert.ok(moving.length >= 2, 'the bar was seen part way at least twice: ' + JSON.stringify(seen.slice(0, 5)));
  const shares = moving.map((s) => +s.now);
  assert.deepEqual(shares, [...shares].sort((a, b) => a - b), 'the bar only moves forward');
  const m = /kobai を読み込んでいます: ([\d,]+) KB 中 ([\d,]+) KB/.exec(moving[moving.length - 1].text);
  assert.ok(m, 'the bar says bytes of the total, in Japanese: ' + moving[moving.length - 1].text);
  const total = +m[1].replace(/,/g, ''), done = +m[2].replace(/,/g, '');
  assert.ok(done < total && total > 100, `${done} KB of ${total} KB`);
  assert.equal(await page.evaluate(() => document.getElementById('loading')), null, 'the bar is gone once the page is drawn');
  await ctx.close();
});

// A string literal of a source file, found by the code around it: the test reads it where it is written.
function literal(file, around) {
  const m = around.exec(readFileSync(join(root, file), 'utf8'));
  assert.ok(m, `${file} still has ${around}`);
  return m[1];
}
const has = (file, text) => readFileSync(join(site, file)).includes(Buffer.from(text, 'utf8'));
// Where a string's bytes went: all to kobai.labs.wasm, or its start there and its end in kobai.wasm. The split
// moves a string whose every byte it can show nothing that stays reaches; a word of the first frame's data that
// happens to equal an address inside it keeps the rest (a shorter string wasm-ld may have merged there).
function wentToLabs(text) {
  const bytes = Buffer.from(text, 'utf8');
  if (has('kobai.labs.wasm', text)) return true;
  const labs = readFileSync(join(site, 'kobai.labs.wasm')), first = readFileSync(join(site, 'kobai.wasm'));
  for (let k = bytes.length - 1; k >= Math.min(4, bytes.length - 1); --k)
    if (labs.includes(bytes.subarray(0, k)) && first.includes(bytes.subarray(k))) return true;
  return false;
}

test('the later labs\' words come with their code: not in kobai.wasm, in kobai.labs.wasm, and the lab shows them', async () => {
  // Words of the paths lab (its pane before the first step) and of its engine (the message of a path that diverges).
  const pane = literal('web/labs/paths.cpp', /kNoStepYet\{"([^"]+)"/);
  const diverged = literal('engine/surface.cpp', /message_ = "(the path diverged[^"]*)"/);
  for (const text of [pane, diverged]) {
    assert.ok(!has('kobai.wasm', text), `the first frame's file does not carry "${text}"`);
    assert.ok(wentToLabs(text), `the labs' file carries "${text}" (or its start, the rest kept)`);
  }
  // The words the page shows while that code loads stay in the first frame's file.
  const loading = literal('web/app.cpp', /kLoadingLab\{"([^"]+)"/);
  assert.ok(has('kobai.wasm', loading) && !has('kobai.labs.wasm', loading), `kobai.wasm alone carries "${loading}"`);

  // The lab, opened by a link, reads the moved words once its code is in: SGD with a large step diverges.
  const ctx = await chrome.context();
  const { page, errors } = await open(ctx, server.url + '#lesson=apple&mode=paths&op.expr=x%5E4%20%2B%20y%5E2&op.x=3&op.y=1&op.lr.sgd=1&op.steps=20');
  await page.waitForFunction(() => { const p = window.kobai.state().paths; return p && p.optimizers && p.optimizers.length > 0; }, null, { timeout: 20000 });
  await click(page, 'paths_play');
  await page.waitForFunction(() => { const p = window.kobai.state().paths; return !p.playing && p.step === 20; }, null, { timeout: 20000 });
  const sgd = (await state(page)).paths.optimizers.find((o) => o.name === 'sgd');
  assert.ok(sgd.message.startsWith(diverged), `the message begins with the engine's words: "${sgd.message}"`);
  assert.deepEqual(errors, []);
  await ctx.close();
});

// The images' ops (convolution, pooling, im2col) and their window-by-window view come with the later code too: the
// walkthrough's first frame (the apple lesson) does without them, and a graph that has such an op waits for them.
test('the convolutions\' code comes later: not in kobai.wasm, fetched for a conv lesson, whose link waits for it and then steps', async () => {
  // Their functions are in the labs' file (named there by kobai.labs.names.json) and their words with them.
  const names = Object.values(JSON.parse(readFileSync(join(site, 'kobai.labs.names.json'), 'utf8')));
  for (const f of ['kobai::conv_op', 'kobai::conv_op_backward', 'kobai::maxpool_op', 'kobai::avgpool_op', 'kobai::im2col_op'])
    assert.ok(names.includes(f), `${f} is in kobai.labs.wasm`);
  // The engine's words for the windows go with them. (The window view's three labels, about 60 bytes, stay in
  // kobai.wasm: split-labs.py keeps what lies after a table the first frame reads, and their table lies there.)
  const largest = literal('engine/windows.cpp', /"(; the others in the window get 0)"/);
  for (const text of [largest]) {
    assert.ok(!has('kobai.wasm', text), `the first frame's file does not carry "${text}"`);
    assert.ok(has('kobai.labs.wasm', text), `the labs' file carries "${text}"`);
  }

  // A link into the middle of Figure 7-3, the labs' file held back: the lesson shows at step 0, its steps wait.
  const { ctx, page, errors, release } = await openHeld(server.url + '#lesson=conv&step=1');
  let st = await state(page);
  assert.equal(st.lesson, 'conv');
  assert.equal(st.lab_code, false);
  assert.equal(st.step, 0);
  assert.equal(await page.evaluate(() => window.kobai.step()), false, 'no step before the conv\'s code is in');
  assert.ok((await page.evaluate(() => window.kobai.rect('lab_loading'))).w > 0, 'the walkthrough says its code is loading');
  assert.match(await page.evaluate(() => location.hash), /step=1/, 'the link keeps its step while the code comes');
  release();
  await page.waitForFunction(() => { const s = window.kobai.state(); return s.lab_code && s.step === 1; }, null, { timeout: 30000 });
  await settle(page);
  st = await state(page);
  assert.equal(st.window.count, 4);
  assert.equal(st.window.forward, '1×2 + 2×0 + 3×1 + 0×0 + 1×1 + 2×2 + 3×1 + 0×0 + 1×2 + 0 = 15');
  await click(page, 'window_next');  // a conv window stepped, by the moved view's own control
  st = await state(page);
  assert.equal(st.window.k, 1);
  assert.match(st.window.forward, / = 16$/);
  await press(page, 'End');
  await press(page, 'End');
  assert.equal((await state(page)).phase, 'backward');
  assert.deepEqual(errors, []);
  await ctx.close();
});

// Every built-in lesson with such an op, opened by a link: the page fetches that code, and nothing of it runs before
// (a placeholder run, building the graph or checking its labels, would be a console error), then runs its passes.
test('each lesson with a convolution, pooling or im2col opens by a link and runs both passes once their code is in', async () => {
  const dir = join(root, 'engine', 'lessons');
  const ids = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')))
    .filter((l) => /\b(conv|pool|avgpool|im2col)\(/.test([].concat(l.expr).join('\n'))).map((l) => l.id);
  assert.ok(ids.length >= 8, ids.join(', '));
  for (const id of ids) {
    const ctx = await chrome.context();
    const { page, errors } = await open(ctx, server.url + `#lesson=${id}`);
    let st = await state(page);
    assert.equal(st.lesson, id);
    assert.equal(st.lab_code, true, `${id}: the code came`);
    await press(page, 'End');
    await press(page, 'End');
    st = await state(page);
    assert.equal(st.phase, 'backward', id);
    assert.ok(st.step > 1, id);
    assert.deepEqual(errors, [], id);
    await ctx.close();
  }
});
