// Training throughput side by side in one run (issue 5): TensorFlow Playground's largest network, trained by
// kobai's engine natively, as WebAssembly with and without SIMD, and by a one-object-per-neuron JavaScript
// engine (the Playground's design). Prints epochs per second and the ratios. Run: make bench.
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildNetwork, epoch } from './playground_engine.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const env = { ...process.env, NODE_PATH: '/usr/share/nodejs' };
const parse = (out) => Number(/epochs_per_second ([\d.]+)/.exec(out)[1]);

const native = parse(execFileSync(join(root, 'build/native/kobai_train_bench'), { encoding: 'utf8' }));
const wasm = (f) => parse(execFileSync('node', ['--no-experimental-fetch', join(root, `build/wasm/kobai_train_bench_${f}.js`)], { encoding: 'utf8', env }));
const simd = wasm('simd'), nosimd = wasm('nosimd');

// The JavaScript engine on the same task: 250 points, batch 10, learning rate 0.03, the best of three rounds.
let seed = 1;
const random = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const points = Array.from({ length: 250 }, () => { const x = random() * 10 - 5, y = random() * 10 - 5; return { x: [x, y], t: x * y > 0 ? 1 : -1 }; });
const layers = buildNetwork([2, 8, 8, 8, 8, 8, 8, 1], random);
for (let e = 0; e < 20; e++) epoch(layers, points, 0.03, 10);
let js = 0;
for (let round = 0; round < 3; round++) {
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 500) { epoch(layers, points, 0.03, 10); n++; }
  js = Math.max(js, n / ((performance.now() - t0) / 1000));
}

console.log('training throughput: 2-8-8-8-8-8-8-1 tanh, squared error, batch 10, 250 points, one epoch per step\n');
const rows = [['kobai, native -O3 -march=native', native], ['kobai, wasm -O3 -msimd128 (the page)', simd],
  ['kobai, wasm -O3 without SIMD', nosimd], ['JavaScript, one object per neuron and link', js]];
for (const [name, v] of rows) console.log(name.padEnd(46), `${v.toFixed(0).padStart(8)} epochs/s`);
console.log(`\nwasm SIMD / JavaScript engine: ${(simd / js).toFixed(2)}x   (goal: at least 10x)`);
console.log(`native / wasm SIMD:             ${(native / simd).toFixed(2)}x   (goal: within 3x)`);
console.log(`wasm SIMD / wasm without SIMD:  ${(simd / nosimd).toFixed(2)}x`);
