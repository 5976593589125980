// The overfitting lab's image chapter: a small convnet that overfits 1,000 real MNIST digits,
// trained in the variants practitioners reach for with images (no remedy, L2 on the kernels,
// dropout, SpatialDropout2D, augmentation, BatchNormalization, all combined), measured as the MLP
// chapter is, plus a strip of augmented sample digits: what the augmented network was fed.
// runLab (examples/lab.mjs) runs it after the MLP chapter on the same split.
import { IMAGE_COLUMNS, formatTable, trainVariant } from './lab-common.mjs';
import { oneHot } from './mnist.mjs';

/** The convnet's sizes and the remedies' strengths (also printed in the report). */
export const IMAGE_SETTINGS = {
  filters: [16, 32], units: 128, l2: 1e-3, dropout: 0.5, spatialDropout: 0.2,
  // Augmentation, Keras 3 factors: translation and zoom in fractions of the size, rotation in
  // fractions of a full turn (0.05: ±18°); flips are wrong for digits. Constant fill with 0 is
  // MNIST's black background.
  translation: 0.1, rotation: 0.05, zoom: 0.1,
};

const S = IMAGE_SETTINGS;
const AUGMENT = `km.layers.randomTranslation({ heightFactor: ${S.translation}, widthFactor: ${S.translation} }), randomRotation({ factor: ${S.rotation} }), randomZoom({ heightFactor: ${S.zoom} }) on the input (fillMode 'constant')`;

/** The image chapter's variants, in the order they run; `needs` as in the MLP chapter's VARIANTS. */
export const IMAGE_VARIANTS = [
  { id: 'baseline', label: 'no remedy', remedy: 'none', needs: [] },
  { id: 'l2', label: 'L2', remedy: `kernelRegularizer: km.regularizers.l2(${S.l2}) on every convolution and dense kernel`, needs: [] },
  { id: 'dropout', label: 'dropout', remedy: `km.layers.dropout({ rate: ${S.dropout} }) before and after the dense layer`, needs: [] },
  { id: 'spatial-dropout', label: 'SpatialDropout2D', remedy: `km.layers.spatialDropout2d({ rate: ${S.spatialDropout} }) after each pooling (whole feature maps)`, needs: [] },
  { id: 'augmentation', label: 'augmentation', remedy: AUGMENT, needs: ['augmentation'] },
  { id: 'batchnorm', label: 'BatchNormalization', remedy: 'conv2d({ useBias: false }) → km.layers.batchNormalization() → relu, both convolutions', needs: [] },
  { id: 'combined', label: 'all combined', remedy: 'augmentation + L2 + SpatialDropout2D + dropout + BatchNormalization', needs: ['augmentation'] },
];

/** The augmentation layers the chapter uses (km.layers factories). */
const AUGMENTATION = ['randomTranslation', 'randomRotation', 'randomZoom'];

/** Whether this kerasm has the augmentation layers the chapter uses. */
export function hasAugmentation(km) {
  return AUGMENTATION.every((name) => typeof km.layers?.[name] === 'function');
}

/** The augmentation layers (fresh instances). */
export function augmentationLayers(km) {
  const fill = { fillMode: 'constant', fillValue: 0 };
  return [
    km.layers.randomTranslation({ heightFactor: S.translation, widthFactor: S.translation, ...fill }),
    km.layers.randomRotation({ factor: S.rotation, ...fill }),
    km.layers.randomZoom({ heightFactor: S.zoom, ...fill }),
  ];
}

