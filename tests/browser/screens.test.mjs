// The page on phones, tablets, laptops and projectors: at each size, in English and Japanese, in every lab, every
// named control is on screen, no two overlap, and on touch screens each is big enough for a finger; the apple
// lesson walked by taps on a phone and by keys on a laptop; pinch and drag on the graph; a tap on a node shows its
// matrix; the projector setting (present=1) makes the controls larger.
// Run: node --test tests/browser/screens.test.mjs. Screenshots: build/screenshots/screen-<w>x<h>-<lang>-<lab>.png.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { distinctColours, fingerTap, launch, open, press, rects, settle, shot, startServer, state, tap } from './harness.mjs';

let server, chrome;
before(async () => { server = await startServer(); chrome = await launch(); });
after(async () => { await chrome?.close(); server?.stop(); });

const PHONE = { w: 360, h: 740, touch: true, scale: 3 };
const SIZES = [
  PHONE,
  { w: 412, h: 915, touch: true, scale: 3 },
  { w: 768, h: 1024, touch: true, scale: 2 },  // a tablet upright
  { w: 1366, h: 768, touch: false, scale: 1 },
  { w: 1920, h: 1080, touch: false, scale: 1 },
  { w: 2560, h: 1440, touch: false, scale: 1 },
];
const options = (s) => ({ viewport: { width: s.w, height: s.h }, deviceScaleFactor: s.scale, hasTouch: s.touch, isMobile: s.touch });
const label = (s) => `${s.w}x${s.h}`;

// --- the rules, on the rectangles kobai.rects() reports ---------------------------------------------------------

const EPS = 0.5;      // CSS px: rounding of fractional device pixels
const FINGER = 40;    // CSS px: the smallest touch target, both ways

// Rects that hold other named things: another rect may lie wholly inside one of these (the graph's nodes in the
// canvas, the points in the playground's view, a header's contents). Any other overlap is two controls drawn on top
// of each other, which a student cannot tell apart or hit.
const CONTAINERS = new Set(['canvas', 'pg_view', 'explanation', 'gradcheck', 'notice', 'pg_units', 'pg_confusion', 'pg_wrong',
  'pg_filter_images', 'pg_maps0', 'pg_maps1']);

// Named things a student reads but does not press: text, messages, charts read by hovering, the node's matrix.
// Every other name (buttons, tabs, radio buttons, checkboxes, sliders, combos, text fields, lesson rows, the canvas
// and the playground's view, which take drags and taps) is a touch target. A new control is a target unless it is
// listed here, so a control added later is checked by default. Graph nodes (node_<name>) are not counted: the
// canvas zooms.
const READ_ONLY = new Set(['status', 'error', 'notice', 'explanation', 'gradcheck_progress', 'score', 'quiz_prompt',
  'quiz_feedback', 'quiz_seed_error', 'pg_data_status', 'pg_message', 'pg_suggestion', 'pg_epoch', 'pg_update',
  'pg_units', 'pg_confusion', 'pg_wrong', 'pg_unit_large', 'pg_wrong_large', 'node_tip', 'step_summary',
  'paths_status', 'paths_error', 'paths_shown', 'rnn_status', 'rnn_message', 'rnn_preset_text', 'rnn_sum',
  'shapes_error', 'shapes_refused', 'shapes_table', 'window_input', 'window_output', 'pg_refused', 'pg_cnn_layers',
  'pg_refused_view',
  'pg_filter_images', 'pg_filter_large', 'pg_example_text', 'pg_maps0', 'pg_maps1', 'pg_map_large', 'pg_filter_update']);
const clickable = (name) => !READ_ONLY.has(name) && !/_plot$/.test(name) && !/^node_/.test(name);

