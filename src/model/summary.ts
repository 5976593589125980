// Keras-style model summary.
import type { Model } from './model.js';

function fmtBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(2)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(2)} KB`;
  return `${n.toFixed(2)} B`;
}

export function summaryLines(model: Model): string[] {
  const widths = [33, 24, 15];
  const rows = model.layers.map((l) => [
    `${l.name} (${l.className})`,
    `(None, ${(l.outputShape ?? []).join(', ')})`,
    l.countParams().toLocaleString('en-US'),
  ]);
  const cell = (s: string, w: number, right = false) => ` ${right ? s.padStart(w - 2) : s.padEnd(w - 2)} `;
  const line = (l: string, m: string, r: string, fill: string) => l + widths.map((w) => fill.repeat(w)).join(m) + r;
  const total = model.countParams();
  const trainable = model.trainableWeights.reduce((n, w) => n + w.size, 0);
  const out = [`Model: "${model.name}"`, line('┏', '┳', '┓', '━')];
  out.push('┃' + [cell('Layer (type)', widths[0]!), cell('Output Shape', widths[1]!), cell('Param #', widths[2]!, true)].join('┃') + '┃');
  out.push(line('┡', '╇', '┩', '━'));
  rows.forEach((r, i) => {
    out.push('│' + [cell(r[0]!, widths[0]!), cell(r[1]!, widths[1]!), cell(r[2]!, widths[2]!, true)].join('│') + '│');
    if (i < rows.length - 1) out.push(line('├', '┼', '┤', '─'));
  });
  out.push(line('└', '┴', '┘', '─'));
  out.push(` Total params: ${total.toLocaleString('en-US')} (${fmtBytes(total * 4)})`);
  out.push(` Trainable params: ${trainable.toLocaleString('en-US')} (${fmtBytes(trainable * 4)})`);
  out.push(` Non-trainable params: ${(total - trainable).toLocaleString('en-US')} (${fmtBytes((total - trainable) * 4)})`);
  return out;
}
