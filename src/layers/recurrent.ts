// The recurrent layers' base (Keras 3 `RNN` around one cell): options, weights, dropout masks,
// the time loop and backpropagation through time. SimpleRNN, LSTM and GRU (recurrent-cells.ts)
// say how many gates they have and which f32-rnn kernels run a step.
//
// Layout: the input is turned time-major once ([steps, rows, in], dropout mask and goBackwards'
// reversal in the same pass), so each step's rows are contiguous: the input projection of all
// steps is one GEMM, each step one recurrent GEMM into its rows plus one cell pass, and the weight
// gradients after BPTT are one GEMM each over all steps (docs/design.md, "Recurrent layers").
import * as activations from '../activations/index.js';
import type { ActivationInfo } from '../activations/index.js';
import type { KernelExports, Ptr } from '../backend/kernels.js';
import type { Arena, Region } from '../backend/memory.js';
import { ValueError, checkPositiveInt, checkRate, invalidArgument } from '../errors.js';
import * as initializers from '../initializers/index.js';
import * as constraints from '../constraints/index.js';
import type { Constraint } from '../constraints/index.js';
import * as regularizers from '../regularizers/index.js';
import type { Regularizer } from '../regularizers/index.js';
import { KeyedStream } from '../random.js';
import { pyTuple } from './spatial-args.js';
import { Layer } from './layer.js';
import type { LayerWeight, Shape, StepContext } from './layer.js';
import { RECURRENT_ARG_NAMES, RECURRENT_CONFIG_KEYS, bool, cellActivation } from './recurrent-args.js';
import type { RecurrentArgs } from './recurrent-args.js';

export { HARD_SIGMOID_KERAS2, RECURRENT_ARG_NAMES, RECURRENT_CONFIG_KEYS, RNN_ACTIVATION_CODES, cellActivation, keras2HardSigmoid, recurrentArgsFromConfig, zeroOutputOf } from './recurrent-args.js';
export type { RecurrentArgs } from './recurrent-args.js';

/** The per-batch buffers of a planned layer (byte pointers; 0 where the variant has none). */
export interface RecurrentBuffers {
  /** Time-major input [steps, rows, in] (masked), then its gradient. */
  xt: Ptr;
  /** Per step [rows, gates·units]: the input projection, the activated gates, then their gradients. */
  g: Ptr;
  /** GRU: per step [rows, 3·units], the recurrent projection. */
  q: Ptr;
  /** [steps + 1, rows, units]: the states h_0 (initial) … h_T. */
  h: Ptr;
  /** The states times the recurrent dropout mask (= h without recurrent dropout). */
  hd: Ptr;
  /** LSTM: [steps + 1, rows, units], the cell states. */
  c: Ptr;
  imask: Ptr;
  rmask: Ptr;
  /** Scratch of rows × units each. */
  dh: Ptr;
  dd: Ptr;
  dr: Ptr;
  dc: Ptr;
  /** LSTM with a mask: ∂L/∂c saved before a step's backward (masked rows get it back). */
  dcs: Ptr;
}

/** What one step needs, for the cells' kernels (s: the step in processing order). */
export interface StepArgs {
  k: KernelExports;
  rows: number;
  s: number;
  b: RecurrentBuffers;
  ws: Ptr;
  /** The recurrent GEMM can be skipped (the state is zero: step 0 without an initial state). */
  zeroState: boolean;
  /** Whether the recurrent dropout mask is on (hd is its own buffer). */
  rdrop: boolean;
}

/**
 * The base of SimpleRNN, LSTM and GRU (Keras 3's `RNN` around one cell): the options, weights and
 * masks they share. Input `[batch, steps, features]`; output `[batch, units]`, or
 * `[batch, steps, units]` with `returnSequences`, plus the final states with `returnState`.
 */
