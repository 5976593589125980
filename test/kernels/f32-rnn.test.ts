// Kernel tests of the f32-rnn family (assembly/f32-rnn/): each cell's step and its backward pass,
// the sequence passes and ∂L/∂h's assembly, against float64 references (test/reference/recurrent.ts)
// for units 1, 3, 17 (the SIMD body, its tail, both), batch 1 and 5, steps 1, 2, 9, with guard
// words after every buffer. Absent pointers (0) are exercised where a kernel takes them.
import { beforeAll, describe, expect, test } from 'vitest';
import type { Backend } from '../../src/backend/loader.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { GuardedBuffer } from '../helpers/wasm-buffers.js';
import { CODES, act, dact } from '../reference/recurrent.js';

let b: Backend;
beforeAll(async () => {
  b = await testBackend();
});

const UNITS = [1, 3, 17];
const BATCHES = [1, 5];
const STEPS = [1, 2, 9];

function rand(n: number, rng: Rng, lo = -2, hi = 2): Float32Array {
  return Float32Array.from({ length: n }, () => rng.uniform(lo, hi));
}

function mask(n: number, rng: Rng, rate = 0.4): Float32Array {
  return Float32Array.from({ length: n }, () => (rng.next() < rate ? 0 : 1 / (1 - rate)));
}

const live: GuardedBuffer[] = [];
function buf(data: ArrayLike<number> | number): GuardedBuffer {
  const g = new GuardedBuffer(b, typeof data === 'number' ? data : data.length);
  if (typeof data !== 'number') g.set(data);
  else g.set(new Float32Array(data).fill(NaN)); // every element must be written
  live.push(g);
  return g;
}
function done(): void {
  for (const g of live.splice(0)) {
    g.checkGuards();
    g.free();
  }
}

/** |got − want| ≤ tol·max(1, |want|) elementwise. */
function close(what: string, got: ArrayLike<number>, want: ArrayLike<number>, tol = 2e-6): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    if (!(Math.abs(got[i]! - w) <= tol * Math.max(1, Math.abs(w)))) throw new Error(`${what}[${i}]: got ${got[i]}, want ${w}`);
  }
}

const PAIRS: [number, number][] = [[CODES.tanh, CODES.sigmoid], [CODES.relu, CODES.hard_sigmoid_keras2], [CODES.softsign, CODES.hard_sigmoid]];

describe('f32_rnn_step, f32_rnn_step_grad: every activation code', () => {
  test('forward and backward against float64, h strided, hd with and without a mask', () => {
    for (const [name, code] of Object.entries(CODES)) {
      for (const u of UNITS) {
        for (const rows of BATCHES) {
          const rng = new Rng(u * 31 + rows + code);
          const z = rand(rows * u, rng, -3, 3).map((v) => (Math.abs(v) < 0.01 ? 0.5 : v));
          const rm = mask(rows * u, rng);
          const ldh = u + 2;
          const G = buf(z);
          const H = buf(rows * ldh);
          const HD = buf(rows * u);
          const RM = buf(rm);
          b.k.f32_rnn_step(rows, u, G.ptr, H.ptr, ldh, HD.ptr, code === 1 ? 0 : RM.ptr, code);
          const hy = Array.from(z, (v) => act(code, v));
          close(`${name} g`, G.data, hy);
          for (let r = 0; r < rows; r++) close(`${name} h row ${r}`, H.data.subarray(r * ldh, r * ldh + u), hy.slice(r * u, r * u + u));
          close(`${name} hd`, HD.data, hy.map((v, i) => v * (code === 1 ? 1 : rm[i]!)));
          const dh = rand(rows * u, rng);
          const DH = buf(dh);
          b.k.f32_rnn_step_grad(rows, u, G.ptr, DH.ptr, code);
          close(`${name} grad`, G.data, Array.from(z, (v, i) => dh[i]! * dact(code, v)), 5e-6);
          done();
        }
      }
    }
  });
});

