// The recurrent layers' options and configs (Keras 3's RNN and cell arguments, TF.js's names),
// the cells' activation codes (assembly/f32-rnn/act.ts) and the Keras 2 / TF.js hard sigmoid of
// files. The layers themselves: recurrent.ts (the time loop) and recurrent-cells.ts.
import * as activations from '../activations/index.js';
import type { ActivationIdentifier, ActivationInfo } from '../activations/index.js';
import { ValueError, invalidArgument } from '../errors.js';
import type { InitializerIdentifier } from '../initializers/index.js';
import type { ConstraintIdentifier } from '../constraints/index.js';
import type { RegularizerIdentifier } from '../regularizers/index.js';
import { LAYER_ARG_NAMES, LAYER_CONFIG_KEYS, layerArgsFromConfig } from './layer.js';
import type { LayerArgs } from './layer.js';

/** Activation codes of assembly/f32-rnn/act.ts, by Keras name. */
export const RNN_ACTIVATION_CODES: Readonly<Record<string, number>> = {
  linear: 0, sigmoid: 1, tanh: 2, relu: 3, hard_sigmoid: 4, relu6: 6, softsign: 7, elu: 8, exponential: 9, selu: 10, leaky_relu: 11,
};
/** Keras 2's and TF.js's hard sigmoid, clip(0.2·x + 0.5, 0, 1): what `hard_sigmoid` means in their files. */
export const HARD_SIGMOID_KERAS2 = 'hard_sigmoid_keras2';
const HARD_SIGMOID_KERAS2_CODE = 5;

/** An activation for a cell: a name the f32-rnn kernels compute (with its default alpha). */
export function cellActivation(id: ActivationIdentifier | null | undefined, argName: string): { info: ActivationInfo; code: number } {
  if (id === HARD_SIGMOID_KERAS2) return { info: activations.get('hard_sigmoid', argName), code: HARD_SIGMOID_KERAS2_CODE };
  const info = activations.get(id, argName);
  const code = RNN_ACTIVATION_CODES[info.name];
  if (code === undefined || info.layerConfig !== undefined) {
    throw invalidArgument(argName, `one of ${Object.keys(RNN_ACTIVATION_CODES).join(', ')} for a recurrent cell (computed inside the cell's kernel)`, id);
  }
  return { info, code };
}

/** Options every recurrent layer takes. Keras: `keras.layers.SimpleRNN` / `LSTM` / `GRU`. */
export interface RecurrentArgs extends LayerArgs {
  /** Positive integer: size of the state and of the output. */
  units: number;
  /** The cell's main activation: SimpleRNN's new state, the LSTM's and GRU's candidate, and the LSTM's `c` on the way to `h`. Default `tanh`. */
  activation?: ActivationIdentifier | null;
  /** Whether the layer uses bias vectors. Default true. */
  useBias?: boolean;
  /** Initial values of the input kernel. Default `glorotUniform`. */
  kernelInitializer?: InitializerIdentifier;
  /** Initial values of the recurrent kernel. Default `orthogonal`. */
  recurrentInitializer?: InitializerIdentifier;
  /** Initial values of the bias. Default `zeros`. */
  biasInitializer?: InitializerIdentifier;
  /** Penalty on the input kernel `W` added to the loss. Default none. */
  kernelRegularizer?: RegularizerIdentifier | null;
  /** Penalty on the recurrent kernel `U` added to the loss. Default none. */
  recurrentRegularizer?: RegularizerIdentifier | null;
  /** Penalty on the bias added to the loss. Default none. */
  biasRegularizer?: RegularizerIdentifier | null;
  /** Penalty on the layer's output (its first output), summed over the batch. */
  activityRegularizer?: RegularizerIdentifier | null;
  /** Applied to the input kernel after each optimizer update. Default none. */
  kernelConstraint?: ConstraintIdentifier | null;
  /** Applied to the recurrent kernel after each optimizer update. Default none. */
  recurrentConstraint?: ConstraintIdentifier | null;
  /** Applied to the bias after each optimizer update. Default none. */
  biasConstraint?: ConstraintIdentifier | null;
  /** Fraction of the inputs dropped: one mask per sample and call, the same at every step. Default 0. */
  dropout?: number;
  /** Fraction of the recurrent state dropped (as it enters the recurrent kernel), one mask per sample and call. Default 0. */
  recurrentDropout?: number;
  /** Seed of the dropout masks (default: drawn from km.setSeed's stream). */
  seed?: number | null;
  /** Return the whole sequence [batch, steps, units] rather than the last output. Default false. */
  returnSequences?: boolean;
  /** Also return the final state(s): [output, h] (LSTM: [output, h, c]). Default false. */
  returnState?: boolean;
  /** Process the sequence from its end; the returned sequence is in processing order (reversed), as Keras. */
  goBackwards?: boolean;
  /** Only false: kerasm keeps no state between batches. */
  stateful?: boolean;
  /** Accepted and ignored (the time loop is always a loop of kernels). */
  unroll?: boolean;
  /** Accepted for files (Keras 2's cell implementation mode); no effect. */
  implementation?: number;
}

