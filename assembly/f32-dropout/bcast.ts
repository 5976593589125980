// A mask broadcast over the middle axis, for the dropout family's noise shapes: x is viewed
// as p×q×r and the mask as p×r (Keras noise_shape [batch, 1, …, 1, channels] gives p = batch,
// q = the spatial size, r = channels; [1, …dims] gives p = 1; [batch, 1, …, 1] gives r = 1).
// Every element is computed independently, so y may alias x exactly.

import { vfma, sfma } from '../shared/simd';

/**
 * y[i,j,k] = x[i,j,k]·m[i,k] + (m[i,k] ≠ 0 ? on : off), i < p, j < q, k < r. With on = off = 0
 * the sum is skipped (a plain product: −0 and NaN·0 as x·m gives them). y may alias x; m must
 * not alias y.
 */
export function f32_vmul_bcast(p: i32, q: i32, r: i32, x: usize, m: usize, y: usize, on: f32, off: f32): void {
  const add = on != 0 || off != 0;
  const von = f32x4.splat(on);
  const voff = f32x4.splat(off);
  const zero = f32x4.splat(0);
  const rowBytes = <usize>r << 2;
  if (r == 1) {                              // one mask value per i: a scaled run of q elements
    const end4 = <usize>(q & ~3) << 2;
    const end = <usize>q << 2;
    for (let i = 0; i < p; i++) {
      const mi = load<f32>(m + (<usize>i << 2));
      const ci: f32 = mi != 0 ? on : off;
      const vm = f32x4.splat(mi);
      const vc = f32x4.splat(ci);
      const xi = x + <usize>i * end;
      const yi = y + <usize>i * end;
      let o: usize = 0;
      if (add) {
        for (; o < end4; o += 16) v128.store(yi + o, vfma(v128.load(xi + o), vm, vc));
        for (; o < end; o += 4) store<f32>(yi + o, sfma(load<f32>(xi + o), mi, ci));
      } else {
        for (; o < end4; o += 16) v128.store(yi + o, f32x4.mul(v128.load(xi + o), vm));
        for (; o < end; o += 4) store<f32>(yi + o, load<f32>(xi + o) * mi);
      }
    }
    return;
  }
  const end4 = <usize>(r & ~3) << 2;
  for (let i = 0; i < p; i++) {
    const mi = m + <usize>i * rowBytes;
    for (let j = 0; j < q; j++) {
      const off0 = (<usize>i * <usize>q + <usize>j) * rowBytes;
      const xr = x + off0;
      const yr = y + off0;
      let o: usize = 0;
      if (add) {
        for (; o < end4; o += 16) {
          const vm = v128.load(mi + o);
          const vc = v128.bitselect(voff, von, f32x4.eq(vm, zero));
          v128.store(yr + o, vfma(v128.load(xr + o), vm, vc));
        }
        for (; o < rowBytes; o += 4) {
          const s = load<f32>(mi + o);
          store<f32>(yr + o, sfma(load<f32>(xr + o), s, s != 0 ? on : off));
        }
      } else {
        for (; o < end4; o += 16) v128.store(yr + o, f32x4.mul(v128.load(xr + o), v128.load(mi + o)));
        for (; o < rowBytes; o += 4) store<f32>(yr + o, load<f32>(xr + o) * load<f32>(mi + o));
      }
    }
  }
}