const fmt = (r) => `(${+r.x.toFixed(1)}, ${+r.y.toFixed(1)}) ${+r.w.toFixed(1)}x${+r.h.toFixed(1)}`;
const inside = (r, s) => r.x >= -EPS && r.y >= -EPS && r.x + r.w <= s.w + EPS && r.y + r.h <= s.h + EPS;
const contains = (outer, r) => r.x >= outer.x - EPS && r.y >= outer.y - EPS && r.x + r.w <= outer.x + outer.w + EPS && r.y + r.h <= outer.y + outer.h + EPS;
const overlap = (a, b) => Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x) > EPS && Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y) > EPS;
// The part of a rect on screen.
const visible = (r, s) => {
  const x = Math.max(r.x, 0), y = Math.max(r.y, 0);
  return { x, y, w: Math.max(0, Math.min(r.x + r.w, s.w) - x), h: Math.max(0, Math.min(r.y + r.h, s.h) - y) };
};

function offScreen(all, s) {
  return Object.entries(all).filter(([, r]) => !inside(r, s)).map(([n, r]) => `${n} ${fmt(r)}`);
}
function overlaps(all) {
  const out = [], names = Object.keys(all).sort();
  for (let i = 0; i < names.length; i++)
    for (let j = i + 1; j < names.length; j++) {
      const [m, n] = [names[i], names[j]], [a, b] = [all[m], all[n]];
      if (!overlap(a, b)) continue;
      if ((CONTAINERS.has(m) && contains(a, b)) || (CONTAINERS.has(n) && contains(b, a))) continue;
      out.push(`${m} ${fmt(a)} × ${n} ${fmt(b)}`);
    }
  return out;
}
// A control partly scrolled out of its panel (rect.cut) shows less than its size: scrolled in, it is whole.
function small(all) {
  return Object.entries(all).filter(([n, r]) => clickable(n) && !r.cut && (r.w < FINGER - 0.01 || r.h < FINGER - 0.01)).map(([n, r]) => `${n} ${fmt(r)}`);
}

// Presses a named control as a person at that screen would: a tap on a touch screen, a click with a mouse.
async function press_control(page, s, name) {
  if (s.touch) return tap(page, name);
  const r = await page.evaluate((n) => window.kobai.rect(n), name);
  if (r.w === undefined) throw new Error('the control ' + name + ' is not on screen');
  await page.mouse.click(r.x + r.w / 2, r.y + r.h / 2);
  await settle(page);
}

// Whether the lab is the one showing. state().lab (assumed: the open lab's name, as in its mode_<lab> control) once
// the page has it; until then, the playground's flag.
const labShowing = (st, lab) => (st.lab !== undefined ? st.lab === lab : st.playground.mode === (lab === 'playground'));

// Opens a lab by its mode_<lab> control, pressed as a person would. A control off screen cannot be pressed, and a
// press may not take: either is a failure of its own (returned), and the lab is then opened through the link, so
// its layout is still checked.
async function openLab(page, s, lab) {
  const r = (await rects(page))['mode_' + lab];
  let problem = '';
  if (!r) problem = `mode_${lab} is not drawn`;
  else if (!inside(r, s)) problem = `mode_${lab} is not on screen: ${fmt(r)}`;
  else {
    await press_control(page, s, 'mode_' + lab);
    if (!labShowing(await state(page), lab)) problem = `a ${s.touch ? 'tap' : 'click'} on mode_${lab} ${fmt(r)} did not open it`;
  }
  if (problem) {
    const lang = (await state(page)).lang;
    await page.evaluate(([l, g]) => { window.location.hash = `lesson=apple&mode=${l}&lang=${g}`; }, [lab, lang]);
    await settle(page);
  }
  await page.waitForFunction(() => !window.kobai.state().playground.loading, null, { timeout: 10000 });
  await settle(page);  // a layout sized from the frame before has settled too
  return problem;
}

// --- every size, both languages, every lab -------------------------------------------------------------------------

