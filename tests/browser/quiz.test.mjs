// Quizzes in the page: the question bank by keyboard, progress kept across reloads, quiz mode in the
// walkthrough, the teacher's CSV, a damaged store.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { click, launch, open, press, root, shot, startServer, state, tap, type } from './harness.mjs';

let server, chrome;
before(async () => { server = await startServer(); chrome = await launch(); });
after(async () => { await chrome?.close(); server?.stop(); });

test('a seeded quiz answered right and wrong with the keyboard; the score survives a reload', async () => {
  const ctx = await chrome.context();
  const { page } = await open(ctx, server.url + '#quiz=7');
  let q = (await state(page)).quiz;
  assert.equal(q.open, true);
  assert.equal(q.seed, 7);
  // the same first question as `kobai quiz --seed 7` prints
  assert.equal(q.prompt, 'y = x * x + a * x with x = 0.9, a = -1.9. x is used more than once: what is ∂y/∂x?');
  assert.equal(q.prompt_glyphs_missing, '');
  await type(page, 'abc');
  await press(page, 'Enter');
  q = (await state(page)).quiz;
  assert.equal(q.feedback, 3, 'unreadable');
  assert.match(q.message, /'abc' is a name/);
  assert.equal(q.answered, 0, 'an unreadable answer is not counted');
  await press(page, 'Control+A');
  await type(page, '-1/10');
  await press(page, 'Enter');
  q = (await state(page)).quiz;
  assert.equal(q.feedback, 1, 'right');
  assert.equal(q.right, 1);
  await press(page, 'Enter');  // next question
  await type(page, '15x1');
  await press(page, 'Enter');
  q = (await state(page)).quiz;
  assert.equal(q.index, 1);
  assert.equal(q.feedback, 2, 'wrong');
  assert.equal(q.right, 1);
  assert.equal(q.answered, 2);
  assert.equal(q.streak, 0);
  await shot(page, 'quiz-answered');
  await page.reload();
  await page.waitForFunction(() => window.kobai && window.kobai.firstFrameTime && window.kobai.firstFrameTime());
  q = (await state(page)).quiz;
  assert.equal(q.right, 1, 'kept across the reload');
  assert.equal(q.answered, 2);
  await ctx.close();
});

test('the teacher exports the answers as CSV', async () => {
  const ctx = await chrome.context();
  const { page } = await open(ctx, server.url + '#quiz=7');
  await type(page, '-0.1');
  await press(page, 'Enter');
  await click(page, 'quiz_name');  // the student types their name: it goes in every row, and stays for next time
  await type(page, 'Sato, Hana');
  const [download] = await Promise.all([page.waitForEvent('download'), click(page, 'export')]);
  const csv = readFileSync(await download.path(), 'utf8');
  const lines = csv.trim().split('\r\n');
  assert.equal(lines[0], 'name,sheet,topic,question,answer given,correct answer,right,time');
  assert.match(lines[1], /^"Sato, Hana","seed 7, difficulty 2, 10 questions, topics local,step,graph,fanin,shapes,concepts","fanin","y = x \* x \+ a \* x with x = 0.9, a = -1.9\. .*","-0.1","-0.1",yes,20\d\d-/);
  assert.equal(await page.evaluate(() => localStorage.getItem('kobai.name')), 'Sato, Hana');
  await ctx.close();
});

test('a damaged progress store is kept aside with a message, not silently overwritten', async () => {
  const ctx = await chrome.context();
  await ctx.addInitScript(() => {
    if (!sessionStorage.getItem('seeded')) { localStorage.setItem('kobai.progress', '{"version": 1, "right": "lots"'); sessionStorage.setItem('seeded', '1'); }
  });
  const { page } = await open(ctx, server.url + '#quiz=3');
  const st = await state(page);
  assert.match(st.notice, /Your saved quiz progress was damaged and could not be read \(the saved progress is not valid JSON\)/);
  const kept = await page.evaluate(() => localStorage.getItem('kobai.progress.damaged'));
  assert.equal(kept, '{"version": 1, "right": "lots"');
  assert.equal(st.quiz.answered, 0);
  await ctx.close();
});

