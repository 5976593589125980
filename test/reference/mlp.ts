// A float64 reference of Keras 3 training for a stack of Dense layers: forward, loss, penalties,
// backward and one optimizer step per batch, no shuffling, no dropout. It checks kerasm where
// TF.js differs from Keras (Adam's ε) or lacks the feature (AdamW, AMSGrad, activity
// regularizers, huber, fromLogits, labelSmoothing).
import * as L from './losses.js';
import { adagradRef, adamRef, rmspropRef, sgdRef } from './optimizers.js';

export interface Penalty {
  l1?: number;
  l2?: number;
}

export interface RefDense {
  W: Float64Array; // inDim × units
  b: Float64Array | null;
  inDim: number;
  units: number;
  activation: 'linear' | 'relu' | 'tanh' | 'sigmoid' | 'softmax' | 'elu';
  kernelRegularizer?: Penalty;
  biasRegularizer?: Penalty;
  activityRegularizer?: Penalty;
}

export type RefLoss = 'categoricalCrossentropy' | 'sparseCategoricalCrossentropy' | 'binaryCrossentropy' | 'meanSquaredError' | 'meanAbsoluteError' | 'huber';

export type RefOptimizer =
  | { kind: 'sgd'; learningRate: number; momentum?: number; nesterov?: boolean; weightDecay?: number }
  | { kind: 'adam'; learningRate: number; beta1?: number; beta2?: number; epsilon?: number; amsgrad?: boolean; weightDecay?: number }
  | { kind: 'rmsprop'; learningRate: number; rho?: number; momentum?: number; epsilon?: number; centered?: boolean; weightDecay?: number }
  | { kind: 'adagrad'; learningRate: number; initialAccumulatorValue?: number; epsilon?: number; weightDecay?: number };

export interface RefFit {
  loss: RefLoss;
  fromLogits?: boolean;
  labelSmoothing?: number;
  delta?: number;
  optimizer: RefOptimizer;
  epochs: number;
  batchSize: number;
}

function act(name: RefDense['activation'], z: Float64Array, rows: number, cols: number): Float64Array {
  const a = new Float64Array(z.length);
  if (name === 'softmax') {
    for (let r = 0; r < rows; r++) {
      let m = -Infinity;
      for (let j = 0; j < cols; j++) m = Math.max(m, z[r * cols + j]!);
      let s = 0;
      for (let j = 0; j < cols; j++) s += Math.exp(z[r * cols + j]! - m);
      for (let j = 0; j < cols; j++) a[r * cols + j] = Math.exp(z[r * cols + j]! - m) / s;
    }
    return a;
  }
  for (let i = 0; i < z.length; i++) {
    const v = z[i]!;
    a[i] = name === 'relu' ? Math.max(v, 0) : name === 'tanh' ? Math.tanh(v) : name === 'sigmoid' ? 1 / (1 + Math.exp(-v)) : name === 'elu' ? (v > 0 ? v : Math.expm1(v)) : v;
  }
  return a;
}

/** da ← da·act'(z) (softmax: the row Jacobian). */
function actGrad(name: RefDense['activation'], z: Float64Array, a: Float64Array, da: Float64Array, rows: number, cols: number): void {
  if (name === 'softmax') {
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let j = 0; j < cols; j++) s += da[r * cols + j]! * a[r * cols + j]!;
      for (let j = 0; j < cols; j++) da[r * cols + j] = a[r * cols + j]! * (da[r * cols + j]! - s);
    }
    return;
  }
  for (let i = 0; i < z.length; i++) {
    const v = z[i]!;
    const d = name === 'relu' ? (v > 0 ? 1 : 0) : name === 'tanh' ? 1 - a[i]! ** 2 : name === 'sigmoid' ? a[i]! * (1 - a[i]!) : name === 'elu' ? (v > 0 ? 1 : a[i]! + 1) : 1;
    da[i] = da[i]! * d;
  }
}

function penaltyOf(w: ArrayLike<number>, p: Penalty | undefined): number {
  if (p === undefined) return 0;
  let s = 0;
  for (let i = 0; i < w.length; i++) s += (p.l1 ?? 0) * Math.abs(w[i]!) + (p.l2 ?? 0) * w[i]! ** 2;
  return s;
}

function addPenaltyGrad(w: ArrayLike<number>, g: Float64Array, p: Penalty | undefined): void {
  if (p === undefined) return;
  for (let i = 0; i < w.length; i++) g[i]! += (p.l1 ?? 0) * Math.sign(w[i]!) + 2 * (p.l2 ?? 0) * w[i]!;
}

function lossRef(fit: RefFit, fused: boolean, args: L.LossArgs): L.LossRef {
  switch (fit.loss) {
    case 'categoricalCrossentropy': return fused || fit.fromLogits ? L.softmaxXent(args) : L.xent(args);
    case 'sparseCategoricalCrossentropy': return fused || fit.fromLogits ? L.sparseSoftmaxXent(args) : L.sparseXent(args);
    case 'binaryCrossentropy': return fused || fit.fromLogits ? L.sigmoidBce(args) : L.bce(args);
    case 'meanSquaredError': return L.mse(args);
    case 'meanAbsoluteError': return L.mae(args);
    case 'huber': return L.huber(args);
  }
}