export abstract class RecurrentBase extends Layer {
  /** @internal */
  static override readonly argNames: readonly string[] = RECURRENT_ARG_NAMES;
  /** @internal */
  static override readonly configKeys: readonly string[] = RECURRENT_CONFIG_KEYS;
  /** Positive integer: size of the state and of the output. */
  readonly units: number;
  /** The cell's main activation: SimpleRNN's new state, the LSTM's and GRU's candidate, and the LSTM's `c` on the way to `h`. Default `tanh`. */
  readonly activation: ActivationInfo;
  /** @internal */
  readonly actCode: number;
  /** Whether the layer uses bias vectors. Default true. */
  readonly useBias: boolean;
  /** Initial values of the input kernel. Default `glorotUniform`. */
  readonly kernelInitializer: initializers.Initializer;
  /** Initial values of the recurrent kernel. Default `orthogonal`. */
  readonly recurrentInitializer: initializers.Initializer;
  /** Initial values of the bias. Default `zeros`. */
  readonly biasInitializer: initializers.Initializer;
  /** Penalty on the input kernel `W` added to the loss. Default none. */
  readonly kernelRegularizer: Regularizer | null;
  /** Penalty on the recurrent kernel `U` added to the loss. Default none. */
  readonly recurrentRegularizer: Regularizer | null;
  /** Penalty on the bias added to the loss. Default none. */
  readonly biasRegularizer: Regularizer | null;
  /** Penalty on the layer's output (its first output), summed over the batch. */
  readonly activityRegularizer: Regularizer | null;
  /** Applied to the input kernel after each optimizer update. Default none. */
  readonly kernelConstraint: Constraint | null;
  /** Applied to the recurrent kernel after each optimizer update. Default none. */
  readonly recurrentConstraint: Constraint | null;
  /** Applied to the bias after each optimizer update. Default none. */
  readonly biasConstraint: Constraint | null;
  /** Fraction of the inputs dropped: one mask per sample and call, the same at every step. Default 0. */
  readonly dropout: number;
  /** Fraction of the recurrent state dropped (as it enters the recurrent kernel), one mask per sample and call. Default 0. */
  readonly recurrentDropout: number;
  /** Seed of the dropout masks (default: drawn from km.setSeed's stream). */
  readonly seed: number | null;
  /** Return the whole sequence [batch, steps, units] rather than the last output. Default false. */
  readonly returnSequences: boolean;
  /** Also return the final state(s): [output, h] (LSTM: [output, h, c]). Default false. */
  readonly returnState: boolean;
  /** Process the sequence from its end; the returned sequence is in processing order (reversed), as Keras. */
  readonly goBackwards: boolean;
  /** Accepted and ignored (the time loop is always a loop of kernels). */
  readonly unroll: boolean;
  /** The input kernel `W`, `[features, gates·units]` (Keras's layout and gate order); null until built. */
  kernel: LayerWeight | null = null;
  /** The recurrent kernel `U`, `[units, gates·units]`; null until built. */
  recurrentKernel: LayerWeight | null = null;
  /** The bias, `[gates·units]` (GRU with `resetAfter`: `[2, 3·units]`); null until built or without `useBias`. */
  bias: LayerWeight | null = null;
  private readonly stream = new KeyedStream();
  private regions: Region[] = [];
  /** @internal */
  protected buf: RecurrentBuffers | null = null;
  private masksOn = { input: false, recurrent: false };

  /** Whether q holds gradients after a step's backward (GRU resetAfter): masked rows zero them. @internal */
  protected get recurrentOwnsQ(): boolean {
    return false;
  }

  /** Gates per unit: 1 (SimpleRNN), 4 (LSTM), 3 (GRU). @internal */
  abstract get gates(): number;
  /** States per sample: 1 (h), 2 for the LSTM (h, c). @internal */
  get stateCount(): number {
    return 1;
  }

