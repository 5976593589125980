// The overfitting lab: a deliberately large network on a small slice of real MNIST, trained in
// several variants (no remedy, L2, proximal L1, dropout, dropout + max-norm, early stopping, all
// combined). Prints a table per variant and writes a self-contained HTML report with learning
// curves and weight histograms.
//   node examples/lab.mjs [--quick] [--variants baseline,l2,...] [--train 1000] [--val 1000]
//                         [--epochs 60] [--units 512] [--batch 32] [--seed 42] [--verbose 0|1|2]
//                         [--out lab-report.html] [--figure docs/lab-curves.svg]
// `npm start` runs it after the seed model (examples/main.mjs). Tests call `runLab(km, options)`.
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMnist, oneHot } from './mnist.mjs';

/** Penalty and constraint strengths the variants use (also printed in the report). */
export const SETTINGS = { l2: 1e-3, l1: 1e-4, inputDropout: 0.2, dropout: 0.5, maxNorm: 2, patience: 5 };

/**
 * The variants, in the order they run. `needs` names the public kerasm API a variant uses; if it
 * is missing (an older kerasm), the lab skips the variant with a note.
 */
export const VARIANTS = [
  { id: 'baseline', label: 'no remedy', remedy: 'none', needs: [] },
  { id: 'l2', label: 'L2', remedy: `kernelRegularizer: km.regularizers.l2(${SETTINGS.l2})`, needs: [] },
  { id: 'l1', label: 'L1 (proximal)', remedy: `kernelRegularizer: km.regularizers.l1({ l1: ${SETTINGS.l1}, proximal: true })`, needs: ['proximalL1'] },
  { id: 'dropout', label: 'dropout', remedy: `km.layers.dropout: rate ${SETTINGS.inputDropout} on the input, ${SETTINGS.dropout} after each hidden layer`, needs: [] },
  { id: 'dropout-maxnorm', label: 'dropout + max-norm', remedy: `dropout (${SETTINGS.inputDropout} / ${SETTINGS.dropout}) + kernelConstraint: km.constraints.maxNorm({ maxValue: ${SETTINGS.maxNorm} })`, needs: ['maxNorm'] },
  { id: 'early-stopping', label: 'early stopping', remedy: `km.callbacks.earlyStopping({ patience: ${SETTINGS.patience}, restoreBestWeights: true })`, needs: ['earlyStopping'] },
  { id: 'combined', label: 'all combined', remedy: 'L2 + proximal L1 (km.regularizers.l1l2) + dropout + max-norm + early stopping', needs: ['proximalL1', 'maxNorm', 'earlyStopping'] },
];

export const DEFAULTS = { variants: VARIANTS.map((v) => v.id), train: 1000, val: 1000, epochs: 60, units: 512, batch: 32, seed: 42, verbose: 1, out: 'lab-report.html', figure: null };

/**
 * `--quick`: every variant on a network half as wide for a third of the epochs (about 12 s of
 * training on a 2-core machine instead of 70). The baseline still overfits from the first epochs
 * and the remedies still show; flags given explicitly win.
 */
export const QUICK = { units: 256, epochs: 20 };

const USAGE = `Usage: node examples/lab.mjs [options]   (or: npm start -- [options], after the seed model)
  --quick             a short run: --units ${QUICK.units} --epochs ${QUICK.epochs} unless given
  --variants a,b,...  which variants to run (default: all): ${VARIANTS.map((v) => v.id).join(', ')}
  --train N           training images (default ${DEFAULTS.train}); the next --val are validation, the rest test
  --val N             validation images for the curves and early stopping (default ${DEFAULTS.val})
  --epochs N          epochs per variant (default ${DEFAULTS.epochs}; early stopping may stop sooner)
  --units N           units of each of the two hidden layers (default ${DEFAULTS.units})
  --batch N           batch size (default ${DEFAULTS.batch})
  --seed N            km.setSeed before each variant: same initial weights for all (default ${DEFAULTS.seed})
  --verbose 0|1|2     fit's verbosity: 1 is the progress bar (default 1)
  --out PATH          the HTML report (default ${DEFAULTS.out}); --out '' writes none
  --figure PATH       also write the learning curves of every variant as one SVG (for the README)`;

/** The flags, as `--help` prints them. */
export function usage() {
  return USAGE;
}

/**
 * Parse command-line flags (`--train 500` or `--train=500`). Throws on unknown flags or bad numbers.
 * Precedence: a flag given > `base` (what the caller sets, e.g. EPOCHS) > `--quick` > DEFAULTS.
 * The result has `quick: true` when `--quick` was given.
 */