/** The layers of one variant's convnet (no callbacks: every variant trains for all its epochs). */
function buildConvnet(km, id) {
  const all = id === 'combined';
  const kernelRegularizer = id === 'l2' || all ? km.regularizers.l2(S.l2) : null;
  const reg = kernelRegularizer === null ? {} : { kernelRegularizer };
  const batchNorm = id === 'batchnorm' || all;
  const spatial = id === 'spatial-dropout' || all;
  const dropout = id === 'dropout' || all;
  const layers = [km.layers.inputLayer({ inputShape: [28, 28, 1] })];
  if (id === 'augmentation' || all) layers.push(...augmentationLayers(km));
  for (const filters of S.filters) {
    if (batchNorm) {
      layers.push(km.layers.conv2d({ filters, kernelSize: 3, useBias: false, ...reg }), km.layers.batchNormalization(), km.layers.activation({ activation: 'relu' }));
    } else {
      layers.push(km.layers.conv2d({ filters, kernelSize: 3, activation: 'relu', ...reg }));
    }
    layers.push(km.layers.maxPooling2d({ poolSize: 2 }));
    if (spatial) layers.push(km.layers.spatialDropout2d({ rate: S.spatialDropout }));
  }
  layers.push(km.layers.flatten());
  if (dropout) layers.push(km.layers.dropout({ rate: S.dropout }));
  layers.push(km.layers.dense({ units: S.units, activation: 'relu', ...reg }));
  if (dropout) layers.push(km.layers.dropout({ rate: S.dropout }));
  layers.push(km.layers.dense({ units: 10, activation: 'softmax', ...reg }));
  return { model: km.sequential({ layers }), callbacks: [] };
}

/** The architecture in one line (the report's and the plan's wording). */
export const IMAGE_ARCHITECTURE = `conv ${S.filters[0]} 3×3, max-pool 2, conv ${S.filters[1]} 3×3, max-pool 2, dense ${S.units}, dense 10`;

/** Columns of the strip: the first training digit of each class. */
function firstOfEachClass(labels) {
  const picks = [];
  for (let c = 0; c < 10; c++) {
    const i = labels.indexOf(c);
    if (i >= 0) picks.push(i);
  }
  return picks;
}

/**
 * Sample digits and `rows` augmented copies of them: the augmentation layers the variants use, in
 * training mode (`predict(x, { training: true })`), from `km.setSeed(seed)`.
 * @returns {{ labels: number[], rows: Float32Array[], count: number }} row 0 is the originals
 */
export function augmentedSamples(km, pixels, labels, { seed, rows = 3 }) {
  const picks = firstOfEachClass(labels);
  const n = picks.length;
  const originals = new Float32Array(n * 784);
  picks.forEach((p, j) => originals.set(pixels.subarray(p * 784, p * 784 + 784), j * 784));
  km.setSeed(seed);
  const model = km.sequential({ layers: [km.layers.inputLayer({ inputShape: [28, 28, 1] }), ...augmentationLayers(km)] });
  const x = km.tensor(originals, [n, 28, 28, 1]);
  const out = [originals];
  for (let r = 0; r < rows; r++) out.push(Float32Array.from(model.predict(x, { batchSize: n, training: true }).data));
  model.dispose();
  return { labels: picks.map((p) => labels[p]), rows: out, count: n };
}

/**
 * The samples as one SVG: a row of originals, then the augmented rows; ink = pixel value (dark
 * digits on white, so the constant fill is the page). Equal grey levels (16) along a row are one
 * run, each level one <path> (about 100 KB for 40 digits).
 */