/** Train in place; returns the per-epoch loss (batch-size-weighted mean, penalties included). */
export function fitRef(layers: RefDense[], x: ArrayLike<number>, y: ArrayLike<number>, n: number, fit: RefFit): number[] {
  const last = layers[layers.length - 1]!;
  const fused = !fit.fromLogits && last.activityRegularizer === undefined &&
    ((last.activation === 'softmax' && (fit.loss === 'categoricalCrossentropy' || fit.loss === 'sparseCategoricalCrossentropy')) ||
      (last.activation === 'sigmoid' && fit.loss === 'binaryCrossentropy'));
  const params: { w: Float64Array; state: Record<string, Float64Array> }[] = [];
  for (const l of layers) {
    params.push({ w: l.W, state: {} });
    if (l.b !== null) params.push({ w: l.b, state: {} });
  }
  for (const p of params) {
    const z = () => new Float64Array(p.w.length);
    const o = fit.optimizer;
    if (o.kind === 'sgd' && (o.momentum ?? 0) > 0) p.state.m = z();
    if (o.kind === 'adam') {
      p.state.m = z();
      p.state.v = z();
      if (o.amsgrad) p.state.vhat = z();
    }
    if (o.kind === 'rmsprop') {
      p.state.v = z();
      if (o.centered) p.state.mg = z();
      if ((o.momentum ?? 0) > 0) p.state.mom = z();
    }
    if (o.kind === 'adagrad') p.state.acc = new Float64Array(p.w.length).fill(o.initialAccumulatorValue ?? 0.1);
  }
  const inDim = layers[0]!.inDim;
  const sparse = fit.loss === 'sparseCategoricalCrossentropy';
  const yCols = sparse ? 1 : last.units;
  const losses: number[] = [];
  let iteration = 0;
  for (let epoch = 0; epoch < fit.epochs; epoch++) {
    let sum = 0;
    for (let start = 0; start < n; start += fit.batchSize) {
      const rows = Math.min(fit.batchSize, n - start);
      const a: Float64Array[] = [Float64Array.from({ length: rows * inDim }, (_, i) => x[start * inDim + i]!)];
      const zs: Float64Array[] = [];
      let activity = 0;
      layers.forEach((l, li) => {
        const prev = a[li]!;
        const z = new Float64Array(rows * l.units);
        for (let r = 0; r < rows; r++) {
          for (let j = 0; j < l.units; j++) {
            let s = l.b === null ? 0 : l.b[j]!;
            for (let k = 0; k < l.inDim; k++) s += prev[r * l.inDim + k]! * l.W[k * l.units + j]!;
            z[r * l.units + j] = s;
          }
        }
        zs.push(z);
        const out = act(l.activation, z, rows, l.units);
        a.push(out);
        activity += penaltyOf(out, l.activityRegularizer);
      });
      const target = Float64Array.from({ length: rows * yCols }, (_, i) => y[start * yCols + i]!);
      const pred = fused ? zs[zs.length - 1]! : a[a.length - 1]!;
      const ref = lossRef(fit, fused, { rows, cols: last.units, pred, target, sw: null, gradScale: 1 / rows, param: fit.loss === 'huber' ? (fit.delta ?? 1) : (fit.labelSmoothing ?? 0) });
      let penalty = activity;
      for (const l of layers) penalty += penaltyOf(l.W, l.kernelRegularizer) + (l.b === null ? 0 : penaltyOf(l.b, l.biasRegularizer));
      sum += (ref.loss / rows + penalty) * rows;
      // Backward.
      let dz = ref.grad;
      const grads: Float64Array[] = [];
      for (let li = layers.length - 1; li >= 0; li--) {
        const l = layers[li]!;
        if (!(fused && li === layers.length - 1)) {
          addPenaltyGrad(a[li + 1]!, dz, l.activityRegularizer);
          actGrad(l.activation, zs[li]!, a[li + 1]!, dz, rows, l.units);
        }
        const prev = a[li]!;
        const dW = new Float64Array(l.inDim * l.units);
        for (let k = 0; k < l.inDim; k++) for (let j = 0; j < l.units; j++) {
          let s = 0;
          for (let r = 0; r < rows; r++) s += prev[r * l.inDim + k]! * dz[r * l.units + j]!;
          dW[k * l.units + j] = s;
        }
        addPenaltyGrad(l.W, dW, l.kernelRegularizer);
        const gs: Float64Array[] = [dW];
        if (l.b !== null) {
          const db = new Float64Array(l.units);
          for (let r = 0; r < rows; r++) for (let j = 0; j < l.units; j++) db[j]! += dz[r * l.units + j]!;
          addPenaltyGrad(l.b, db, l.biasRegularizer);
          gs.push(db);
        }
        grads.unshift(...gs);
        if (li > 0) {
          const dPrev = new Float64Array(rows * l.inDim);
          for (let r = 0; r < rows; r++) for (let k = 0; k < l.inDim; k++) {
            let s = 0;
            for (let j = 0; j < l.units; j++) s += dz[r * l.units + j]! * l.W[k * l.units + j]!;
            dPrev[r * l.inDim + k] = s;
          }
          dz = dPrev;
        }
      }
      const o = fit.optimizer;
      params.forEach((p, i) => {
        const g = grads[i]!;
        if (o.kind === 'sgd') sgdRef(p.w, g, p.state, o);
        else if (o.kind === 'adam') adamRef(p.w, g, p.state as { m: Float64Array; v: Float64Array; vhat?: Float64Array }, { ...o, iteration });
        else if (o.kind === 'rmsprop') rmspropRef(p.w, g, p.state as { v: Float64Array }, o);
        else adagradRef(p.w, g, p.state as { acc: Float64Array }, o);
      });
      iteration++;
    }
    losses.push(sum / n);
  }
  return losses;
}
