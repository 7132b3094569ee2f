// Binary addition side by side in one run (issue 12): 10,000 iterations of the notes' run 1 (sigmoid, standard
// normal weights, 16 hidden units, η 0.1, one 8-bit sum per iteration, backpropagation through time, SGD), with the
// RNN cell and with the LSTM: kobai's engine natively and as WebAssembly with SIMD (tests/bench/seq_bench.cpp),
// and the same algorithm as a plain JavaScript loop over Float64Arrays, written here. Prints seconds and ratios.
// Run: make bench.
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const env = { ...process.env, NODE_PATH: '/usr/share/nodejs' };
const parse = (out) => {
  const r = {};
  for (const cell of ['rnn', 'lstm']) {
    const m = new RegExp(`${cell}_seconds ([\\d.]+) accuracy ([\\d.]+) loss ([\\d.]+)`).exec(out);
    r[cell] = { seconds: Number(m[1]), accuracy: Number(m[2]), loss: Number(m[3]) };
  }
  return r;
};
const native = parse(execFileSync(join(root, 'build/native/kobai_seq_bench'), { encoding: 'utf8' }));
const simd = parse(execFileSync('node', ['--no-experimental-fetch', join(root, 'build/wasm/kobai_seq_bench.js')], { encoding: 'utf8', env }));

// --- the JavaScript loop: the same forward, BPTT and SGD as engine/seq.cpp, one matrix a Float64Array -------------
const T = 8, IN = 2, H = 16, LR = 0.1, ITERATIONS = 10000;
let seed = 1;
const random = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const normal = () => Math.sqrt(-2 * Math.log(random() + 1e-300)) * Math.cos(2 * Math.PI * random());
const sigmoid = (v) => 1 / (1 + Math.exp(-v));
const randn = (n) => Float64Array.from({ length: n }, normal);  // standard normal: the course's weight_init_std = 1

// out[0..H) (+)= row (1 × rows) @ W (rows × H), W row-major
function rowTimes(row, W, rows, out, add) {
  if (!add) out.fill(0);
  for (let k = 0; k < rows; k++) {
    const v = row[k];
    if (v === 0) continue;
    for (let j = 0; j < H; j++) out[j] += v * W[k * H + j];
  }
}
// dW (rows × H) += colᵀ @ d
function outer(col, d, rows, dW) {
  for (let k = 0; k < rows; k++) { const v = col[k]; for (let j = 0; j < H; j++) dW[k * H + j] += v * d[j]; }
}
// out[0..rows) = d (1 × H) @ Wᵀ (+)
function timesT(d, W, rows, out, add) {
  for (let k = 0; k < rows; k++) { let s = 0; for (let j = 0; j < H; j++) s += d[j] * W[k * H + j]; out[k] = add ? out[k] + s : s; }
}
const example = () => {
  const a = Math.floor(random() * 128), b = Math.floor(random() * 128), s = a + b;
  const x = [], d = [];
  for (let t = 0; t < T; t++) { x.push(Float64Array.of((a >> t) & 1, (b >> t) & 1)); d.push((s >> t) & 1); }
  return { x, d };
};

function trainRnn() {
  seed = 1;
  const Wx = randn(IN * H), Wh = randn(H * H), Wy = randn(H);
  const dWx = new Float64Array(IN * H), dWh = new Float64Array(H * H), dWy = new Float64Array(H);
  const h = Array.from({ length: T + 1 }, () => new Float64Array(H)), y = new Float64Array(T);
  const dh = new Float64Array(H), du = new Float64Array(H), next = new Float64Array(H);
  let loss = 0;  // the mean of the last 100 iterations'
  for (let it = 0; it < ITERATIONS; it++) {
    const { x, d } = example();
    for (let t = 1; t <= T; t++) {
      rowTimes(x[t - 1], Wx, IN, h[t], false);
      rowTimes(h[t - 1], Wh, H, h[t], true);
      let v = 0;
      for (let j = 0; j < H; j++) { h[t][j] = sigmoid(h[t][j]); v += h[t][j] * Wy[j]; }
      y[t - 1] = sigmoid(v);
      if (it >= ITERATIONS - 100) loss += 0.5 * (y[t - 1] - d[t - 1]) ** 2 / 100;
    }
    dWx.fill(0); dWh.fill(0); dWy.fill(0); next.fill(0);
    for (let t = T; t >= 1; t--) {
      const yt = y[t - 1], dv = (yt - d[t - 1]) * yt * (1 - yt);
      for (let j = 0; j < H; j++) {
        dWy[j] += h[t][j] * dv;
        dh[j] = dv * Wy[j] + next[j];
        du[j] = dh[j] * h[t][j] * (1 - h[t][j]);
      }
      outer(x[t - 1], du, IN, dWx);
      outer(h[t - 1], du, H, dWh);
      timesT(du, Wh, H, next, false);
    }
    for (const [W, dW] of [[Wx, dWx], [Wh, dWh], [Wy, dWy]]) for (let k = 0; k < W.length; k++) W[k] -= LR * dW[k];
  }
  return loss;
}

