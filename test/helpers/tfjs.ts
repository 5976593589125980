// TF.js on its pure-JS `cpu` backend, the parity oracle.
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import * as km from '../../src/index.js';

let done: Promise<void> | null = null;
export async function tfReady(): Promise<typeof tf> {
  done ??= (async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  })();
  await done;
  return tf;
}

/** TF.js weights as plain { data, shape } in Keras order. */
export function tfWeights(model: tf.LayersModel): { data: Float32Array; shape: number[] }[] {
  return model.getWeights().map((w) => ({ data: w.dataSync() as Float32Array, shape: w.shape.slice() }));
}

/** ‖a − b‖ / ‖b‖ */
export function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-30);
}

/**
 * Trains a kerasm model and its TF.js twin (both compiled, identical weights) side by side on the
 * same data: 5 epochs of batch 4 without shuffling (20 steps on 16 samples), and expects every
 * epoch's loss and every weight afterwards within 1e-3 relative. Disposes both models and `tx`, `ty`.
 */
export async function expectSameTraining(model: km.Model, tm: tf.LayersModel,
  [tx, ty]: [tf.Tensor, tf.Tensor], [kx, ky]: [km.Tensor, km.Tensor]): Promise<void> {
  const fit = { epochs: 5, batchSize: 4, shuffle: false, verbose: 0 } as const;
  const th = await tm.fit(tx, ty, fit);
  const kh = await model.fit(kx, ky, fit);
  const tfLoss = th.history.loss as number[];
  kh.history.loss!.forEach((l, e) => expect(Math.abs(l - tfLoss[e]!) / Math.abs(tfLoss[e]!), `epoch ${e} loss: kerasm ${l}, TF.js ${tfLoss[e]}`).toBeLessThan(1e-3));
  const tw = tm.getWeights();
  model.getWeights().forEach((w, i) => {
    expect(w.shape, `weight ${i} shape`).toEqual(tw[i]!.shape);
    expect(relDiff(w.data, tw[i]!.dataSync()), `weight ${i} (${model.weights[i]!.name}) after 20 steps`).toBeLessThan(1e-3);
  });
  model.dispose();
  tm.dispose();
  tx.dispose();
  ty.dispose();
}

/** The artifacts a save hands to its handler, kerasm's or TF.js's (`save` is called with the handler). */
export async function captureSave(save: (h: km.IOHandler & tf.io.IOHandler) => Promise<unknown>): Promise<km.ModelArtifacts> {
  let got: km.ModelArtifacts | null = null;
  const handler = km.io.withSaveHandler(async (a) => {
    got = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  });
  await save(handler as km.IOHandler & tf.io.IOHandler);
  expect(got).not.toBeNull();
  return got!;
}