for (const s of SIZES) {
  test(`${label(s)} (${s.touch ? 'touch' : 'mouse'}): every control on screen, none overlapping${s.touch ? ', each at least 40 px' : ''}, in every lab and both languages`, async (t) => {
    const ctx = await chrome.context(options(s));
    const { page, errors } = await open(ctx, server.url + '#lesson=apple');
    for (const lang of ['en', 'ja']) {
      await page.evaluate((l) => window.kobai.setLang(l), lang);
      await settle(page);
      assert.equal((await state(page)).lang, lang);
      const offered = await rects(page);  // the labs, in the order drawn: left to right, top to bottom
      const labs = Object.keys(offered).filter((n) => n.startsWith('mode_'))
        .sort((m, n) => offered[m].y - offered[n].y || offered[m].x - offered[n].x).map((n) => n.slice(5));
      assert.ok(labs.includes('walkthrough') && labs.includes('playground'), `the labs offered: ${labs.join(', ')}`);
      for (const lab of labs) {
        const problem = await openLab(page, s, lab);
        const st = await state(page), all = await rects(page);
        await shot(page, `screen-${label(s)}-${lang}-${lab}`);
        const where = `${label(s)} ${lang} ${lab}`;
        await t.test(`${lang} ${lab}: its mode control is on screen and opens it`, () => {
          assert.equal(problem, '', `${where}: ${problem}`);
          assert.ok(labShowing(st, lab), `${where}: the lab is not showing, even through the link`);
          assert.equal(st.lang, lang, `${where}: the language stayed`);
        });
        await t.test(`${lang} ${lab}: every control inside the viewport`, () => {
          assert.deepEqual(offScreen(all, s), [], `${where}: controls outside the ${label(s)} viewport`);
        });
        await t.test(`${lang} ${lab}: no two controls overlap`, () => {
          assert.deepEqual(overlaps(all), [], `${where}: controls drawn over each other`);
        });
        if (s.touch)
          await t.test(`${lang} ${lab}: every touch target at least ${FINGER}x${FINGER} CSS px`, () => {
            assert.deepEqual(small(all), [], `${where}: touch targets smaller than ${FINGER}x${FINGER}`);
          });
      }
    }
    assert.deepEqual(errors, []);
    await ctx.close();
  });
}

// --- walking the apple lesson ------------------------------------------------------------------------------------

const near = (a, b, eps = 1e-9) => Math.abs(a - b) <= eps * Math.max(1, Math.abs(b));
const node = (st, name) => st.nodes.find((n) => n.name === name);
function assertAppleAtEnd(st) {
  assert.equal(st.step, st.steps, 'at the end of the walk');
  assert.ok(near(node(st, 'price').value, 220), 'price = 220');
  assert.ok(near(node(st, 'apple').grad, 2.2), '∂price/∂apple = 2.2');
  assert.ok(near(node(st, 'tax').grad, 200), '∂price/∂tax = 200');
}

// The graph must stay in view on the phone while the student steps: not a sliver, not hidden behind a tab.
function assertGraphShown(all, s, when) {
  const c = all.canvas;
  assert.ok(c, `${when}: no graph (rect canvas) is drawn at ${label(s)}`);
  const v = visible(c, s);
  assert.ok(v.w >= 0.75 * s.w && v.h >= 0.3 * s.h,
    `${when}: the graph shows ${fmt(v)} of ${label(s)}; wanted at least ${0.75 * s.w}x${0.3 * s.h}`);
}

test('phone 360x740: the apple lesson stepped to its end by taps on Step, with the graph in view at every step', async () => {
  const ctx = await chrome.context(options(PHONE));
  const { page, errors } = await open(ctx, server.url + '#lesson=apple');
  const { steps } = await state(page);
  assert.ok(steps > 0);
  for (let i = 1; i <= steps; i++) {
    const all = await rects(page);
    assert.ok(all.step && inside(all.step, PHONE), `the Step button is not on the phone's screen: ${all.step ? fmt(all.step) : 'not drawn'}`);
    await page.touchscreen.tap(all.step.x + all.step.w / 2, all.step.y + all.step.h / 2);
    await settle(page);
    assert.equal((await state(page)).step, i, `tap ${i} on Step moves one step`);
    assertGraphShown(await rects(page), PHONE, `after tap ${i}`);
  }
  assertAppleAtEnd(await state(page));
  const c = (await rects(page)).canvas;
  const v = visible(c, PHONE);
  const colours = await distinctColours(page, { x: v.x, y: v.y, width: v.w, height: v.h });
  assert.ok(colours > 20, `the graph is drawn, not blank (${colours} colours)`);
  await shot(page, 'screen-phone-apple-end');
  assert.deepEqual(errors, []);
  await ctx.close();
});

