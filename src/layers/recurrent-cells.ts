// SimpleRNN, LSTM and GRU: each says its gates, its weights' layout (Keras's: kernel [in, gates·units],
// recurrent_kernel [units, gates·units], LSTM gates i, f, c, o, GRU z, r, h) and which f32-rnn
// kernels run a step; the time loop, masks and BPTT are the base's (recurrent.ts).
import * as activations from '../activations/index.js';
import type { ActivationIdentifier, ActivationInfo } from '../activations/index.js';
import type { KernelExports, Ptr } from '../backend/kernels.js';
import { invalidArgument } from '../errors.js';
import { Initializer } from '../initializers/index.js';
import { RECURRENT_ARG_NAMES, RECURRENT_CONFIG_KEYS, RecurrentBase, cellActivation, recurrentArgsFromConfig, zeroOutputOf } from './recurrent.js';
import type { RecurrentArgs, RecurrentBuffers, StepArgs } from './recurrent.js';

const INF = Infinity;

/** Arguments of {@link SimpleRNN}. Keras: `keras.layers.SimpleRNN`. */
export type SimpleRNNArgs = RecurrentArgs;

/** h_t = activation(x_t·W + h_{t−1}·U + b). */
export class SimpleRNN extends RecurrentBase {
  static override readonly className = 'SimpleRNN';

  /** @internal */
  get gates(): number {
    return 1;
  }

  /** @internal */
  protected stepForward(a: StepArgs): void {
    const { k, rows, s, b } = a;
    const u = this.units;
    const ru = rows * u * 4;
    const gs = b.g + s * ru;
    if (!a.zeroState) k.f32_gemm_nn_minmax(rows, u, u, b.hd + s * ru, u, this.recurrentKernel!.region!.ptr, u, 0, 1, gs, u, -INF, INF, a.ws);
    k.f32_rnn_step(rows, u, gs, b.h + (s + 1) * ru, u, a.rdrop ? b.hd + (s + 1) * ru : 0, b.rmask, this.actCode);
  }

  /** @internal */
  protected stepBackward(a: StepArgs, needPrev: boolean): void {
    const { k, rows, s, b } = a;
    const u = this.units;
    const gs = b.g + s * rows * u * 4;
    k.f32_rnn_step_grad(rows, u, gs, b.dh, this.actCode);
    if (needPrev) k.f32_gemm_nt_minmax(rows, u, u, gs, u, this.recurrentKernel!.region!.ptr, u, 0, 0, b.dd, u, -INF, INF, a.ws);
  }

  /** @internal */
  protected recurrentGrads(k: KernelExports, rows: number, b: RecurrentBuffers, beta: number, ws: Ptr): void {
    const u = this.units;
    k.f32_gemm_tn_minmax(u, u, this.seqLen * rows, b.hd, u, b.g, u, 0, beta, this.recurrentKernel!.grad!.ptr, u, -INF, INF, ws);
  }

  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(config: Record<string, unknown>): SimpleRNN {
    return withZeroOutput(new SimpleRNN(recurrentArgsFromConfig(config, SimpleRNN)), config);
  }
}

/** Options the gated cells (LSTM, GRU) add to {@link RecurrentArgs}. */
export interface GatedArgs extends RecurrentArgs {
  /** Activation of the gates. Default `sigmoid` (Keras 3; Keras 2 and TF.js files say `hard_sigmoid`, read as theirs). */
  recurrentActivation?: ActivationIdentifier | null;
}

/** Arguments of {@link LSTM}. Keras: `keras.layers.LSTM`. */
export interface LSTMArgs extends GatedArgs {
  /** Add 1 to the forget gate's bias at initialization (Jozefowicz et al.). Default true. */
  unitForgetBias?: boolean;
}