export function parseLabArgs(argv, base = {}) {
  const given = {};
  let quick = false;
  const ints = { train: 1, val: 1, epochs: 1, units: 1, batch: 1, seed: 0, verbose: 0 };
  for (let i = 0; i < argv.length; i++) {
    let [flag, value] = argv[i].split(/=(.*)/s, 2);
    if (flag === '--help' || flag === '-h') return { ...DEFAULTS, help: true };
    if (flag === '--quick') {
      if (value !== undefined) throw new Error(`Option --quick takes no value, got ${argv[i]}`);
      quick = true;
      continue;
    }
    const name = flag.replace(/^--/, '');
    if (!flag.startsWith('--') || !(name in DEFAULTS)) throw new Error(`Unknown option ${argv[i]}\n${USAGE}`);
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new Error(`Option ${flag} needs a value\n${USAGE}`);
    }
    if (name === 'variants') {
      const ids = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
      const unknown = ids.filter((id) => !VARIANTS.some((v) => v.id === id));
      if (ids.length === 0 || unknown.length > 0) throw new Error(`Unknown variant ${unknown.join(', ') || '(none given)'}: choose from ${VARIANTS.map((v) => v.id).join(', ')}`);
      given.variants = VARIANTS.map((v) => v.id).filter((id) => ids.includes(id));
    } else if (name in ints) {
      const n = Number(value);
      if (!Number.isInteger(n) || n < ints[name] || (name === 'verbose' && n > 2)) throw new Error(`Option --${name} expects an integer${name === 'verbose' ? ' 0, 1 or 2' : ` ≥ ${ints[name]}`}, got ${value}`);
      given[name] = n;
    } else {
      given[name] = value === '' ? null : value;
    }
  }
  const o = { ...DEFAULTS, variants: DEFAULTS.variants.slice(), ...(quick ? QUICK : {}), ...base, ...given };
  return quick ? { ...o, quick } : o;
}

/** Which optional public names this kerasm has. */
function features(km) {
  let proximalL1 = false;
  try {
    proximalL1 = km.regularizers.l1({ l1: 1e-4, proximal: true }).proximal === true;
  } catch {
    proximalL1 = false;
  }
  return {
    proximalL1,
    maxNorm: typeof km.constraints?.maxNorm === 'function',
    earlyStopping: typeof km.callbacks?.earlyStopping === 'function',
  };
}

/** The layers and callbacks of one variant. */
function build(km, id, units) {
  const combined = id === 'combined';
  const kernelRegularizer = id === 'l2' ? km.regularizers.l2(SETTINGS.l2)
    : id === 'l1' ? km.regularizers.l1({ l1: SETTINGS.l1, proximal: true })
    : combined ? km.regularizers.l1l2({ l1: SETTINGS.l1, l2: SETTINGS.l2, proximal: true })
    : null;
  const dropout = id === 'dropout' || id === 'dropout-maxnorm' || combined;
  const kernelConstraint = id === 'dropout-maxnorm' || combined ? km.constraints.maxNorm({ maxValue: SETTINGS.maxNorm }) : null;
  const hidden = (first) => [
    km.layers.dense({ units, activation: 'relu', ...(first ? { inputShape: [784] } : {}), kernelRegularizer, ...(kernelConstraint === null ? {} : { kernelConstraint }) }),
    ...(dropout ? [km.layers.dropout({ rate: SETTINGS.dropout })] : []),
  ];
  const input = dropout && SETTINGS.inputDropout > 0 ? [km.layers.inputLayer({ inputShape: [784] }), km.layers.dropout({ rate: SETTINGS.inputDropout })] : [];
  const model = km.sequential({ layers: [...input, ...hidden(input.length === 0), ...hidden(false), km.layers.dense({ units: 10, activation: 'softmax', kernelRegularizer })] });
  const callbacks = id === 'early-stopping' || combined ? [km.callbacks.earlyStopping({ monitor: 'val_loss', patience: SETTINGS.patience, restoreBestWeights: true })] : [];
  return { model, callbacks };
}

/**
 * Accuracy and mean cross-entropy of predicted probabilities (inference mode: no dropout, no
 * penalty), from one predict pass: the table's columns. Accuracy is Keras's categorical accuracy
 * (the first largest probability is the class), as `evaluate` reports it.
 */
function measure(model, x, labels) {
  const probs = model.predict(x, { batchSize: 256 }).data;
  let sum = 0;
  let hits = 0;
  for (let i = 0; i < labels.length; i++) {
    const row = probs.subarray(i * 10, i * 10 + 10);
    let best = 0;
    for (let c = 1; c < 10; c++) if (row[c] > row[best]) best = c;
    if (best === labels[i]) hits++;
    sum -= Math.log(Math.max(row[labels[i]], 1e-7));
  }
  return { accuracy: hits / labels.length, loss: sum / labels.length };
}

