// The one graph pass the export makes: a Transpose that undoes the Transpose before it goes,
// so consecutive channels-first layers (Conv → MaxPool → Conv) stay channels-first in ONNX
// instead of going back to channels-last between them. Values are unchanged (a transpose moves
// elements, it does not compute).
import type { NodeMessage } from './protobuf.js';

function perm(node: NodeMessage): readonly number[] {
  const a = node.attributes.find((x) => x.name === 'perm')!.value;
  return a.kind === 'ints' ? a.value : [];
}

/** Whether Transpose(second) ∘ Transpose(first) is the identity. */
function cancels(first: NodeMessage, second: NodeMessage): boolean {
  const p = perm(first);
  const q = perm(second);
  return p.length === q.length && q.every((axis, i) => p[axis] === i);
}

/**
 * Remove in place every Transpose whose input is a Transpose it undoes (readers of its output
 * read the first one's input instead), then the transposes nobody reads any more. Tensors in
 * `keep` (graph outputs) are left as they are.
 */
export function dropCancellingTransposes(nodes: NodeMessage[], keep: ReadonlySet<string>): void {
  const producer = new Map<string, NodeMessage>();
  for (const n of nodes) for (const o of n.outputs) producer.set(o, n);
  const replaced = new Map<string, string>();
  const removed = new Set<NodeMessage>();
  for (const n of nodes) {
    (n as { inputs: readonly string[] }).inputs = n.inputs.map((i) => replaced.get(i) ?? i);
    if (n.opType !== 'Transpose' || keep.has(n.outputs[0]!)) continue;
    const first = producer.get(n.inputs[0]!);
    if (first === undefined || first.opType !== 'Transpose' || !cancels(first, n)) continue;
    replaced.set(n.outputs[0]!, first.inputs[0]!);
    removed.add(n);
  }
  const read = new Set<string>(keep);
  for (const n of nodes) if (!removed.has(n)) for (const i of n.inputs) read.add(i);
  for (const n of nodes) if (n.opType === 'Transpose' && !read.has(n.outputs[0]!)) removed.add(n);
  const kept = nodes.filter((n) => !removed.has(n));
  nodes.length = 0;
  nodes.push(...kept);
}