  constructor(args: RecurrentArgs) {
    if (args === null || typeof args !== 'object') throw invalidArgument('args', 'an options object { units, ... }', args);
    super(args);
    this.units = checkPositiveInt('units', args.units);
    const act = cellActivation(args.activation === undefined ? 'tanh' : args.activation, 'activation');
    this.activation = act.info;
    this.actCode = act.code;
    this.useBias = bool(args.useBias, true, 'useBias');
    this.kernelInitializer = initializers.get(args.kernelInitializer ?? 'glorotUniform', 'kernelInitializer');
    this.recurrentInitializer = initializers.get(args.recurrentInitializer ?? 'orthogonal', 'recurrentInitializer');
    this.biasInitializer = initializers.get(args.biasInitializer ?? 'zeros', 'biasInitializer');
    this.kernelRegularizer = regularizers.get(args.kernelRegularizer, 'kernelRegularizer');
    this.recurrentRegularizer = regularizers.get(args.recurrentRegularizer, 'recurrentRegularizer');
    this.biasRegularizer = regularizers.get(args.biasRegularizer, 'biasRegularizer');
    this.activityRegularizer = regularizers.get(args.activityRegularizer, 'activityRegularizer');
    if (this.activityRegularizer?.proximal) {
      throw invalidArgument('activityRegularizer', 'a regularizer without `proximal` (the proximal step applies to weights only)', this.activityRegularizer.getConfig());
    }
    this.kernelConstraint = constraints.get(args.kernelConstraint, 'kernelConstraint');
    this.recurrentConstraint = constraints.get(args.recurrentConstraint, 'recurrentConstraint');
    this.biasConstraint = constraints.get(args.biasConstraint, 'biasConstraint');
    this.dropout = checkRate('dropout', args.dropout ?? 0);
    this.recurrentDropout = checkRate('recurrentDropout', args.recurrentDropout ?? 0);
    if (args.seed !== undefined && args.seed !== null && !Number.isInteger(args.seed)) throw invalidArgument('seed', 'an integer or null', args.seed);
    this.seed = args.seed ?? null;
    this.returnSequences = bool(args.returnSequences, false, 'returnSequences');
    this.returnState = bool(args.returnState, false, 'returnState');
    this.goBackwards = bool(args.goBackwards, false, 'goBackwards');
    this.unroll = bool(args.unroll, false, 'unroll');
    if (bool(args.stateful, false, 'stateful')) {
      throw invalidArgument('stateful', 'false: kerasm keeps no state between batches (pass the state with apply(x, { initialState }) instead)', args.stateful);
    }
    if (args.implementation !== undefined && args.implementation !== 1 && args.implementation !== 2) {
      throw invalidArgument('implementation', '1 or 2', args.implementation);
    }
  }

  /** @internal */
  protected steps(inputShape: Shape): number {
    return inputShape[0]!;
  }

  /** Output shape (without batch) for an input shape (without batch); throws a ValueError when the layer cannot take that shape. */
  computeOutputShape(inputShape: Shape): Shape {
    if (inputShape.length !== 2) {
      throw new ValueError(`Input 0 of layer "${this.name}" is incompatible with the layer: expected ndim=3, found ndim=${inputShape.length + 1}. ` +
        `Full shape received: ${pyTuple([null, ...inputShape])} (a recurrent layer reads [batch, steps, features]; add a reshape or an embedding before it)`);
    }
    return this.returnSequences ? [inputShape[0]!, this.units] : [this.units];
  }

  /** @internal */
  override get outputCount(): number {
    return this.returnState ? 1 + this.stateCount : 1;
  }

  /** @internal */
  override computeOutputShapes(inputShapes: readonly Shape[]): Shape[] {
    const out = this.computeOutputShape(inputShapes[0]!);
    return this.returnState ? [out, ...Array.from({ length: this.stateCount }, () => [this.units])] : [out];
  }