function kernelsOf(model) {
  const all = model.getWeights();
  return model.weights.map((w, i) => [w, all[i]]).filter(([w]) => w.name === 'kernel').map(([, t]) => t);
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

const COLUMNS = [
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

/** The results as a fixed-width text table (one row per variant). */
export function formatTable(results) {
  const pad = (s, w, left) => (left ? s.padEnd(w) : s.padStart(w));
  const head = COLUMNS.map(([h, , w], i) => pad(h, w, i === 0)).join('  ');
  const rows = results.map((r) => COLUMNS.map(([, f, w], i) => pad(f(r), w, i === 0)).join('  '));
  return [head, '─'.repeat(head.length), ...rows].join('\n');
}

/** The results as a Markdown table (for the README). */
export function markdownTable(results) {
  const head = `| ${COLUMNS.map(([h]) => h).join(' | ')} |`;
  const rule = `|${COLUMNS.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`;
  return [head, rule, ...results.map((r) => `| ${COLUMNS.map(([, f]) => f(r)).join(' | ')} |`)].join('\n');
}

const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The self-contained HTML report: table, then per variant its diagnosis, learning curves and weight histogram. */
export function renderReport(km, lab) {
  const { results, meta, skipped } = lab;
  const range = Math.max(...results.map((r) => r.absQ), 1e-6);
  const rows = results.map((r) => `<tr><th scope="row"><a href="#v-${r.id}">${escapeHtml(r.label)}</a></th>${COLUMNS.slice(1).map(([, f]) => `<td>${escapeHtml(f(r))}</td>`).join('')}<td class="verdict ${r.diagnosis.verdict}">${r.diagnosis.verdict}</td></tr>`).join('\n');
  const sections = results.map((r) => `<section class="variant" id="v-${r.id}" data-variant="${r.id}">
<h2>${escapeHtml(r.label)}</h2>
<p class="remedy"><code>${escapeHtml(r.remedy)}</code></p>
<p class="diagnosis"><strong>km.diagnose:</strong> ${escapeHtml(r.diagnosis.sentence)}</p>
<div class="figures">
${km.plot.learningCurves(r.history, { title: `${r.label}: learning curves` })}
${km.plot.weightHistogram(r.kernels, { range: [-range, range], title: `${r.label}: kernel weights` })}
</div>
</section>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kerasm overfitting lab</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2rem auto; max-width: 1120px; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; margin: 1rem 0; }
th, td { padding: 0.3rem 0.6rem; border-bottom: 1px solid #ddd; text-align: right; }
th:first-child, thead th { text-align: left; }
.verdict.overfits { color: #b22; } .verdict.underfits { color: #a60; } .verdict.fits { color: #272; }
.figures { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; }
.figures svg { max-width: 100%; height: auto; border: 1px solid #eee; }
section.variant { margin-top: 2.5rem; }
code { background: #f4f4f4; padding: 0.1rem 0.3rem; }
.meta, .note { color: #555; }
</style>
</head>
<body>
<h1>kerasm overfitting lab</h1>
<p class="meta">A ${meta.architecture} network (ReLU, softmax, Adam, batch ${meta.batch}) trained for ${meta.epochs} epochs on ${meta.train} real MNIST digits from the <code>mnist</code> package; ${meta.val} more for validation (the curves, early stopping) and ${meta.test} held out for test. Seed ${meta.seed} before each variant, so all start from the same weights. kerasm build <code>${escapeHtml(meta.build)}</code>, Node ${escapeHtml(meta.node)}.</p>
<p class="meta">Command: <code>${escapeHtml(meta.command)}</code></p>
<table>
<thead><tr><th>variant</th>${COLUMNS.slice(1).map(([h]) => `<th>${escapeHtml(h)}</th>`).join('')}<th>diagnosis</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<p class="note">Accuracy and loss are measured after training in inference mode (no dropout); the loss is the cross-entropy without penalties (the curves show the losses fit reports, penalties included, as Keras does). Gap = train − test accuracy (variance); train loss shows the bias. ‖W‖₂ and zeros are over all kernel weights. Histograms share one axis (±${range.toPrecision(3)}); exact zeros are counted apart, in red.</p>
${skipped.length === 0 ? '' : `<p class="note">Skipped (this kerasm lacks ${escapeHtml(skipped.map((s) => `${s.id}: ${s.missing.join(', ')}`).join('; '))}).</p>`}
${sections}
</body>
</html>
`;
}

/** The learning curves of every variant stacked in one SVG (the README's figure). */
export function renderFigure(km, results) {
  const w = 720;
  const h = 230;
  const inner = results.map((r, i) => km.plot.learningCurves(r.history, { title: r.label, width: w, height: h }).replace('<svg ', `<svg x="0" y="${i * h}" `));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h * results.length}" viewBox="0 0 ${w} ${h * results.length}">${inner.join('')}</svg>\n`;
}

/**
 * Run the lab with the kerasm module `km` (dist in the example, src in tests).
 * Returns `{ results, skipped, meta, html }`; writes the report when `options.out` is set.
 */
export async function runLab(km, options = {}) {
  const o = { ...DEFAULTS, ...options };
  const log = o.log ?? console.log;
  await km.ready();
  const have = features(km);
  const data = loadMnist({ seed: 42, trainCount: o.train });
  if (data.testCount <= o.val) throw new Error(`--train ${o.train} and --val ${o.val} leave no test images (the mnist package has ${o.train + data.testCount})`);
  const test = data.testCount - o.val;
  const x = km.tensor(data.xTrain, [o.train, 784]);
  const y = km.tensor(oneHot(data.yTrain), [o.train, 10]);
  const xv = km.tensor(data.xTest.subarray(0, o.val * 784), [o.val, 784]);
  const yv = km.tensor(oneHot(data.yTest.subarray(0, o.val)), [o.val, 10]);
  const xt = km.tensor(data.xTest.subarray(o.val * 784), [test, 784]);
  const ytLabels = data.yTest.subarray(o.val);
  const info = km.backendInfo();
  const meta = {
    architecture: `784-${o.units}-${o.units}-10`, train: o.train, val: o.val, test, epochs: o.epochs, batch: o.batch, seed: o.seed,
    build: info.build, node: typeof process === 'undefined' ? 'n/a' : process.version,
    command: o.command ?? `node examples/lab.mjs --variants ${o.variants.join(',')} --train ${o.train} --val ${o.val} --epochs ${o.epochs} --units ${o.units} --batch ${o.batch} --seed ${o.seed}`,
  };
  log(`\nOverfitting lab: ${meta.architecture} (ReLU, Adam) on ${o.train} MNIST digits, ${o.val} validation, ${test} test; ${o.epochs} epochs, batch ${o.batch}, build ${info.build}`);
  const results = [];
  const skipped = [];
  for (const v of VARIANTS.filter((x) => o.variants.includes(x.id))) {
    const missing = v.needs.filter((f) => !have[f]);
    if (missing.length > 0) {
      skipped.push({ id: v.id, missing });
      log(`\n[${v.id}] skipped: this kerasm has no ${missing.join(', ')} yet`);
      continue;
    }
    log(`\n[${v.id}] ${v.label}: ${v.remedy}`);
    km.setSeed(o.seed);
    const { model, callbacks } = build(km, v.id, o.units);
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const t0 = performance.now();
    const history = await model.fit(x, y, { epochs: o.epochs, batchSize: o.batch, validationData: [xv, yv], callbacks, verbose: o.verbose });
    const seconds = (performance.now() - t0) / 1000;
    const train = measure(model, x, data.yTrain);
    const testEval = measure(model, xt, ytLabels);
    const kernels = kernelsOf(model);
    const stats = weightStats(km, model, kernels);
    const diagnosis = km.diagnose(history);
    const restored = callbacks.length > 0;
    const r = {
      id: v.id, label: v.label, remedy: v.remedy,
      trainAcc: train.accuracy, testAcc: testEval.accuracy, gap: train.accuracy - testEval.accuracy,
      trainLoss: train.loss, testLoss: testEval.loss, norm: stats.norm, zeroFraction: stats.zeroFraction, weights: stats.weights,
      epochs: history.epoch.length, bestEpoch: diagnosis.bestEpoch, restored, seconds,
      history: { epoch: history.epoch.slice(), history: Object.fromEntries(Object.entries(history.history).map(([k, s]) => [k, s.slice()])) },
      diagnosis, kernels, absQ: quantileAbs(kernels, 0.999),
    };
    model.dispose();
    results.push(r);
    log(`\n${formatTable([r])}\n${diagnosis.sentence}`);
  }
  if (results.length > 0) log(`\nAll variants\n${formatTable(results)}`);
  const lab = { results, skipped, meta };
  lab.html = results.length > 0 ? renderReport(km, lab) : null;
  if (o.out && lab.html !== null) {
    const path = resolve(o.out);
    writeFileSync(path, lab.html);
    lab.reportPath = path;
    log(`\nReport: ${path} (open it in a browser)`);
  }
  if (o.figure && results.length > 0) {
    const path = resolve(o.figure);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, renderFigure(km, results));
    log(`Figure: ${path}`);
  }
  if (skipped.length > 0) log(`Skipped: ${skipped.map((s) => `${s.id} (needs ${s.missing.join(', ')})`).join('; ')}`);
  return lab;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let options;
  try {
    options = parseLabArgs(process.argv.slice(2));
  } catch (e) {
    console.error(e.message);
    process.exit(2);
  }
  if (options.help) {
    console.log(usage());
  } else {
    const km = await import('../dist/index.js');
    await runLab(km, { ...options, command: `node examples/lab.mjs ${process.argv.slice(2).join(' ')}`.trim() });
  }
}
