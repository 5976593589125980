// Runs of floats moved by the f32-conv kernels: SIMD in the body; copies and fills finish with
// one vector that overlaps the previous one (same values written twice), additions with scalars
// (an element must be added once). Copies move bits (NaN payloads, -0) unchanged.

/** dst[j] = src[j], j < count; the ranges must not overlap. */
// @ts-ignore: decorator
@inline export function copyRun(dst: usize, src: usize, count: i32): void {
  if (count >= 4) {
    const last = <usize>(count - 4) << 2;
    for (let o: usize = 0; o < last; o += 16) v128.store(dst + o, v128.load(src + o));
    v128.store(dst + last, v128.load(src + last));
  } else {
    for (let j = 0; j < count; j++) store<u32>(dst + (<usize>j << 2), load<u32>(src + (<usize>j << 2)));
  }
}

/** dst[j] = 0, j < count. */
// @ts-ignore: decorator
@inline export function zeroRun(dst: usize, count: i32): void {
  if (count >= 4) {
    const zero = f32x4.splat(0);
    const last = <usize>(count - 4) << 2;
    for (let o: usize = 0; o < last; o += 16) v128.store(dst + o, zero);
    v128.store(dst + last, zero);
  } else {
    for (let j = 0; j < count; j++) store<f32>(dst + (<usize>j << 2), 0);
  }
}

/** dst[j] += src[j], j < count. */
// @ts-ignore: decorator
@inline export function addRun(dst: usize, src: usize, count: i32): void {
  const vecEnd = <usize>(count & ~3) << 2;
  const end = <usize>count << 2;
  let o: usize = 0;
  for (; o < vecEnd; o += 16) v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  for (; o < end; o += 4) store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
}

/** The first kernel tap k ≥ 0 with start + k·dil ≥ 0 (taps before it fall in the padding). */
// @ts-ignore: decorator
@inline export function firstTap(start: i32, dil: i32, taps: i32): i32 {
  return start >= 0 ? 0 : min(taps, (dil - 1 - start) / dil);
}

/** One past the last tap k < taps with start + k·dil < size, at least `from`. */
// @ts-ignore: decorator
@inline export function endTap(start: i32, dil: i32, size: i32, taps: i32, from: i32): i32 {
  return start >= size ? from : max(from, min(taps, (size - 1 - start) / dil + 1));
}
