// A teacher's own material in the page: a lesson file dropped or opened becomes the lesson (title, goal,
// parameters, learning rate) and travels whole in the link, packed; a question file becomes the quiz's concept
// questions; a broken file or a damaged link gets a message that says what and where, and nothing is lost.
// Screenshots: build/screenshots/teacher-*.png.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { click, launch, open, root, settle, shot, shots, startServer, state, tap } from './harness.mjs';

let server, chrome;
before(async () => { server = await startServer(); chrome = await launch(); });
after(async () => { await chrome?.close(); server?.stop(); });

// Steepest descent on f = x² + 2y² from (3, 2) with η = 0.1, as a teacher would write it (two spaces, a
// trailing newline, Japanese): the link must give back these very bytes.
const lesson = `{
  "id": "descent",
  "title": {"en": "Steepest descent on x² + 2y²", "ja": "x² + 2y² の最急降下法"},
  "goal": {"en": "Each update moves (x, y) against the gradient (2x, 4y).", "ja": "更新のたびに (x, y) は勾配 (2x, 4y) の逆へ動く。"},
  "expr": "f = x^2 + 2 * y^2",
  "inputs": {"x": 3, "y": 2},
  "params": ["x", "y"],
  "lr": 0.1
}
`;

const drop = (page, name, content) => page.evaluate(([n, c]) => {
  const dt = new DataTransfer();
  dt.items.add(new File([c], n, { type: 'application/json' }));
  window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
}, [name, content]);

const scalar = (v) => (Array.isArray(v) ? v.flat(4)[0] : v);
const node = (st, name) => scalar(st.nodes.find((n) => n.name === name).value);

// Clicks Step (and Next iteration at the end of an update) until the walk has done `n` iterations.
async function walkIterations(page, n) {
  for (let i = 0; i < 200 && (await state(page)).iteration < n; i++) {
    const r = await page.evaluate(() => window.kobai.rect('next_iteration'));
    const st = await state(page);
    await click(page, st.step === st.steps && r.w ? 'next_iteration' : 'step');
  }
}

test('a dropped lesson file is the lesson: two iterations of steepest descent, then its link opens it bit for bit', async () => {
  const ctx = await chrome.context();
  const { page, errors } = await open(ctx, server.url);
  await drop(page, 'descent.json', lesson);
  await page.waitForFunction(() => window.kobai.state().lesson_file !== '', null, { timeout: 30000 });
  await settle(page);
  let st = await state(page);
  assert.equal(st.lesson_file, lesson);
  assert.equal(st.title, 'Steepest descent on x² + 2y²');
  assert.equal(st.goal, 'Each update moves (x, y) against the gradient (2x, 4y).');
  assert.equal(st.mode, 'walkthrough');
  assert.ok((await page.evaluate(() => window.kobai.rect('lesson_file'))).h > 0, 'the lessons panel lists it');

  // x ← x − 0.1·2x, y ← y − 0.1·4y: (3, 2) → (2.4, 1.2) → (1.92, 0.72).
  await walkIterations(page, 2);
  st = await state(page);
  assert.equal(st.iteration, 2);
  assert.ok(Math.abs(node(st, 'x') - 1.92) < 1e-12, `x = ${node(st, 'x')}`);
  assert.ok(Math.abs(node(st, 'y') - 0.72) < 1e-12, `y = ${node(st, 'y')}`);
  // The gradient check is of the gradients at these values: ∂f/∂x = 2x = 3.84, ∂f/∂y = 4y = 2.88.
  await page.waitForFunction(() => window.kobai.state().check.done, null, { timeout: 10000 });
  const checked = Object.fromEntries((await state(page)).check.results.map((r) => [r.input, r.first]));
  assert.ok(Math.abs(checked.x - 3.84) < 1e-9 && Math.abs(checked.y - 2.88) < 1e-9, JSON.stringify(checked));
  await shot(page, 'teacher-lesson-desktop');

  // The link carries the whole file, packed: a new tab opens the same lesson at the same place.
  await page.waitForFunction(() => location.hash.includes('lessonfile='), null, { timeout: 10000 });
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /^#lessonfile=[A-Za-z0-9_-]+&/);
  const packed = hash.match(/lessonfile=([^&]*)/)[1], bytes = Buffer.byteLength(lesson);
  assert.ok(packed.length < (4 / 3) * bytes * 0.8, `packed: ${packed.length} characters for a ${bytes}-byte file`);
  const other = await open(ctx, server.url + hash);
  await other.page.waitForFunction(() => window.kobai.state().lesson_file !== '', null, { timeout: 10000 });
  const there = await state(other.page);
  assert.equal(there.lesson_file, lesson, 'bit for bit');
  assert.equal(there.iteration, 2);
  assert.equal(node(there, 'x'), node(st, 'x'));
  assert.equal(there.notice, '');
  assert.deepEqual([...errors, ...other.errors], []);
  await ctx.close();
});

