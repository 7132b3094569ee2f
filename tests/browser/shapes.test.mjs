// The shapes lab (issue 13): a student types a network layer by layer and reads every layer's output shape,
// formula and parameters; the book's SimpleConvNet is one press away; a layer that cannot be read, or does not fit,
// is said in place. The sheet is the engine's: the page shows what `kobai shapes` prints for the same text.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { click, launch, open, press, root, settle, shot, startServer, state, tap, type } from './harness.mjs';

let server, chrome;
before(async () => { server = await startServer(); chrome = await launch(); });
after(async () => { await chrome?.close(); server?.stop(); });

const KOBAI = join(root, 'build', 'native', 'kobai');
const cli = (layers, input) => JSON.parse(execFileSync(KOBAI, ['shapes', layers, '--input', input, '--json'], { encoding: 'utf8' }));
const cliError = (layers, input) => {
  try { execFileSync(KOBAI, ['shapes', layers, '--input', input], { encoding: 'utf8', stdio: 'pipe' }); } catch (e) { return e.stderr; }
  return '';
};
const shapes = async (page) => (await state(page)).shapes;
const BOOK_OUTPUTS = [[30, 24, 24], [30, 24, 24], [30, 12, 12], [100], [100], [10]];
const BRIEF = 'conv(30,5,5,stride=1,pad=0); pool(2,2,stride=2); affine(100); affine(10)';

// The page's rows are the command's for the same texts.
function sameAsCommand(s) {
  const c = cli(s.layers, s.input);
  assert.deepEqual(s.rows.map((r) => [r.output, r.parameters, r.formula, r.parameters_formula]),
    c.layers.map((l) => [l.output, l.parameters, l.formula, l.parameters_formula]));
  assert.equal(s.total, c.total);
  assert.equal(s.total_formula, c.total_formula);
}

// Replaces a field's text as a person would: into the field, select all, type. (Layers are separated by ';' here:
// Enter held over the frames the harness waits may repeat, and a quick one may be missed by Dear ImGui 1.86.)
async function retype(page, name, text, touch) {
  if (touch) await tap(page, name);
  else await click(page, name);
  await press(page, 'Control+A');
  await type(page, text);
}

