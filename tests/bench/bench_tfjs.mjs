// TensorFlow.js (4.22, from npm) as a peer in make bench (issue 13): the networks of bench_train.mjs built in
// TF.js and trained the same way, with its WebAssembly backend ('wasm', SIMD, one thread) and its plain
// JavaScript one ('cpu'). Nothing is downloaded: the backend's .wasm files come from the package's dist/.
//   tfjsTrainBench(backend, { xor, digits })   → { playground, digits, cnn }, each
//                                                 { epochsPerSecond, startLoss, loss, accuracy, how }
// xor and digits are lists of { x, t } (inputs and targets; the digits' targets one-hot), shared with the
// other rows so every engine trains on the same points.
//
// Same as kobai: weights normal with std √(1/fan-in) (He: √(2/fan-in) for the CNN), biases zero; plain SGD;
// a shuffled pass in mini-batches of 10 per epoch; squared error ½ Σ (y − t)² averaged over the batch, or softmax
// cross-entropy averaged over the batch; a warm-up of 3 epochs, then the best of three rounds of about 0.5 s.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const require = createRequire(import.meta.url);
setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'))}/`);
tf.enableProdMode();  // no debug checks; also keeps the 'cpu' backend from advising tfjs-node on stdout

const batch = 10;

// The best of three rounds of about half a second after a warm-up, as train_bench.cpp measures; the warm-up
// stops after one second when epochs are that slow (the CNN on 'cpu'), so the bench does not take minutes.
function epochsPerSecond(epoch) {
  const warm = performance.now();
  for (let e = 0; e < 3 && (e === 0 || performance.now() - warm < 1000); e++) epoch();
  let best = 0;
  for (let round = 0; round < 3; round++) {
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 500) { epoch(); n++; }
    best = Math.max(best, n / ((performance.now() - t0) / 1000));
  }
  return best;
}

// The points as two tensors that stay in the backend; a batch is gathered from them by index.
function tensors(points) {
  const nin = points[0].x.length, nout = points[0].t.length;
  const X = new Float32Array(points.length * nin), T = new Float32Array(points.length * nout);
  points.forEach((p, i) => { X.set(p.x, i * nin); T.set(p.t, i * nout); });
  return { X: tf.tensor2d(X, [points.length, nin]), T: tf.tensor2d(T, [points.length, nout]), n: points.length };
}

// One epoch: a fresh shuffle, then step(x, t) on each batch of 10 inside tf.tidy (nothing kept between batches).
let seed = 7;
const random = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
function epochOver({ X, T, n }, step) {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  return () => {
    for (let i = n - 1; i > 0; i--) { const j = Math.floor(random() * (i + 1)); [order[i], order[j]] = [order[j], order[i]]; }
    for (let s = 0; s < n; s += batch) {
      tf.tidy(() => {
        const index = tf.tensor1d(order.subarray(s, Math.min(s + batch, n)), 'int32');
        step(tf.gather(X, index), tf.gather(T, index));
      });
    }
  };
}

// Loss and accuracy over the whole set (accuracy: sign for one output, arg max for several).
function score(forward, loss, { X, T }) {
  return tf.tidy(() => {
    const y = forward(X);
    const right = y.shape[1] === 1 ? tf.equal(tf.sign(y), tf.sign(T)) : tf.equal(tf.argMax(y, 1), tf.argMax(T, 1));
    return { loss: loss(y, T).dataSync()[0], accuracy: tf.mean(tf.cast(right, 'float32')).dataSync()[0] };
  });
}

const squaredError = (y, t) => tf.div(tf.sum(tf.square(tf.sub(y, t))), 2 * y.shape[0]);