test('a lesson too big for chat apps: the page says how long its link is, and that link still opens it whole', async () => {
  // A 60x60 matrix of random numbers packs poorly: about 20,000 characters of link.
  let seed = 7;
  const rnd = () => { seed = (seed * 16807) % 2147483647; return Math.round((seed / 2147483647 - 0.5) * 1e6) / 1e6; };
  const W = Array.from({ length: 60 }, () => Array.from({ length: 60 }, rnd));
  const big = JSON.stringify({ id: 'big', title: 'Big', goal: 'A large W.', expr: 'L = sum(x @ W)', inputs: { x: [W[0]], W } }, null, 1);
  const ctx = await chrome.context();
  const { page, errors } = await open(ctx, server.url);
  await drop(page, 'big.json', big);
  await page.waitForFunction(() => /characters long/.test(window.kobai.state().notice), null, { timeout: 30000 });
  const hash = await page.evaluate(() => location.hash);
  const n = (hash.length).toLocaleString('en-US');
  assert.match((await state(page)).notice, new RegExp(`which is now ${n} characters long\\. Links longer than 2,000 characters may be cut`));
  assert.ok(hash.length > 15000, `${hash.length} characters`);
  const other = await open(ctx, server.url + hash);
  await other.page.waitForFunction(() => window.kobai.state().lesson_file !== '', null, { timeout: 10000 });
  assert.equal((await state(other.page)).lesson_file, big, `a link of ${hash.length} characters opens the lesson bit for bit`);
  assert.deepEqual([...errors, ...other.errors], []);
  await ctx.close();
});

test('a damaged lesson link and a broken lesson file: each says what is wrong and where, and what was shown stays', async () => {
  const ctx = await chrome.context();
  const { page } = await open(ctx, server.url + '#lessonfile=q1ZKzdFRUFAqzs9NVbJSUMrPS1WqBQAx&step=0');
  await page.waitForFunction(() => window.kobai.state().notice !== '', null, { timeout: 10000 });
  let st = await state(page);
  assert.match(st.notice, /^This link could not be opened: its lesson file: it is cut short or changed.*Showing the first lesson instead\.$/);
  assert.equal(st.lesson, 'apple', 'the first lesson instead');
  assert.equal(await page.evaluate(() => window.kobai.step()), true, 'the page still steps');

  // A file with a typo: named with its line and column; the lesson shown stays.
  await page.evaluate(() => window.kobai.load('relu'));
  await drop(page, 'typo.json', lesson.replace('"params"', '"param"'));
  await page.waitForFunction(() => window.kobai.state().notice.includes('typo.json'), null, { timeout: 30000 });
  st = await state(page);
  assert.match(st.notice, /typo\.json, line 7, column 3: the lesson has an unknown key "param"/);
  assert.equal(st.lesson, 'relu');
  assert.equal(st.lesson_file, '');
  await ctx.close();
});

// The course's concept questions come with the quiz's code; a teacher's file replaces them, and a wrong choice
// says why it is wrong.
const bank = JSON.stringify({
  kobai: 'questions',
  title: { en: 'Week 3', ja: '第 3 週' },
  questions: [{
    id: 'w3-1',
    prompt: { en: 'What does an epoch mean?', ja: 'エポックとは?' },
    choices: [
      { en: 'one pass over all the training data', ja: '訓練データ全体を 1 回使い切ること' },
      { en: 'one update of the weights', ja: '重みの 1 回の更新', why: { en: 'That is an iteration.', ja: 'それはイテレーション。' } },
      { en: 'one mini-batch', ja: 'ミニバッチ 1 つ', why: { en: 'An epoch is made of many mini-batches.', ja: '1 エポックは多くのミニバッチからなる。' } },
    ],
    answer: 0,
  }],
}, null, 2);