  /**
   * Masked steps (ctx.mask) keep the states; their outputs repeat the last one (Keras's default)
   * or, with this set, are zero (Keras's zero_output_for_mask: Bidirectional sets it on its layers).
   * @internal
   */
  zeroOutputForMask = false;

  /** @internal */
  override get consumesMask(): boolean {
    return true;
  }

  /** Keras's compute_mask: the input's mask for a returned sequence, none for the last output. @internal */
  override get propagatesMask(): boolean {
    return this.returnSequences;
  }

  /** Initial states given by the first call (`apply(x, { initialState })`): they are inputs 1… */
  private stateInputs = 0;

  /** @internal */
  override get takesStates(): boolean {
    return true;
  }

  override get inputShapes(): Shape[] {
    if (this.inputShape === null) return [];
    return [this.inputShape, ...Array.from({ length: this.stateInputs }, () => [this.units])];
  }

  /** @internal */
  override buildFrom(shapes: readonly Shape[]): void {
    const states = shapes.slice(1);
    if (states.length > 0) {
      if (states.length !== this.stateCount) {
        throw new ValueError(`Layer ${this.name} (${this.className}) takes ${this.stateCount} initial state tensor(s) (${this.stateCount === 2 ? '[h, c]' : '[h]'}), received ${states.length}`);
      }
      states.forEach((st, i) => {
        if (st.length !== 1 || st[0] !== this.units) {
          throw new ValueError(`Layer ${this.name}: initial state ${i} must have shape [batch, ${this.units}] (units), received [batch, ${st.join(', ')}]`);
        }
      });
    }
    this.stateInputs = states.length;
    this.build(shapes[0]!);
  }

  /** Shape of the bias weight (GRU with resetAfter: [2, 3·units]). @internal */
  protected biasShape(): number[] {
    return [this.gates * this.units];
  }

  /** The bias's initializer (the LSTM's unitForgetBias wraps it). @internal */
  protected biasInit(): initializers.Initializer {
    return this.biasInitializer;
  }

  /** @internal */
  override build(inputShape: Shape): void {
    super.build(inputShape);
    const inDim = inputShape[1]!;
    const n = this.gates * this.units;
    this.stream.reset(this.seed);
    this.kernelConstraint?.validate([inDim, n]);
    this.recurrentConstraint?.validate([this.units, n]);
    this.kernel = this.addWeight('kernel', [inDim, n], this.kernelInitializer, this.kernelRegularizer);
    this.kernel.constraint = this.kernelConstraint;
    this.recurrentKernel = this.addWeight('recurrent_kernel', [this.units, n], this.recurrentInitializer, this.recurrentRegularizer);
    this.recurrentKernel.constraint = this.recurrentConstraint;
    if (this.useBias) {
      this.biasConstraint?.validate(this.biasShape());
      this.bias = this.addWeight('bias', this.biasShape(), this.biasInit(), this.biasRegularizer);
      this.bias.constraint = this.biasConstraint;
    }
  }

  /** Backward honours `ctx.accumulate` (GEMM β = 1): the layer can be shared. @internal */
  override get sharesWeights(): boolean {
    return true;
  }

  /** @internal */
  get streamState(): [number, number, number] | null {
    return this.stream.state;
  }

  /** @internal */
  set streamState(s: [number, number, number] | null) {
    this.stream.state = s;
  }

  /** @internal */
  protected get inDim(): number {
    return this.inputShape![1]!;
  }

  /** @internal */
  protected get seqLen(): number {
    return this.inputShape![0]!;
  }

