// The overfitting lab, in two chapters on the same small slice of real MNIST. The MLP chapter (this
// file): a deliberately large dense network in several variants (no remedy, L2, proximal L1,
// dropout, dropout + max-norm, early stopping, all combined). The image chapter
// (examples/lab-images.mjs): a convnet with the image remedies. The text chapter
// (examples/lab-text.mjs): an LSTM on real mails with the sequence remedies. Prints a table per variant and
// writes one self-contained HTML report (examples/lab-report.mjs) with learning curves, weight
// histograms and the augmented digits.
//   node examples/lab.mjs [--quick] [--chapters mlp,images] [--variants baseline,l2,...]
//                         [--image-variants baseline,...] [--text-variants baseline,...] [--train 1000] [--val 1000] [--epochs 60]
//                         [--image-epochs 30] [--text-epochs 30] [--text-train 400] [--units 512] [--batch 32] [--seed 42] [--verbose 0|1|2]
//                         [--out lab-report.html] [--figure docs/lab-curves.svg] [--image-figure PATH]
// `npm start` runs it after the seed model (examples/main.mjs). Tests call `runLab(km, options)`.
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMnist, oneHot } from './mnist.mjs';
import { formatTable, trainVariant } from './lab-common.mjs';
import { IMAGE_VARIANTS, runImageChapter } from './lab-images.mjs';
import { TEXT_VARIANTS, runTextChapter } from './lab-text.mjs';
import { renderFigure, renderReport } from './lab-report.mjs';

export { formatTable, markdownTable } from './lab-common.mjs';
export { IMAGE_VARIANTS } from './lab-images.mjs';
export { TEXT_VARIANTS } from './lab-text.mjs';

/** The lab's chapters, in the order they run. */
export const CHAPTERS = ['mlp', 'images', 'text'];

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

export const DEFAULTS = {
  chapters: CHAPTERS.slice(), variants: VARIANTS.map((v) => v.id), imageVariants: IMAGE_VARIANTS.map((v) => v.id),
  textVariants: TEXT_VARIANTS.map((v) => v.id),
  train: 1000, val: 1000, epochs: 60, imageEpochs: 30, units: 512, batch: 32, seed: 42, verbose: 1,
  textTrain: 400, textVal: 200, textTest: 600, textEpochs: 30,
  out: 'lab-report.html', figure: null, imageFigure: null, textFigure: null,
};

/**
 * `--quick`: every variant of both chapters; the MLP on a network half as wide for a third of the
 * epochs (about 12 s of training on a 2-core machine instead of 70), the convnet for QUICK_IMAGE_EPOCHS. The
 * baselines still overfit and the remedies still show; flags given explicitly win.
 */
export const QUICK = { units: 256, epochs: 20, imageEpochs: 8, textEpochs: 6 };

