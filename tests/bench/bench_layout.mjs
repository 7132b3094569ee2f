// Layout time side by side (issue 9): the page's graph layout natively and as WebAssembly under node (the page's
// own -Oz build of it), on a chain, a wide fan-in and a deep network of 200, 1,000 and 2,000 nodes
// (tests/bench/layout_bench.cpp says what each shape is). Goal: at most about 200 ms in the page. Run: make bench.
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const env = { ...process.env, NODE_PATH: '/usr/share/nodejs' };
const parse = (out) => {
  const rows = new Map();
  for (const line of out.trim().split('\n')) {
    const [, shape, nodes, a, b] = line.split(' ');
    rows.set(`${shape} ${nodes}`, a === 'skipped' ? { skipped: true } : { build: Number(a), layout: Number(b), nodes });
  }
  return rows;
};
const native = parse(execFileSync(join(root, 'build/native/kobai_layout_bench'), { encoding: 'utf8' }));
const wasm = parse(execFileSync('node', ['--no-experimental-fetch', join(root, 'build/wasm/kobai_layout_bench.js')], { encoding: 'utf8', env }));

console.log('\ngraph layout time, median of up to 5 runs (build: parsing and building the graph, for scale)\n');
console.log('shape'.padEnd(8), 'nodes'.padStart(6), 'native ms'.padStart(11), 'wasm ms'.padStart(10), 'wasm build ms'.padStart(14));
const cell = (r, key) => (!r ? '-' : r.skipped ? 'skipped' : r[key].toFixed(2));
for (const [key, n] of native) {
  const w = wasm.get(key);
  const [shape, size] = key.split(' ');
  console.log(shape.padEnd(8), (n.nodes ?? size).padStart(6), cell(n, 'layout').padStart(11), cell(w, 'layout').padStart(10), cell(w, 'build').padStart(14));
}
console.log('\n(skipped: the time measured at the size before, scaled by the cube of the size, passed 30 s)');