  /** @internal */
  override plan(arena: Arena, rows: number): void {
    const t = this.seqLen;
    const u = this.units;
    const gu = this.gates * u;
    const alloc = (floats: number): Ptr => {
      const r = arena.alloc(Math.max(1, floats) * 4);
      this.regions.push(r);
      return r.ptr;
    };
    const h = alloc((t + 1) * rows * u);
    this.buf = {
      xt: alloc(t * rows * this.inDim),
      g: alloc(t * rows * gu),
      q: this.gates === 3 ? alloc(t * rows * gu) : 0,
      h,
      hd: this.recurrentDropout > 0 ? alloc((t + 1) * rows * u) : h,
      c: this.stateCount === 2 ? alloc((t + 1) * rows * u) : 0,
      imask: this.dropout > 0 ? alloc(rows * this.inDim) : 0,
      rmask: this.recurrentDropout > 0 ? alloc(rows * u) : 0,
      dh: alloc(rows * u),
      dd: alloc(rows * u),
      dr: alloc(rows * u),
      dc: alloc(rows * u),
      dcs: this.stateCount === 2 ? alloc(rows * u) : 0,
    };
  }

  /** @internal */
  override unplan(arena: Arena): void {
    for (const r of this.regions) arena.release(r);
    this.regions = [];
    this.buf = null;
  }

  /** @internal */
  override workspaceBytes(k: KernelExports, rows: number): number {
    const tr = this.seqLen * rows;
    const gu = this.gates * this.units;
    const [u, d] = [this.units, this.inDim];
    const shapes: [number, number, number][] = [[tr, gu, d], [rows, gu, u], [rows, u, gu], [d, gu, tr], [u, gu, tr], [tr, d, gu]];
    return Math.max(...shapes.map(([m, n, kk]) => k.f32_gemm_workspace_bytes(m, n, kk)));
  }

  /** One forward step: the recurrent GEMM into step s's rows of g, then the cell's pass. @internal */
  protected abstract stepForward(a: StepArgs): void;
  /**
   * One backward step: b.dh holds ∂L/∂h_s; leaves the gates' gradients in g (and q), b.dd the
   * gradient of the dropped previous state hd_{s−1} (before its mask), b.dr the direct one (GRU).
   * @internal
   */
  protected abstract stepBackward(a: StepArgs, needPrev: boolean): void;
  /** The recurrent kernel's and (GRU after) recurrent bias's gradients, from all steps at once. @internal */
  protected abstract recurrentGrads(k: KernelExports, rows: number, b: RecurrentBuffers, beta: number, ws: Ptr): void;

