// Training throughput side by side in one run (issues 5 and 13): kobai's engine natively, as WebAssembly with and
// without SIMD, a one-object-per-neuron JavaScript engine (TensorFlow Playground's design), and TensorFlow.js
// with its wasm and plain JavaScript ('cpu') backends (bench_tfjs.mjs), on
//   1. TensorFlow Playground's largest network (2-8-8-8-8-8-8-1 tanh, squared error, batch 10, 250 points)
//   2. a 64-100-10 network on the UCI digits (tanh, squared error on one-hot targets, batch 10, 1797 images)
//   3. the digits CNN (conv 16 3x3 → ReLU → max pool 2x2 → dense 64 → ReLU → dense 10, softmax, batch 10);
//      kobai's rows only once its train bench prints the CNN's line
// Prints epochs per second, the loss or accuracy each run reached, and the ratios. Run: make bench.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildNetwork, epoch } from './playground_engine.mjs';
import { tfjsTrainBench } from './bench_tfjs.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const digitsCsv = join(root, 'build/data/digits.csv');
const env = { ...process.env, NODE_PATH: '/usr/share/nodejs' };
// A kobai bench's lines, e.g. "digits_epochs_per_second 120.5 accuracy 0.990": speed, then loss or accuracy.
const figure = (out, key) => {
  const m = new RegExp(`^${key}_epochs_per_second ([\\d.]+) (loss|accuracy) ([\\d.]+)`, 'm').exec(out);
  return m && { epochsPerSecond: Number(m[1]), [m[2]]: Number(m[3]) };
};
const parse = (out) => ({ playground: figure(out, 'playground'), digits: figure(out, 'digits'), cnn: figure(out, 'cnn') });

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
const js = { playground: { epochsPerSecond: jsEpochsPerSecond([2, 8, 8, 8, 8, 8, 8, 1], xorPoints, 0.03) },
  digits: { epochsPerSecond: jsEpochsPerSecond([64, 100, 10], digitPoints, 0.1) } };

// TensorFlow.js on the same points, one backend after the other.
const tfWasm = await tfjsTrainBench('wasm', { xor: xorPoints, digits: digitPoints });
const tfCpu = await tfjsTrainBench('cpu', { xor: xorPoints, digits: digitPoints });

const reached = (v) => (v.loss !== undefined ? `loss ${v.loss.toFixed(4)}` : v.accuracy !== undefined ? `accuracy ${v.accuracy.toFixed(3)}` : '');
const row = (name, v, shown = reached(v)) =>
  console.log(name.padEnd(46), `${v.epochsPerSecond.toFixed(v.epochsPerSecond < 10 ? 2 : 1).padStart(9)} epochs/s   ${shown}`);
const ratio = (a, b) => `${(a.epochsPerSecond / b.epochsPerSecond).toFixed(2)}x`;
// TF.js's rows also show where its loss started: the comparison is of training that works.
const tfRow = (name, v, key) => row(name, v, `${key === 'playground' ? `loss ${v.loss.toFixed(4)}` : `accuracy ${v.accuracy.toFixed(3)}`}` +
  `   (loss ${v.startLoss.toFixed(3)} → ${v.loss.toFixed(4)}${v.loss < v.startLoss ? '' : ': it did not fall'}; ${v.how})`);

for (const [key, title] of [['playground', '2-8-8-8-8-8-8-1 tanh, squared error, batch 10, 250 points (TensorFlow Playground\'s largest)'],
  ['digits', '64-100-10 tanh on the UCI digits, squared error, batch 10, 1797 images']]) {
  console.log(`\ntraining throughput: ${title}, one epoch per step\n`);
  const rows = [['kobai, native -O3 -march=native', native], ['kobai, wasm -O3 -msimd128 (the page)', simd],
    ['kobai, wasm -O3 without SIMD', nosimd], ['JavaScript, one object per neuron and link', js]];
  for (const [name, v] of rows) row(name, v[key]);
  tfRow('TensorFlow.js 4.22, wasm backend (SIMD)', tfWasm[key], key);
  tfRow('TensorFlow.js 4.22, cpu backend (JavaScript)', tfCpu[key], key);
  console.log(`\nkobai wasm SIMD / TF.js wasm:   ${ratio(simd[key], tfWasm[key])}   (goal: at least 5x)`);
  console.log(`kobai wasm SIMD / TF.js cpu:    ${ratio(simd[key], tfCpu[key])}`);
  console.log(`wasm SIMD / JavaScript engine:  ${ratio(simd[key], js[key])}   (goal: at least 10x)`);
  console.log(`native / wasm SIMD:             ${ratio(native[key], simd[key])}   (goal: within 2x)`);
  console.log(`wasm SIMD / wasm without SIMD:  ${ratio(simd[key], nosimd[key])}`);
}

console.log('\ntraining throughput: the digits CNN (8x8x1 → conv 16 3x3 pad 1 → ReLU → max pool 2x2 → dense 64 → ReLU → dense 10,');
console.log('softmax cross-entropy, He init, SGD lr 0.05), batch 10, 1797 images, one epoch per step\n');
const kobaiCnn = native.cnn && simd.cnn;
if (kobaiCnn) {
  row('kobai, native -O3 -march=native', native.cnn);
  row('kobai, wasm -O3 -msimd128 (the page)', simd.cnn);
  if (nosimd.cnn) row('kobai, wasm -O3 without SIMD', nosimd.cnn);
} else {
  console.log("kobai's CNN: not built yet (its train bench prints no cnn_epochs_per_second line)");
}
tfRow('TensorFlow.js 4.22, wasm backend (SIMD)', tfWasm.cnn, 'cnn');
tfRow('TensorFlow.js 4.22, cpu backend (JavaScript)', tfCpu.cnn, 'cnn');
if (kobaiCnn) {
  console.log(`\nkobai wasm SIMD / TF.js wasm:   ${ratio(simd.cnn, tfWasm.cnn)}   (goal: kobai ahead, above 1x)`);
  console.log(`kobai wasm SIMD / TF.js cpu:    ${ratio(simd.cnn, tfCpu.cnn)}`);
  console.log(`native / wasm SIMD:             ${ratio(native.cnn, simd.cnn)}   (goal: within 2x)`);
}