const USAGE = `Usage: node examples/lab.mjs [options]   (or: npm start -- [options], after the seed model)
  --quick             a short run: --units ${QUICK.units} --epochs ${QUICK.epochs} --image-epochs ${QUICK.imageEpochs} --text-epochs ${QUICK.textEpochs} unless given
  --chapters a,b      which chapters to run (default: all): ${CHAPTERS.join(', ')}
  --variants a,b,...  which variants of the MLP chapter to run (default: all): ${VARIANTS.map((v) => v.id).join(', ')}
  --image-variants a,b,...  which variants of the image chapter (default: all): ${IMAGE_VARIANTS.map((v) => v.id).join(', ')}
  --text-variants a,b,...   which variants of the text chapter (default: all): ${TEXT_VARIANTS.map((v) => v.id).join(', ')}
  --train N           training images (default ${DEFAULTS.train}); the next --val are validation, the rest test
  --val N             validation images for the curves and early stopping (default ${DEFAULTS.val})
  --epochs N          epochs per MLP variant (default ${DEFAULTS.epochs}; early stopping may stop sooner)
  --image-epochs N    epochs per convnet variant (default ${DEFAULTS.imageEpochs})
  --text-epochs N     epochs per LSTM variant of the text chapter (default ${DEFAULTS.textEpochs})
  --text-train N      training mails of the text chapter, half ham, half spam (default ${DEFAULTS.textTrain})
  --text-val N        its validation mails (default ${DEFAULTS.textVal})
  --text-test N       its test mails (default ${DEFAULTS.textTest})
  --units N           units of each of the two hidden layers (default ${DEFAULTS.units})
  --batch N           batch size (default ${DEFAULTS.batch})
  --seed N            km.setSeed before each variant: same initial weights for all (default ${DEFAULTS.seed})
  --verbose 0|1|2     fit's verbosity: 1 is the progress bar (default 1)
  --out PATH          the HTML report (default ${DEFAULTS.out}); --out '' writes none
  --figure PATH       also write the learning curves of every MLP variant as one SVG (docs/lab.md's figures)
  --image-figure PATH the same for the image chapter's variants
  --text-figure PATH  the same for the text chapter's variants`;

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
  const ints = { train: 1, val: 1, epochs: 1, imageEpochs: 1, textEpochs: 1, textTrain: 2, textVal: 2, textTest: 2, units: 1, batch: 1, seed: 0, verbose: 0 };
  // Comma lists: the flag's name, the ids allowed in order, and what an unknown id is called.
  const lists = {
    chapters: [CHAPTERS, 'chapter'],
    variants: [VARIANTS.map((v) => v.id), 'variant'],
    imageVariants: [IMAGE_VARIANTS.map((v) => v.id), 'image variant'],
    textVariants: [TEXT_VARIANTS.map((v) => v.id), 'text variant'],
  };
  for (let i = 0; i < argv.length; i++) {
    let [flag, value] = argv[i].split(/=(.*)/s, 2);
    if (flag === '--help' || flag === '-h') return { ...DEFAULTS, help: true };
    if (flag === '--quick') {
      if (value !== undefined) throw new Error(`Option --quick takes no value, got ${argv[i]}`);
      quick = true;
      continue;
    }
    const name = flag.replace(/^--/, '').replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    if (!flag.startsWith('--') || !(name in DEFAULTS)) throw new Error(`Unknown option ${argv[i]}\n${USAGE}`);
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new Error(`Option ${flag} needs a value\n${USAGE}`);
    }
    if (name in lists) {
      const [all, what] = lists[name];
      const ids = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
      const unknown = ids.filter((id) => !all.includes(id));
      if (ids.length === 0 || unknown.length > 0) throw new Error(`Unknown ${what} ${unknown.join(', ') || '(none given)'}: choose from ${all.join(', ')}`);
      given[name] = all.filter((id) => ids.includes(id));
    } else if (name in ints) {
      const n = Number(value);
      if (!Number.isInteger(n) || n < ints[name] || (name === 'verbose' && n > 2)) throw new Error(`Option ${flag} expects an integer${name === 'verbose' ? ' 0, 1 or 2' : ` ≥ ${ints[name]}`}, got ${value}`);
      given[name] = n;
    } else {
      given[name] = value === '' ? null : value;
    }
  }
  const o = { ...DEFAULTS, chapters: DEFAULTS.chapters.slice(), variants: DEFAULTS.variants.slice(), imageVariants: DEFAULTS.imageVariants.slice(), textVariants: DEFAULTS.textVariants.slice(), ...(quick ? QUICK : {}), ...base, ...given };
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

