// model.summary() as Keras 3 prints it (keras/src/utils/summary_utils.py), on exact text: a
// Sequential has no InputLayer row; a functional model has one per input and, unless its graph
// is a chain, a "Connected to" column (`layer[node][tensor]`, one line per input of a merge); a
// nested model is one row; a column widens to fit its longest cell instead of wrapping it.
import { beforeAll, describe, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import { testBackend } from '../helpers/backend.js';

beforeAll(async () => {
  await testBackend();
});

const L = km.layers;

function summaryOf(m: km.Model): string[] {
  const out: string[] = [];
  m.summary((l) => out.push(l));
  return out;
}

describe('summary', () => {
  test('a Sequential: no InputLayer row (Keras 3), the first column widened for batch_normalization (BatchNormalization)', () => {
    const m = km.sequential({ name: 'seq', layers: [L.inputLayer({ inputShape: [4], name: 'in' }), L.dense({ units: 8, name: 'd' }), L.batchNormalization({ name: 'batch_normalization' })] });
    expect(summaryOf(m)).toEqual([
      'Model: "seq"',
      '┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓',
      '┃ Layer (type)                             ┃ Output Shape           ┃       Param # ┃',
      '┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩',
      '│ d (Dense)                                │ (None, 8)              │            40 │',
      '├──────────────────────────────────────────┼────────────────────────┼───────────────┤',
      '│ batch_normalization (BatchNormalization) │ (None, 8)              │            32 │',
      '└──────────────────────────────────────────┴────────────────────────┴───────────────┘',
      ' Total params: 72 (288.00 B)',
      ' Trainable params: 56 (224.00 B)',
      ' Non-trainable params: 16 (64.00 B)',
    ]);
    m.dispose();
  });

  test('a functional chain: three columns, its InputLayer row', () => {
    const x = km.input({ shape: [3], name: 'x' });
    const m = km.model({ inputs: x, outputs: L.dense({ units: 2, name: 'out' }).apply(x), name: 'chain' });
    expect(summaryOf(m)).toEqual([
      'Model: "chain"',
      '┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓',
      '┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃',
      '┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩',
      '│ x (InputLayer)                  │ (None, 3)              │             0 │',
      '├─────────────────────────────────┼────────────────────────┼───────────────┤',
      '│ out (Dense)                     │ (None, 2)              │             8 │',
      '└─────────────────────────────────┴────────────────────────┴───────────────┘',
      ' Total params: 8 (32.00 B)',
      ' Trainable params: 8 (32.00 B)',
      ' Non-trainable params: 0 (0.00 B)',
    ]);
    m.dispose();
  });

  test('two inputs, a nested model (one row), a merge (one line per input), two outputs: "Connected to"', () => {
    const i = km.input({ shape: [3], name: 'i' });
    const inner = km.model({ inputs: i, outputs: L.dense({ units: 2, name: 'inner_dense' }).apply(i), name: 'inner' });
    const a = km.input({ shape: [3], name: 'a' });
    const b = km.input({ shape: [4], name: 'b' });
    const h = inner.apply(a);
    const j = L.concatenate({ name: 'join' }).apply([h, b]);
    const out = L.dense({ units: 5, activation: 'softmax', name: 'digit' }).apply(j);
    const aux = L.dense({ units: 1, name: 'odd' }).apply(h);
    const m = km.model({ inputs: [a, b], outputs: [out, aux], name: 'two' });
    expect(summaryOf(m)).toEqual([
      'Model: "two"',
      '┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓',
      '┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃',
      '┡━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━┩',
      '│ a (InputLayer)      │ (None, 3)         │          0 │ -                 │',
      '├─────────────────────┼───────────────────┼────────────┼───────────────────┤',
      '│ inner (Functional)  │ (None, 2)         │          8 │ a[0][0]           │',
      '├─────────────────────┼───────────────────┼────────────┼───────────────────┤',
      '│ b (InputLayer)      │ (None, 4)         │          0 │ -                 │',
      '├─────────────────────┼───────────────────┼────────────┼───────────────────┤',
      '│ join (Concatenate)  │ (None, 6)         │          0 │ inner[0][0],      │',
      '│                     │                   │            │ b[0][0]           │',
      '├─────────────────────┼───────────────────┼────────────┼───────────────────┤',
      '│ digit (Dense)       │ (None, 5)         │         35 │ join[0][0]        │',
      '├─────────────────────┼───────────────────┼────────────┼───────────────────┤',
      '│ odd (Dense)         │ (None, 1)         │          3 │ inner[0][0]       │',
      '└─────────────────────┴───────────────────┴────────────┴───────────────────┘',
      ' Total params: 46 (184.00 B)',
      ' Trainable params: 46 (184.00 B)',
      ' Non-trainable params: 0 (0.00 B)',
    ]);
    m.dispose();
  });
});
