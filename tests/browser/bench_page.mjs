// The page's figures (issue 3): size on the wire, time to the first frame, frame time while playing a
// 200-node graph, frames drawn while idle. A benchmark that prints, not a test that fails on a slow machine.
// Run: make bench (or node tests/browser/bench_page.mjs after make wasm; KOBAI_BENCH_PAGE=load: only the loads,
// bytes and the phone's frame work; KOBAI_BENCH_PAGE=paths: those and the optimizer-paths lab).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { click, launch, open, press, settle, site, startServer, state } from './harness.mjs';

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const kb = (n) => (n / 1024).toFixed(1) + ' KB';

console.log('kobai page benchmark (headless Chromium, WebGL2 on SwiftShader, 1280x800; 1 KB = 1024 bytes)\n');
// The files as built, and as served: web/serve.py gzips as a real host would, so bytes on the wire are gzip's.
let raw = 0, gz = 0;
console.log('file'.padEnd(16), 'raw'.padStart(10), 'gzipped'.padStart(10));
const later = new Set(['kobai.labs.wasm', 'kobai.labs.fonts', 'kobai.labs.names.json', 'kobai.questions.json']);
for (const f of readdirSync(site).sort()) {
  if (statSync(join(site, f)).isDirectory()) continue;  // data/: fetched only when a student picks a real set
  const b = readFileSync(join(site, f));
  const z = gzipSync(b, { level: 9 }).length;
  if (!later.has(f) && f !== 'sw.js') raw += b.length, gz += z;
  const note = { 'kobai.data': ' (the two font subsets and their character list)', 'kobai.labs.wasm': ' (the labs\' code: fetched when a lab that needs it is first opened)', 'kobai.labs.fonts': ' (the labs\' own characters: fetched with their code)',
    'kobai.questions.json': ' (the quiz\'s concept questions: fetched with the labs\' code)',
    'kobai.labs.names.json': ' (read only to name a bug)', 'sw.js': ' (after the first frame: offline copies)' }[f] || '';
  console.log(f.padEnd(16), kb(b.length).padStart(10), kb(z).padStart(10), note);
}
console.log('first frame'.padEnd(16), kb(raw).padStart(10), kb(gz).padStart(10), ' what the first frame needs; goal: at most 400 KB gzipped');
for (const f of readdirSync(join(site, 'data')).sort()) {
  const b = readFileSync(join(site, 'data', f));
  console.log(('data/' + f).padEnd(16), kb(b.length).padStart(10), kb(gzipSync(b, { level: 9 }).length).padStart(10), ' (fetched when picked)');
}
console.log('');

const server = await startServer();
const chrome = await launch();
// Network and processor as a phone would have them, through the DevTools protocol, set before the page loads.
const profiles = [
  { name: 'localhost', goal: 500 },
  { name: '4G-like (9 Mbit/s, 85 ms, CPU 4x slower)', down: 9e6, latency: 85, cpu: 4, goal: 1500 },
  { name: 'slow (1.6 Mbit/s, 150 ms, CPU 4x slower)', down: 1.6e6, latency: 150, cpu: 4, goal: 4000 },
];
async function throttled(ctx, p) {
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  if (p.down) await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: p.latency, downloadThroughput: p.down / 8, uploadThroughput: p.down / 8 });
  if (p.cpu) await cdp.send('Emulation.setCPUThrottlingRate', { rate: p.cpu });
  // Bytes on the wire (headers and compressed bodies) of every response finished so far, by the page's clock.
  const done = [];
  const started = new Map();
  cdp.on('Network.requestWillBeSent', (e) => started.set(e.requestId, e.request.url));
  cdp.on('Network.loadingFinished', (e) => done.push({ url: started.get(e.requestId) || '', bytes: e.encodedDataLength, t: e.timestamp }));
  return { page, cdp, done };
}
const firstFrame = (page) => page.waitForFunction(() => window.kobai && window.kobai.firstFrameTime && window.kobai.firstFrameTime() !== null, null, { timeout: 60000 })
  .then(() => page.evaluate(() => window.kobai.firstFrameTime()));
