// Keras's VarianceScaling and its Glorot, He and LeCun presets: scale / fan, from a truncated
// normal, an untruncated normal or a uniform distribution.
import { invalidArgument } from '../errors.js';
import { Initializer, checkArgs, checkSeed, computeFans, drawTruncatedNormal, streamFor } from './initializer.js';

/**
 * Which fan {@link VarianceScaling} divides its scale by: the number of inputs (`'fanIn'`), outputs
 * (`'fanOut'`) or their mean (`'fanAvg'`). Keras's snake_case spellings (`'fan_in'`...) are also accepted.
 */
export type FanMode = 'fanIn' | 'fanOut' | 'fanAvg';
/**
 * The distribution {@link VarianceScaling} draws from. `'truncatedNormal'` (also spelt `'normal'`, as in
 * Keras 2) redraws values beyond 2 standard deviations; `'untruncatedNormal'` does not; `'uniform'` draws
 * from [-limit, limit] with limit = sqrt(3 * scale / fan).
 */
export type Distribution = 'normal' | 'uniform' | 'truncatedNormal' | 'untruncatedNormal';

/** Keras's and TF.js's spellings of the modes and distributions, to kerasm's. */
export const MODES: Record<string, FanMode> = { fanIn: 'fanIn', fan_in: 'fanIn', fanOut: 'fanOut', fan_out: 'fanOut', fanAvg: 'fanAvg', fan_avg: 'fanAvg' };
export const DISTS: Record<string, Distribution> = {
  normal: 'truncatedNormal', truncatedNormal: 'truncatedNormal', truncated_normal: 'truncatedNormal',
  untruncatedNormal: 'untruncatedNormal', untruncated_normal: 'untruncatedNormal', uniform: 'uniform',
};

/** Options of {@link VarianceScaling}. */
export interface VarianceScalingArgs {
  /** The scale, a positive number (default 1). */
  scale?: number;
  /** Which fan divides the scale (default `'fanIn'`); see {@link FanMode}. */
  mode?: FanMode | 'fan_in' | 'fan_out' | 'fan_avg';
  /** What to draw from (default `'truncatedNormal'`); see {@link Distribution}. */
  distribution?: Distribution | 'truncated_normal' | 'untruncated_normal';
  /** An integer seed, so the same weights come out each time; null (default): the global stream ({@link setSeed}). */
  seed?: number | null;
}

/**
 * Keras `VarianceScaling`: with n = the fan chosen by `mode` and s = scale / n, a truncated normal has
 * standard deviation sqrt(s) / 0.8796 (Keras's correction for the truncation at 2 standard deviations), an
 * untruncated normal sqrt(s), and a uniform distribution the limit sqrt(3 * s). The Glorot, He and LeCun
 * initializers are presets of it.
 */
export class VarianceScaling extends Initializer {
  static override readonly className: string = 'VarianceScaling';
  static override readonly argNames: readonly string[] = ['scale', 'mode', 'distribution', 'seed'];
  /** The scale (default 1). */
  readonly scale: number;
  /** Which fan divides the scale, in camelCase. */
  readonly mode: FanMode;
  /** The distribution drawn from (`'normal'` is read as `'truncatedNormal'`). */
  readonly distribution: Distribution;
  /** An integer seed, or null for the global stream. */
  readonly seed: number | null;
  constructor(args: VarianceScalingArgs = {}) {
    super();
    checkArgs(args, VarianceScaling);
    this.scale = args.scale ?? 1;
    if (!(this.scale > 0)) throw invalidArgument('scale', 'a positive number', args.scale);
    const mode = MODES[args.mode ?? 'fanIn'];
    if (mode === undefined) throw invalidArgument('mode', "one of 'fanIn', 'fanOut', 'fanAvg'", args.mode);
    const dist = DISTS[args.distribution ?? 'truncatedNormal'];
    if (dist === undefined) throw invalidArgument('distribution', "one of 'truncatedNormal', 'untruncatedNormal', 'uniform'", args.distribution);
    this.mode = mode;
    this.distribution = dist;
    this.seed = checkSeed(args.seed);
  }
  fill(shape: readonly number[], out: Float32Array): void {
    const { fanIn, fanOut } = computeFans(shape);
    const n = this.mode === 'fanIn' ? fanIn : this.mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
    const scale = this.scale / Math.max(1, n);
    const r = streamFor(this.seed);
    if (this.distribution === 'uniform') {
      const limit = Math.sqrt(3 * scale);
      for (let i = 0; i < out.length; i++) out[i] = -limit + 2 * limit * r.next();
    } else if (this.distribution === 'untruncatedNormal') {
      const std = Math.sqrt(scale);
      for (let i = 0; i < out.length; i++) out[i] = std * r.normal();
    } else {
      // 0.879…: the standard deviation of a unit normal truncated to [-2, 2] (Keras).
      const std = Math.sqrt(scale) / 0.87962566103423978;
      for (let i = 0; i < out.length; i++) out[i] = std * drawTruncatedNormal(r);
    }
  }
  getConfig(): Record<string, unknown> {
    const mode = this.mode === 'fanIn' ? 'fan_in' : this.mode === 'fanOut' ? 'fan_out' : 'fan_avg';
    const distribution = this.distribution === 'truncatedNormal' ? 'truncated_normal' : this.distribution === 'untruncatedNormal' ? 'untruncated_normal' : 'uniform';
    return { scale: this.scale, mode, distribution, seed: this.seed };
  }
}