  /** @internal */
  forward(ctx: StepContext): void {
    const { k, rows } = ctx;
    const b = this.buf!;
    const [t, u, d] = [this.seqLen, this.units, this.inDim];
    const gu = this.gates * u;
    const ru = rows * u;
    this.masksOn.input = ctx.training && this.dropout > 0;
    this.masksOn.recurrent = ctx.training && this.recurrentDropout > 0;
    if (this.masksOn.input || this.masksOn.recurrent) {
      const counter = this.stream.next();
      const { key0, key1 } = this.stream;
      const offset = (rows * d + 3) & ~3;
      if (this.masksOn.input) k.f32_dropout_mask(rows * d, b.imask, this.dropout, key0, key1, counter, 0);
      if (this.masksOn.recurrent) k.f32_dropout_mask(ru, b.rmask, this.recurrentDropout, key0, key1, counter, offset);
    }
    const rdrop = this.masksOn.recurrent;
    const hd = rdrop ? b.hd : b.h;
    k.f32_rnn_seq_in(rows, t, d, ctx.x, this.masksOn.input ? b.imask : 0, b.xt, this.goBackwards ? 1 : 0);
    const bias = this.bias === null ? 0 : this.bias.region!.ptr;
    k.f32_gemm_nn_minmax(t * rows, gu, d, b.xt, d, this.kernel!.region!.ptr, gu, bias, 0, b.g, gu, -Infinity, Infinity, ctx.ws);
    const h0 = ctx.xs.length > 1 ? ctx.xs[1]! : 0;
    if (h0 !== 0) k.f32_vcopy(ru, h0, b.h);
    else k.f32_vfill(ru, b.h, 0);
    if (this.stateCount === 2) {
      const c0 = ctx.xs.length > 2 ? ctx.xs[2]! : 0;
      if (c0 !== 0) k.f32_vcopy(ru, c0, b.c);
      else k.f32_vfill(ru, b.c, 0);
    }
    if (rdrop) k.f32_rnn_dh(rows, u, 0, 0, b.h, b.rmask, 0, b.hd);
    const a: StepArgs = { k, rows, s: 0, b: { ...b, hd, rmask: rdrop ? b.rmask : 0 }, ws: ctx.ws, zeroState: h0 === 0, rdrop };
    const mask = ctx.mask;
    for (let s = 0; s < t; s++) {
      a.s = s;
      a.zeroState = s === 0 && h0 === 0;
      this.stepForward(a);
      if (mask !== 0) {
        // masked rows carry the states over
        const m = mask + (this.goBackwards ? t - 1 - s : s) * 4;
        const [prev, cur] = [s * ru * 4, (s + 1) * ru * 4];
        k.f32_rnn_mask_step(rows, u, m, t, b.h + prev, b.h + cur);
        if (rdrop) k.f32_rnn_mask_step(rows, u, m, t, b.hd + prev, b.hd + cur);
        if (this.stateCount === 2) k.f32_rnn_mask_step(rows, u, m, t, b.c + prev, b.c + cur);
      }
    }
    const last = b.h + t * ru * 4;
    if (this.returnSequences) {
      k.f32_rnn_seq_out(rows, t, u, b.h + ru * 4, 0, ctx.y, 0);
      if (mask !== 0 && this.zeroOutputForMask) k.f32_rnn_mask_out(rows, t, u, mask, ctx.y, this.goBackwards ? 1 : 0);
    } else k.f32_vcopy(ru, last, ctx.y);
    if (this.returnState) {
      if (ctx.ys.length > 1 && ctx.ys[1]! !== 0) k.f32_vcopy(ru, last, ctx.ys[1]!);
      if (this.stateCount === 2 && ctx.ys.length > 2 && ctx.ys[2]! !== 0) k.f32_vcopy(ru, b.c + t * ru * 4, ctx.ys[2]!);
    }
    if (this.activityRegularizer !== null && ctx.trackPenalty) {
      const n = this.returnSequences ? rows * t * u : ru;
      ctx.penalty += k.f32_l1l2_penalty(n, ctx.y, this.activityRegularizer.l1, this.activityRegularizer.l2);
    }
  }

