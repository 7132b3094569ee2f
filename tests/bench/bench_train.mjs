// Training throughput side by side in one run (issue 5): kobai's engine natively, as WebAssembly with and
// without SIMD, and a one-object-per-neuron JavaScript engine (TensorFlow Playground's design), on
//   1. TensorFlow Playground's largest network (2-8-8-8-8-8-8-1 tanh, squared error, batch 10, 250 points)
//   2. a 64-100-10 network on the UCI digits (tanh, squared error on one-hot targets, batch 10, 1797 images)
// Prints epochs per second and the ratios. Run: make bench.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildNetwork, epoch } from './playground_engine.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const digitsCsv = join(root, 'build/data/digits.csv');
const env = { ...process.env, NODE_PATH: '/usr/share/nodejs' };
const parse = (out) => ({ playground: Number(/playground_epochs_per_second ([\d.]+)/.exec(out)[1]),
  digits: Number(/digits_epochs_per_second ([\d.]+)/.exec(out)[1]) });

const native = parse(execFileSync(join(root, 'build/native/kobai_train_bench'), [digitsCsv], { encoding: 'utf8' }));
const wasm = (f) => parse(execFileSync('node', ['--no-experimental-fetch', join(root, `build/wasm/kobai_train_bench_${f}.js`), digitsCsv], { encoding: 'utf8', env }));
const simd = wasm('simd'), nosimd = wasm('nosimd');

// The JavaScript engine on the same tasks: the best of three rounds of about half a second each.
let seed = 1;
const random = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
function jsEpochsPerSecond(sizes, points, lr) {
  const layers = buildNetwork(sizes, random);
  for (let e = 0; e < 3; e++) epoch(layers, points, lr, 10);
  let best = 0;
  for (let round = 0; round < 3; round++) {
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 500) { epoch(layers, points, lr, 10); n++; }
    best = Math.max(best, n / ((performance.now() - t0) / 1000));
  }
  return best;
}
const xorPoints = Array.from({ length: 250 }, () => { const x = random() * 10 - 5, y = random() * 10 - 5; return { x: [x, y], t: [x * y > 0 ? 1 : -1] }; });
const digitPoints = readFileSync(digitsCsv, 'utf8').trim().split('\n').map((line) => {
  const v = line.split(',').map(Number);
  return { x: v.slice(0, 64).map((p) => p / 16), t: Array.from({ length: 10 }, (_, k) => (k === v[64] ? 1 : 0)) };
});
const js = { playground: jsEpochsPerSecond([2, 8, 8, 8, 8, 8, 8, 1], xorPoints, 0.03), digits: jsEpochsPerSecond([64, 100, 10], digitPoints, 0.1) };

for (const [key, title] of [['playground', '2-8-8-8-8-8-8-1 tanh, squared error, batch 10, 250 points (TensorFlow Playground\'s largest)'],
  ['digits', '64-100-10 tanh on the UCI digits, squared error, batch 10, 1797 images']]) {
  console.log(`\ntraining throughput: ${title}, one epoch per step\n`);
  const rows = [['kobai, native -O3 -march=native', native], ['kobai, wasm -O3 -msimd128 (the page)', simd],
    ['kobai, wasm -O3 without SIMD', nosimd], ['JavaScript, one object per neuron and link', js]];
  for (const [name, v] of rows) console.log(name.padEnd(46), `${v[key].toFixed(1).padStart(9)} epochs/s`);
  console.log(`\nwasm SIMD / JavaScript engine: ${(simd[key] / js[key]).toFixed(2)}x   (goal: at least 10x)`);
  console.log(`native / wasm SIMD:             ${(native[key] / simd[key]).toFixed(2)}x   (goal: within 3x)`);
  console.log(`wasm SIMD / wasm without SIMD:  ${(simd[key] / nosimd[key]).toFixed(2)}x`);
}
