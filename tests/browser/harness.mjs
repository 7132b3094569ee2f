// Shared by the browser tests and the page benchmark: serve the built site on loopback, drive Debian's
// Chromium headless with WebGL2 on SwiftShader (../shared/TOOLCHAIN.md), and open the page as a person would.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '..', '..');
export const site = process.env.KOBAI_SITE || join(root, 'build', 'wasm', 'site');
export const shots = join(root, 'build', 'screenshots');

async function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); });
    s.on('error', rej);
  });
}

export async function startServer() {
  const port = await freePort();
  const proc = spawn('python3', [join(root, 'web', 'serve.py'), site, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((res, rej) => {
    proc.stdout.on('data', (d) => { if (String(d).includes('serving')) res(); });
    proc.on('exit', (c) => rej(new Error('the server exited with ' + c)));
  });
  return { url: `http://127.0.0.1:${port}/`, stop: () => proc.kill() };
}

export async function launch() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    browser,
    // A fresh context: its own storage, cache and service workers, like a new visitor.
    context: (options = {}) => browser.newContext({ viewport: { width: 1280, height: 800 }, ...options }),
    close: () => browser.close(),
  };
}

// Opens the page and waits for its first frame; collects console errors and page errors. settled: false does
// not wait for a lab's code the link opened (a test that holds that code back).
export async function open(context, url, { settled = true } = {}) {
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForFunction(() => window.kobai && window.kobai.firstFrameTime && window.kobai.firstFrameTime() !== null, null, { timeout: 30000 });
  await page.evaluate(() => window.kobai.ready);
  if (settled) await settle(page);  // a lab whose code comes later, opened by the link: ready once that code is in
  return { page, errors };
}

export async function shot(page, name) {
  mkdirSync(shots, { recursive: true });
  const path = join(shots, name + '.png');
  await page.screenshot({ path });
  return path;
}

// Waits until the page has handled the input that came before: three more frames drawn (a click needs two:
// one sees the button go down, the next sees it come up), or the page idle (it pauses only once every event
// it was woken for has had its frames).
export async function settle(page) {
  const f0 = await page.evaluate(() => window.kobai.state().frames);
  await page.waitForFunction((f) => { const s = window.kobai.state(); return s.frames >= f + 3 || s.paused; }, f0, { timeout: 10000 });
  // A lab whose code comes later, just opened: settled once that code is in (or has failed), and drawn.
  if (await page.evaluate(() => { const c = window.kobai.labCode(); return c.requested && c.progress >= 0 && c.progress < 1; })) {
    await page.waitForFunction(() => { const c = window.kobai.labCode(); return c.progress === 1 || c.progress === -1; }, null, { timeout: 30000 });
    await settle(page);
  }
}

// Clicks the centre of a named control, as a person would with the mouse.
export async function click(page, name) {
  const r = await page.evaluate((n) => window.kobai.rect(n), name);
  if (r.w === undefined) throw new Error('the control ' + name + ' is not on screen');
  await page.mouse.click(r.x + r.w / 2, r.y + r.h / 2);
  await settle(page);
}

// Presses a key or a chord (Control+A) as a person does, holding it for a couple of frames, and waits for the
// page to handle it. (Dear ImGui 1.86 reads editing keys such as Enter from whether they are down at a frame.)
export async function press(page, chord) {
  const keys = chord.split('+');
  for (const k of keys) await page.keyboard.down(k);
  await settle(page);
  for (const k of keys.reverse()) await page.keyboard.up(k);
  await settle(page);
}

export async function type(page, text) {
  await page.keyboard.type(text);
  await settle(page);
}

export const state = (page) => page.evaluate(() => window.kobai.state());

// How many different colours a screenshot of the rectangle has: a blank canvas has one or two.
export async function distinctColours(page, rect) {
  const png = await page.screenshot({ clip: rect });
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = 'data:image/png;base64,' + b64;
    await img.decode();
    const c = new OffscreenCanvas(img.width, img.height);
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, img.width, img.height).data;
    const seen = new Set();
    for (let i = 0; i < d.length; i += 4) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    return seen.size;
  }, png.toString('base64'));
}

// Every named control drawn in the last frame: {name: {x, y, w, h}} in CSS pixels.
export const rects = (page) => page.evaluate(() => window.kobai.rects());

// Taps the centre of a named control with one finger, as a person does on a phone or tablet.
export async function tap(page, name) {
  const r = await page.evaluate((n) => window.kobai.rect(n), name);
  if (r.w === undefined) throw new Error('the control ' + name + ' is not on screen');
  await page.touchscreen.tap(r.x + r.w / 2, r.y + r.h / 2);
  await settle(page);
}

// Taps a named control as a finger does: down for about a tenth of a second (the page draws frames meanwhile),
// then up. (touchscreen.tap puts the finger down and up at once, which real fingers never do.)
export async function fingerTap(page, name, ms = 100) {
  const r = await page.evaluate((n) => window.kobai.rect(n), name);
  if (r.w === undefined) throw new Error('the control ' + name + ' is not on screen');
  const cdp = await page.context().newCDPSession(page);
  const point = { x: r.x + r.w / 2, y: r.y + r.h / 2, id: 0 };
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [point] });
  await page.waitForTimeout(ms);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
  await settle(page);
}