test('the book\'s SimpleConvNet, a layer typed wrong, a layer that does not fit, and the preset back (desktop)', async () => {
  const ctx = await chrome.context({ viewport: { width: 1366, height: 768 } });
  const { page, errors } = await open(ctx, server.url + '#mode=shapes');
  let s = await shapes(page);
  assert.equal((await state(page)).mode, 'shapes');
  // The lab opens on the book's network: conv → ReLU → pool → affine → ReLU → affine, 433,890 parameters.
  assert.deepEqual(s.rows.map((r) => r.output), BOOK_OUTPUTS);
  assert.equal(s.total, 433890);
  assert.equal(s.rows[0].formula, 'O = (H + 2P − F)/S + 1 = (28 + 2·0 − 5)/1 + 1 = 24');
  assert.equal(s.rows[0].parameters_formula, 'FN·C·FH·FW + FN = 30·1·5·5 + 30 = 780');
  sameAsCommand(s);
  await shot(page, 'shapes-desktop-en');

  // The brief's version of it, typed (no ReLUs): the same shapes at the window layers, the same total.
  await retype(page, 'shapes_layers', BRIEF);
  s = await shapes(page);
  assert.equal(s.error, '');
  assert.deepEqual(s.rows.map((r) => r.output), [[30, 24, 24], [30, 12, 12], [100], [10]]);
  assert.deepEqual(s.rows.map((r) => r.parameters), [780, 0, 432100, 1010]);
  assert.equal(s.total_formula, '780 + 432,100 + 1,010 = 433,890');
  sameAsCommand(s);
  assert.match(await page.evaluate(() => location.hash), /sh\.layers=conv\(30,5,5,stride%3D1,pad%3D0\)/, 'the link follows');

  // A layer typed wrong: the message with its place, under the field; the table stays, for the text before.
  await press(page, 'Control+End');
  await type(page, '; maxpool(2, 2)');
  s = await shapes(page);
  assert.equal(s.error, 'unknown layer \'maxpool\'; the layers are conv, pool, avgpool, relu, flatten, affine');
  assert.equal(s.error_field, 'layers');
  assert.equal(s.error_line, 1);
  assert.equal(s.error_column, BRIEF.length + 3);
  assert.equal(s.current, false);
  assert.equal(s.rows.length, 4, 'the last sheet stays');
  assert.ok((await page.evaluate(() => window.kobai.rect('shapes_error'))).w > 0, 'the message is on screen');
  await shot(page, 'shapes-desktop-unknown-layer');

  // A layer that does not fit: refused in place with the command's arithmetic; the rows before it stay.
  await retype(page, 'shapes_layers', 'conv(30,5,5,stride=1,pad=0); pool(3,3,stride=2); affine(100); affine(10)');
  s = await shapes(page);
  assert.equal(s.error, '');
  assert.equal(s.refused_layer, 2);
  assert.equal(s.rows.length, 1);
  assert.equal(s.refused, 'layer 2 \'pool(3,3,stride=2)\': (24 + 2·0 − 3)/2 = 21/2 is not a whole number: the windows do not fit the height (24) evenly');
  assert.ok(cliError('conv(30,5,5,stride=1,pad=0); pool(3,3,stride=2); affine(100); affine(10)', '1x28x28').includes(s.refused), 'the command\'s words');
  assert.ok((await page.evaluate(() => window.kobai.rect('shapes_refused'))).w > 0, 'the refusal is on screen');
  await shot(page, 'shapes-desktop-refused');

  // A bad input shape: said under the input field.
  await retype(page, 'shapes_input', '1x0x28');
  s = await shapes(page);
  assert.equal(s.error_field, 'input');
  assert.equal(s.error, 'the input\'s height H takes a whole number from 1 to 4,096, not \'0\'');

  // The preset puts the book's network back, and the link is short again.
  await click(page, 'shapes_preset');
  s = await shapes(page);
  assert.equal(s.error, '');
  assert.equal(s.input, '1x28x28');
  assert.deepEqual(s.rows.map((r) => r.output), BOOK_OUTPUTS);
  assert.doesNotMatch(await page.evaluate(() => location.hash), /sh\./);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a link carries the input and the layers; a link\'s text that cannot be read is said, the rest applies', async () => {
  const ctx = await chrome.context({ viewport: { width: 1366, height: 768 } });
  const layers = 'conv(16,3,3,pad=1); relu; pool(2,2); conv(32,3,3,pad=1); avgpool(2,2); affine(10)';
  const { page, errors } = await open(ctx, server.url + '#mode=shapes&sh.input=3x32x32&sh.layers=' + encodeURIComponent(layers));
  let s = await shapes(page);
  assert.equal(s.input, '3x32x32');
  assert.deepEqual(s.rows.map((r) => r.output), [[16, 32, 32], [16, 32, 32], [16, 16, 16], [32, 16, 16], [32, 8, 8], [10]]);
  sameAsCommand(s);
  await page.evaluate(() => { location.hash = '#mode=shapes&lang=ja&sh.input=1x28x28&sh.layers=conv(30%2C%205)'; });
  await page.waitForFunction(() => window.kobai.state().shapes.layers === 'conv(30, 5)', null, { timeout: 10000 });
  s = await shapes(page);
  assert.equal(s.error, 'conv needs FW (the filter\'s width): conv(FN, FH, FW, stride=1, pad=0)');
  await shot(page, 'shapes-desktop-ja-link-error');
  assert.deepEqual(errors, []);
  await ctx.close();
});

const SIZES = [
  ['phone', { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 3 }],
  ['tablet', { viewport: { width: 768, height: 1024 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 }],
  ['desktop', { viewport: { width: 1366, height: 768 } }],
];
for (const [size, options] of SIZES)
  for (const lang of ['en', 'ja'])
    test(`${size} (${lang}): the fields and the preset on screen and a finger's size, the table read, a bad layer said`, async () => {
      const ctx = await chrome.context(options);
      const touch = !!options.hasTouch;
      const { page, errors } = await open(ctx, server.url + `#mode=shapes&lang=${lang}`);
      const view = options.viewport;
      for (const name of ['shapes_input', 'shapes_layers', 'shapes_preset', 'shapes_table']) {
        const r = await page.evaluate((n) => window.kobai.rect(n), name);
        assert.ok(r.w > 0, `${name} is drawn`);
        assert.ok(r.x >= -0.5 && r.x + r.w <= view.width + 0.5 && r.y >= -0.5, `${name} inside the width: ${JSON.stringify(r)}`);
        if (touch && name !== 'shapes_table') assert.ok(r.h >= 40 - 0.01 && r.w >= 40 - 0.01, `${name} is a finger's size: ${JSON.stringify(r)}`);
      }
      assert.ok((await page.evaluate(() => window.kobai.rect('shapes_input'))).y + 40 < view.height, 'the input field is on the first screen');
      await shot(page, `shapes-${size}-${lang}`);
      // Something else, then the preset (a tap on a touch screen) puts the book's network back.
      await retype(page, 'shapes_layers', 'conv(30, 5, 5); pool(3, 3, stride=2)', touch);
      let s = await shapes(page);
      assert.equal(s.refused_layer, 2, JSON.stringify(s));
      assert.ok((await page.evaluate(() => window.kobai.rect('shapes_refused'))).w > 0, 'the refusal is drawn');
      await shot(page, `shapes-${size}-${lang}-refused`);
      await retype(page, 'shapes_layers', 'conv(30, 5, 5); softmax', touch);
      s = await shapes(page);
      assert.match(s.error, /^unknown layer 'softmax'/);
      assert.equal(s.error_column, 17);
      assert.ok((await page.evaluate(() => window.kobai.rect('shapes_error'))).w > 0, 'the message is drawn');
      await shot(page, `shapes-${size}-${lang}-error`);
      if (touch) await tap(page, 'shapes_preset');
      else await click(page, 'shapes_preset');
      s = await shapes(page);
      assert.deepEqual(s.rows.map((r) => r.output), BOOK_OUTPUTS);
      assert.equal(s.total, 433890);
      await settle(page);
      assert.deepEqual(errors, []);
      await ctx.close();
    });