/** Keras's `unit_forget_bias`: the bias initializer's values with ones for the forget gate's quarter. */
class UnitForgetBias extends Initializer {
  static override readonly className = 'UnitForgetBias';
  private readonly base: Initializer;
  private readonly units: number;
  constructor(base: Initializer, units: number) {
    super();
    this.base = base;
    this.units = units;
  }
  fill(_shape: readonly number[], out: Float32Array): void {
    const u = this.units;
    this.base.fill([u], out.subarray(0, u));
    out.subarray(u, 2 * u).fill(1);
    this.base.fill([2 * u], out.subarray(2 * u, 4 * u));
  }
  /**
   * The layer's Keras config (`get_config()`): snake_case keys as Keras writes them in a `.keras`
   * or TF.js `model.json` file (`units`, `use_bias`, `kernel_regularizer`, …).
   */
  getConfig(): Record<string, unknown> {
    return this.base.getConfig();
  }
}

/** Long short-term memory (Hochreiter 1997), Keras 3's formulation: c = f·c + i·a(ĉ), h = o·a(c). */
export class LSTM extends RecurrentBase {
  static override readonly className = 'LSTM';
  /** @internal */
  static override readonly argNames: readonly string[] = [...RECURRENT_ARG_NAMES, 'recurrentActivation', 'unitForgetBias'];
  /** @internal */
  static override readonly configKeys: readonly string[] = [...RECURRENT_CONFIG_KEYS, 'recurrent_activation', 'unit_forget_bias'];
  /** Activation of the gates. Default `sigmoid` (Keras 3; Keras 2 and TF.js files say `hard_sigmoid`, read as theirs). */
  readonly recurrentActivation: ActivationInfo;
  /** @internal */
  readonly ractCode: number;
  /** Add 1 to the forget gate's bias at initialization (Jozefowicz et al.). Default true. */
  readonly unitForgetBias: boolean;

  constructor(args: LSTMArgs) {
    super(args);
    const r = cellActivation(args.recurrentActivation === undefined ? 'sigmoid' : args.recurrentActivation, 'recurrentActivation');
    this.recurrentActivation = r.info;
    this.ractCode = r.code;
    this.unitForgetBias = args.unitForgetBias ?? true;
    if (typeof this.unitForgetBias !== 'boolean') throw invalidArgument('unitForgetBias', 'a boolean', args.unitForgetBias);
  }

  /** @internal */
  get gates(): number {
    return 4;
  }

  /** @internal */
  override get stateCount(): number {
    return 2;
  }

  /** @internal */
  protected override biasInit(): Initializer {
    return this.unitForgetBias ? new UnitForgetBias(this.biasInitializer, this.units) : this.biasInitializer;
  }

  /** @internal */
  protected stepForward(a: StepArgs): void {
    const { k, rows, s, b } = a;
    const u = this.units;
    const gu = 4 * u;
    const ru = rows * u * 4;
    const gs = b.g + s * rows * gu * 4;
    if (!a.zeroState) k.f32_gemm_nn_minmax(rows, gu, u, b.hd + s * ru, u, this.recurrentKernel!.region!.ptr, gu, 0, 1, gs, gu, -INF, INF, a.ws);
    k.f32_lstm_step(rows, u, gs, b.c + s * ru, b.c + (s + 1) * ru, b.h + (s + 1) * ru, u, a.rdrop ? b.hd + (s + 1) * ru : 0, b.rmask, this.actCode, this.ractCode);
  }

  /** @internal */
  protected stepBackward(a: StepArgs, needPrev: boolean): void {
    const { k, rows, s, b } = a;
    const u = this.units;
    const gu = 4 * u;
    const ru = rows * u * 4;
    const gs = b.g + s * rows * gu * 4;
    k.f32_lstm_step_grad(rows, u, gs, b.c + s * ru, b.c + (s + 1) * ru, b.dh, b.dc, this.actCode, this.ractCode);
    if (needPrev) k.f32_gemm_nt_minmax(rows, u, gu, gs, gu, this.recurrentKernel!.region!.ptr, gu, 0, 0, b.dd, u, -INF, INF, a.ws);
  }

