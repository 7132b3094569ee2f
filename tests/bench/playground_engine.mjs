// A plain JavaScript training engine with one object per neuron and one per link: the design TensorFlow
// Playground uses, written here (not copied) so that make bench can compare kobai's engine with it.
export class Neuron {
  constructor(activation) {
    this.inputs = [];      // links from the layer before
    this.outputs = [];     // links to the layer after
    this.bias = 0.1;
    this.total = 0;        // weighted input sum
    this.out = 0;
    this.dOut = 0;         // ∂L/∂out
    this.dTotal = 0;       // ∂L/∂total
    this.dBiasSum = 0;
    this.act = activation;
  }
}

export class Link {
  constructor(from, to, weight) { this.from = from; this.to = to; this.weight = weight; this.dSum = 0; }
}

const tanh = { f: (x) => Math.tanh(x), d: (x) => 1 - Math.tanh(x) ** 2 };
const linear = { f: (x) => x, d: () => 1 };

export function buildNetwork(sizes, random) {
  const layers = sizes.map((n, l) => Array.from({ length: n }, () => new Neuron(l === sizes.length - 1 ? linear : tanh)));
  for (let l = 1; l < layers.length; l++)
    for (const to of layers[l])
      for (const from of layers[l - 1]) {
        const link = new Link(from, to, random() - 0.5);
        from.outputs.push(link);
        to.inputs.push(link);
      }
  return layers;
}

export function forward(layers, x) {
  layers[0].forEach((n, i) => { n.out = x[i]; });
  for (let l = 1; l < layers.length; l++)
    for (const n of layers[l]) {
      n.total = n.bias;
      for (const link of n.inputs) n.total += link.weight * link.from.out;
      n.out = n.act.f(n.total);
    }
  return layers[layers.length - 1];
}

export function backward(layers, targets) {
  const outs = layers[layers.length - 1];
  for (let i = 0; i < outs.length; i++) outs[i].dOut = outs[i].out - targets[i];  // ∂(½Σ(y − t)²)/∂y
  for (let l = layers.length - 1; l >= 1; l--) {
    for (const n of layers[l]) {
      n.dTotal = n.dOut * n.act.d(n.total);
      n.dBiasSum += n.dTotal;
      for (const link of n.inputs) link.dSum += n.dTotal * link.from.out;
    }
    for (const n of layers[l - 1]) {
      n.dOut = 0;
      for (const link of n.outputs) n.dOut += link.weight * link.to.dTotal;
    }
  }
}

export function update(layers, lr, batch) {
  for (let l = 1; l < layers.length; l++)
    for (const n of layers[l]) {
      n.bias -= (lr * n.dBiasSum) / batch;
      n.dBiasSum = 0;
      for (const link of n.inputs) { link.weight -= (lr * link.dSum) / batch; link.dSum = 0; }
    }
}

// One epoch over the points in mini-batches.
export function epoch(layers, points, lr, batch) {
  for (let i = 0; i < points.length; i++) {
    forward(layers, points[i].x);
    backward(layers, points[i].t);
    if ((i + 1) % batch === 0 || i === points.length - 1) update(layers, lr, batch);
  }
}