/** The MLP chapter on the split `data`: `{ results, skipped }`. */
async function runMlpChapter(km, data, o, log) {
  const have = features(km);
  const test = data.testCount - o.val;
  const t = {
    x: km.tensor(data.xTrain, [o.train, 784]), y: km.tensor(oneHot(data.yTrain), [o.train, 10]),
    xv: km.tensor(data.xTest.subarray(0, o.val * 784), [o.val, 784]), yv: km.tensor(oneHot(data.yTest.subarray(0, o.val)), [o.val, 10]),
    xt: km.tensor(data.xTest.subarray(o.val * 784), [test, 784]), trainLabels: data.yTrain, testLabels: data.yTest.subarray(o.val),
  };
  log(`\nOverfitting lab: 784-${o.units}-${o.units}-10 (ReLU, Adam) on ${o.train} MNIST digits, ${o.val} validation, ${test} test; ${o.epochs} epochs, batch ${o.batch}, build ${km.backendInfo().build}`);
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
    const built = build(km, v.id, o.units);
    const r = await trainVariant(km, v, built, t, o);
    built.model.dispose();
    results.push(r);
    log(`\n${formatTable([r])}\n${r.diagnosis.sentence}`);
  }
  if (results.length > 0) log(`\nAll variants\n${formatTable(results)}`);
  return { results, skipped };
}

function writeFigure(km, path, results, log) {
  const full = resolve(path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, renderFigure(km, results));
  log(`Figure: ${full}`);
}

/**
 * Run the lab with the kerasm module `km` (dist in the example, src in tests): the chapters in
 * `options.chapters` (default all three; the MLP and image chapters on the same split). Returns
 * `{ results, skipped, meta, images, text, html }`: the MLP chapter's results (empty when it did
 * not run), `images` the image chapter's `{ results, skipped, meta, samples }` or null, `text` the
 * text chapter's `{ results, skipped, meta }` or null. Writes the report when `options.out` is set.
 */
export async function runLab(km, options = {}) {
  const o = { ...DEFAULTS, ...options };
  const log = o.log ?? console.log;
  await km.ready();
  const data = loadMnist({ seed: 42, trainCount: o.train });
  if (data.testCount <= o.val) throw new Error(`--train ${o.train} and --val ${o.val} leave no test images (the mnist package has ${o.train + data.testCount})`);
  const info = km.backendInfo();
  const meta = {
    architecture: `784-${o.units}-${o.units}-10`, train: o.train, val: o.val, test: data.testCount - o.val, epochs: o.epochs, batch: o.batch, seed: o.seed,
    build: info.build, node: typeof process === 'undefined' ? 'n/a' : process.version,
    command: o.command ?? `node examples/lab.mjs --chapters ${o.chapters.join(',')} --variants ${o.variants.join(',')} --image-variants ${o.imageVariants.join(',')} --text-variants ${o.textVariants.join(',')} --train ${o.train} --val ${o.val} --epochs ${o.epochs} --image-epochs ${o.imageEpochs} --text-epochs ${o.textEpochs} --text-train ${o.textTrain} --text-val ${o.textVal} --text-test ${o.textTest} --units ${o.units} --batch ${o.batch} --seed ${o.seed}`,
  };
  const mlp = o.chapters.includes('mlp') ? await runMlpChapter(km, data, o, log) : { results: [], skipped: [] };
  const images = o.chapters.includes('images') ? await runImageChapter(km, data, o, log) : null;
  const text = o.chapters.includes('text') ? await runTextChapter(km, o, log) : null;
  const lab = { ...mlp, meta, images, text };
  const any = mlp.results.length > 0 || (images !== null && images.results.length > 0) || (text !== null && text.results.length > 0);
  lab.html = any ? renderReport(km, lab) : null;
  if (o.out && lab.html !== null) {
    const path = resolve(o.out);
    writeFileSync(path, lab.html);
    lab.reportPath = path;
    log(`\nReport: ${path} (open it in a browser)`);
  }
  if (o.figure && mlp.results.length > 0) writeFigure(km, o.figure, mlp.results, log);
  if (o.imageFigure && images !== null && images.results.length > 0) writeFigure(km, o.imageFigure, images.results, log);
  if (o.textFigure && text !== null && text.results.length > 0) writeFigure(km, o.textFigure, text.results, log);
  const skipped = [...mlp.skipped, ...(images?.skipped ?? []).map((s) => ({ ...s, id: `images/${s.id}` }))];
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
