// Hostile input through every door a person or an embedding page has: a link, kobai.load, a file dropped on the
// page, saved state in localStorage. Nothing crashes or freezes, every message is kobai's own, true and short,
// nothing is lost (a damaged store is kept aside), and the page keeps working afterwards (a step still steps).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { click, launch, open, press, root, settle, shot, startServer, state, type } from './harness.mjs';

let server, chrome;
before(async () => { server = await startServer(); chrome = await launch(); });
after(async () => { await chrome?.close(); server?.stop(); });

const MAX_MESSAGE = 400;  // quote() keeps about 80 characters of the user's text; the rest is kobai's words

// A page whose localStorage holds `saved` before it starts (set once: a reload sees what the page left).
async function withSaved(saved, hash = '') {
  const ctx = await chrome.context();
  await ctx.addInitScript((s) => {
    if (sessionStorage.getItem('seeded')) return;
    for (const [k, v] of Object.entries(s)) localStorage.setItem(k, typeof v === 'string' ? v : JSON.stringify(v));
    sessionStorage.setItem('seeded', '1');
  }, saved);
  const { page, errors } = await open(ctx, server.url + hash);
  return { ctx, page, errors };
}

// The page still works: on the walkthrough, a step steps.
async function stillSteps(page) {
  const before = (await state(page)).step;
  assert.equal(await page.evaluate(() => window.kobai.step()), true, 'a step still steps');
  assert.equal((await state(page)).step, before + 1);
}

// The notice sits above the panels: it covers none of the controls under it.
async function noticeCoversNothing(page) {
  const notice = await page.evaluate(() => window.kobai.rect('notice'));
  assert.ok(notice.h > 0, 'the notice is shown');
  for (const name of ['step', 'canvas', 'expr', 'part_0', 'explanation']) {
    const r = await page.evaluate((n) => window.kobai.rect(n), name);
    assert.ok(r.h > 0, name + ' is on screen');
    const overlaps = r.x < notice.x + notice.w && notice.x < r.x + r.w && r.y < notice.y + notice.h && notice.y < r.y + r.h;
    assert.ok(!overlaps, `the notice does not cover ${name}`);
  }
  assert.ok(notice.h < 120, `the notice is at most a few lines high (${notice.h} px)`);
}

