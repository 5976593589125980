// Learning-rate schedules against the formulas of Keras 3
// keras/src/optimizers/schedules/learning_rate_schedule.py (re-derived here in float64, with
// hand-checked values), their validation and config round trip, and their evaluation at
// `optimizer.iterations` inside training.
import { describe, expect, test } from 'vitest';
import * as km from '../../src/index.js';

const S = km.schedules;
const steps = [0, 1, 2, 5, 9, 10, 11, 15, 20, 49, 50, 99, 100, 101, 150, 199, 200, 250, 1000];

describe('formulas (Keras learning_rate_schedule.py)', () => {
  test('exponentialDecay: lr0·rate^(step/decaySteps), floored with staircase', () => {
    const s = S.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
    const st = S.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true });
    for (const t of steps) {
      expect(s.call(t)).toBeCloseTo(0.1 * 0.5 ** (t / 10), 15);
      expect(st.call(t)).toBe(0.1 * 0.5 ** Math.floor(t / 10));
    }
    expect(s.call(20)).toBeCloseTo(0.025, 15);
    expect(st.call(15)).toBe(0.05);
  });
  test('piecewiseConstantDecay: values[0] while step ≤ b0, values[i] in (b(i−1), b(i)], last after', () => {
    const s = S.piecewiseConstantDecay({ boundaries: [100, 110], values: [1, 0.5, 0.1] });
    expect([0, 100, 101, 110, 111, 1000].map((t) => s.call(t))).toEqual([1, 1, 0.5, 0.5, 0.1, 0.1]);
  });
  test('polynomialDecay: (lr0 − end)(1 − p)^power + end, p capped at 1, or the cycle stretched', () => {
    const s = S.polynomialDecay({ initialLearningRate: 0.1, decaySteps: 100, endLearningRate: 0.01, power: 0.5 });
    const c = S.polynomialDecay({ initialLearningRate: 0.1, decaySteps: 100, endLearningRate: 0.01, power: 0.5, cycle: true });
    for (const t of steps) {
      const p = Math.min(t, 100) / 100;
      expect(s.call(t)).toBeCloseTo(0.09 * (1 - p) ** 0.5 + 0.01, 15);
      const d = 100 * (t === 0 ? 1 : Math.ceil(t / 100));
      expect(c.call(t)).toBeCloseTo(0.09 * (1 - t / d) ** 0.5 + 0.01, 15);
    }
    expect(c.call(150)).toBeCloseTo(0.09 * 0.5 + 0.01, 15); // period 200, p = 0.75
    expect(S.polynomialDecay({ initialLearningRate: 1, decaySteps: 10 }).call(5)).toBeCloseTo(0.50005, 15); // end 1e-4, power 1
  });
  test('inverseTimeDecay: lr0/(1 + rate·step/decaySteps), floored with staircase', () => {
    const s = S.inverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
    const st = S.inverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true });
    for (const t of steps) {
      expect(s.call(t)).toBeCloseTo(0.1 / (1 + 0.5 * (t / 10)), 15);
      expect(st.call(t)).toBeCloseTo(0.1 / (1 + 0.5 * Math.floor(t / 10)), 15);
    }
  });
  test('cosineDecay: lr0·((1 − α)·½(1 + cos(π·min(t, T)/T)) + α); with warmup: linear to the target, then decay from it', () => {
    const s = S.cosineDecay({ initialLearningRate: 0.1, decaySteps: 100, alpha: 0.1 });
    for (const t of steps) expect(s.call(t)).toBeCloseTo(0.1 * (0.9 * 0.5 * (1 + Math.cos((Math.PI * Math.min(t, 100)) / 100)) + 0.1), 15);
    expect(s.call(50)).toBeCloseTo(0.055, 15);
    const w = S.cosineDecay({ initialLearningRate: 0, decaySteps: 100, warmupTarget: 0.1, warmupSteps: 10 });
    expect(w.call(0)).toBe(0);
    expect(w.call(5)).toBeCloseTo(0.05, 15);
    expect(w.call(10)).toBeCloseTo(0.1, 15);
    expect(w.call(60)).toBeCloseTo(0.05, 15);
    expect(w.call(110)).toBeCloseTo(0, 15);
    expect(w.call(500)).toBeCloseTo(0, 15);
  });
  test('cosineDecayRestarts (SGDR): periods ×tMul, peaks ×mMul', () => {
    const s = S.cosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 10, tMul: 2, mMul: 0.5 });
    expect(s.call(0)).toBeCloseTo(1, 15);
    expect(s.call(5)).toBeCloseTo(0.5, 15);
    expect(s.call(10)).toBeCloseTo(0.5, 12); // restart 1 at its peak 0.5
    expect(s.call(20)).toBeCloseTo(0.25, 12); // half-way through the 20-step second period
    expect(s.call(30)).toBeCloseTo(0.25, 12); // restart 2: peak 0.25
    const flat = S.cosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 10, tMul: 1, alpha: 0.2 });
    for (const t of steps) expect(flat.call(t)).toBeCloseTo(0.8 * 0.5 * (1 + Math.cos(Math.PI * ((t / 10) % 1))) + 0.2, 12);
  });
});

