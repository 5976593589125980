// Every class in the layer registry through the layer harness (test/helpers/layer-harness.ts,
// cases in test/helpers/layer-cases.ts): a registered class without a case fails here. The
// second half shows that each of the harness's checks fails on a layer that breaks it.
import { beforeAll, describe, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import { Dense } from '../../src/layers/dense.js';
import { Layer, layerArgsFromConfig } from '../../src/layers/layer.js';
import type { LayerArgs, Shape, StepContext } from '../../src/layers/layer.js';
import { knownLayerClasses } from '../../src/layers/registry.js';
import { shapeSize } from '../../src/tensor.js';
import { testBackend } from '../helpers/backend.js';
import { LAYER_CASES } from '../helpers/layer-cases.js';
import type { LayerCase } from '../helpers/layer-cases.js';
import { runLayerTest } from '../helpers/layer-harness.js';
import type { LayerTestSpec } from '../helpers/layer-harness.js';

beforeAll(async () => {
  await testBackend();
});

/** [class, case title, case] for every registered class; a class without a case gets one row with no case. */
type Row = [cls: string, title: string, c: LayerCase | undefined];

function harnessRows(classes: readonly string[], table: Readonly<Record<string, readonly LayerCase[]>>): Row[] {
  return classes.flatMap((cls): Row[] => {
    const cases = Object.hasOwn(table, cls) ? table[cls]! : [];
    return cases.length === 0 ? [[cls, '(no case)', undefined]] : cases.map((c): Row => [cls, c.title, c]);
  });
}

function runCase(cls: string, c: LayerCase | undefined): void {
  if (c === undefined) throw new Error(`no harness case for class ${cls}: add one to LAYER_CASES in test/helpers/layer-cases.ts`);
  expect(c.make({}).className, 'the case makes a layer of its class').toBe(cls);
  runLayerTest(c);
}

describe('every registered layer class passes the layer harness', () => {
  test.each(harnessRows(knownLayerClasses(), LAYER_CASES))('%s: %s', (cls, _title, c) => runCase(cls, c));

  test('every case is for a registered class', () => {
    expect(Object.keys(LAYER_CASES).filter((c) => !knownLayerClasses().includes(c))).toEqual([]);
  });

  test('a registered class without a case fails', () => {
    const rows = harnessRows(['Dense', 'Conv3D'], LAYER_CASES);
    expect(rows.filter(([, , c]) => c === undefined).map(([cls]) => cls)).toEqual(['Conv3D']);
    expect(() => runCase('Conv3D', undefined)).toThrow('no harness case for class Conv3D');
  });
});

// ---------------------------------------------------------------------------------------------
// A list-taking layer (the shape of the merge layers): y = Σ inputs, each dx = dy.

class TestAdd extends Layer {
  static override readonly className = 'TestAdd';
  private shapes: Shape[] = [];
  constructor(args: LayerArgs = {}) {
    super(args);
  }
  override get takesList(): boolean {
    return true;
  }
  override get inputShapes(): Shape[] {
    return this.shapes;
  }
  override buildFrom(shapes: readonly Shape[]): void {
    this.shapes = shapes.map((s) => s.slice());
    this.build(shapes[0]!);
  }
  computeOutputShape(inputShape: Shape): Shape {
    return inputShape.slice();
  }
  protected size(ctx: StepContext): number {
    return ctx.rows * shapeSize(this.inputShape!);
  }
  forward(ctx: StepContext): void {
    ctx.k.f32_vadd(this.size(ctx), ctx.xs[0]!, ctx.xs[1]!, ctx.y);
    for (let j = 2; j < ctx.xs.length; j++) ctx.k.f32_vadd(this.size(ctx), ctx.y, ctx.xs[j]!, ctx.y);
  }
  backward(ctx: StepContext): void {
    for (const dx of ctx.dxs) if (dx !== 0) ctx.k.f32_vcopy(this.size(ctx), ctx.dy, dx);
  }
  static fromConfig(c: Record<string, unknown>): TestAdd {
    return new TestAdd(layerArgsFromConfig(c, TestAdd));
  }
}

/** Forgets the gradient of every input after the first. */
class TestAddFirstOnly extends TestAdd {
  override backward(ctx: StepContext): void {
    if (ctx.dxs[0] !== 0) ctx.k.f32_vcopy(this.size(ctx), ctx.dy, ctx.dxs[0]!);
  }
}

const addSpec = (make: LayerTestSpec['make']): LayerTestSpec => ({
  make, inputShapes: [[2, 3], [2, 3], [2, 3]], expectedOutputShape: [2, 3], fromConfig: (c) => TestAdd.fromConfig(c),
});

describe('list-taking layers fit the harness', () => {
  test('a three-input add passes: xs in, dxs out, each input checked', () => {
    expect(runLayerTest(addSpec((o) => new TestAdd({ ...o })))).toEqual({ accumulate: false, modes: ['inference'] });
  });
  test('a missing input gradient is caught', () => {
    expect(() => runLayerTest(addSpec((o) => new TestAddFirstOnly({ ...o })))).toThrow(/dx of input 1: element not written/);
  });
});

// ---------------------------------------------------------------------------------------------
// Each check fails on a layer that breaks it.

/** Writes one row more than the batch has. */
class OverflowDense extends Dense {
  override forward(ctx: StepContext): void {
    super.forward({ ...ctx, rows: ctx.rows + 1 });
  }
}

/** A bias gradient 1 % too large. */
class BadGradDense extends Dense {
  override backward(ctx: StepContext): void {
    super.backward(ctx);
    if (this.bias?.grad && this.trainable) ctx.k.f32_vscale(this.units, this.bias.grad.ptr, this.bias.grad.ptr, 1.01);
  }
}

/** Leaves `use_bias` out of its config, so a rebuilt layer has a bias. */
class ForgetfulDense extends Dense {
  override getConfig(): Record<string, unknown> {
    const { use_bias: _, ...rest } = super.getConfig();
    return rest;
  }
}

/** Ignores `ctx.accumulate`: every call overwrites the weight gradients. */
class OverwritingDense extends Dense {
  override get sharesWeights(): boolean {
    return true;
  }
  override backward(ctx: StepContext): void {
    super.backward({ ...ctx, accumulate: false });
  }
}

/** Honours `ctx.accumulate` on the host (what the kernels do with β = 1), its penalty's gradient left out. */
class HostAccumulatingDense extends OverwritingDense {
  override backward(ctx: StepContext): void {
    const before = this.weights.map((w) => ctx.arena.view(w.grad!, w.size).slice());
    super.backward(ctx);
    if (!ctx.accumulate) return;
    this.weights.forEach((w, i) => {
      const now = ctx.arena.view(w.grad!, w.size);
      const values = ctx.arena.view(w.region!, w.size);
      const reg = w.regularizer;
      for (let j = 0; j < w.size; j++) {
        const penalty = reg === null ? 0 : reg.gradientL1 * Math.sign(values[j]!) + 2 * reg.l2 * values[j]!;
        now[j] = before[i]![j]! + now[j]! - penalty;
      }
    });
  }
}

const denseSpec = (make: LayerTestSpec['make'], extra: Partial<LayerTestSpec> = {}): LayerTestSpec => ({
  make, inputShape: [4], expectedOutputShape: [3], expectedWeights: [['kernel', [4, 3]], ['bias', [3]]], ...extra,
});

describe('each check of the harness fails on a layer that breaks it', () => {
  test('the reference: a plain Dense passes (check 5 runs where it says it can be shared)', () => {
    expect(runLayerTest(denseSpec((o) => new Dense({ units: 3, ...o })))).toEqual({ accumulate: new Dense({ units: 3 }).sharesWeights, modes: ['inference'] });
  });
  test('1. a forward that writes past its batch', () => {
    expect(() => runLayerTest(denseSpec((o) => new OverflowDense({ units: 3, ...o })))).toThrow(/forward \(1 rows, inference\): y: element written past the 3 of this batch/);
  });
  test('1. a wrong output shape', () => {
    expect(() => runLayerTest(denseSpec((o) => new Dense({ units: 3, ...o }), { expectedOutputShape: [4] }))).toThrow(/Dense.computeOutputShape/);
  });
  test('2. weights in the wrong order', () => {
    expect(() => runLayerTest(denseSpec((o) => new Dense({ units: 3, ...o }), { expectedWeights: [['bias', [3]], ['kernel', [4, 3]]] }))).toThrow(/weights \(names, shapes, order, trainable\)/);
  });
  test('3. a config that loses an option', () => {
    expect(() => runLayerTest(denseSpec((o) => new ForgetfulDense({ units: 3, useBias: false, ...o }), { expectedWeights: [['kernel', [4, 3]]] })))
      .toThrow(/fromConfig\(getConfig\(\)\)\.getConfig\(\)/);
  });
  test('4. a wrong weight gradient', () => {
    expect(() => runLayerTest(denseSpec((o) => new BadGradDense({ units: 3, ...o })))).toThrow(/gradients against central differences[\s\S]*bias\[0\]/);
  });
  test('4. noise not held fixed between evaluations', () => {
    expect(() => runLayerTest({ make: (o) => km.layers.dropout({ rate: 0.5, seed: 1, ...o }), inputShape: [6], expectedOutputShape: [6], training: true, fixNoise: () => () => {} }))
      .toThrow(/Dropout \(training\): gradients against central differences/);
  });
  test('5. a shared layer that overwrites its gradients; one that adds them passes', () => {
    expect(() => runLayerTest(denseSpec((o) => new OverwritingDense({ units: 3, ...o })))).toThrow(/backward with ctx.accumulate adds to the weight gradients: kernel\[0\]: /);
    const spec = denseSpec((o) => new HostAccumulatingDense({ units: 3, kernelRegularizer: km.regularizers.l1l2({ l1: 0.1, l2: 0.2 }), ...o }));
    expect(runLayerTest(spec)).toEqual({ accumulate: true, modes: ['inference'] });
  });
  test('6. a factory that drops the options it is given', () => {
    expect(() => runLayerTest(denseSpec(() => new Dense({ units: 3 })))).toThrow(/Dense: an unknown option is refused/);
  });
});
