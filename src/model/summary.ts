// Keras 3-style model summary (keras/src/utils/summary_utils.py). A Sequential, and a functional
// model whose graph is a chain, get three columns; any other functional model a fourth,
// "Connected to". As in Keras 3, a Sequential lists no InputLayer row and a functional model
// does; a nested model is one row. Where Keras wraps a long cell inside its column, kerasm widens
// the column, so a name like `batch_normalization (BatchNormalization)` stays on one line.
import type { Layer } from '../layers/layer.js';
import type { Node } from './graph.js';
import type { Model } from './model.js';

/** Column widths (cell padding included) of Keras 3's summary at its usual 76 characters. */
const CHAIN_WIDTHS = [33, 24, 15];
const GRAPH_WIDTHS = [21, 19, 12, 19];

function fmtBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(2)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(2)} KB`;
  return `${n.toFixed(2)} B`;
}

function shapeText(shape: readonly number[] | null): string {
  return shape === null ? '?' : `(None, ${shape.join(', ')})`;
}

/** `(None, 10)`, or a list for a nested model with several outputs: `[(None, 10), (None, 1)]`. */
function outputShapeText(layer: Layer): string {
  const outs = (layer as Partial<Model>).outputShapes;
  if (outs !== undefined && outs.length > 1) return `[${outs.map(shapeText).join(', ')}]`;
  return shapeText(layer.outputShape);
}

/**
 * Keras 3's test for a chain: no depth of the graph holds two calls, no call reads two tensors,
 * no layer is called twice. Depth: a call's longest distance to an output.
 */
function isChain(model: Model): boolean {
  // Input calls are listed once, whether or not model.nodes holds them.
  const nodes: Node[] = [...new Set([...model.inputs.map((t) => t.node), ...model.nodes])];
  if (nodes.some((n) => n.inputs.length > 1)) return false;
  const layers = new Set(nodes.map((n) => n.layer));
  if (layers.size < nodes.length) return false;
  const depth = new Map<Node, number>();
  // Producers come first: walking backwards meets every reader before what it reads.
  for (const n of [...nodes].reverse()) {
    const d = depth.get(n) ?? 0;
    depth.set(n, d);
    for (const t of n.inputs) depth.set(t.node, Math.max(depth.get(t.node) ?? 0, d + 1));
  }
  return new Set(depth.values()).size === nodes.length;
}

/** The tensors each call of `layer` in this model reads, `name[node][tensor]`, one per line; `-` for none. */
function connections(model: Model, layer: Layer): string[] {
  const calls = model.nodes.filter((n) => n.layer === layer).sort((a, b) => a.index - b.index);
  const refs = calls.flatMap((n) => n.inputs.map((t) => `${t.node.layer.name}[${t.node.index}][${t.index}]`));
  return refs.length === 0 ? ['-'] : refs.map((r, i) => (i < refs.length - 1 ? `${r},` : r));
}

/** The rows of the table: one per layer, each cell a list of lines. */
function tableRows(model: Model, connected: boolean): string[][][] {
  const sequential = model.className === 'Sequential';
  const layers = sequential ? model.layers.filter((l) => l.className !== 'InputLayer') : model.layers;
  return layers.map((l) => {
    const row = [[`${l.name} (${l.className})`], [outputShapeText(l)], [l.countParams().toLocaleString('en-US')]];
    if (connected) row.push(connections(model, l));
    return row;
  });
}

/** The summary, line by line. */
export function summaryLines(model: Model): string[] {
  const connected = model.className !== 'Sequential' && !isChain(model);
  const header = connected ? ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'] : ['Layer (type)', 'Output Shape', 'Param #'];
  const rows = tableRows(model, connected);
  const widths = (connected ? GRAPH_WIDTHS : CHAIN_WIDTHS).map((base, c) =>
    Math.max(base, header[c]!.length + 2, ...rows.flatMap((r) => r[c]!.map((s) => s.length + 2))));
  const cell = (s: string, c: number) => ` ${c === 2 ? s.padStart(widths[c]! - 2) : s.padEnd(widths[c]! - 2)} `;
  const rule = (l: string, m: string, r: string, fill: string) => l + widths.map((w) => fill.repeat(w)).join(m) + r;
  const out = [`Model: "${model.name}"`, rule('┏', '┳', '┓', '━'), '┃' + header.map(cell).join('┃') + '┃', rule('┡', '╇', '┩', '━')];
  rows.forEach((r, i) => {
    const height = Math.max(...r.map((lines) => lines.length));
    for (let k = 0; k < height; k++) out.push('│' + r.map((lines, c) => cell(lines[k] ?? '', c)).join('│') + '│');
    if (i < rows.length - 1) out.push(rule('├', '┼', '┤', '─'));
  });
  out.push(rule('└', '┴', '┘', '─'));
  const total = model.countParams();
  const trainable = model.trainableWeights.reduce((n, w) => n + w.size, 0);
  out.push(` Total params: ${total.toLocaleString('en-US')} (${fmtBytes(total * 4)})`);
  out.push(` Trainable params: ${trainable.toLocaleString('en-US')} (${fmtBytes(trainable * 4)})`);
  out.push(` Non-trainable params: ${(total - trainable).toLocaleString('en-US')} (${fmtBytes((total - trainable) * 4)})`);
  return out;
}