for (const [w, h, lang] of [[1280, 800, 'en'], [390, 844, 'ja']]) {
  test(`${w}x${h}, ${lang}: a question file dropped on the page is the quiz; a wrong choice says why`, async () => {
    const phone = w < 500;
    const ctx = await chrome.context(phone ? { viewport: { width: w, height: h }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }
                                           : { viewport: { width: w, height: h } });
    const { page, errors } = await open(ctx, server.url + `#lang=${lang}`);
    await drop(page, 'week3.json', bank);
    await page.waitForFunction(() => window.kobai.state().quiz.bank === 'week3.json', null, { timeout: 30000 });
    await settle(page);
    const st = await state(page);
    assert.equal(st.mode, 'quiz');
    assert.equal(st.quiz.id, 'w3-1');
    assert.equal(st.quiz.count, 1, 'a bank of one question: a set of one');
    assert.equal(st.quiz.prompt, lang === 'ja' ? 'エポックとは?' : 'What does an epoch mean?');
    // The choices are shuffled: pick each in turn until the mini-batch one, whose reason is then on screen.
    const reason = lang === 'ja' ? '1 エポックは多くのミニバッチからなる。' : 'An epoch is made of many mini-batches.';
    let wrong = -1;
    for (let i = 0; wrong < 0 && i < 3; i++) {
      await (phone ? tap : click)(page, 'choice_' + i);
      const s = await state(page);
      if (s.quiz.feedback === 2 && s.quiz.why === reason) wrong = i;
    }
    assert.ok(wrong >= 0, 'a wrong choice shows its reason');
    assert.ok((await page.evaluate(() => window.kobai.rect('quiz_why'))).h > 0, 'the reason is on screen');
    await shot(page, `teacher-quiz-${lang}-${w}`);
    // The quiz's link carries the file, packed: a student's tab asks the same questions.
    await page.waitForFunction(() => location.hash.includes('quiz.bank='), null, { timeout: 10000 });
    const other = await open(ctx, server.url + (await page.evaluate(() => location.hash)));
    await other.page.waitForFunction(() => window.kobai.state().quiz.bank === 'link', null, { timeout: 10000 });
    assert.equal((await state(other.page)).quiz.id, 'w3-1');
    assert.deepEqual(other.errors, []);
    await other.page.close();
    // Back to kobai's questions: the course's bank, each question with its reasons.
    if (!(await page.evaluate(() => window.kobai.rect('quiz_kobai_bank'))).h) await (phone ? tap : click)(page, 'quiz_options');
    await (phone ? tap : click)(page, 'quiz_kobai_bank');
    assert.equal((await state(page)).quiz.bank, '');
    assert.deepEqual(errors, []);
    await ctx.close();
  });
}

// The print view: the set on screen, as the command prints it. A link with the sheet's settings gives the
// command's very questions.
test('a quiz link with its settings, printed from the page: the same questions as kobai quiz, on A4, in Japanese', async () => {
  const args = ['quiz', '--seed', '12', '--count', '6', '--topics', 'local,concepts2,concepts3,outsize', '--difficulty', '3', '--lang', 'ja', '--format', 'json'];
  const expected = JSON.parse(execFileSync(join(root, 'build', 'native', 'kobai'), args, { encoding: 'utf8' }));
  const ctx = await chrome.context({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await open(ctx, server.url + '#quiz=12&quiz.count=6&quiz.topics=local,concepts2,concepts3,outsize&quiz.difficulty=3&lang=ja');
  assert.equal((await state(page)).quiz.prompt, expected[0].prompt);
  const [sheet] = await Promise.all([ctx.waitForEvent('page'), click(page, 'quiz_print')]);
  await sheet.waitForLoadState();
  const prompts = await sheet.evaluate(() => [...document.querySelectorAll('.sheet .prompt')].map((p) => p.textContent));
  assert.deepEqual(prompts, expected.map((q) => q.prompt));
  // Its own style applies (the page's Content-Security-Policy lists its hash): lettered choices, room to write.
  assert.equal(await sheet.evaluate(() => getComputedStyle(document.querySelector('.choices')).listStyleType), 'upper-alpha');
  assert.ok(await sheet.evaluate(() => document.querySelector('.write').getBoundingClientRect().height) >= 35);
  const key = await sheet.evaluate(() => document.querySelector('.key').textContent);
  for (const q of expected) if (q.source) assert.ok(key.includes('出典: ' + q.source), q.id);
  const pdf = await sheet.pdf({ format: 'A4' });
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert.ok(pages >= 2 && pages <= 4, `${pages} pages`);
  await sheet.setViewportSize({ width: 794, height: 1123 });
  await sheet.emulateMedia({ media: 'print' });
  await sheet.screenshot({ path: join(shots, 'teacher-print-ja.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await ctx.close();
});