/** The option of a VarianceScaling preset: only its seed (the rest is fixed by the preset). */
export interface PresetArgs {
  /** An integer seed, or null (default) for the global stream. */
  seed?: number | null;
}

/**
 * The Glorot, He and LeCun initializers: a {@link VarianceScaling} whose scale, mode and
 * distribution the subclass fixes; its only option and config key is `seed` (TF.js also writes the
 * fixed values into its config, which are read and ignored).
 */
export abstract class VarianceScalingPreset extends VarianceScaling {
  /** @internal */
  static override readonly argNames: readonly string[] = ['seed'];
  /** @internal */
  static override readonly configOnlyKeys: readonly string[] = ['scale', 'mode', 'distribution'];
  /** A preset checks `args` under its own class name and fixes the other three options. */
  protected constructor(args: PresetArgs, cls: { readonly className: string; readonly argNames: readonly string[] },
    scale: number, mode: FanMode, distribution: Distribution) {
    super({ scale, mode, distribution, seed: checkArgs(args, cls).seed ?? null });
  }
  override getConfig(): Record<string, unknown> {
    return { seed: this.seed };
  }
}

/**
 * Keras `GlorotUniform`: Glorot (Xavier) uniform: limit sqrt(6 / (fanIn + fanOut)). The default `kernelInitializer` of Dense, the convolutions and the recurrent layers' input kernels.
 * A {@link VarianceScaling} with scale 1, mode `'fanAvg'`, distribution `'uniform'`; its only option is `seed`.
 */
export class GlorotUniform extends VarianceScalingPreset {
  static override readonly className: string = 'GlorotUniform';
  constructor(args: PresetArgs = {}) {
    super(args, new.target, 1, 'fanAvg', 'uniform');
  }
}
/**
 * Keras `GlorotNormal`: Glorot (Xavier) normal: a truncated normal with standard deviation about sqrt(2 / (fanIn + fanOut)).
 * A {@link VarianceScaling} with scale 1, mode `'fanAvg'`, distribution `'truncatedNormal'`; its only option is `seed`.
 */
export class GlorotNormal extends VarianceScalingPreset {
  static override readonly className: string = 'GlorotNormal';
  constructor(args: PresetArgs = {}) {
    super(args, new.target, 1, 'fanAvg', 'truncatedNormal');
  }
}
/**
 * Keras `HeNormal`: He normal: a truncated normal with standard deviation about sqrt(2 / fanIn); suited to ReLU layers.
 * A {@link VarianceScaling} with scale 2, mode `'fanIn'`, distribution `'truncatedNormal'`; its only option is `seed`.
 */
export class HeNormal extends VarianceScalingPreset {
  static override readonly className: string = 'HeNormal';
  constructor(args: PresetArgs = {}) {
    super(args, new.target, 2, 'fanIn', 'truncatedNormal');
  }
}
/**
 * Keras `HeUniform`: He uniform: limit sqrt(6 / fanIn); suited to ReLU layers.
 * A {@link VarianceScaling} with scale 2, mode `'fanIn'`, distribution `'uniform'`; its only option is `seed`.
 */
export class HeUniform extends VarianceScalingPreset {
  static override readonly className: string = 'HeUniform';
  constructor(args: PresetArgs = {}) {
    super(args, new.target, 2, 'fanIn', 'uniform');
  }
}
/**
 * Keras `LecunNormal`: LeCun normal: a truncated normal with standard deviation about sqrt(1 / fanIn); the initializer SELU networks expect.
 * A {@link VarianceScaling} with scale 1, mode `'fanIn'`, distribution `'truncatedNormal'`; its only option is `seed`.
 */
export class LecunNormal extends VarianceScalingPreset {
  static override readonly className: string = 'LecunNormal';
  constructor(args: PresetArgs = {}) {
    super(args, new.target, 1, 'fanIn', 'truncatedNormal');
  }
}
/**
 * Keras `LecunUniform`: LeCun uniform: limit sqrt(3 / fanIn).
 * A {@link VarianceScaling} with scale 1, mode `'fanIn'`, distribution `'uniform'`; its only option is `seed`.
 */
export class LecunUniform extends VarianceScalingPreset {
  static override readonly className: string = 'LecunUniform';
  constructor(args: PresetArgs = {}) {
    super(args, new.target, 1, 'fanIn', 'uniform');
  }
}