// A tanh network with squared error. The train step is written by hand with TF.js ops (forward with fused
// matMul + bias, backward by the chain rule, update by tf.train.sgd's applyGradients): at batch 10 it ran faster
// than optimizer.minimize on both backends (up to 1.7x; the gradient tape costs more than the arithmetic).
function mlp(sizes, lr, points) {
  const data = tensors(points);
  const W = [], b = [];
  tf.tidy(() => {  // frees the initial values; the variables outlive it
    for (let l = 1; l < sizes.length; l++) {
      W.push(tf.variable(tf.randomNormal([sizes[l - 1], sizes[l]], 0, Math.sqrt(1 / sizes[l - 1]), 'float32', l)));
      b.push(tf.variable(tf.zeros([sizes[l]])));
    }
  });
  const last = W.length - 1;
  const forward = (x) => {
    const h = [x];
    for (let l = 0; l <= last; l++) {
      const z = tf.fused.matMul({ a: h[l], b: W[l], bias: b[l] });
      h.push(l < last ? tf.tanh(z) : z);
    }
    return h;
  };
  const sgd = tf.train.sgd(lr);
  const one = tf.scalar(1), perRow = tf.scalar(1 / batch);  // made once, not per step
  const step = (x, t) => {
    const h = forward(x);
    const n = x.shape[0];
    let d = tf.mul(tf.sub(h[last + 1], t), n === batch ? perRow : 1 / n);  // ∂loss/∂output of ½ Σ (y − t)² / N
    const grads = {};
    for (let l = last; l >= 0; l--) {
      grads[W[l].name] = tf.matMul(h[l], d, true, false);
      grads[b[l].name] = tf.sum(d, 0);
      if (l > 0) d = tf.mul(tf.matMul(d, W[l], false, true), tf.sub(one, tf.square(h[l])));  // tanh' = 1 − tanh²
    }
    sgd.applyGradients(grads);
  };
  const output = (x) => forward(x)[last + 1];
  return { data, step, output, loss: squaredError, variables: [...W, ...b, one, perRow], sgd, how: 'hand-written step' };
}

// The digits CNN of kobai's preset: 8x8x1 → conv 16 3x3 'same' → ReLU → max pool 2x2 → 256 → dense 64 → ReLU →
// dense 10, softmax cross-entropy, He init. Here optimizer.minimize (the gradient tape): writing the
// convolution's backward pass by hand is not how the library is meant to be used. The convolution is tf.conv3d
// with a depth of 1 (the same arithmetic): the wasm backend has no Conv2DBackpropFilter kernel, so conv2d
// cannot be trained on it at all, and on 'cpu' conv2d's filter gradient took about 6x as long as conv3d's.
function cnn(lr, points) {
  const data = tensors(points);
  const he = (shape, fanIn, s) => tf.tidy(() => tf.variable(tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), 'float32', s)));
  const zeros = (n) => tf.tidy(() => tf.variable(tf.zeros([n])));
  const K = he([1, 3, 3, 1, 16], 9, 1), c = zeros(16);
  const W1 = he([256, 64], 256, 2), b1 = zeros(64);
  const W2 = he([64, 10], 64, 3), b2 = zeros(10);
  const output = (x) => {
    const n = x.shape[0];
    const image = tf.conv3d(tf.reshape(x, [n, 1, 8, 8, 1]), K, 1, 'same');  // depth 1, 8x8, 16 channels last
    const a = tf.relu(tf.add(tf.reshape(image, [n, 8, 8, 16]), c));
    const p = tf.reshape(tf.maxPool(a, 2, 2, 'valid'), [n, 256]);
    return tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(p, W1), b1)), W2), b2);
  };
  const loss = (y, t) => tf.losses.softmaxCrossEntropy(t, y);  // averaged over the batch
  const sgd = tf.train.sgd(lr);
  const step = (x, t) => { sgd.minimize(() => loss(output(x), t)); };
  return { data, step, output, loss, variables: [K, c, W1, b1, W2, b2], sgd, how: 'optimizer.minimize' };
}

function measure(net) {
  const start = score(net.output, net.loss, net.data);
  const epochs = epochsPerSecond(epochOver(net.data, net.step));
  const end = score(net.output, net.loss, net.data);
  for (const t of [net.data.X, net.data.T, ...net.variables]) t.dispose();  // the next network starts clean
  net.sgd.dispose();
  return { epochsPerSecond: epochs, startLoss: start.loss, loss: end.loss, accuracy: end.accuracy, how: net.how };
}

export async function tfjsTrainBench(backend, { xor, digits }) {
  if (!(await tf.setBackend(backend))) throw new Error(`TF.js backend '${backend}' did not start`);
  return {
    playground: measure(mlp([2, 8, 8, 8, 8, 8, 8, 1], 0.03, xor)),
    digits: measure(mlp([64, 100, 10], 0.1, digits)),
    cnn: measure(cnn(0.05, digits)),
  };
}