  /** @internal */
  protected recurrentGrads(k: KernelExports, rows: number, b: RecurrentBuffers, beta: number, ws: Ptr): void {
    const u = this.units;
    k.f32_gemm_tn_minmax(u, 4 * u, this.seqLen * rows, b.hd, u, b.g, 4 * u, 0, beta, this.recurrentKernel!.grad!.ptr, 4 * u, -INF, INF, ws);
  }

  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      recurrent_activation: activations.serialize(this.recurrentActivation),
      unit_forget_bias: this.unitForgetBias,
    };
  }

  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(config: Record<string, unknown>): LSTM {
    return withZeroOutput(new LSTM({
      ...recurrentArgsFromConfig(config, LSTM),
      recurrentActivation: recurrentActivationOf(config),
      unitForgetBias: (config.unit_forget_bias as boolean | null | undefined) ?? undefined,
    }), config);
  }
}

/** Arguments of {@link GRU}. Keras: `keras.layers.GRU`. */
export interface GRUArgs extends GatedArgs {
  /**
   * Apply the reset gate after the recurrent kernel (Keras 3's default, cuDNN's; bias [2, 3·units])
   * or before it (Keras 2's original GRU and TF.js's only one; bias [3·units]). Default true.
   */
  resetAfter?: boolean;
}

/** Gated recurrent unit (Cho et al. 2014): h = z·h + (1 − z)·ĥ. */
export class GRU extends RecurrentBase {
  static override readonly className = 'GRU';
  /** @internal */
  static override readonly argNames: readonly string[] = [...RECURRENT_ARG_NAMES, 'recurrentActivation', 'resetAfter'];
  /** @internal */
  static override readonly configKeys: readonly string[] = [...RECURRENT_CONFIG_KEYS, 'recurrent_activation', 'reset_after'];
  /** Activation of the gates. Default `sigmoid` (Keras 3; Keras 2 and TF.js files say `hard_sigmoid`, read as theirs). */
  readonly recurrentActivation: ActivationInfo;
  /** @internal */
  readonly ractCode: number;
  /**
   * Apply the reset gate after the recurrent kernel (Keras 3's default, cuDNN's; bias [2, 3·units])
   * or before it (Keras 2's original GRU and TF.js's only one; bias [3·units]). Default true.
   */
  readonly resetAfter: boolean;

  constructor(args: GRUArgs) {
    super(args);
    const r = cellActivation(args.recurrentActivation === undefined ? 'sigmoid' : args.recurrentActivation, 'recurrentActivation');
    this.recurrentActivation = r.info;
    this.ractCode = r.code;
    this.resetAfter = args.resetAfter ?? true;
    if (typeof this.resetAfter !== 'boolean') throw invalidArgument('resetAfter', 'a boolean', args.resetAfter);
  }

  /** @internal */
  get gates(): number {
    return 3;
  }

  /** @internal */
  protected override biasShape(): number[] {
    return this.resetAfter ? [2, 3 * this.units] : [3 * this.units];
  }

  /** @internal */
  protected override get recurrentOwnsQ(): boolean {
    return this.resetAfter;
  }

  /** @internal */
  protected stepForward(a: StepArgs): void {
    const { k, rows, s, b } = a;
    const u = this.units;
    const gu = 3 * u;
    const ru = rows * u * 4;
    const off = s * rows * gu * 4;
    const [gs, qs, hdp] = [b.g + off, b.q + off, b.hd + s * ru];
    const wr = this.recurrentKernel!.region!.ptr;
    if (this.resetAfter) {
      const brec = this.bias === null ? 0 : this.bias.region!.ptr + gu * 4;
      k.f32_gemm_nn_minmax(rows, gu, u, hdp, u, wr, gu, brec, 0, qs, gu, -INF, INF, a.ws);
    } else {
      k.f32_gemm_nn_minmax(rows, 2 * u, u, hdp, u, wr, gu, 0, 0, qs, gu, -INF, INF, a.ws);
      k.f32_gru_reset(rows, u, gs, qs, hdp, this.ractCode);
      k.f32_gemm_nn_minmax(rows, u, u, qs + 8 * u, gu, wr + 8 * u, gu, 0, 1, gs + 8 * u, gu, -INF, INF, a.ws);
    }
    k.f32_gru_step(rows, u, gs, qs, b.h + s * ru, b.h + (s + 1) * ru, u, a.rdrop ? b.hd + (s + 1) * ru : 0, b.rmask,
      this.actCode, this.ractCode, this.resetAfter ? 1 : 0);
  }

