// The recurrent layers on the threads builds: the GEMMs of every step (input projection,
// recurrent, BPTT, the all-steps weight gradients) split across the pool; SimpleRNN, LSTM and
// both GRUs, with dropout, recurrent dropout and a mask, train to the same bits with 1 and 2
// threads and predict the same bits (batches of 96 rows: 576-row input projections and
// all-steps weight-gradient GEMMs, 96-row per-step ones).
import { test } from 'vitest';
import * as km from '../../src/index.js';
import { usePool } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { expectSameNumbers } from '../helpers/same.js';
import { trained } from '../helpers/trained.js';

usePool();

const L = km.layers;

test('SimpleRNN, LSTM and GRU (both resets) with dropout and a mask train and predict to the same bits with 1 and 2 threads', async () => {
  const rng = new Rng(4);
  const [n, steps, d] = [192, 6, 5];
  const data = Float32Array.from({ length: n * steps * d }, () => rng.uniform(-1, 1));
  for (let i = 0; i < n; i++) if (i % 3 === 0) data.fill(0, (i * steps + steps - 1) * d, (i * steps + steps) * d);
  const x = km.tensor(data, [n, steps, d]);
  const y = Array.from({ length: n }, () => rng.int(4));
  const make = () => km.sequential({ layers: [
    L.masking({ maskValue: 0, inputShape: [steps, d] }),
    L.lstm({ units: 16, returnSequences: true, dropout: 0.2, recurrentDropout: 0.2 }),
    L.gru({ units: 12, returnSequences: true, goBackwards: true, recurrentDropout: 0.1 }),
    L.gru({ units: 10, returnSequences: true, resetAfter: false, dropout: 0.1 }),
    L.simpleRNN({ units: 8 }),
    L.dense({ units: 4, activation: 'softmax' }),
  ] });
  const one = await trained(1, make, x, y, 96, 96);
  const two = await trained(2, make, x, y, 96, 96);
  expectSameNumbers(two.w, one.w, 'weights');
  expectSameNumbers([two.p], [one.p], 'predictions');
});