try {
  for (const p of profiles) {
    const first = [], bytes = [], lab = [];
    for (let i = 0; i < 5; i++) {
      const ctx = await chrome.context();
      const { page, cdp, done } = await throttled(ctx, p);
      await page.goto(server.url);
      first.push(await firstFrame(page));
      // What had arrived by the first frame: every file then finished (the service worker registers after it).
      bytes.push(done.filter((d) => !/kobai\.labs|sw\.js|\/data\//.test(d.url)).reduce((n, d) => n + d.bytes, 0));
      // Then the playground, first opened: its code fetched and compiled, to its first frame with the data drawn.
      const t0 = await page.evaluate(() => performance.now());
      const r = await page.evaluate(() => window.kobai.rect('mode_playground'));
      await page.mouse.click(r.x + r.w / 2, r.y + r.h / 2);
      // (rect() costs the page nothing; state() would cost it a frame's work at every poll)
      await page.waitForFunction(() => window.kobai.labCode().progress === 1 && window.kobai.rect('pg_play').w !== undefined, null, { timeout: 60000, polling: 20 });
      lab.push(await page.evaluate((t) => performance.now() - t, t0));
      await ctx.close();
    }
    console.log(`${p.name}:`);
    console.log(`  navigation to the first drawn frame: median ${median(first).toFixed(0)} ms of 5 loads (${first.map((t) => t.toFixed(0)).join(', ')}); goal: at most ${p.goal} ms`);
    console.log(`  bytes on the wire before the first frame: ${kb(median(bytes))} (with HTTP headers); goal: at most 400 KB`);
    console.log(`  the playground first opened, its code fetched, to its data drawn: median ${median(lab).toFixed(0)} ms (${lab.map((t) => t.toFixed(0)).join(', ')})`);
  }

  // A convolution lesson opened by a link: its ops' code comes with the labs' (kobai.labs.wasm), so the first frame
  // shows it loading; how long until it can step (localhost, and the 4G-like profile).
  for (const p of profiles.slice(0, 2)) {
    const waits = [];
    for (let i = 0; i < 3; i++) {
      const ctx = await chrome.context();
      const { page } = await throttled(ctx, p);
      await page.goto(server.url + '#lesson=conv');
      const first = await firstFrame(page);
      await page.waitForFunction(() => window.kobai.labCode().progress === 1, null, { timeout: 60000, polling: 20 });
      waits.push(await page.evaluate((t) => performance.now() - t, first));
      await ctx.close();
    }
    console.log(`#lesson=conv (${p.name}): from the first frame to its code in, ready to step: median ${median(waits).toFixed(0)} ms (${waits.map((t) => t.toFixed(0)).join(', ')})`);
  }

  // Frame work on a phone (390x844, device scale 3, touch) with the processor 4x slower, while the apple lesson plays.
  {
    const ctx = await chrome.context({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, hasTouch: true, isMobile: true });
    const { page } = await open(ctx, server.url + '#lesson=two_layer_net');
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    const mark = (await state(page)).frames;
    await press(page, 'Space');  // play
    await page.waitForTimeout(4000);
    const st = await state(page);
    const n = Math.max(1, Math.min(180, st.frames - mark));
    const work = (await page.evaluate(() => window.kobai.frameTimes())).slice(-n);
    const waits = (await page.evaluate(() => window.kobai.frameWaits())).slice(-n);
    const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)];
    console.log(`\nphone 390x844 at device scale 3, CPU 4x slower, playing the two-layer-net lesson (${st.step} steps), ${work.length} frames:`);
    console.log(`  the page's frame work: median ${median(work).toFixed(2)} ms, 90th percentile ${p90(work).toFixed(2)} ms; goal: under 16 ms`);
    console.log(`  waiting for the GPU to finish the frame before: median ${median(waits).toFixed(2)} ms (SwiftShader rasterising ${390 * 3}x${844 * 3} pixels on the processor; a phone's GPU works beside the page)`);
    await ctx.close();
  }
  console.log('');
  if (process.env.KOBAI_BENCH_PAGE === 'load') {  // only the figures above
    await chrome.close();
    server.stop();
    process.exit(0);
  }

  // The optimizer-paths lab (issue 11) with all seven optimizers racing 1000 steps: the frame work while they
  // play (the paths grow, the loss chart with them), then with the whole paths drawn while the pointer reads the
  // view and the chart. The contours are a shader; the paths are ImGui lines, 7000 segments.
  {
    const c = await chrome.context();
    const all = 'sgd,momentum,nesterov,adagrad,rmsprop,adam,adadelta'.split(',').map((o) => `op.${o}=1`).join('&');
    const { page: pg } = await open(c, server.url + '#mode=paths&op.steps=1000&' + all);
    await settle(pg);
    const mark = (await pg.evaluate(() => window.kobai.frameTimes())).length;
    await click(pg, 'paths_play');
    await pg.waitForFunction(() => !window.kobai.state().paths.playing, null, { timeout: 60000, polling: 200 });
    const playing = (await pg.evaluate(() => window.kobai.frameTimes())).slice(mark);
    const st = (await state(pg)).paths;
    const v = await pg.evaluate(() => window.kobai.rect('paths_view'));
    const mark2 = (await pg.evaluate(() => window.kobai.frameTimes())).length;
    for (let i = 0; i <= 60; i++) { await pg.mouse.move(v.x + v.w * (0.2 + 0.6 * i / 60), v.y + v.h * 0.5); await pg.waitForTimeout(16); }
    const reading = (await pg.evaluate(() => window.kobai.frameTimes())).slice(mark2);
    const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)];
    console.log(`optimizer paths, ${st.optimizers ? st.optimizers.length : 7} optimizers, ${st.step} steps each:`);
    console.log(`  frame work while playing: median ${median(playing).toFixed(2)} ms, 90th percentile ${p90(playing).toFixed(2)} ms (${playing.length} frames); goal: median under 8 ms`);
    console.log(`  frame work with the whole paths drawn, the pointer moving over the view: median ${median(reading).toFixed(2)} ms, 90th percentile ${p90(reading).toFixed(2)} ms (${reading.length} frames)\n`);
    await c.close();
  }
  if (process.env.KOBAI_BENCH_PAGE === 'paths') {
    await chrome.close();
    server.stop();
    process.exit(0);
  }

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

  // The small-CNN lesson walked to the end with every conv and pooling step opened window by window (issue 13):
  // the frame work while the windows' grids, products and heat images are drawn.
  {
    const c = await chrome.context();
    const { page: pg } = await open(c, server.url + '#lesson=small_cnn');
    const work = [];
    const timed = async (name) => {  // the frames a click brought, read before the page's record of them rolls over
      const f0 = (await state(pg)).frames;
      await click(pg, name);
      const drawn = (await state(pg)).frames - f0;
      if (drawn > 0) work.push(...(await pg.evaluate(() => window.kobai.frameTimes())).slice(-drawn));
    };
    let windows = 0, steps = 0;
    for (;;) {
      const st0 = await state(pg);
      if (st0.step >= st0.steps) break;
      await timed('step');
      steps++;
      const st = await state(pg);
      if (!st.window) continue;
      for (let k = st.window.k; k + 1 < st.window.count; k++) { await timed('window_next'); windows++; }
    }
    const sorted = [...work].sort((a, b) => a - b);
    console.log(`\nthe small-CNN lesson, ${steps} steps with ${windows} windows opened one by one (${work.length} frames):`);
    console.log(`  frame work time: median ${median(work).toFixed(2)} ms, 90th percentile ${sorted[Math.floor(sorted.length * 0.9)].toFixed(2)} ms, ` +
      `longest ${sorted[sorted.length - 1].toFixed(2)} ms; goal: under 16 ms`);
    await c.close();
  }

  // Large graphs opened through a link (issue 9): navigation to the first frame that shows the graph, then the
  // longest frame while panning and zooming it. The chain is one statement, y = x + x + ... (one node per term);
  // the same graph written as statements is measured beside it.
  const chainLink = (terms) => 'expr=' + encodeURIComponent('y = ' + Array(terms).fill('x').join(' + '));
  const chainStatements = (terms) => {
    let s = 'a1 = x + x';
    for (let i = 2; i < terms; i++) s += `; a${i} = a${i - 1} + x`;
    return 'expr=' + encodeURIComponent(s);
  };
  const limit = 60000;
  for (const [name, hash, nodes] of [['chain of 2,000 terms, one statement', chainLink(2000), 2000],
    ['chain of 1,500 terms, one statement', chainLink(1500), 1500],
    ['chain of 2,000 terms as 1,999 statements', chainStatements(2000), 2000],
    ['the first lesson, for comparison', 'lesson=apple', 5]]) {
    const c = await chrome.context();
    const pg = await c.newPage();
    await pg.goto(server.url + '#' + hash);
    const opened = await pg.waitForFunction(() => window.kobai && window.kobai.firstFrameTime && window.kobai.firstFrameTime() !== null,
      null, { timeout: limit }).then(() => true, () => false);
    if (!opened) {
      console.log(`\n${name}: no frame within ${limit / 1000} s`);
      await c.close();
      continue;
    }
    await pg.evaluate(() => window.kobai.ready);
    const first = await pg.evaluate(() => window.kobai.firstFrameTime());
    const st = await state(pg);
    if (st.nodes.length !== nodes) console.log(`\n${name}: the page shows ${st.nodes.length} nodes, not ${nodes} (${st.notice || st.error || ''})`);
    console.log(`\n${name} (${st.nodes.length} nodes), opened through a link: navigation to its first frame ${first.toFixed(0)} ms; goal: about 200 ms more than an empty page`);
    // Pan with the mouse and zoom with the wheel, recording every frame's interval and work time meanwhile.
    const r = await pg.evaluate(() => window.kobai.rect('canvas'));
    const cx = r.x + r.w / 2, cy = r.y + r.h / 2;
    const frames0 = (await state(pg)).frames;
    await pg.evaluate(() => { window.__iv = []; let last = null; const tick = (t) => { if (last !== null) window.__iv.push(t - last); last = t; if (!window.__stop) requestAnimationFrame(tick); }; window.__stop = false; requestAnimationFrame(tick); });
    await pg.mouse.move(cx, cy);
    await pg.mouse.down();
    for (let i = 1; i <= 30; i++) { await pg.mouse.move(cx - 12 * i, cy - 4 * i); await pg.waitForTimeout(16); }
    await pg.mouse.up();
    for (let i = 0; i < 10; i++) { await pg.mouse.wheel(0, i < 5 ? -120 : 120); await pg.waitForTimeout(50); }
    const iv = await pg.evaluate(() => { window.__stop = true; return window.__iv; });
    const drawn = (await state(pg)).frames - frames0;  // the work times of exactly the frames drawn meanwhile
    const work = (await pg.evaluate(() => window.kobai.frameTimes())).slice(-Math.max(1, drawn));
    console.log(`  while panning and zooming: ${iv.length} frames, longest interval ${Math.max(...iv).toFixed(1)} ms (median ${median(iv).toFixed(1)}), longest frame work ${Math.max(...work).toFixed(1)} ms (median ${median(work).toFixed(1)}); goal: under 50 ms`);
    await c.close();
  }

  // The gradient check of a 256x256 W (issue 9): each entry is three forward passes through a 16-million
  // multiply-add product, worked a block of rows at a time, 6 ms a frame. The longest frame while it runs, and how
  // long it takes in all. The state is read only after it ends: serialising every matrix would cost frames itself.
  {
    const c = await chrome.context();
    const { page: pg } = await open(c, server.url);
    const W = Array.from({ length: 256 }, (_, r) => Array.from({ length: 256 }, (_, k) => -1 + 2 * (((r * 7919 + k * 104729) % 1000) / 1000)));
    const mark = (await pg.evaluate(() => window.kobai.frameTimes())).length;
    const t0 = Date.now();
    await pg.evaluate((w) => window.kobai.load('y = sum(W @ W)', { W: w }), W);
    const loadMs = Date.now() - t0;
    // The panel's progress bar: first drawn, then gone when the check ends (rect() costs nothing, state() would).
    await pg.waitForFunction(() => window.kobai.rect('gradcheck_progress').w !== undefined, null, { timeout: 30000, polling: 10 });
    await pg.waitForFunction(() => window.kobai.rect('gradcheck_progress').w === undefined, null, { timeout: 300000, polling: 250 });
    const total = Date.now() - t0;
    const work = (await pg.evaluate(() => window.kobai.frameTimes())).slice(mark);
    const r = (await state(pg)).check.results[0];
    console.log(`\ngradient check of a 256x256 W in the page: ${(total / 1000).toFixed(1)} s in all (kobai.load itself ${loadMs} ms), ${r.checked} of ${r.entries} entries, ${r.verdict}`);
    console.log(`  ${work.length} frames while it ran: longest frame work ${Math.max(...work).toFixed(1)} ms, median ${median(work).toFixed(1)} ms; goal: under 50 ms`);
    await c.close();
  }

  // The playground (issue 5): the digits with the settings the page suggests (64-100-10 ReLU, He, Adam 0.001,
  // batch 32, 20% held out), from pressing Train to 95% test accuracy; and the frame rate while training.
  const rafIntervals = (p, n) => p.evaluate((count) => new Promise((res) => {
    const ts = [];
    const tick = (t) => { ts.push(t); if (ts.length < count + 1) requestAnimationFrame(tick); else res(ts.slice(1).map((x, i) => x - ts[i])); };
    requestAnimationFrame(tick);
  }), n);
  for (const [name, hash] of [['digits', 'pg.data=digits&pg.hidden=100&pg.act=relu&pg.init=he&pg.loss=softmax&pg.opt=adam&pg.lr=0.001&pg.batch=32&pg.test=20'],
    ['spiral', 'pg.data=spiral&pg.hidden=8,8,8']]) {
    const times = [], epochs = [], fps = [], scales = [];
    for (let run = 0; run < 3; run++) {
      const c = await chrome.context();
      const { page: pg } = await open(c, server.url + '#mode=playground&' + hash);
      await pg.waitForFunction(() => { const p = window.kobai.state().playground; return !p.loading && p.inputs > 0; }, null, { timeout: 20000 });
      const r = await pg.evaluate(() => window.kobai.rect('pg_play'));
      await pg.mouse.move(r.x + r.w / 2, r.y + r.h / 2);
      const t0 = await pg.evaluate(() => performance.now());
      await pg.mouse.down();
      await pg.mouse.up();
      const result = await pg.evaluate((start) => new Promise((res) => {
        const poll = () => {
          const p = window.kobai.state().playground;
          if (p.test_accuracy >= 0.95 || performance.now() - start > 60000) res({ ms: performance.now() - start, epoch: p.epoch, acc: p.test_accuracy });
          else setTimeout(poll, 5);
        };
        poll();
      }), t0);
      const iv = await rafIntervals(pg, 60);
      times.push(result.ms), epochs.push(result.epoch), fps.push(1000 / median(iv));
      scales.push((await state(pg)).playground.heat_scale);
      await c.close();
    }
    if (name === 'digits') console.log(`\ndigits in the page, Train pressed to 95% test accuracy: median ${median(times).toFixed(0)} ms (${times.map((t) => t.toFixed(0)).join(', ')}), at epoch ${epochs.join(', ')}`);
    console.log(`frames per second while training ${name}: median ${median(fps).toFixed(1)} (${fps.map((f) => f.toFixed(1)).join(', ')}); goal: at least 30`);
    if (name === 'spiral') console.log(`  the heat map's resolution while training, as a share of full: ${scales.map((x) => x.toFixed(2)).join(', ')} (WebGL here runs on the processor; on a GPU it stays at 1)`);
  }
} finally {
  await chrome.close();
  server.stop();
}