function trainLstm() {
  seed = 1;
  const G = 4;  // f, i, o, g
  const Wx = Array.from({ length: G }, () => randn(IN * H)), Wh = Array.from({ length: G }, () => randn(H * H));
  const b = Array.from({ length: G }, () => new Float64Array(H)), Wy = randn(H);
  const dWx = Wx.map((w) => new Float64Array(w.length)), dWh = Wh.map((w) => new Float64Array(w.length));
  const db = b.map(() => new Float64Array(H)), dWy = new Float64Array(H);
  const step = () => Array.from({ length: T + 1 }, () => new Float64Array(H));
  const gate = Array.from({ length: G }, step), c = step(), h = step(), tc = step(), y = new Float64Array(T);
  const dh = new Float64Array(H), dc = new Float64Array(H), nextH = new Float64Array(H), nextC = new Float64Array(H);
  const da = Array.from({ length: G }, () => new Float64Array(H));
  let loss = 0;  // the mean of the last 100 iterations'
  for (let it = 0; it < ITERATIONS; it++) {
    const { x, d } = example();
    for (let t = 1; t <= T; t++) {
      for (let k = 0; k < G; k++) {
        const a = gate[k][t];
        rowTimes(x[t - 1], Wx[k], IN, a, false);
        rowTimes(h[t - 1], Wh[k], H, a, true);
        for (let j = 0; j < H; j++) a[j] = k === 3 ? Math.tanh(a[j] + b[k][j]) : sigmoid(a[j] + b[k][j]);
      }
      let v = 0;
      for (let j = 0; j < H; j++) {
        c[t][j] = gate[0][t][j] * c[t - 1][j] + gate[1][t][j] * gate[3][t][j];
        tc[t][j] = Math.tanh(c[t][j]);
        h[t][j] = gate[2][t][j] * tc[t][j];
        v += h[t][j] * Wy[j];
      }
      y[t - 1] = sigmoid(v);
      if (it >= ITERATIONS - 100) loss += 0.5 * (y[t - 1] - d[t - 1]) ** 2 / 100;
    }
    for (const m of [...dWx, ...dWh, ...db, dWy, nextH, nextC]) m.fill(0);
    for (let t = T; t >= 1; t--) {
      const yt = y[t - 1], dv = (yt - d[t - 1]) * yt * (1 - yt);
      const [f, i, o, g] = gate.map((q) => q[t]);
      for (let j = 0; j < H; j++) {
        dWy[j] += h[t][j] * dv;
        dh[j] = dv * Wy[j] + nextH[j];
        dc[j] = dh[j] * o[j] * (1 - tc[t][j] * tc[t][j]) + nextC[j];
        da[0][j] = dc[j] * c[t - 1][j] * f[j] * (1 - f[j]);
        da[1][j] = dc[j] * g[j] * i[j] * (1 - i[j]);
        da[2][j] = dh[j] * tc[t][j] * o[j] * (1 - o[j]);
        da[3][j] = dc[j] * i[j] * (1 - g[j] * g[j]);
        nextC[j] = dc[j] * f[j];
      }
      for (let k = 0; k < G; k++) {
        outer(x[t - 1], da[k], IN, dWx[k]);
        outer(h[t - 1], da[k], H, dWh[k]);
        for (let j = 0; j < H; j++) db[k][j] += da[k][j];
        timesT(da[k], Wh[k], H, nextH, k > 0);
      }
    }
    const pairs = [[Wy, dWy]];
    for (let k = 0; k < G; k++) pairs.push([Wx[k], dWx[k]], [Wh[k], dWh[k]], [b[k], db[k]]);
    for (const [W, dW] of pairs) for (let k = 0; k < W.length; k++) W[k] -= LR * dW[k];
  }
  return loss;
}

function best(train) {  // the best of three runs, after one to warm up
  const loss = train();
  let seconds = Infinity;
  for (let round = 0; round < 3; round++) {
    const t0 = performance.now();
    train();
    seconds = Math.min(seconds, (performance.now() - t0) / 1000);
  }
  return { seconds, loss };
}
const js = { rnn: best(trainRnn), lstm: best(trainLstm) };

for (const [cell, title] of [['rnn', 'RNN'], ['lstm', 'LSTM']]) {
  console.log(`\nbinary addition, ${title}: 10,000 iterations of the notes' run 1 (16 hidden, sigmoid, η 0.1, T = 8)\n`);
  const rows = [['kobai, native -O3 -march=native (float)', native[cell]], ['kobai, wasm -O3 -msimd128 (float, the page)', simd[cell]],
    ['JavaScript loop, Float64Array', js[cell]]];
  for (const [name, v] of rows)
    console.log(`${name.padEnd(46)} ${(v.seconds * 1000).toFixed(1).padStart(8)} ms   mean loss of the last 100: ${v.loss.toFixed(4)}` +
      (v.accuracy === undefined ? '' : `, held-out sums right: ${(v.accuracy * 100).toFixed(0)}%`));
  console.log(`\nJavaScript time / wasm SIMD time:  ${(js[cell].seconds / simd[cell].seconds).toFixed(2)}x  (what the page gains over plain JS)`);
  console.log(`wasm SIMD time / native time:     ${(simd[cell].seconds / native[cell].seconds).toFixed(2)}x`);
}
