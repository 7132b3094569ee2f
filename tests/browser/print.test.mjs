// The quiz sheet a teacher prints (kobai quiz --format html), printed as the browser prints it: A4, the questions
// whole, the answer key from a page of its own. Screenshots of each printed page: build/screenshots/print-*.png.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { launch, root, shots } from './harness.mjs';

let chrome;
before(async () => { chrome = await launch(); });
after(async () => { await chrome?.close(); });

const sheet = (...args) => execFileSync(join(root, 'build', 'native', 'kobai'), ['quiz', ...args, '--format', 'html'], { encoding: 'utf8' });
const pages = (pdf) => (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;

test('a printed sheet: A4, the key on a page of its own, room to write under each question, in both languages', async () => {
  const ctx = await chrome.context({ viewport: { width: 794, height: 1123 } });  // A4 at 96 CSS px per inch
  const page = await ctx.newPage();
  for (const lang of ['en', 'ja']) {
    // One question fills less than a page, so two pages say the key begins a page of its own.
    await page.setContent(sheet('--seed', '4', '--count', '1', '--lang', lang));
    assert.equal(pages(await page.pdf({ format: 'A4' })), 2, 'one question: the sheet, then the key');

    await page.setContent(sheet('--seed', '7', '--count', '20', '--topics', 'local,step,graph,shapes,concepts,outsize', '--lang', lang));
    const pdf = await page.pdf({ format: 'A4' });
    assert.ok(pages(pdf) >= 3 && pages(pdf) <= 8, `twenty questions and their key on ${pages(pdf)} pages`);
    await page.emulateMedia({ media: 'print' });
    // Laid out for print: twenty questions, each with its box to write in below it.
    const rooms = await page.evaluate(() => [...document.querySelectorAll('.question')].map((q) => {
      const box = q.querySelector('.write').getBoundingClientRect(), text = q.querySelector('.prompt').getBoundingClientRect();
      return box.top >= text.bottom && box.height >= 35;
    }));
    assert.deepEqual(rooms, Array(20).fill(true));
    const fonts = await page.evaluate(() => getComputedStyle(document.querySelector('.prompt')).fontFamily);
    assert.match(fonts, /IPAexGothic/, 'a Japanese font is named for the Japanese sheet');
    await page.screenshot({ path: join(shots, `print-${lang}.png`), fullPage: true });
    await page.emulateMedia({ media: 'screen' });
  }
  await ctx.close();
});
