// Float64 references of the recurrent cells (Keras 3's formulas, keras/src/layers/rnn/*.py): gate
// activations by the f32-rnn codes, one step of each cell and its backward pass, and whole layers
// over a sequence. Arrays are row-major; a "step" block is [rows, gates·units].

export const CODES = {
  linear: 0, sigmoid: 1, tanh: 2, relu: 3, hard_sigmoid: 4, hard_sigmoid_keras2: 5, relu6: 6, softsign: 7, elu: 8, exponential: 9, selu: 10, leaky_relu: 11,
} as const;
const SELU_SCALE = 1.0507009873554805;
const SELU_ALPHA = 1.6732632423543772;

export function act(code: number, x: number): number {
  switch (code) {
    case 1: return 1 / (1 + Math.exp(-x));
    case 2: return Math.tanh(x);
    case 3: return Math.max(x, 0);
    case 4: return Math.min(Math.max(x + 3, 0), 6) / 6;
    case 5: return Math.min(Math.max(0.2 * x + 0.5, 0), 1);
    case 6: return Math.min(Math.max(x, 0), 6);
    case 7: return x / (1 + Math.abs(x));
    case 8: return x > 0 ? x : Math.expm1(x);
    case 9: return Math.exp(x);
    case 10: return x > 0 ? SELU_SCALE * x : SELU_SCALE * SELU_ALPHA * Math.expm1(x);
    case 11: return x > 0 ? x : 0.2 * x;
    default: return x;
  }
}

/** f'(x) from x (the kernels form it from y = f(x); the same number away from kinks). */
export function dact(code: number, x: number): number {
  const y = act(code, x);
  switch (code) {
    case 1: return y * (1 - y);
    case 2: return 1 - y * y;
    case 3: return x > 0 ? 1 : 0;
    case 4: return y > 0 && y < 1 ? 1 / 6 : 0;
    case 5: return y > 0 && y < 1 ? 0.2 : 0;
    case 6: return x > 0 && x < 6 ? 1 : 0;
    case 7: return 1 / (1 + Math.abs(x)) ** 2;
    case 8: return x > 0 ? 1 : Math.exp(x);
    case 9: return y;
    case 10: return x > 0 ? SELU_SCALE : SELU_SCALE * SELU_ALPHA * Math.exp(x);
    case 11: return x > 0 ? 1 : 0.2;
    default: return 1;
  }
}

export type Kind = 'simple' | 'lstm' | 'gru';

export interface SeqSpec {
  kind: Kind;
  units: number;
  act: number;
  ract: number;
  resetAfter: boolean;
  returnSequences: boolean;
  goBackwards: boolean;
}

export interface SeqWeights {
  /** [d, G·u] */
  kernel: ArrayLike<number>;
  /** [u, G·u] */
  recurrent: ArrayLike<number>;
  /** [G·u], or [2, 3·u] for GRU resetAfter; null: no bias. */
  bias: ArrayLike<number> | null;
}

/**
 * A whole layer over x [batch, steps, d]: Keras 3's RNN loop with the cell's formula, the input
 * mask imask [batch, d] and recurrent mask rmask [batch, u] (null: none), initial states h0, c0.
 * Returns the output (the sequence in processing order, or the last h) and the final states.
 */
export function seqForward(spec: SeqSpec, w: SeqWeights, x: ArrayLike<number>, batch: number, steps: number, d: number,
  opts: { imask?: ArrayLike<number> | null; rmask?: ArrayLike<number> | null; h0?: ArrayLike<number> | null; c0?: ArrayLike<number> | null;
    mask?: ArrayLike<number> | null; zeroOutput?: boolean } = {}): { y: number[]; h: number[]; c: number[] } {
  const u = spec.units;
  const G = spec.kind === 'lstm' ? 4 : spec.kind === 'gru' ? 3 : 1;
  const gu = G * u;
  const y: number[] = [];
  const hOut: number[] = [];
  const cOut: number[] = [];
  const seqOut: number[][] = [];
  for (let i = 0; i < batch; i++) {
    let h = Array.from({ length: u }, (_, j) => (opts.h0 ? opts.h0[i * u + j]! : 0));
    let c = Array.from({ length: u }, (_, j) => (opts.c0 ? opts.c0[i * u + j]! : 0));
    const outs: number[][] = [];
    let prevOut = new Array<number>(u).fill(0);
    for (let s = 0; s < steps; s++) {
      const ts = spec.goBackwards ? steps - 1 - s : s;
      if (opts.mask && opts.mask[i * steps + ts] === 0) {
        // Keras's rnn loop: the states stay, the output repeats the last one (or is zero)
        outs.push(opts.zeroOutput === true ? new Array<number>(u).fill(0) : prevOut.slice());
        continue;
      }
      const xt = Array.from({ length: d }, (_, k) => x[(i * steps + ts) * d + k]! * (opts.imask ? opts.imask[i * d + k]! : 1));
      const hd = h.map((v, j) => v * (opts.rmask ? opts.rmask[i * u + j]! : 1));
      const xp = new Array<number>(gu).fill(0);
      const rp = new Array<number>(gu).fill(0);
      for (let n = 0; n < gu; n++) {
        let a = w.bias ? w.bias[n]! : 0;
        for (let k = 0; k < d; k++) a += xt[k]! * w.kernel[k * gu + n]!;
        xp[n] = a;
        let r = spec.kind === 'gru' && spec.resetAfter && w.bias ? w.bias[gu + n]! : 0;
        for (let k = 0; k < u; k++) r += hd[k]! * w.recurrent[k * gu + n]!;
        rp[n] = r;
      }
      const hn = new Array<number>(u);
      const cn = new Array<number>(u);
      if (spec.kind === 'simple') {
        for (let j = 0; j < u; j++) hn[j] = act(spec.act, xp[j]! + rp[j]!);
      } else if (spec.kind === 'lstm') {
        for (let j = 0; j < u; j++) {
          const ig = act(spec.ract, xp[j]! + rp[j]!);
          const fg = act(spec.ract, xp[u + j]! + rp[u + j]!);
          const cc = act(spec.act, xp[2 * u + j]! + rp[2 * u + j]!);
          const og = act(spec.ract, xp[3 * u + j]! + rp[3 * u + j]!);
          cn[j] = fg * c[j]! + ig * cc;
          hn[j] = og * act(spec.act, cn[j]!);
        }
      } else {
        const z = Array.from({ length: u }, (_, j) => act(spec.ract, xp[j]! + rp[j]!));
        const r = Array.from({ length: u }, (_, j) => act(spec.ract, xp[u + j]! + rp[u + j]!));
        for (let j = 0; j < u; j++) {
          let rh: number;
          if (spec.resetAfter) rh = r[j]! * rp[2 * u + j]!;
          else {
            rh = 0;
            for (let k = 0; k < u; k++) rh += r[k]! * hd[k]! * w.recurrent[k * gu + 2 * u + j]!;
          }
          const hh = act(spec.act, xp[2 * u + j]! + rh);
          hn[j] = z[j]! * h[j]! + (1 - z[j]!) * hh;
        }
      }
      h = hn;
      if (spec.kind === 'lstm') c = cn;
      outs.push(h.slice());
      prevOut = h.slice();
    }
    seqOut.push(outs.flat());
    hOut.push(...h);
    cOut.push(...c);
  }
  if (spec.returnSequences) for (const o of seqOut) y.push(...o);
  else y.push(...hOut);
  return { y, h: hOut, c: cOut };
}