test('quiz mode in the walkthrough: type the gradients before the backward step shows them', async () => {
  const ctx = await chrome.context();
  const { page } = await open(ctx, server.url);
  await click(page, 'quiz_mode');
  for (let i = 0; i < 3; i++) await press(page, 'ArrowRight');  // two forward steps and the seed
  await press(page, 'ArrowRight');  // the first backward step asks instead of showing
  let st = await state(page);
  assert.equal(st.step, 3);
  assert.equal(st.step_quiz.asking, true);
  await click(page, 'step_answer_0');
  await type(page, '1.1');
  await click(page, 'step_answer_1');
  await type(page, '100');  // wrong: ∂price/∂tax is 200
  await press(page, 'Enter');
  st = await state(page);
  assert.equal(st.step, 3, 'a wrong answer does not advance');
  assert.equal(st.step_quiz.feedback, 2);
  await shot(page, 'step-quiz-wrong');
  await press(page, 'Control+A');
  await type(page, '1.1*200/1.1');
  await press(page, 'Enter');
  st = await state(page);
  assert.equal(st.step, 4, 'right: the step is shown');
  assert.match(st.explanation, /∂price\/∂tax = ∂price\/∂price × \(apple\*num\) = 1 × 200 = 200/);
  assert.equal(st.quiz.answered, 1);
  assert.equal(st.quiz.right, 0, 'the first answer was wrong, and it is the one that counts');
  await ctx.close();
});

test('a teacher\'s quiz link keeps the set\'s topics, difficulty and count: the page asks what the command prints', async () => {
  const ctx = await chrome.context();
  const { page, errors } = await open(ctx, server.url);
  // The teacher picks two topics and difficulty 3, makes the set of seed 12, and shares the page's own link.
  await click(page, 'mode_quiz');
  for (const t of ['local', 'shapes', 'concepts', 'graph']) await click(page, 'topic_' + t);  // off: step and fanin stay
  await page.keyboard.down('Control');  // Ctrl+click: the slider takes a typed value
  await click(page, 'quiz_difficulty');
  await page.keyboard.up('Control');
  await press(page, 'Control+A');
  await type(page, '3');
  await press(page, 'Enter');
  await click(page, 'quiz_seed');
  await press(page, 'Control+A');
  await type(page, '12');
  await click(page, 'new_quiz');
  let q = (await state(page)).quiz;
  assert.deepEqual(q.settings, { topics: ['step', 'fanin'], difficulty: 3, count: 10 });
  const link = await page.evaluate(() => location.hash);
  assert.match(link, /quiz=12&quiz\.topics=step,fanin&quiz\.difficulty=3/);
  const cli = JSON.parse(execFileSync(join(root, 'build', 'native', 'kobai'),
    ['quiz', '--seed', '12', '--topics', 'step,fanin', '--difficulty', '3', '--format', 'json'], { encoding: 'utf8' }));
  assert.equal(q.prompt, cli[0].prompt);
  // A student opens it: the same set, not the default one of seed 12.
  const student = await chrome.context();
  const { page: sp } = await open(student, server.url + link);
  q = (await state(sp)).quiz;
  assert.equal(q.open, true);
  assert.equal(q.seed, 12);
  assert.deepEqual(q.settings, { topics: ['step', 'fanin'], difficulty: 3, count: 10 });
  assert.equal(q.prompt, cli[0].prompt);
  // A bad value is refused alone: the rest of the set applies.
  const { page: bad } = await open(student, server.url + '#quiz=12&quiz.topics=step,fanin&quiz.difficulty=9');
  const st = await state(bad);
  assert.match(st.notice, /quiz\.difficulty must be a number from 1 to 3, not '9'/);
  assert.deepEqual(st.quiz.settings.topics, ['step', 'fanin']);
  assert.deepEqual(errors, []);
  await student.close();
  await ctx.close();
});

test('a link opens the walkthrough in quiz mode, asking the local derivatives', async () => {
  const ctx = await chrome.context();
  const { page } = await open(ctx, server.url + '#lesson=relu&step=0&wt.quiz=1&wt.local=1&wt.speed=4');
  let st = await state(page);
  assert.deepEqual(st.walkthrough, { speed: 4, quiz_mode: true, ask_local: true });
  assert.equal(st.step_quiz.on, true);
  assert.ok((await page.evaluate(() => window.kobai.rect('ask_local'))).w > 0, 'the quiz mode controls are shown');
  // Turned off by a click, and the page's link says so.
  await click(page, 'quiz_mode');
  st = await state(page);
  assert.equal(st.walkthrough.quiz_mode, false);
  assert.doesNotMatch(await page.evaluate(() => location.hash), /wt\.quiz/);
  assert.match(await page.evaluate(() => location.hash), /wt\.speed=4/);
  await ctx.close();
});

