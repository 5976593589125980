// Compiled by tsc (not run) in a consumer project with the tarball installed: the packed .d.ts
// files must type-check under moduleResolution node16 and bundler, skipLibCheck off.
import * as km from 'kerasm';

export async function main(module: WebAssembly.Module): Promise<number> {
  await km.ready({ module });
  const info: km.BackendInfo = km.backendInfo();
  const build: 'simd' | 'relaxed' | 'threads' = info.build;
  km.setSeed(42);
  const model: km.Sequential = km.sequential({ layers: [
    km.layers.dense({ units: 64, activation: 'relu', inputShape: [784],
                      kernelRegularizer: km.regularizers.l2(0.01) }),
    km.layers.dropout({ rate: 0.5 }),
    km.layers.dense({ units: 10, activation: 'softmax' }),
  ]});
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const x = km.tensor(new Float32Array(4 * 784), [4, 784]);
  const y = km.oneHot([0, 1, 2, 3], 10);
  const history = await model.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0 });
  const losses: number[] = history.history.loss ?? [];
  const probs: km.Tensor = model.predict(x);
  const loss = model.evaluate(x, y).loss ?? Number.NaN;
  const shape: number[] = probs.shape;
  const data: Float32Array = probs.data;
  try {
    km.layers.dropout({ rate: 1.5 });
  } catch (e) {
    if (e instanceof km.ValueError) console.log(e.message, build);
  }
  model.dispose();
  return losses.length + loss + shape.length + data.length;
}
