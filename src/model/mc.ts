// MC dropout (Gal & Ghahramani 2016, "Dropout as a Bayesian Approximation", ICML): many
// predictions with the dropout family on, summarized per output element by its mean and
// population standard deviation. The running statistics are Welford's, in wasm (f32_welford).
import { ready } from '../backend/loader.js';
import type { Region } from '../backend/memory.js';
import { toDataset } from '../data/coerce.js';
import { checkOptions, checkPositiveInt, invalidArgument } from '../errors.js';
import { Tensor } from '../tensor.js';
import { Model } from './model.js';

/** Options of {@link mcPredict}. */
export interface McPredictArgs {
  /** Number of stochastic forward passes. Default 30. */
  samples?: number;
  /** Rows per forward pass, as `predict`. Default 32. */
  batchSize?: number;
}

/**
 * `samples` predictions with `{ training: true }` (dropout and noise on; BatchNormalization on
 * its moving statistics), resolved to `{ mean, std }` over the samples, each the shape of one
 * prediction (std: population, divided by `samples`).
 */
export async function mcPredict(model: Model, x: unknown, args: McPredictArgs = {}): Promise<{
  /** The mean prediction over the samples. */
  mean: Tensor;
  /** The population standard deviation over the samples: the model's uncertainty per output element. */
  std: Tensor;
}> {
  if (!(model instanceof Model)) throw invalidArgument('model', 'a kerasm model', model);
  checkOptions(args, ['samples', 'batchSize'], 'mcPredict');
  if (model.outputs.length !== 1) throw invalidArgument('model', 'a model with one output', `${model.outputs.length} outputs`);
  return model.exclusive('mcPredict', () => sample(model, x, args));
}

async function sample(model: Model, x: unknown, args: McPredictArgs): Promise<{ mean: Tensor; std: Tensor }> {
  const samples = args.samples === undefined ? 30 : checkPositiveInt('samples', args.samples);
  await ready();
  const d = toDataset(x, 'x');
  const input = { data: d.data, shape: [d.rows, ...d.shape] };
  const opts = { training: true, batchSize: args.batchSize };
  const first = model.predict(input, opts) as Tensor;
  const n = first.size;
  const { arena, k } = model.ensureAllocated();
  const regions: Region[] = [];
  try {
    const buf = arena.alloc(n * 4);
    regions.push(buf);
    const mean = arena.alloc(n * 4);
    regions.push(mean);
    const m2 = arena.alloc(n * 4);
    regions.push(m2);
    for (let s = 1; s <= samples; s++) {
      const out = s === 1 ? first : (model.predict(input, opts) as Tensor);
      arena.view(buf, n).set(out.data);
      k.f32_welford(n, buf.ptr, mean.ptr, m2.ptr, s);
      if (s < samples) await new Promise<void>((resolve) => setTimeout(resolve, 0));
    }
    k.f32_welford_std(n, m2.ptr, m2.ptr, samples);
    return {
      mean: new Tensor(arena.view(mean, n).slice(), first.shape),
      std: new Tensor(arena.view(m2, n).slice(), first.shape),
    };
  } finally {
    for (const r of regions) arena.release(r);
  }
}
