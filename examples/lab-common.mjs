// What both chapters of the overfitting lab share: training one variant and measuring it (the
// table's columns), the text and Markdown tables, and the numbers behind the weight histograms.
// The MLP chapter is examples/lab.mjs, the image chapter examples/lab-images.mjs, the HTML report
// examples/lab-report.mjs.

/**
 * Accuracy and mean cross-entropy of predicted probabilities (inference mode: no dropout, no
 * augmentation, no penalty), from one predict pass: the table's columns. Accuracy is Keras's
 * categorical accuracy (the first largest probability is the class), as `evaluate` reports it.
 */
export function measure(model, x, labels) {
  const probs = model.predict(x, { batchSize: 256 }).data;
  const k = probs.length / labels.length;   // classes: 10 digits, 2 for ham / spam
  let sum = 0;
  let hits = 0;
  for (let i = 0; i < labels.length; i++) {
    const row = probs.subarray(i * k, i * k + k);
    let best = 0;
    for (let c = 1; c < k; c++) if (row[c] > row[best]) best = c;
    if (best === labels[i]) hits++;
    sum -= Math.log(Math.max(row[labels[i]], 1e-7));
  }
  return { accuracy: hits / labels.length, loss: sum / labels.length };
}

/**
 * Copies of the model's kernels (dense and convolution), layer order; `names` widens the choice
 * (the text chapter also counts embeddings and recurrent kernels).
 */
export function kernelsOf(model, names = ['kernel']) {
  const all = model.getWeights();
  return model.weights.map((w, i) => [w, all[i]]).filter(([w]) => names.includes(w.name)).map(([, t]) => t);
}

function weightStats(km, model, kernels) {
  let sumSq = 0;
  let zeros = 0;
  let total = 0;
  for (const t of kernels) {
    for (const v of t.data) sumSq += v * v;
    total += t.data.length;
  }
  if (typeof km.sparsity === 'function') {
    for (const s of Object.values(km.sparsity(model))) zeros += s.zeros;
  } else {
    for (const t of kernels) for (const v of t.data) if (v === 0) zeros++;
  }
  return { norm: Math.sqrt(sumSq), zeroFraction: zeros / total, weights: total };
}

/** |w| below which `q` of the kernel weights lie (for a shared histogram axis). */
function quantileAbs(kernels, q) {
  const n = kernels.reduce((s, t) => s + t.data.length, 0);
  const abs = new Float32Array(n);
  let o = 0;
  for (const t of kernels) for (const v of t.data) abs[o++] = Math.abs(v);
  abs.sort();
  return abs[Math.min(n - 1, Math.floor(q * n))];
}

/**
 * Train one variant (compiled here with Adam and categorical cross-entropy) and measure it: the
 * table's row, the history for the curves, the kernels for the histogram, km.diagnose's verdict.
 * `data` holds the tensors `x`, `y`, `xv`, `yv`, `xt` and the labels `trainLabels`, `testLabels`.
 */
export async function trainVariant(km, variant, { model, callbacks }, data, o) {
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const t0 = performance.now();
  const history = await model.fit(data.x, data.y, { epochs: o.epochs, batchSize: o.batch, validationData: [data.xv, data.yv], callbacks, verbose: o.verbose });
  const seconds = (performance.now() - t0) / 1000;
  const train = measure(model, data.x, data.trainLabels);
  const testEval = measure(model, data.xt, data.testLabels);
  const kernels = kernelsOf(model, o.weightNames);
  const stats = weightStats(km, model, kernels);
  const diagnosis = km.diagnose(history);
  const restored = callbacks.length > 0;
  return {
    id: variant.id, label: variant.label, remedy: variant.remedy,
    trainAcc: train.accuracy, testAcc: testEval.accuracy, gap: train.accuracy - testEval.accuracy,
    trainLoss: train.loss, testLoss: testEval.loss, norm: stats.norm, zeroFraction: stats.zeroFraction, weights: stats.weights,
    epochs: history.epoch.length, bestEpoch: diagnosis.bestEpoch, restored, seconds,
    history: { epoch: history.epoch.slice(), history: Object.fromEntries(Object.entries(history.history).map(([k, s]) => [k, s.slice()])) },
    diagnosis, kernels, absQ: quantileAbs(kernels, 0.999),
  };
}

/** The table's columns: heading, cell, width in the text table. */
export const COLUMNS = [
  ['variant', (r) => r.label, 20],
  ['train acc', (r) => r.trainAcc.toFixed(4), 9],
  ['test acc', (r) => r.testAcc.toFixed(4), 8],
  ['gap', (r) => r.gap.toFixed(4), 7],
  ['train loss', (r) => r.trainLoss.toFixed(4), 10],
  ['test loss', (r) => r.testLoss.toFixed(4), 9],
  ['‖W‖₂', (r) => r.norm.toFixed(2), 7],
  ['zeros', (r) => `${(100 * r.zeroFraction).toFixed(1)} %`, 7],
  ['epochs', (r) => (r.bestEpoch !== null && r.restored ? `${r.epochs} (best ${r.bestEpoch})` : String(r.epochs)), 13],
  ['time', (r) => `${r.seconds.toFixed(1)} s`, 7],
];

/** The image chapter's columns: the same without `zeros` (no variant there sets weights to 0). */
export const IMAGE_COLUMNS = COLUMNS.filter(([h]) => h !== 'zeros');

/** The results as a fixed-width text table (one row per variant). */
export function formatTable(results, columns = COLUMNS) {
  const pad = (s, w, left) => (left ? s.padEnd(w) : s.padStart(w));
  const head = columns.map(([h, , w], i) => pad(h, w, i === 0)).join('  ');
  const rows = results.map((r) => columns.map(([, f, w], i) => pad(f(r), w, i === 0)).join('  '));
  return [head, '─'.repeat(head.length), ...rows].join('\n');
}

/** The results as a Markdown table (for docs/lab.md). */
export function markdownTable(results, columns = COLUMNS) {
  const head = `| ${columns.map(([h]) => h).join(' | ')} |`;
  const rule = `|${columns.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`;
  return [head, rule, ...results.map((r) => `| ${columns.map(([, f]) => f(r)).join(' | ')} |`)].join('\n');
}