  /** @internal */
  backward(ctx: StepContext): void {
    const { k, rows } = ctx;
    const b0 = this.buf!;
    const [t, u, d] = [this.seqLen, this.units, this.inDim];
    const gu = this.gates * u;
    const ru = rows * u;
    const rdrop = this.masksOn.recurrent;
    const b: RecurrentBuffers = { ...b0, hd: rdrop ? b0.hd : b0.h, rmask: rdrop ? b0.rmask : 0 };
    const dh0 = ctx.dxs.length > 1 ? ctx.dxs[1]! : 0;
    const dc0 = ctx.dxs.length > 2 ? ctx.dxs[2]! : 0;
    if (this.activityRegularizer !== null) {
      const n = this.returnSequences ? rows * t * u : ru;
      k.f32_l1l2_grad(n, ctx.y, ctx.dy, this.activityRegularizer.l1, this.activityRegularizer.l2);
    }
    const dyH = this.returnState && ctx.dys.length > 1 ? ctx.dys[1]! : 0;
    const dyC = this.returnState && ctx.dys.length > 2 ? ctx.dys[2]! : 0;
    if (this.stateCount === 2) {
      if (dyC !== 0) k.f32_vcopy(ru, dyC, b.dc);
      else k.f32_vfill(ru, b.dc, 0);
    }
    const mask = ctx.mask;
    if (mask !== 0 && this.returnSequences && this.zeroOutputForMask) k.f32_rnn_mask_out(rows, t, u, mask, ctx.dy, this.goBackwards ? 1 : 0);
    // the direct path to h_{s−1}: GRU's z·h, and masked steps' whole ∂L/∂h
    const direct = this.gates === 3 || mask !== 0;
    const a: StepArgs = { k, rows, s: 0, b, ws: ctx.ws, zeroState: false, rdrop };
    for (let s = t - 1; s >= 0; s--) {
      const top = s === t - 1;
      const dy = this.returnSequences ? ctx.dy + s * u * 4 : top ? ctx.dy : 0;
      const lddy = this.returnSequences ? t * u : u;
      // ∂L/∂h_s: the output's, the next step's through its GEMM (and mask), the direct path
      k.f32_rnn_dh(rows, u, dy, lddy, top ? 0 : b.dd, b.rmask, top ? dyH : direct ? b.dr : 0, b.dh);
      if (mask !== 0 && b.dcs !== 0) k.f32_vcopy(ru, b.dc, b.dcs);
      a.s = s;
      this.stepBackward(a, s > 0 || dh0 !== 0);
      if (mask !== 0) {
        const off = s * rows * gu * 4;
        const q = this.gates === 3 && this.recurrentOwnsQ ? b.q + off : 0;
        k.f32_rnn_mask_grad(rows, u, this.gates, mask + (this.goBackwards ? t - 1 - s : s) * 4, t, b.g + off, q, b.dh, b.dd, b.dr,
          this.gates === 3 ? 1 : 0, b.dcs, b.dcs === 0 ? 0 : b.dc);
      }
    }
    if (dh0 !== 0) k.f32_rnn_dh(rows, u, 0, 0, b.dd, b.rmask, direct ? b.dr : 0, dh0);
    if (dc0 !== 0) k.f32_vcopy(ru, b.dc, dc0);
    if (this.trainable) {
      const beta = ctx.accumulate ? 1 : 0;
      k.f32_gemm_tn_minmax(d, gu, t * rows, b.xt, d, b.g, gu, 0, beta, this.kernel!.grad!.ptr, gu, -Infinity, Infinity, ctx.ws);
      if (this.bias !== null) k.f32_colsum(t * rows, gu, b.g, gu, this.bias.grad!.ptr, beta);
      this.recurrentGrads(k, rows, b, beta, ctx.ws);
      if (!ctx.accumulate) this.addPenaltyGradients(k);
    }
    if (ctx.dx !== 0) {
      k.f32_gemm_nt_minmax(t * rows, d, gu, b.g, gu, this.kernel!.region!.ptr, gu, 0, 0, b.xt, d, -Infinity, Infinity, ctx.ws);
      k.f32_rnn_seq_out(rows, t, d, b.xt, this.masksOn.input ? b.imask : 0, ctx.dx, this.goBackwards ? 1 : 0);
    }
  }

  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: activations.serialize(this.activation),
      use_bias: this.useBias,
      kernel_initializer: initializers.serialize(this.kernelInitializer),
      recurrent_initializer: initializers.serialize(this.recurrentInitializer),
      bias_initializer: initializers.serialize(this.biasInitializer),
      kernel_regularizer: regularizers.serialize(this.kernelRegularizer),
      recurrent_regularizer: regularizers.serialize(this.recurrentRegularizer),
      bias_regularizer: regularizers.serialize(this.biasRegularizer),
      activity_regularizer: regularizers.serialize(this.activityRegularizer),
      kernel_constraint: constraints.serialize(this.kernelConstraint),
      recurrent_constraint: constraints.serialize(this.recurrentConstraint),
      bias_constraint: constraints.serialize(this.biasConstraint),
      dropout: this.dropout,
      recurrent_dropout: this.recurrentDropout,
      seed: this.seed,
      return_sequences: this.returnSequences,
      return_state: this.returnState,
      go_backwards: this.goBackwards,
      stateful: false,
      unroll: this.unroll,
    };
  }
}

