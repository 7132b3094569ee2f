// The activations lab's full experiment side by side in one run (issue 11): the same source
// (tests/bench/activations_bench.cpp) natively (-O3 -march=native) and as WebAssembly with SIMD (the page's
// build), each the median of 21 runs in milliseconds. Goal on the page: at most 50 ms. Run: make bench.
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const env = { ...process.env, NODE_PATH: '/usr/share/nodejs' };
const parse = (out) => Object.fromEntries([...out.matchAll(/activations_experiment_ms (\S+) median ([\d.]+)/g)].map((m) => [m[1], Number(m[2])]));
const native = parse(execFileSync(join(root, 'build/native/kobai_activations_bench'), { encoding: 'utf8' }));
const wasm = parse(execFileSync('node', ['--no-experimental-fetch', join(root, 'build/wasm/kobai_activations_bench.js')], { encoding: 'utf8', env }));

console.log('\nthe activations experiment (1000x100 inputs, 5 layers of 100, forward, backward, histograms), median ms:');
console.log('setting'.padEnd(26), 'native'.padStart(8), 'wasm'.padStart(8), 'wasm/native'.padStart(12));
for (const name of Object.keys(native)) {
  console.log(name.padEnd(26), native[name].toFixed(2).padStart(8), wasm[name].toFixed(2).padStart(8), (wasm[name] / native[name]).toFixed(2).padStart(12));
}
console.log('goal: wasm at most 50 ms');