// Each tap presses the control under the finger and only that one, whichever control the finger pressed before.
// Once with taps as playwright makes them (down and up at once), once with the finger held a tenth of a second.
for (const [how, press] of [['taps', tap], ['finger taps held 0.1 s', fingerTap]])
  test(`tablet 768x1024: ${how} on Step and Back each move exactly one step`, async () => {
    const ctx = await chrome.context(options(SIZES[2]));
    const { page, errors } = await open(ctx, server.url + '#lesson=apple');
    const seen = [], wanted = [];
    let at = 0;
    for (const name of ['step', 'step', 'step', 'back', 'step', 'back', 'step', 'back', 'back', 'step']) {
      await press(page, name);
      at += name === 'step' ? 1 : -1;
      seen.push(`${name} -> ${(await state(page)).step}`), wanted.push(`${name} -> ${at}`);
    }
    assert.deepEqual(seen, wanted);
    assert.deepEqual(errors, []);
    await ctx.close();
  });

test('laptop 1366x768: the apple lesson stepped to its end by the right arrow key, the canvas focused', async () => {
  const ctx = await chrome.context(options(SIZES[3]));
  const { page, errors } = await open(ctx, server.url + '#lesson=apple');
  await page.focus('#canvas');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'canvas');
  const { steps } = await state(page);
  for (let i = 1; i <= steps; i++) {
    await press(page, 'ArrowRight');
    assert.equal((await state(page)).step, i, `ArrowRight ${i} moves one step`);
  }
  assertAppleAtEnd(await state(page));
  assert.deepEqual(errors, []);
  await ctx.close();
});

// --- the graph under fingers ----------------------------------------------------------------------------------------

// Two-finger and one-finger gestures through the DevTools protocol, a frame or more between moves, as a hand moves.
async function gesture(page, cdp, paths, moves = 8) {
  const at = (k) => paths.map((p, id) => ({ x: p[0].x + (p[1].x - p[0].x) * k / moves, y: p[0].y + (p[1].y - p[0].y) * k / moves, id }));
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(0) });
  await settle(page);
  for (let k = 1; k <= moves; k++) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(k) });
    await settle(page);
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await settle(page);
}

test('phone 360x740: pinching the graph apart zooms in; one finger drags it; the browser itself does not zoom', async () => {
  const ctx = await chrome.context(options(PHONE));
  const { page, errors } = await open(ctx, server.url + '#lesson=apple');
  const c = (await rects(page)).canvas;
  assert.ok(c && inside(c, PHONE) && c.w >= 100 && c.h >= 100, `the graph is on the phone's screen to pinch: ${c ? fmt(c) : 'not drawn'}`);
  const cx = c.x + c.w / 2, cy = c.y + c.h / 2;
  const cdp = await page.context().newCDPSession(page);

  const v0 = (await state(page)).view;
  await gesture(page, cdp, [[{ x: cx - 25, y: cy }, { x: cx - 90, y: cy }], [{ x: cx + 25, y: cy }, { x: cx + 90, y: cy }]]);
  const v1 = (await state(page)).view;
  assert.ok(v1.zoom > v0.zoom * 1.2, `fingers moving apart zoom in: view.zoom ${v0.zoom} -> ${v1.zoom}`);
  assert.equal(await page.evaluate(() => window.visualViewport.scale), 1, 'the page zooms the graph, not the browser the page');

  await gesture(page, cdp, [[{ x: cx, y: cy }, { x: cx + 80, y: cy + 60 }]]);
  const v2 = (await state(page)).view;
  // view is the point of the graph at the canvas's centre: dragging the graph right and down brings a point to its
  // left and above to the centre, about the finger's travel divided by the zoom.
  assert.ok((v1.x - v2.x) * v2.zoom > 40 && (v1.y - v2.y) * v2.zoom > 30,
    `one finger drags the graph: view (${v1.x}, ${v1.y}) -> (${v2.x}, ${v2.y}) at zoom ${v2.zoom}`);
  assert.ok(Math.abs(v2.zoom - v1.zoom) <= 0.01 * v1.zoom, `one finger does not zoom: ${v1.zoom} -> ${v2.zoom}`);
  assert.equal(await page.evaluate(() => window.visualViewport.scale), 1, 'the browser did not zoom the page');
  await shot(page, 'screen-phone-pinched');
  assert.deepEqual(errors, []);
  await ctx.close();
});