describe('f32_lstm_step, f32_lstm_step_grad', () => {
  test('gates i, f, c, o against float64, for activation pairs and odd units', () => {
    for (const [a, ra] of PAIRS) {
      for (const u of UNITS) {
        for (const rows of BATCHES) {
          const rng = new Rng(u * 7 + rows + a);
          const z = rand(rows * 4 * u, rng);
          const cp = rand(rows * u, rng);
          const rm = mask(rows * u, rng);
          const G = buf(z);
          const CP = buf(cp);
          const C = buf(rows * u);
          const H = buf(rows * u);
          const HD = buf(rows * u);
          const RM = buf(rm);
          b.k.f32_lstm_step(rows, u, G.ptr, CP.ptr, C.ptr, H.ptr, u, HD.ptr, RM.ptr, a, ra);
          const gates: number[] = [];
          const c: number[] = [];
          const h: number[] = [];
          for (let r = 0; r < rows; r++) {
            const row = (q: number, j: number) => z[r * 4 * u + q * u + j]!;
            const gi = Array.from({ length: u }, (_, j) => act(ra, row(0, j)));
            const gf = Array.from({ length: u }, (_, j) => act(ra, row(1, j)));
            const gc = Array.from({ length: u }, (_, j) => act(a, row(2, j)));
            const go = Array.from({ length: u }, (_, j) => act(ra, row(3, j)));
            gates.push(...gi, ...gf, ...gc, ...go);
            for (let j = 0; j < u; j++) {
              c.push(gf[j]! * cp[r * u + j]! + gi[j]! * gc[j]!);
              h.push(go[j]! * act(a, c[c.length - 1]!));
            }
          }
          close('gates', G.data, gates);
          close('c', C.data, c);
          close('h', H.data, h, 5e-6);
          close('hd', HD.data, h.map((v, i) => v * rm[i]!), 5e-6);
          const dh = rand(rows * u, rng);
          const dc = rand(rows * u, rng);
          const DH = buf(dh);
          const DC = buf(dc);
          const gatesF32 = G.data.slice();
          const cF32 = C.data.slice();
          b.k.f32_lstm_step_grad(rows, u, G.ptr, CP.ptr, C.ptr, DH.ptr, DC.ptr, a, ra);
          const dg: number[] = [];
          const dcp: number[] = [];
          for (let r = 0; r < rows; r++) {
            const gv = (q: number, j: number) => gatesF32[r * 4 * u + q * u + j]!;
            const out = [[], [], [], []] as number[][];
            for (let j = 0; j < u; j++) {
              const k = r * u + j;
              const ac = act(a, cF32[k]!);
              const dct = dc[k]! + dh[k]! * gv(3, j) * dact(a, cF32[k]!);
              out[0]!.push(dct * gv(2, j) * dact(ra, z[r * 4 * u + j]!));
              out[1]!.push(dct * cp[k]! * dact(ra, z[r * 4 * u + u + j]!));
              out[2]!.push(dct * gv(0, j) * dact(a, z[r * 4 * u + 2 * u + j]!));
              out[3]!.push(dh[k]! * ac * dact(ra, z[r * 4 * u + 3 * u + j]!));
              dcp.push(dct * gv(1, j));
            }
            dg.push(...out.flat());
          }
          close('dgates', G.data, dg, 2e-5);
          close('dc', DC.data, dcp, 2e-5);
          done();
        }
      }
    }
  });
});