export const RECURRENT_ARG_NAMES: readonly string[] = [...LAYER_ARG_NAMES, 'units', 'activation', 'useBias', 'kernelInitializer',
  'recurrentInitializer', 'biasInitializer', 'kernelRegularizer', 'recurrentRegularizer', 'biasRegularizer', 'activityRegularizer',
  'kernelConstraint', 'recurrentConstraint', 'biasConstraint', 'dropout', 'recurrentDropout', 'seed', 'returnSequences', 'returnState',
  'goBackwards', 'stateful', 'unroll', 'implementation'];
export const RECURRENT_CONFIG_KEYS: readonly string[] = [...LAYER_CONFIG_KEYS, 'units', 'activation', 'use_bias', 'kernel_initializer',
  'recurrent_initializer', 'bias_initializer', 'kernel_regularizer', 'recurrent_regularizer', 'bias_regularizer', 'activity_regularizer',
  'kernel_constraint', 'recurrent_constraint', 'bias_constraint', 'dropout', 'recurrent_dropout', 'seed', 'return_sequences',
  'return_state', 'go_backwards', 'stateful', 'unroll', 'implementation', 'time_major', 'zero_output_for_mask', 'use_cudnn'];

export function bool(v: unknown, dflt: boolean, name: string): boolean {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'boolean') throw invalidArgument(name, 'a boolean', v);
  return v;
}

/** The recurrent options of a Keras config (snake_case), for the cells' `fromConfig`. */
export function recurrentArgsFromConfig(c: Record<string, unknown>, cls: { readonly className: string; readonly configKeys: readonly string[] }): RecurrentArgs {
  if (c.time_major === true) throw new ValueError(`Layer ${String(c.name)} (${cls.className}) has time_major: true; kerasm reads [batch, steps, features] only`);
  const opt = <T>(key: string): T | undefined => (c[key] === null ? undefined : (c[key] as T | undefined));
  return {
    ...layerArgsFromConfig(c, cls),
    units: c.units as number,
    activation: c.activation === undefined ? undefined : ((c.activation as ActivationIdentifier | null) ?? null),
    useBias: opt('use_bias'),
    kernelInitializer: opt('kernel_initializer'),
    recurrentInitializer: opt('recurrent_initializer'),
    biasInitializer: opt('bias_initializer'),
    kernelRegularizer: opt('kernel_regularizer') ?? null,
    recurrentRegularizer: opt('recurrent_regularizer') ?? null,
    biasRegularizer: opt('bias_regularizer') ?? null,
    activityRegularizer: opt('activity_regularizer') ?? null,
    kernelConstraint: opt('kernel_constraint') ?? null,
    recurrentConstraint: opt('recurrent_constraint') ?? null,
    biasConstraint: opt('bias_constraint') ?? null,
    dropout: opt('dropout'),
    recurrentDropout: opt('recurrent_dropout'),
    seed: opt('seed') ?? null,
    returnSequences: opt('return_sequences'),
    returnState: opt('return_state'),
    goBackwards: opt('go_backwards'),
    stateful: opt('stateful'),
    unroll: opt('unroll'),
    implementation: opt('implementation'),
  };
}

/** Keras's `zero_output_for_mask` of a config (Bidirectional's inner layers). */
export function zeroOutputOf(c: Record<string, unknown>): boolean {
  return c.zero_output_for_mask === true;
}

/**
 * A Keras 2 or TF.js file's recurrent layer (or Bidirectional around one): its `hard_sigmoid`
 * activations are clip(0.2·x + 0.5, 0, 1), read as {@link HARD_SIGMOID_KERAS2} (DESIGN.md).
 */
export function keras2HardSigmoid(cls: string, config: Record<string, unknown>): void {
  if (cls === 'Bidirectional' && typeof config.layer === 'object' && config.layer !== null) {
    const inner = config.layer as { class_name?: unknown; config?: unknown };
    if (typeof inner.class_name === 'string' && typeof inner.config === 'object' && inner.config !== null) keras2HardSigmoid(inner.class_name, inner.config as Record<string, unknown>);
    return;
  }
  if (cls !== 'SimpleRNN' && cls !== 'LSTM' && cls !== 'GRU') return;
  for (const key of ['activation', 'recurrent_activation']) {
    if (config[key] === 'hard_sigmoid' || config[key] === 'hardSigmoid') config[key] = HARD_SIGMOID_KERAS2;
  }
}
