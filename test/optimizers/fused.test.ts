// Optimizer.apply's fused pass: per weight, one update kernel with the penalty gradient, the
// clipping (clipvalue, clipnorm, globalClipnorm) and NonNeg inside it. Against the multi-pass
// step it replaces, built here from the separate kernels (the backward's f32_l1l2_grad, then
// f32_sumsq norms, f32_clip_by_value / f32_vscale, the update kernel without a block, the
// proximal step, the constraint's own kernel), weights and optimizer states must be
// bit-identical, step after step, for every optimizer. The threads builds run the same check
// with 1 and 2 threads in test/threads/fused.test.ts.
import { beforeAll, describe, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import type { Backend } from '../../src/backend/loader.js';
import type { KernelExports } from '../../src/backend/kernels.js';
import type { LayerWeight } from '../../src/layers/layer.js';
import type { Optimizer } from '../../src/optimizers/index.js';
import { testBackend } from '../helpers/backend.js';
import { OPTIMIZERS, OPTIMIZER_OPTIONS, ROTATIONS, bits, compareRuns, expectSameBits, firstDifference, freeWeights, makeWeights, snapshot } from '../helpers/fused.js';
import type { OptimizerInternals } from '../helpers/fused.js';
import { Rng } from '../helpers/rng.js';

let b: Backend;
beforeAll(async () => {
  b = await testBackend();
});

describe.each(OPTIMIZERS.map(([name, make]) => ({ name, make })))('$name', ({ make }) => {
  test.each(OPTIMIZER_OPTIONS.map((o) => [JSON.stringify(o), o] as const))(
    'fused apply is bit-identical to the multi-pass step: L1, L2, L1L2, proximal L1, NonNeg, MaxNorm, MinMaxNorm on sizes 1, 3, 5, 17, 1031, 4 steps (%s)',
    (_label, o) => {
      for (let rotation = 0; rotation < ROTATIONS; rotation++) {
        const r = compareRuns(b, () => make(o), rotation, 4, 100 * rotation + OPTIMIZER_OPTIONS.indexOf(o));
        r.fused.forEach((s, step) => expectSameBits(s, r.multi[step]!, `rotation ${rotation}, step ${step}`));
      }
    },
  );
});

describe('the comparison can fail', () => {
  test('a penalty left out of the clipnorm norm changes the weights', () => {
    // Multi-pass reference that clips the data gradient only (penalty added after the clipping).
    const wrong = (opt: Optimizer, k: KernelExports, ws: readonly LayerWeight[]): void => {
      const o = opt as unknown as OptimizerInternals;
      for (const w of ws) {
        const norm = Math.sqrt(k.f32_sumsq(w.size, w.grad!.ptr));
        if (norm > opt.clipnorm!) k.f32_vscale(w.size, w.grad!.ptr, w.grad!.ptr, opt.clipnorm! / norm);
        const reg = w.regularizer;
        if (reg !== null) k.f32_l1l2_grad(w.size, w.region!.ptr, w.grad!.ptr, reg.gradientL1, reg.l2);
        o.update(k, w, o.slots.get(w)!, opt.learningRate, 0, 0);
        if (w.constraint) w.constraint.apply(k, w.region!.ptr, w.shape, w.size);
      }
      o.iterations++;
    };
    const rng = new Rng(4);
    const wf = makeWeights(b, 1, [1031]);
    const wm = makeWeights(b, 1, [1031]);
    expect(wf[0]!.regularizer!.l2).toBeGreaterThan(0);
    const v = Float32Array.from({ length: 1031 }, () => rng.awkward(1));
    const g = Float32Array.from({ length: 1031 }, () => rng.awkward(1));
    for (const ws of [wf, wm]) {
      b.arena.view(ws[0]!.region!, 1031).set(v);
      b.arena.view(ws[0]!.grad!, 1031).set(g);
    }
    const f = km.optimizers.adam({ clipnorm: 0.5 });
    const m = km.optimizers.adam({ clipnorm: 0.5 });
    f.build(b.arena, b.k, wf);
    m.build(b.arena, b.k, wm);
    f.apply(b.k, wf);
    wrong(m, b.k, wm);
    expect(firstDifference(snapshot(b, f, wf), snapshot(b, m, wm))).not.toBeNull();
    f.dispose();
    m.dispose();
    freeWeights(b, wf);
    freeWeights(b, wm);
  });
});

describe('where the full gradient is needed', () => {
  function model(): km.Sequential {
    km.setSeed(3);
    return km.sequential({ layers: [
      km.layers.dense({ units: 7, activation: 'relu', inputShape: [5], kernelRegularizer: km.regularizers.l1l2({ l1: 0.01, l2: 0.05 }),
        biasRegularizer: km.regularizers.l2(0.1), biasInitializer: 'ones' }),
      km.layers.dense({ units: 2, kernelRegularizer: km.regularizers.l1({ l1: 0.02, proximal: true }) }),
    ] });
  }
  const rng = new Rng(8);
  const x = km.tensor(Float32Array.from({ length: 40 * 5 }, () => rng.uniform(-1, 1)), [40, 5]);
  const y = km.tensor(Float32Array.from({ length: 40 * 2 }, () => rng.uniform(-1, 1)), [40, 2]);

  test('lossAndGradients includes the penalty gradients once an optimizer fuses them (same bits as before any fit)', async () => {
    const m = model();
    m.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
    const before = m.engine.lossAndGradients(x, y);
    expect(m.trainableWeights.some((w) => w.penaltyInUpdate === true)).toBe(false);
    const weights0 = m.getWeights().map((t) => bits(t.data));
    m.compiled!.optimizer.learningRate = 0;
    await m.fit(x, y, { epochs: 1, batchSize: 40, verbose: 0, shuffle: false });
    expectSameBits(m.getWeights().map((t) => bits(t.data)), weights0, 'weights after a step at learning rate 0');
    expect(m.trainableWeights.every((w) => w.penaltyInUpdate === true)).toBe(true);
    const after = m.engine.lossAndGradients(x, y);
    expect(after.loss).toBe(before.loss);
    expectSameBits(after.grads.map((t) => bits(t.data)), before.grads.map((t) => bits(t.data)), 'gradients before and after fit');
    // And the penalty is in them: without the regularizers the kernel gradient differs.
    const plain = km.sequential({ layers: [
      km.layers.dense({ units: 7, activation: 'relu', inputShape: [5], biasInitializer: 'ones' }),
      km.layers.dense({ units: 2 }),
    ] });
    plain.compile({ optimizer: 'sgd', loss: 'mse' });
    plain.setWeights(m.getWeights());
    const noPenalty = plain.engine.lossAndGradients(x, y);
    expect(firstDifference([bits(noPenalty.grads[0]!.data)], [bits(after.grads[0]!.data)])).not.toBeNull();
    m.dispose();
    plain.dispose();
  });

  test('apply before build is a clear error', () => {
    expect(() => km.optimizers.adam().apply(b.k, [])).toThrow(/call build/);
  });
});