// A phone has no hover: a tap on a node shows its value and gradient. Assumed names: each node's box is reported as
// the rect node_<name>; what the tap shows is the rect node_tip, and state().view.pinned is the node's name.
test('phone 360x740: a tap on a node of the graph shows its matrix', async () => {
  const ctx = await chrome.context(options(PHONE));
  const { page, errors } = await open(ctx, server.url + '#lesson=apple');
  await page.evaluate(() => { for (let i = 0; i < 1000 && window.kobai.step(); i++); });
  await settle(page);
  const before = await rects(page);
  assert.equal(before.node_tip, undefined, 'no node is shown before a tap');
  const n = before.node_apple;
  assert.ok(n, 'the page reports no rect node_apple (assumed: each graph node\'s box as node_<name>)');
  assert.ok(before.canvas && contains(before.canvas, n) && inside(n, PHONE), `the node apple is on screen: ${fmt(n)}`);
  await page.touchscreen.tap(n.x + n.w / 2, n.y + n.h / 2);
  await settle(page);
  await page.waitForTimeout(300);  // a tap is over: what it shows stays, with no hover to hold it
  await settle(page);
  const all = await rects(page);
  assert.ok(all.node_tip && all.node_tip.w > 0 && all.node_tip.h > 0, 'the tap shows the node\'s matrix (rect node_tip)');
  assert.ok(inside(all.node_tip, PHONE), `the node's matrix fits the phone's screen: ${fmt(all.node_tip)}`);
  assert.equal((await state(page)).view.pinned, 'apple', 'state().view.pinned names the node shown');
  await shot(page, 'screen-phone-node-tip');
  assert.deepEqual(errors, []);
  await ctx.close();
});

// --- the projector ----------------------------------------------------------------------------------------------

test('projector 1920x1080: present=1 in the link makes the Step button taller, and the layout still fits', async (t) => {
  const s = SIZES[4];
  const ctx = await chrome.context(options(s));
  const plain = await open(ctx, server.url + '#lesson=apple');
  const normal = (await rects(plain.page)).step;
  assert.notEqual((await state(plain.page)).present, true, 'no present mode without present=1');
  await plain.page.close();
  const { page, errors } = await open(ctx, server.url + '#lesson=apple&present=1');
  await settle(page);
  const st = await state(page), all = await rects(page);
  await shot(page, 'screen-1920x1080-present');
  await t.test('state().present is true', () => assert.equal(st.present, true));
  await t.test('the Step button is taller', () => {
    assert.ok(all.step && normal, 'the Step button is drawn');
    assert.ok(all.step.h > normal.h, `Step is ${all.step.h} px tall with present=1, ${normal.h} px without`);
  });
  await t.test('no notice about the link', () => assert.equal(st.notice, ''));
  await t.test('every control inside the viewport', () => assert.deepEqual(offScreen(all, s), []));
  await t.test('no two controls overlap', () => assert.deepEqual(overlaps(all), []));
  assert.deepEqual([...plain.errors, ...errors], []);
  await ctx.close();
});