describe('f32_gru_reset, f32_gru_step, f32_gru_step_grad, f32_gru_reset_grad', () => {
  test('reset after and before, against float64', () => {
    for (const [a, ra] of PAIRS) {
      for (const u of UNITS) {
        for (const rows of BATCHES) {
          for (const after of [1, 0]) {
            const rng = new Rng(u * 11 + rows + a + after);
            const gu = 3 * u;
            const x = rand(rows * gu, rng);
            const q = rand(rows * gu, rng);
            const hp = rand(rows * u, rng, -1, 1);
            const hdp = rand(rows * u, rng, -1, 1);
            const G = buf(x);
            const Q = buf(q);
            const HP = buf(hp);
            const HDP = buf(hdp);
            const H = buf(rows * u);
            const z: number[] = [];
            const rg: number[] = [];
            const hh: number[] = [];
            const h: number[] = [];
            for (let r = 0; r < rows; r++) {
              for (let j = 0; j < u; j++) {
                const o = r * gu + j;
                z.push(act(ra, x[o]! + q[o]!));
                rg.push(act(ra, x[o + u]! + q[o + u]!));
              }
            }
            if (after === 0) {
              // the caller's GEMM (r·hd)·U_h is stood in for by adding r·hd itself to g's h part
              b.k.f32_gru_reset(rows, u, G.ptr, Q.ptr, HDP.ptr, ra);
              const gz = G.data.slice();
              const qh = Q.data.slice();
              for (let r = 0; r < rows; r++) {
                close('z', gz.subarray(r * gu, r * gu + u), z.slice(r * u, r * u + u));
                close('r', gz.subarray(r * gu + u, r * gu + 2 * u), rg.slice(r * u, r * u + u));
                close('r·hd', qh.subarray(r * gu + 2 * u, r * gu + 3 * u), rg.slice(r * u, r * u + u).map((v, j) => v * hdp[r * u + j]!));
                for (let j = 0; j < u; j++) G.data[r * gu + 2 * u + j] = x[r * gu + 2 * u + j]! + qh[r * gu + 2 * u + j]!;
              }
            }
            const gh = G.data.slice();
            b.k.f32_gru_step(rows, u, G.ptr, Q.ptr, HP.ptr, H.ptr, u, 0, 0, a, ra, after);
            for (let r = 0; r < rows; r++) {
              for (let j = 0; j < u; j++) {
                const k = r * u + j;
                const o = r * gu + 2 * u + j;
                const pre = after ? x[o]! + rg[k]! * q[o]! : gh[o]!;
                hh.push(act(a, pre));
                h.push(z[k]! * hp[k]! + (1 - z[k]!) * hh[k]!);
              }
            }
            close('h', H.data, h, 5e-6);
            const gates = G.data.slice();
            const qs = Q.data.slice();
            const dh = rand(rows * u, rng);
            const DH = buf(dh);
            const DHP = buf(rows * u);
            b.k.f32_gru_step_grad(rows, u, G.ptr, Q.ptr, HP.ptr, DH.ptr, DHP.ptr, a, ra, after);
            const gv = (r: number, p: number, j: number) => gates[r * gu + p * u + j]!;
            const dGot = G.data.slice();
            for (let r = 0; r < rows; r++) {
              for (let j = 0; j < u; j++) {
                const k = r * u + j;
                const zz = gv(r, 0, j);
                const hv = gv(r, 2, j);
                const dz = dh[k]! * (hp[k]! - hv) * dact(ra, x[r * gu + j]! + q[r * gu + j]!);
                const pre = after ? x[r * gu + 2 * u + j]! + rg[k]! * q[r * gu + 2 * u + j]! : gh[r * gu + 2 * u + j]!;
                const dhh = dh[k]! * (1 - zz) * dact(a, pre);
                close('dz', [dGot[r * gu + j]!], [dz], 2e-5);
                close('dĥ', [dGot[r * gu + 2 * u + j]!], [dhh], 2e-5);
                close('dhPrev', [DHP.data[k]!], [dh[k]! * zz], 1e-6);
                if (after) {
                  const dr = dhh * qs[r * gu + 2 * u + j]! * dact(ra, x[r * gu + u + j]! + q[r * gu + u + j]!);
                  close('dr', [dGot[r * gu + u + j]!], [dr], 2e-5);
                  close('dq', [Q.data[r * gu + j]!, Q.data[r * gu + u + j]!, Q.data[r * gu + 2 * u + j]!], [dz, dr, dhh * gv(r, 1, j)], 2e-5);
                }
              }
            }
            if (after === 0) {
              const drh = rand(rows * u, rng);
              const DRH = buf(drh);
              const DHD = buf(rows * u);
              b.k.f32_gru_reset_grad(rows, u, G.ptr, HDP.ptr, DRH.ptr, DHD.ptr, ra);
              for (let r = 0; r < rows; r++) {
                for (let j = 0; j < u; j++) {
                  const k = r * u + j;
                  const dr = drh[k]! * hdp[k]! * dact(ra, x[r * gu + u + j]! + q[r * gu + u + j]!);
                  close('dr (before)', [G.data[r * gu + u + j]!], [dr], 2e-5);
                  close('dhd', [DHD.data[k]!], [drh[k]! * gv(r, 1, j)], 1e-6);
                }
              }
            }
            done();
          }
        }
      }
    }
  });
});

