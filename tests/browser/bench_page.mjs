// The page's figures (issue 3): size on the wire, time to the first frame, frame time while playing a
// 200-node graph, frames drawn while idle. A benchmark that prints, not a test that fails on a slow machine.
// Run: make bench (or node tests/browser/bench_page.mjs after make wasm).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launch, open, press, site, startServer, state } from './harness.mjs';

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const kb = (n) => (n / 1024).toFixed(1) + ' KB';

console.log('kobai page benchmark (headless Chromium, WebGL2 on SwiftShader, 1280x800)\n');
let raw = 0, gz = 0;
console.log('file'.padEnd(14), 'raw'.padStart(10), 'gzipped'.padStart(10));
for (const f of readdirSync(site).sort()) {
  const b = readFileSync(join(site, f));
  const z = gzipSync(b, { level: 9 }).length;
  raw += b.length, gz += z;
  console.log(f.padEnd(14), kb(b.length).padStart(10), kb(z).padStart(10), f === 'kobai.data' ? ' (the two font subsets and the shaders)' : '');
}
console.log('all'.padEnd(14), kb(raw).padStart(10), kb(gz).padStart(10), ' goal: at most 400 KB gzipped\n');

const server = await startServer();
const chrome = await launch();
try {
  const first = [];
  for (let i = 0; i < 5; i++) {
    const ctx = await chrome.context();
    const { page } = await open(ctx, server.url);
    first.push(await page.evaluate(() => window.kobai.firstFrameTime()));
    await ctx.close();
  }
  console.log(`navigation to first drawn frame: median ${median(first).toFixed(0)} ms of 5 loads (${first.map((t) => t.toFixed(0)).join(', ')}); goal: at most 500 ms`);

  const ctx = await chrome.context();
  const { page } = await open(ctx, server.url);
  await page.waitForTimeout(800);
  const f0 = (await state(page)).frames;
  await page.waitForTimeout(3000);
  const idle = (await state(page)).frames - f0;
  console.log(`frames drawn during 3 idle seconds: ${idle}; goal: near 0`);

  let src = 'h0 = x * 1.5';
  for (let i = 1; i < 70; i++) src += `; h${i} = tanh(h${i - 1}) + x * h${Math.floor(i / 2)}`;
  const loaded = await page.evaluate((s) => window.kobai.load(s, { x: 0.1 }), src);
  if (!loaded.ok) throw new Error(loaded.error);
  const nodes = (await state(page)).nodes.length;
  await press(page, 'Space');  // play
  const before = await page.evaluate(() => window.kobai.frameTimes().length);
  const t0 = Date.now();
  const intervals = await page.evaluate(() => new Promise((res) => {
    const ts = [];
    const tick = (t) => { ts.push(t); if (ts.length < 181) requestAnimationFrame(tick); else res(ts.slice(1).map((x, i) => x - ts[i])); };
    requestAnimationFrame(tick);
  }));
  const work = (await page.evaluate(() => window.kobai.frameTimes())).slice(-Math.min(180, before + 180));
  const st = await state(page);
  console.log(`playing a generated graph of ${nodes} nodes (${st.step} steps done in ${((Date.now() - t0) / 1000).toFixed(1)} s):`);
  console.log(`  frame work time: median ${median(work).toFixed(2)} ms, 90th percentile ${[...work].sort((a, b) => a - b)[Math.floor(work.length * 0.9)].toFixed(2)} ms; goal: under 16 ms`);
  console.log(`  frame interval (requestAnimationFrame): median ${median(intervals).toFixed(2)} ms`);
  await ctx.close();
} finally {
  await chrome.close();
  server.stop();
}
