// km.exportOnnx: the entry the core package carries. The exporter itself (graph builder,
// conversions, protobuf writer) is a separate module loaded on the first call, so a bundler
// splits it out and users who never export do not download it.
import type { Model } from '../model/model.js';
import type { ExportOnnxOptions } from './export.js';

export type { ExportOnnxOptions } from './export.js';

/**
 * The model's inference graph as ONNX protobuf bytes (`opset` 13 by default, up to 21):
 * channels-last inputs with a free batch dimension, names kept, dropout and noise removed.
 * Run it in ONNX Runtime (onnxruntime-node, onnxruntime-web) or any ONNX engine.
 */
export async function exportOnnx(model: Model, options?: ExportOnnxOptions): Promise<Uint8Array> {
  const { exportOnnx: run } = await import('./export.js');
  return run(model, options);
}