  /** @internal */
  protected stepBackward(a: StepArgs, needPrev: boolean): void {
    const { k, rows, s, b } = a;
    const u = this.units;
    const gu = 3 * u;
    const ru = rows * u * 4;
    const off = s * rows * gu * 4;
    const [gs, qs] = [b.g + off, b.q + off];
    const wr = this.recurrentKernel!.region!.ptr;
    k.f32_gru_step_grad(rows, u, gs, qs, b.h + s * ru, b.dh, b.dr, this.actCode, this.ractCode, this.resetAfter ? 1 : 0);
    if (this.resetAfter) {
      if (needPrev) k.f32_gemm_nt_minmax(rows, u, gu, qs, gu, wr, gu, 0, 0, b.dd, u, -INF, INF, a.ws);
    } else {
      // ∂L/∂(r·hd) = dĥ·U_hᵀ, then dr and its share of ∂L/∂hd, then the z/r GEMM's share
      k.f32_gemm_nt_minmax(rows, u, u, gs + 8 * u, gu, wr + 8 * u, gu, 0, 0, b.dd, u, -INF, INF, a.ws);
      k.f32_gru_reset_grad(rows, u, gs, b.hd + s * ru, b.dd, b.dd, this.ractCode);
      if (needPrev) k.f32_gemm_nt_minmax(rows, u, 2 * u, gs, gu, wr, gu, 0, 1, b.dd, u, -INF, INF, a.ws);
    }
  }

  /** @internal */
  protected recurrentGrads(k: KernelExports, rows: number, b: RecurrentBuffers, beta: number, ws: Ptr): void {
    const u = this.units;
    const gu = 3 * u;
    const tr = this.seqLen * rows;
    const grad = this.recurrentKernel!.grad!.ptr;
    if (this.resetAfter) {
      k.f32_gemm_tn_minmax(u, gu, tr, b.hd, u, b.q, gu, 0, beta, grad, gu, -INF, INF, ws);
      if (this.bias !== null) k.f32_colsum(tr, gu, b.q, gu, this.bias.grad!.ptr + gu * 4, beta);
    } else {
      k.f32_gemm_tn_minmax(u, 2 * u, tr, b.hd, u, b.g, gu, 0, beta, grad, gu, -INF, INF, ws);
      k.f32_gemm_tn_minmax(u, u, tr, b.q + 8 * u, gu, b.g + 8 * u, gu, 0, beta, grad + 8 * u, gu, -INF, INF, ws);
    }
  }

  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      recurrent_activation: activations.serialize(this.recurrentActivation),
      reset_after: this.resetAfter,
    };
  }

  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(config: Record<string, unknown>): GRU {
    return withZeroOutput(new GRU({
      ...recurrentArgsFromConfig(config, GRU),
      recurrentActivation: recurrentActivationOf(config),
      // TF.js and Keras 2.0–2.2 files have no reset_after: their GRU is the reset-before one
      resetAfter: (config.reset_after as boolean | null | undefined) ?? false,
    }), config);
  }
}

function recurrentActivationOf(c: Record<string, unknown>): ActivationIdentifier | null | undefined {
  return c.recurrent_activation === undefined ? undefined : ((c.recurrent_activation as ActivationIdentifier | null) ?? null);
}

function withZeroOutput<T extends RecurrentBase>(layer: T, c: Record<string, unknown>): T {
  layer.zeroOutputForMask = zeroOutputOf(c);
  return layer;
}