describe('arguments and configs', () => {
  test('Keras messages for bad arguments', () => {
    expect(() => S.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.5 }))
      .toThrow(new km.ValueError('Invalid value received for argument `decaySteps`: expected a number > 0. Received: decaySteps=0'));
    expect(() => S.piecewiseConstantDecay({ boundaries: [1, 2], values: [1, 2] }))
      .toThrow('The length of boundaries should be 1 less than the length of values. Received: boundaries=[1, 2] of length 2, and values=[1, 2] of length 2.');
    expect(() => S.cosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: -1 })).toThrow(/argument `firstDecaySteps`/);
  });
  test('getConfig uses Keras keys; deserialize(serialize(s)) gives the same schedule', () => {
    const all = [
      S.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true }),
      S.piecewiseConstantDecay({ boundaries: [5], values: [1, 0.1] }),
      S.polynomialDecay({ initialLearningRate: 0.1, decaySteps: 10, cycle: true }),
      S.inverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 1 }),
      S.cosineDecay({ initialLearningRate: 0.1, decaySteps: 10, warmupTarget: 1, warmupSteps: 3 }),
      S.cosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 10, tMul: 1.5 }),
    ];
    for (const s of all) {
      const c = S.serialize(s);
      const again = S.deserialize(JSON.parse(JSON.stringify(c)));
      expect(S.serialize(again)).toEqual(c);
      for (const t of [0, 3, 7, 13]) expect(again.call(t)).toBe(s.call(t));
    }
    expect(S.serialize(all[0]!)).toEqual({ class_name: 'ExponentialDecay', config: { initial_learning_rate: 0.1, decay_steps: 10, decay_rate: 0.5, staircase: true, name: 'ExponentialDecay' } });
    expect(S.serialize(all[5]!).config).toEqual({ initial_learning_rate: 0.1, first_decay_steps: 10, t_mul: 1.5, m_mul: 1, alpha: 0, name: 'SGDRDecay' });
  });
});

describe('in an optimizer', () => {
  test('evaluated at optimizer.iterations: learningRate follows the schedule step by step; getConfig nests it', async () => {
    await km.ready();
    const sched = S.piecewiseConstantDecay({ boundaries: [1, 2], values: [0.3, 0.2, 0.1] });
    const opt = km.optimizers.sgd({ learningRate: sched });
    const m = km.sequential({ layers: [km.layers.dense({ units: 1, inputShape: [1], useBias: false, kernelInitializer: 'zeros' })] });
    m.compile({ optimizer: opt, loss: 'mse' });
    // Loss (w·1 − 1)² → gradient 2(w − 1); w ← w − lr·2(w − 1), with lr = schedule(iteration).
    let w = 0;
    for (let it = 0; it < 4; it++) {
      expect(opt.learningRate).toBe(sched.call(it));
      m.trainOnBatch([[1]], [[1]]);
      w -= sched.call(it) * 2 * (w - 1);
      expect(m.getWeights()[0]!.data[0]).toBeCloseTo(w, 6);
    }
    expect(opt.iterations).toBe(4);
    expect(opt.getConfig().learning_rate).toEqual(S.serialize(sched));
    expect(() => {
      opt.learningRate = 0.5;
    }).toThrow(/not settable/);
    m.dispose();
  });
  test('a schedule that gives a negative rate stops training with a clear error', async () => {
    const bad = new (class extends km.schedules.LearningRateSchedule {
      call(): number {
        return -1;
      }
      getConfig() {
        return {};
      }
    })();
    const m = km.sequential({ layers: [km.layers.dense({ units: 1, inputShape: [1] })] });
    m.compile({ optimizer: km.optimizers.adam({ learningRate: bad }), loss: 'mse' });
    expect(() => m.trainOnBatch([[1]], [[1]])).toThrow(/returned -1 at step 0; expected a finite number ≥ 0/);
    m.dispose();
  });
});
