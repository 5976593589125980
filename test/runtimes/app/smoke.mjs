// The smoke test every runtime runs, from the installed tarball: train the seed model one epoch on
// 512 MNIST-shaped samples (784 features, 10 classes), predict, and report what ran. Plain
// JavaScript that imports nothing but what the caller hands in, so Node, Deno, Bun, workerd and
// Chromium all run this same file.

/** mulberry32: a small seeded generator, so every runtime sees the same data. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 512 × 784 pixels in [0, 1); the label of a sample is the arg-max of a fixed random projection, so it is learnable. */
function data(n, features, classes) {
  const next = rng(7);
  const x = new Float32Array(n * features);
  for (let i = 0; i < x.length; i++) x[i] = next();
  const w = new Float32Array(classes * features);
  for (let i = 0; i < w.length; i++) w[i] = next() - 0.5;
  const y = new Float32Array(n * classes);
  for (let s = 0; s < n; s++) {
    let best = 0;
    let bestScore = -Infinity;
    for (let c = 0; c < classes; c++) {
      let score = 0;
      for (let f = 0; f < features; f++) score += w[c * features + f] * x[s * features + f];
      if (score > bestScore) { bestScore = score; best = c; }
    }
    y[s * classes + best] = 1;
  }
  return { x, y };
}

/** FNV-1a over the bytes of a Float32Array: equal checksums mean bit-identical predictions. */
function checksum(f32) {
  const bytes = new Uint8Array(f32.buffer, f32.byteOffset, f32.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** One checksum over all of a model's weights (getWeights order). */
function weightsChecksum(weights) {
  const all = new Float32Array(weights.reduce((n, w) => n + w.data.length, 0));
  let o = 0;
  for (const w of weights) {
    all.set(w.data, o);
    o += w.data.length;
  }
  return checksum(all);
}

/**
 * Runs the smoke test with the module namespace `km` ('kerasm'), `readyOptions` for km.ready, and
 * `batchSize` for fit (32). Resolves to a plain object; `problems` lists every check that failed
 * (empty: passed); `checksum` and `weights` fingerprint the predictions and the trained weights.
 */
export async function smoke(km, readyOptions = {}, { batchSize = 32 } = {}) {
  const t0 = Date.now();
  const problems = [];
  await km.ready(readyOptions);
  const info = km.backendInfo();
  km.setSeed(42);
  const n = 512;
  const { x, y } = data(n, 784, 10);
  const xs = km.tensor(x, [n, 784]);
  const ys = km.tensor(y, [n, 10]);
  const model = km.sequential({ layers: [
    km.layers.dense({ units: 64, activation: 'relu', inputShape: [784],
                      kernelRegularizer: km.regularizers.l2(0.01) }),
    km.layers.dropout({ rate: 0.5 }),
    km.layers.dense({ units: 10, activation: 'softmax' }),
  ]});
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const before = model.evaluate(xs, ys);
  const history = await model.fit(xs, ys, { epochs: 1, batchSize, verbose: 0 });
  const after = model.evaluate(xs, ys);
  const probs = model.predict(xs);
  const trainLoss = history.history.loss?.[0];

  if (!(typeof trainLoss === 'number' && Number.isFinite(trainLoss))) problems.push(`training loss is ${trainLoss}`);
  if (!(after.loss < before.loss)) problems.push(`loss did not fall: ${before.loss} before fit, ${after.loss} after`);
  if (!(probs.shape.length === 2 && probs.shape[0] === n && probs.shape[1] === 10)) problems.push(`predict shape [${probs.shape}]`);
  let worstRow = 0;
  for (let s = 0; s < n; s++) {
    let sum = 0;
    for (let c = 0; c < 10; c++) {
      const p = probs.data[s * 10 + c];
      if (!(p >= 0 && p <= 1)) problems.push(`probability ${p} at [${s}, ${c}]`);
      sum += p;
    }
    worstRow = Math.max(worstRow, Math.abs(sum - 1));
  }
  if (!(worstRow < 1e-4)) problems.push(`softmax rows sum to 1 ± ${worstRow}`);
  const result = {
    build: info.build,
    relaxedSimd: info.relaxedSimd,
    threads: info.threads,
    threadCount: info.threadCount ?? 1,
    lossBefore: before.loss,
    lossAfter: after.loss,
    accuracyAfter: after.accuracy,
    trainLoss,
    checksum: checksum(probs.data),
    weights: weightsChecksum(model.getWeights()),
    ms: Date.now() - t0,
    problems,
  };
  model.dispose();
  return result;
}
