// TF.js on its pure-JS `cpu` backend, the parity oracle.
import * as tf from '@tensorflow/tfjs';

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