export function renderDigitStrip({ labels, rows, count }, { scale = 3, title = 'Augmented training digits' } = {}) {
  const cell = 28 * scale;
  const gap = 6;
  const left = 92;
  const top = 44;
  const width = left + count * (cell + gap);
  const height = top + rows.length * (cell + gap) + 4;
  const levels = Array.from({ length: 16 }, () => []);
  rows.forEach((img, r) => {
    for (let j = 0; j < count; j++) {
      const x0 = left + j * (cell + gap);
      const y0 = top + r * (cell + gap);
      for (let y = 0; y < 28; y++) {
        let x = 0;
        while (x < 28) {
          const level = Math.min(15, Math.round(Math.max(0, Math.min(1, img[j * 784 + y * 28 + x])) * 15));
          let end = x + 1;
          while (end < 28 && Math.min(15, Math.round(Math.max(0, Math.min(1, img[j * 784 + y * 28 + end])) * 15)) === level) end++;
          if (level > 0) levels[level].push(`M${x0 + x * scale} ${y0 + y * scale}h${(end - x) * scale}v${scale}h-${(end - x) * scale}z`);
          x = end;
        }
      }
    }
  });
  const frames = rows.flatMap((_, r) => labels.map((_, j) => `<rect x="${left + j * (cell + gap) - 0.5}" y="${top + r * (cell + gap) - 0.5}" width="${cell + 1}" height="${cell + 1}" fill="none" stroke="#ccc"/>`));
  const paths = levels.map((d, level) => (d.length === 0 ? '' : `<path class="lab-ink" data-level="${level}" fill="#000" fill-opacity="${(level / 15).toFixed(3)}" d="${d.join('')}"/>`));
  const rowNames = rows.map((_, r) => `<text x="${left - 8}" y="${top + r * (cell + gap) + cell / 2 + 4}" text-anchor="end" font-size="12">${r === 0 ? 'original' : `augmented ${r}`}</text>`);
  const colNames = labels.map((c, j) => `<text x="${left + j * (cell + gap) + cell / 2}" y="${top - 6}" text-anchor="middle" font-size="12">${c}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" class="lab-digit-strip" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" data-scale="${scale}" data-left="${left}" data-top="${top}" data-gap="${gap}"><title>${title}</title>` +
    `<text x="0" y="16" font-size="14" font-weight="600">${title}</text>${frames.join('')}${paths.join('')}${rowNames.join('')}${colNames.join('')}</svg>`;
}

/**
 * Run the image chapter on the split runLab loaded (`data`: loadMnist's arrays; `o`: runLab's
 * options). Returns `{ results, skipped, meta, samples }` (samples null without augmentation).
 */
export async function runImageChapter(km, data, o, log) {
  const started = performance.now();
  const test = data.testCount - o.val;
  const t = {
    x: km.tensor(data.xTrain, [o.train, 28, 28, 1]), y: km.tensor(oneHot(data.yTrain), [o.train, 10]),
    xv: km.tensor(data.xTest.subarray(0, o.val * 784), [o.val, 28, 28, 1]), yv: km.tensor(oneHot(data.yTest.subarray(0, o.val)), [o.val, 10]),
    xt: km.tensor(data.xTest.subarray(o.val * 784), [test, 28, 28, 1]), trainLabels: data.yTrain, testLabels: data.yTest.subarray(o.val),
  };
  const have = { augmentation: hasAugmentation(km) };
  const meta = { architecture: IMAGE_ARCHITECTURE, train: o.train, val: o.val, test, epochs: o.imageEpochs, batch: o.batch, seed: o.seed, settings: IMAGE_SETTINGS };
  log(`\nImage chapter: a convnet (${IMAGE_ARCHITECTURE}; ReLU, Adam) on the same ${o.train} digits; ${o.imageEpochs} epochs, batch ${o.batch}`);
  const results = [];
  const skipped = [];
  for (const v of IMAGE_VARIANTS.filter((x) => o.imageVariants.includes(x.id))) {
    const missing = v.needs.filter((f) => !have[f]);
    if (missing.length > 0) {
      skipped.push({ id: v.id, missing: AUGMENTATION });
      log(`\n[images/${v.id}] skipped: this kerasm has no ${AUGMENTATION.join(', ')} yet`);
      continue;
    }
    log(`\n[images/${v.id}] ${v.label}: ${v.remedy}`);
    km.setSeed(o.seed);
    const built = buildConvnet(km, v.id);
    const r = await trainVariant(km, v, built, t, { epochs: o.imageEpochs, batch: o.batch, verbose: o.verbose });
    built.model.dispose();
    results.push(r);
    log(`\n${formatTable([r], IMAGE_COLUMNS)}\n${r.diagnosis.sentence}`);
  }
  if (results.length > 0) log(`\nImage chapter, all variants\n${formatTable(results, IMAGE_COLUMNS)}`);
  const samples = have.augmentation ? augmentedSamples(km, data.xTrain, data.yTrain, { seed: o.seed }) : null;
  meta.seconds = (performance.now() - started) / 1000;
  log(`Image chapter: ${meta.seconds.toFixed(1)} s`);
  return { results, skipped, meta, samples };
}