test('a megabyte of junk saved as the language: read only as far as needed, quoted briefly, nothing covered, frames stay short', async () => {
  const junk = 'x'.repeat(1 << 20);
  const t0 = Date.now();
  const { ctx, page, errors } = await withSaved({ 'kobai.lang': junk });
  const loadMs = Date.now() - t0;
  const st = await state(page);
  assert.match(st.notice, /^A saved language preference was corrupt and is ignored: 'x{70,90}…'$/);
  assert.ok(loadMs < 8000, `the page opened in ${loadMs} ms`);
  assert.equal(st.lang, 'en');
  await noticeCoversNothing(page);
  for (let i = 0; i < 5; i++) await press(page, 'ArrowRight');
  const times = await page.evaluate(() => window.kobai.frameTimes());
  const worst = Math.max(...times.slice(-10));
  assert.ok(worst < 300, `frames take ${worst.toFixed(0)} ms at most`);
  assert.equal((await state(page)).step, 5, 'the keys still step');
  await shot(page, 'hostile-lang-notice');
  await click(page, 'dismiss');
  assert.equal((await state(page)).notice, '');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('damaged saved progress: kobai\'s own words in the page\'s language, impossible counts refused, the copy kept aside', async () => {
  const cases = [
    ['{}', /\(the saved progress has no "version"\)/],
    ['{"version": 1, "right": 1e9, "answered": -3, "streak": 0, "best_streak": 0, "topics": {}, "log": [], "mistakes": []}',
      /"answered" must be a whole number from 0 to 1000000000, not -3/],
    ['{"version": 1, "right": 0, "answered": 0, "streak": 0, "best_streak": 0, "topics": {"fanin": [1e9, -3]}, "log": [], "mistakes": []}',
      /"topics\.fanin\[1\]" must be a whole number from 0 to 1000000000, not -3/],
    ['{"version": 1, "right": 2, "answered": 2, "streak": 0, "best_streak": 0, "topics": {"fanin": [2, 2], "local": [1, 1]}, "log": [], "mistakes": []}',
      /"topics \(right\)" \(3\) is more than its "right" \(2\)/],
    ['{"version": 1, "right": "lots"', /\(the saved progress is not valid JSON\)/],
    ['"' + 'q'.repeat(300000) + '"', /\(the saved progress is not a JSON object/],
  ];
  for (const [saved, why] of cases) {
    const { ctx, page, errors } = await withSaved({ 'kobai.progress': saved }, '#lesson=apple');
    const st = await state(page);
    assert.match(st.notice, /^Your saved quiz progress was damaged and could not be read \(/);
    assert.match(st.notice, why);
    assert.doesNotMatch(st.notice, /json\.exception|\[json/);
    assert.ok(st.notice.length < MAX_MESSAGE, `the notice is ${st.notice.length} characters`);
    assert.equal(await page.evaluate(() => localStorage.getItem('kobai.progress.damaged')), saved, 'kept aside, whole');
    assert.equal(st.quiz.answered, 0, 'a new record starts');
    await noticeCoversNothing(page);
    await stillSteps(page);
    assert.deepEqual(errors, []);
    if (saved === '{}') await shot(page, 'hostile-progress-notice');
    await ctx.close();
  }
  // In Japanese, the whole notice is Japanese.
  const { ctx, page } = await withSaved({ 'kobai.lang': 'ja', 'kobai.progress': '{}' });
  const st = await state(page);
  assert.equal(st.notice, '保存されたクイズの記録が壊れていて読めなかった（保存された記録に「version」がない）。kobai.progress.damaged に退避し、新しい記録を始める。');
  await shot(page, 'hostile-progress-notice-ja');
  await ctx.close();
});

test('a link\'s inputs are checked as the command checks --at: a stray one and a missing one are named, the rest of the link kept', async () => {
  const ctx = await chrome.context();
  let { page, errors } = await open(ctx, server.url + '#expr=y%20%3D%20x*2&in.x=3&in.z=3&step=1');
  let st = await state(page);
  assert.equal(st.notice, "This link gives a value for 'z', but the expression has no input of that name (its inputs: x); the value was left out.");
  assert.equal(st.expression, 'y = x*2');
  assert.equal(st.nodes.find((n) => n.name === 'x').value, 3, 'the link\'s x is kept');
  assert.equal(st.step, 1, 'and its step');
  await noticeCoversNothing(page);
  await stillSteps(page);
  await page.close();

  ({ page, errors } = await open(ctx, server.url + '#expr=y%20%3D%20x*w&in.w=2'));
  st = await state(page);
  assert.equal(st.notice, "This link gives no value for the input 'x': it starts at 1.");
  assert.equal(st.nodes.find((n) => n.name === 'w').value, 2);
  assert.equal(st.nodes.find((n) => n.name === 'x').value, 1);
  await page.close();

  ({ page, errors } = await open(ctx, server.url + '#lesson=apple&in.apple=150&in.pear=3'));
  st = await state(page);
  assert.equal(st.lesson, 'apple');
  assert.match(st.notice, /a value for 'pear', but the expression has no input of that name \(its inputs: apple, num, tax\)/);
  assert.equal(st.nodes.find((n) => n.name === 'apple').value, 150);
  await page.close();

  // Long hostile links: the message quotes about 80 characters of them.
  for (const hash of ['#lesson=' + 'q'.repeat(50000), '#lesson=apple&step=' + '9'.repeat(50000), '#lesson=apple&' + 'k'.repeat(50000) + '=1',
    '#quiz=' + '7'.repeat(50000), '#expr=y%20%3D%20x&in.' + 'n'.repeat(50000) + '=1&in.x=1', '#lesson=apple&in.apple=' + 'v'.repeat(50000)]) {
    ({ page, errors } = await open(ctx, server.url + hash));
    st = await state(page);
    assert.ok(st.notice.length > 0 && st.notice.length < MAX_MESSAGE, `a ${hash.length}-character link gets a ${st.notice.length}-character notice`);
    assert.match(st.notice, /…/);
    await stillSteps(page);
    assert.deepEqual(errors, []);
    await page.close();
  }
  await ctx.close();
});

test('kobai.load refuses what the command refuses, names the input and the value, and the shown graph stays', async () => {
  const ctx = await chrome.context();
  const { page, errors } = await open(ctx, server.url);
  const load = (...args) => page.evaluate((a) => {
    const [text, inputs] = a.map((v) => (v && v.js ? (0, eval)(v.js) : v));
    return window.kobai.load(text, inputs);
  }, args);
  const js = (source) => ({ js: source });  // what JSON cannot carry into page.evaluate: undefined, NaN, Infinity
  const refusals = [
    [['y = x*2', { x: 1, z: 5 }], "a value was given for 'z', but the expression has no input of that name (its inputs: x)"],
    [['y = x*w', { w: 2 }], "input 'x' has no value: give it one, e.g. kobai.load(text, {x: 1})"],
    [[null], 'kobai.load takes a lesson id or an expression as a string, not null'],
    [[js('undefined')], 'kobai.load takes a lesson id or an expression as a string, not undefined'],
    [[42], 'kobai.load takes a lesson id or an expression as a string, not number'],
    [['nosuch'], /^unknown lesson 'nosuch'; the lessons are: apple, /],
    [['q'.repeat(100000)], /^unknown lesson 'q{70,90}…'; the lessons are/],
    [['y = x\u0000 + 1', { x: 1 }], "the text has a NUL character (\\0) at character 6: 'y = x? + 1'"],
    [['y = x*2', js('({x: NaN})')], "input 'x' holds NaN: kobai takes finite numbers only"],
    [['y = x*2', js('({x: [[1, -Infinity]]})')], "input 'x' holds -Infinity: kobai takes finite numbers only"],
    [['y = x*2', { x: null }], /^input 'x': 'null'/],
    [['y = x*2', { x: 'q'.repeat(100000) }], /^input 'x': 'q{70,90}…' is not a value/],
    [['y = x*2', js('({x: [Array(300).fill(1)]})')], /^input 'x': '\[\[1,1,1.*…': too large \(1x300; at most 256x256\)$/],
    [['apple', { pear: 1 }], /a value was given for 'pear'/],
    [['y = x*2', [1, 2]], 'kobai.load\'s inputs must be an object {name: value}, not [1,2]'],
  ];
  for (const [args, message] of refusals) {
    const r = await load(...args);
    assert.equal(r.ok, false, JSON.stringify(args).slice(0, 60));
    if (typeof message === 'string') assert.equal(r.error, message);
    else assert.match(r.error, message);
    assert.ok(r.error.length < MAX_MESSAGE);
    const st = await state(page);
    assert.equal(st.error, r.error, 'the page shows the same message');
    assert.equal(st.lesson, 'apple', 'the shown graph stays');
  }
  await settle(page);
  await shot(page, 'hostile-load-error');
  // A lesson's inputs are overridden, as `kobai trace --lesson apple --at apple=5` does.
  assert.deepEqual(await load('apple', { apple: 5 }), { ok: true });
  let st = await state(page);
  assert.equal(st.nodes.find((n) => n.name === 'apple').value, 5);
  assert.equal(st.error, '');
  // Values may be written as text, as in the editor.
  assert.deepEqual(await load('y = w*x', { w: '[[1, 2]]', x: 3 }), { ok: true });
  st = await state(page);
  assert.deepEqual(st.nodes.find((n) => n.name === 'w').value, [[1, 2]]);
  await stillSteps(page);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('quiz seeds: one range everywhere, 0 to 2^53 - 1, in a link and in the quiz panel', async () => {
  const cli = (seed) => JSON.parse(execFileSync(join(root, 'build', 'native', 'kobai'), ['quiz', '--seed', String(seed), '--format', 'json'], { encoding: 'utf8' }));
  const ctx = await chrome.context();
  let { page } = await open(ctx, server.url + '#quiz=0');
  let st = await state(page);
  assert.equal(st.notice, '');
  assert.equal(st.quiz.open, true);
  assert.equal(st.quiz.seed, 0);
  assert.equal(st.quiz.prompt, cli(0)[0].prompt, 'the first question of kobai quiz --seed 0');
  assert.match(page.url(), /quiz=0/, 'the link says quiz seed 0');
  await page.close();

  ({ page } = await open(ctx, server.url + '#quiz=9007199254740991'));
  assert.equal((await state(page)).quiz.seed, 9007199254740991);
  await page.close();

  ({ page } = await open(ctx, server.url + '#quiz=9007199254740992'));
  st = await state(page);
  assert.match(st.notice, /the link's quiz seed must be a whole number from 0 to 9007199254740991, not '9007199254740992'/);
  await page.close();

  ({ page } = await open(ctx, server.url + '#quiz=5'));
  await click(page, 'quiz_seed');
  await press(page, 'Control+A');
  await type(page, '9007199254740992');
  await click(page, 'new_quiz');
  st = await state(page);
  assert.equal(st.quiz.seed_error, "the seed must be a whole number from 0 to 9007199254740991, not '9007199254740992'");
  assert.equal(st.quiz.seed, 5, 'the quiz shown stays');
  await click(page, 'quiz_seed');
  await press(page, 'Control+A');
  await type(page, '0');
  await click(page, 'new_quiz');
  st = await state(page);
  assert.equal(st.quiz.seed_error, '');
  assert.equal(st.quiz.seed, 0, 'seed 0 is a seed like any other');
  await ctx.close();
});

// Drops a file on the page as a person does from their file manager.
const drop = (page, name, content, type = '') => page.evaluate(([n, c, t]) => {
  const dt = new DataTransfer();
  dt.items.add(new File([typeof c === 'number' ? new Uint8Array(c) : c], n, { type: t }));
  window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
}, [name, content, type]);
// Drops it and waits for the playground's next message.
async function dropped(page, name, content, type) {
  const before = (await state(page)).playground.message;
  await drop(page, name, content, type);
  await page.waitForFunction((m) => { const now = window.kobai.state().playground.message; return now !== '' && now !== m; }, before, { timeout: 20000 });
  return (await state(page)).playground.message;
}

test('files dropped on the page: what kind they are is decided by content, sizes said exactly, changed settings said and undone', async () => {
  const ctx = await chrome.context();
  const { page, errors } = await open(ctx, server.url + '#mode=playground');
  const lesson = JSON.stringify({ id: 'mine', title: 'Mine', goal: 'A goal', expr: 'y = x*2', inputs: { x: 1 } }, null, 2);
  // A lesson file opens as the lesson, whatever its name says (teacher.test.mjs walks one); the data stays.
  const opened = async (name, text, title) => {
    await drop(page, name, text, 'application/json');
    await page.waitForFunction((t) => window.kobai.state().title === t, title, { timeout: 20000 });
    const st = await state(page);
    assert.equal(st.mode, 'walkthrough');
    assert.equal(st.lesson_file, text.replace(/^\ufeff/, ''));
    await click(page, 'mode_playground');
  };
  await opened('mine.json', lesson, 'Mine');
  assert.equal((await state(page)).playground.data, 'spiral', 'the current data stays');
  await opened('lesson.csv', '\ufeff  ' + lesson.replace('"Mine"', '"Mine again"'), 'Mine again');
  assert.match(await dropped(page, 'data.csv', '[1, 2, 3]'), /^data\.csv is JSON, not a CSV/);
  assert.match(await dropped(page, 'picture.csv', '\x89PNG\r\n\x1a\n\0\0\0\rIHDR'), /^picture\.csv is not a text file/);
  assert.equal(await dropped(page, 'big.csv', 21009060), 'could not read big.csv: it is 21,009,060 bytes; the playground reads files of up to 20,971,520 bytes (20 MiB)');

  // A CSV changes the network to suit it: said, and one button puts the student's settings back.
  let pg = (await state(page)).playground;
  assert.deepEqual(pg.units, [8, 8, 8]);
  assert.equal(pg.optimizer, 'sgd');
  await drop(page, 'tiny.csv', 'a,b,label\n0,0,0\n1,1,1\n0,1,1\n1,0,0\n');
  await page.waitForFunction(() => window.kobai.state().playground.data === 'csv', null, { timeout: 20000 });
  await settle(page);
  pg = (await state(page)).playground;
  assert.equal(pg.suggestion, 'For a CSV the settings were changed: hidden units 8-8-8 → 8, loss squared → softmax, optimizer sgd → adam, learning rate 0.03 → 0.01.');
  assert.deepEqual(pg.units, [8]);
  await shot(page, 'hostile-csv-settings');
  await click(page, 'pg_keep_settings');
  pg = (await state(page)).playground;
  assert.equal(pg.data, 'csv', 'the data stays');
  assert.deepEqual(pg.units, [8, 8, 8], 'the student\'s network is back');
  assert.equal(pg.optimizer, 'sgd');
  assert.equal(pg.suggestion, '');
  assert.match(page.url(), /pg\.hidden=8,8,8/, 'the link follows');
  await click(page, 'pg_step');
  assert.equal((await state(page)).playground.epoch, 1, 'it trains');
  await click(page, 'mode_walkthrough');
  await stillSteps(page);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a link with a long chain: 1,000 terms open (they froze the page), 20,000 are refused with the limit, and a lone name is no lesson', async () => {
  const chain = (n) => 'y = ' + Array(n).fill('x').join('+');
  const ctx = await chrome.context();
  let { page, errors } = await open(ctx, server.url + '#expr=' + encodeURIComponent(chain(1000)) + '&in.x=1&step=0');
  let st = await state(page);
  assert.equal(st.nodes.length, 1000, 'x and 999 adds');  // the layout opened it
  assert.equal(st.notice, '');
  await stillSteps(page);
  await page.close();
  ({ page, errors } = await open(ctx, server.url + '#expr=' + encodeURIComponent(chain(20000)) + '&in.x=1'));
  st = await state(page);
  assert.match(st.notice, /this statement has more than 2000 operators: split it into statements \(a graph may have up to 5000 nodes\)/);
  assert.ok(st.notice.length < 400, 'the notice quotes the link, it does not echo it');
  assert.equal(st.lesson, 'apple', 'the first lesson is shown instead');
  const r = await page.evaluate(() => window.kobai.load('x', { x: 2 }));
  assert.equal(r.ok, false);
  assert.match(r.error, /^unknown lesson 'x'; .*a lone name is no expression to step through: write one with an operator, e\.g\. y = x \* 2/);
  await stillSteps(page);
  assert.deepEqual(errors, []);
  await ctx.close();
});