describe('f32_rnn_seq_in, f32_rnn_seq_out, f32_rnn_dh', () => {
  test('time-major transposes with masks and reversal, exact', () => {
    for (const d of UNITS) {
      for (const batch of BATCHES) {
        for (const steps of STEPS) {
          for (const back of [0, 1]) {
            const rng = new Rng(d + batch * 3 + steps * 7 + back);
            const x = rand(batch * steps * d, rng);
            const m = mask(batch * d, rng);
            const X = buf(x);
            const M = buf(m);
            const XT = buf(steps * batch * d);
            const XT0 = buf(steps * batch * d);
            b.k.f32_rnn_seq_in(batch, steps, d, X.ptr, M.ptr, XT.ptr, back);
            b.k.f32_rnn_seq_in(batch, steps, d, X.ptr, 0, XT0.ptr, back);
            const want: number[] = [];
            const want0: number[] = [];
            for (let s = 0; s < steps; s++) {
              const ts = back ? steps - 1 - s : s;
              for (let i = 0; i < batch; i++) {
                for (let k = 0; k < d; k++) {
                  want.push(Math.fround(x[(i * steps + ts) * d + k]! * m[i * d + k]!));
                  want0.push(x[(i * steps + ts) * d + k]!);
                }
              }
            }
            expect(Array.from(XT.data)).toEqual(want);
            expect(Array.from(XT0.data)).toEqual(want0);
            const DX = buf(batch * steps * d);
            b.k.f32_rnn_seq_out(batch, steps, d, XT0.ptr, M.ptr, DX.ptr, back);
            expect(Array.from(DX.data)).toEqual(Array.from(x, (v, i) => Math.fround(v * m[Math.floor(i / (steps * d)) * d + (i % d)]!)));
            done();
          }
        }
      }
    }
  });

  test('f32_rnn_dh: each source present or absent', () => {
    for (const u of UNITS) {
      for (const rows of BATCHES) {
        const rng = new Rng(u + rows);
        const lddy = u + 3;
        const dy = rand(rows * lddy, rng);
        const dd = rand(rows * u, rng);
        const rm = mask(rows * u, rng);
        const dr = rand(rows * u, rng);
        const [DY, DD, RM, DR] = [buf(dy), buf(dd), buf(rm), buf(dr)];
        for (const [useDy, useDd, useRm, useDr] of [[1, 1, 1, 1], [0, 1, 0, 0], [1, 0, 0, 1], [1, 1, 0, 0], [0, 0, 0, 0]]) {
          const DH = buf(rows * u);
          b.k.f32_rnn_dh(rows, u, useDy ? DY.ptr : 0, lddy, useDd ? DD.ptr : 0, useRm ? RM.ptr : 0, useDr ? DR.ptr : 0, DH.ptr);
          const want = Array.from({ length: rows * u }, (_, k) => {
            const r = Math.floor(k / u);
            let v = useDy ? dy[r * lddy + (k % u)]! : 0;
            if (useDd) v = Math.fround(v + Math.fround(dd[k]! * (useRm ? rm[k]! : 1)));
            if (useDr) v = Math.fround(v + dr[k]!);
            return v;
          });
          expect(Array.from(DH.data)).toEqual(want);
        }
        done();
      }
    }
  });
});