test('day 2\'s topics: the optimizer steps and saddle points ask what the command prints, in both languages', async () => {
  const ctx = await chrome.context();
  const { page, errors } = await open(ctx, server.url);
  await click(page, 'mode_quiz');
  // A student ticks the optimizer steps and the saddle points, leaves day 1's topics off, and makes set 5.
  for (const t of ['local', 'step', 'graph', 'fanin', 'shapes', 'concepts']) await click(page, 'topic_' + t);
  for (const t of ['update', 'saddle']) await click(page, 'topic_' + t);
  await click(page, 'quiz_seed');
  await press(page, 'Control+A');
  await type(page, '5');
  await click(page, 'new_quiz');
  let q = (await state(page)).quiz;
  assert.deepEqual(q.settings.topics, ['update', 'saddle']);
  const cli = JSON.parse(execFileSync(join(root, 'build', 'native', 'kobai'),
    ['quiz', '--seed', '5', '--topics', 'update,saddle', '--format', 'json'], { encoding: 'utf8' }));
  assert.equal(q.prompt, cli[0].prompt);
  // Answer every question with the command's answer key: each is marked right.
  for (let i = 0; i < cli.length; i++) {
    q = (await state(page)).quiz;
    assert.equal(q.prompt, cli[i].prompt, `question ${i + 1}`);
    if (cli[i].kind === 'choice') await click(page, 'choice_' + (cli[i].answer.charCodeAt(0) - 65));
    else {
      await click(page, 'quiz_answer');
      await type(page, cli[i].answer);
      await press(page, 'Enter');
    }
    q = (await state(page)).quiz;
    assert.equal(q.feedback, 1, `question ${i + 1} (${cli[i].prompt}) marked right with ${cli[i].answer}`);
    assert.equal(q.prompt_glyphs_missing, '');
    if (i === 0) await shot(page, 'quiz-day2');
    await click(page, 'quiz_next');
  }
  assert.equal((await state(page)).quiz.right, cli.length);
  // The link carries the topics; in Japanese the same set reads in Japanese, with no missing glyphs.
  const link = await page.evaluate(() => location.hash);
  assert.match(link, /quiz=5&quiz\.topics=update,saddle/);
  const { page: ja } = await open(ctx, server.url + link + '&lang=ja');
  const cliJa = JSON.parse(execFileSync(join(root, 'build', 'native', 'kobai'),
    ['quiz', '--seed', '5', '--topics', 'update,saddle', '--format', 'json', '--lang', 'ja'], { encoding: 'utf8' }));
  assert.equal((await state(ja)).quiz.prompt, cliJa[0].prompt);
  assert.equal((await state(ja)).quiz.prompt_glyphs_missing, '');
  await shot(ja, 'quiz-day2-ja');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('day 3\'s topics: BPTT, gates, the cell state and cell sizes ask what the command prints, with the working, in both languages', async () => {
  const ctx = await chrome.context();
  const { page, errors } = await open(ctx, server.url);
  await click(page, 'mode_quiz');
  // A student ticks day 3's four topics, leaves day 1's off, and makes set 43.
  for (const t of ['local', 'step', 'graph', 'fanin', 'shapes', 'concepts']) await click(page, 'topic_' + t);
  for (const t of ['bptt', 'gate', 'cell', 'rnnparams']) await click(page, 'topic_' + t);
  await click(page, 'quiz_seed');
  await press(page, 'Control+A');
  await type(page, '43');
  await click(page, 'new_quiz');
  let q = (await state(page)).quiz;
  assert.deepEqual(q.settings.topics, ['bptt', 'gate', 'cell', 'rnnparams']);
  const kobai = (lang) => JSON.parse(execFileSync(join(root, 'build', 'native', 'kobai'),
    ['quiz', '--seed', '43', '--topics', 'bptt,gate,cell,rnnparams', '--format', 'json', '--lang', lang], { encoding: 'utf8' }));
  const cli = kobai('en');
  assert.deepEqual(cli.slice(0, 4).map((c) => c.topic), ['bptt', 'cell', 'gate', 'rnnparams'], 'the first four: one of each topic');
  // The first four, typed as the answer key gives them: each marked right, and the working shown under it.
  for (let i = 0; i < 4; i++) {
    q = (await state(page)).quiz;
    assert.equal(q.prompt, cli[i].prompt, `question ${i + 1}`);
    assert.equal(q.working, '', 'the working waits for the answer');
    await click(page, 'quiz_answer');
    await type(page, cli[i].answer);
    await press(page, 'Enter');
    q = (await state(page)).quiz;
    assert.equal(q.feedback, 1, `question ${i + 1} (${cli[i].prompt}) marked right with ${cli[i].answer}`);
    assert.equal(q.working, cli[i].working);
    assert.equal(q.prompt_glyphs_missing, '');
    assert.equal(q.working_glyphs_missing, '');
    if (i === 0) await shot(page, 'quiz-day3');
    await click(page, 'quiz_next');
  }
  const link = await page.evaluate(() => location.hash);
  assert.match(link, /quiz=43&quiz\.topics=bptt,gate,cell,rnnparams/);
  // On a phone, in Japanese: the same set; revealing shows the answer and the working, every glyph drawn.
  const phone = await chrome.context({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, hasTouch: true, isMobile: true });
  const { page: ja, errors: jaErrors } = await open(phone, server.url + link + '&lang=ja');
  const cliJa = kobai('ja');
  q = (await state(ja)).quiz;
  assert.equal(q.prompt, cliJa[0].prompt);
  assert.equal(q.prompt_glyphs_missing, '');
  await tap(ja, 'quiz_reveal');
  q = (await state(ja)).quiz;
  assert.equal(q.feedback, 4, 'revealed');
  assert.equal(q.working, cliJa[0].working);
  assert.match(q.working, /^順伝播: .*\n逆伝播: .*\n∂L\/∂w = /);
  assert.equal(q.working_glyphs_missing, '');
  await shot(ja, 'quiz-day3-ja-phone');
  assert.deepEqual(errors, []);
  assert.deepEqual(jaErrors, []);
  await phone.close();
  await ctx.close();
});

test('the convolutions\' topics: ticked in the page, answered from the command\'s key with the working, on a phone in both languages', async () => {
  const ctx = await chrome.context();
  const { page, errors } = await open(ctx, server.url);
  await click(page, 'mode_quiz');
  // A student ticks the five convolution topics, leaves day 1's off, and makes set 3.
  const topics = ['outsize', 'convparams', 'convvalue', 'poolgrad', 'im2colshape'];
  for (const t of ['local', 'step', 'graph', 'fanin', 'shapes', 'concepts']) await click(page, 'topic_' + t);
  for (const t of topics) await click(page, 'topic_' + t);
  await click(page, 'quiz_seed');
  await press(page, 'Control+A');
  await type(page, '3');
  await click(page, 'new_quiz');
  let q = (await state(page)).quiz;
  assert.deepEqual(q.settings.topics, topics);
  const kobai = (lang) => JSON.parse(execFileSync(join(root, 'build', 'native', 'kobai'),
    ['quiz', '--seed', '3', '--topics', topics.join(','), '--format', 'json', '--lang', lang], { encoding: 'utf8' }));
  const cli = kobai('en');
  // Every question of the set, answered as the command's key gives it: marked right, its working shown.
  for (let i = 0; i < cli.length; i++) {
    q = (await state(page)).quiz;
    assert.equal(q.prompt, cli[i].prompt, `question ${i + 1}`);
    assert.equal(q.working, '', 'the working waits for the answer');
    if (cli[i].kind === 'choice') await click(page, 'choice_' + (cli[i].answer.charCodeAt(0) - 65));
    else {
      await click(page, 'quiz_answer');
      await type(page, cli[i].answer);
      await press(page, 'Enter');
    }
    q = (await state(page)).quiz;
    assert.equal(q.feedback, 1, `question ${i + 1} (${cli[i].prompt}) marked right with ${cli[i].answer}`);
    assert.equal(q.working, cli[i].working);
    assert.equal(q.prompt_glyphs_missing, '');
    assert.equal(q.working_glyphs_missing, '');
    if (cli[i].topic === 'convvalue') await shot(page, 'quiz-cnn');
    await click(page, 'quiz_next');
  }
  assert.ok(new Set(cli.map((c) => c.topic)).size >= 4, 'the set mixes the topics');
  assert.equal((await state(page)).quiz.right, cli.length);
  const link = await page.evaluate(() => location.hash);
  assert.match(link, /quiz=3&quiz\.topics=outsize,convparams,convvalue,poolgrad,im2colshape/);
  // On a phone, in English and in Japanese: the same set from the link; revealing shows the answer and the working.
  const phone = await chrome.context({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, hasTouch: true, isMobile: true });
  for (const lang of ['en', 'ja']) {
    const key = lang === 'en' ? cli : kobai('ja');
    const { page: p, errors: pErrors } = await open(phone, server.url + link + '&lang=' + lang);
    q = (await state(p)).quiz;
    assert.equal(q.prompt, key[0].prompt);
    await tap(p, 'quiz_reveal');
    q = (await state(p)).quiz;
    assert.equal(q.feedback, 4, 'revealed');
    assert.equal(q.working, key[0].working);
    assert.equal(q.prompt_glyphs_missing, '');
    assert.equal(q.working_glyphs_missing, '');
    await shot(p, 'quiz-cnn-' + lang + '-phone');
    assert.deepEqual(pErrors, []);
  }
  assert.deepEqual(errors, []);
  await phone.close();
  await ctx.close();
});
