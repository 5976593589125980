// Float64 references of one optimizer step, after Keras 3 keras/src/optimizers/{sgd,adam,
// adamw,rmsprop,adagrad,base_optimizer}.py. Each function mutates `w` and `state` in place for
// one step, so multi-step references are plain loops. Options use the Keras meanings:
// `weightDecay` is multiplied by the learning rate (base_optimizer `_apply_weight_decay`) and
// applied before the gradient update; `iteration` is Keras' `optimizer.iterations` (0 for the
// first step). Defaults are Keras 3's.

export type Vec = Float64Array | number[];

interface DecayOpts {
  learningRate: number;
  /** Keras `weight_decay`; w ← w − w·weightDecay·learningRate before the update. */
  weightDecay?: number;
}

function applyWeightDecay(w: Vec, o: DecayOpts): void {
  const wd = (o.weightDecay ?? 0) * o.learningRate;
  if (wd === 0) return;
  for (let i = 0; i < w.length; i++) w[i] = w[i]! - w[i]! * wd;
}

export interface SgdOpts extends DecayOpts {
  momentum?: number;
  nesterov?: boolean;
}

/** SGD (sgd.py): m = μ·m − lr·g; w += nesterov ? μ·m − lr·g : m; without momentum w −= lr·g. */
export function sgdRef(w: Vec, g: ArrayLike<number>, state: { m?: Vec }, o: SgdOpts): void {
  applyWeightDecay(w, o);
  const lr = o.learningRate;
  const mu = o.momentum ?? 0;
  if (mu === 0) {
    for (let i = 0; i < w.length; i++) w[i] = w[i]! - g[i]! * lr;
    return;
  }
  const m = state.m;
  if (m === undefined) throw new Error('sgdRef: momentum > 0 needs state.m');
  for (let i = 0; i < w.length; i++) {
    m[i] = m[i]! * mu - g[i]! * lr;
    w[i] = w[i]! + (o.nesterov ? m[i]! * mu - g[i]! * lr : m[i]!);
  }
}

export interface AdamOpts extends DecayOpts {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  amsgrad?: boolean;
  /** Keras `iterations` before this step: t = iteration + 1. */
  iteration: number;
}

/** Adam's step size with both bias corrections folded in (adam.py `alpha`): lr·√(1 − β2^t)/(1 − β1^t). */
export function adamStepSize(learningRate: number, beta1: number, beta2: number, iteration: number): number {
  const t = iteration + 1;
  return (learningRate * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
}

/** Adam / AdamW / AMSGrad (adam.py, adamw.py): m += (g − m)(1 − β1); v += (g² − v)(1 − β2); w −= α·m/(√v + ε). */
export function adamRef(w: Vec, g: ArrayLike<number>, state: { m: Vec; v: Vec; vhat?: Vec }, o: AdamOpts): void {
  applyWeightDecay(w, o);
  const b1 = o.beta1 ?? 0.9;
  const b2 = o.beta2 ?? 0.999;
  const eps = o.epsilon ?? 1e-7;
  const alpha = adamStepSize(o.learningRate, b1, b2, o.iteration);
  const { m, v, vhat } = state;
  if (o.amsgrad && vhat === undefined) throw new Error('adamRef: amsgrad needs state.vhat');
  for (let i = 0; i < w.length; i++) {
    const gi = g[i]!;
    m[i] = m[i]! + (gi - m[i]!) * (1 - b1);
    v[i] = v[i]! + (gi * gi - v[i]!) * (1 - b2);
    let vi = v[i]!;
    if (o.amsgrad) {
      vhat![i] = Math.max(vhat![i]!, vi);
      vi = vhat![i]!;
    }
    w[i] = w[i]! - (m[i]! * alpha) / (Math.sqrt(vi) + eps);
  }
}

export interface RmspropOpts extends DecayOpts {
  rho?: number;
  momentum?: number;
  epsilon?: number;
  centered?: boolean;
}

/** RMSprop (rmsprop.py): v = ρv + (1 − ρ)g²; centered: mg = ρ·mg + (1 − ρ)g, d = v − mg² + ε, else d = v + ε; inc = lr·g/√d. */
export function rmspropRef(w: Vec, g: ArrayLike<number>, state: { v: Vec; mg?: Vec; mom?: Vec }, o: RmspropOpts): void {
  applyWeightDecay(w, o);
  const rho = o.rho ?? 0.9;
  const mu = o.momentum ?? 0;
  const eps = o.epsilon ?? 1e-7;
  const { v, mg, mom } = state;
  if (o.centered && mg === undefined) throw new Error('rmspropRef: centered needs state.mg');
  if (mu > 0 && mom === undefined) throw new Error('rmspropRef: momentum > 0 needs state.mom');
  for (let i = 0; i < w.length; i++) {
    const gi = g[i]!;
    v[i] = rho * v[i]! + (1 - rho) * gi * gi;
    let den: number;
    if (o.centered) {
      mg![i] = rho * mg![i]! + (1 - rho) * gi;
      den = v[i]! - mg![i]! * mg![i]! + eps;
    } else {
      den = v[i]! + eps;
    }
    const inc = (o.learningRate * gi) / Math.sqrt(den);
    if (mu > 0) {
      mom![i] = mu * mom![i]! + inc;
      w[i] = w[i]! - mom![i]!;
    } else {
      w[i] = w[i]! - inc;
    }
  }
}

export interface AdagradOpts extends DecayOpts {
  epsilon?: number;
}

/** Adagrad (adagrad.py): acc += g²; w −= lr·g/√(acc + ε). `acc` starts at initial_accumulator_value (0.1). */
export function adagradRef(w: Vec, g: ArrayLike<number>, state: { acc: Vec }, o: AdagradOpts): void {
  applyWeightDecay(w, o);
  const eps = o.epsilon ?? 1e-7;
  const { acc } = state;
  for (let i = 0; i < w.length; i++) {
    const gi = g[i]!;
    acc[i] = acc[i]! + gi * gi;
    w[i] = w[i]! - (o.learningRate * gi) / Math.sqrt(acc[i]! + eps);
  }
}

/** Keras `clipvalue` (base_optimizer.py `_clip_gradients`): min(max(g, −clip), clip) per element. */
export function clipByValueRef(g: ArrayLike<number>, clip: number): Float64Array {
  const out = new Float64Array(g.length);
  for (let i = 0; i < g.length; i++) out[i] = Math.min(Math.max(g[i]!, -clip), clip);
  return out;
}
