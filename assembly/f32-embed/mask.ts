// Masks over steps: Keras `Masking` (a step whose features all equal maskValue is masked and
// zeroed) and `GlobalAveragePooling1D` with a mask (the mean over the real steps). Layout: `n`
// steps of `features` floats packed; masks are f32, one per step.

/** Whether any of the `features` floats at x differs from value (NaN differs from everything, as in Keras's not_equal). */
@inline
function anyDiffers(x: usize, features: i32, value: f32): bool {
  const bytes = <usize>features << 2;
  for (let o: usize = 0; o < bytes; o += 4) if (load<f32>(x + o) != value) return true;
  return false;
}

/**
 * Masking's forward: per step, keep = any feature != value; y = x·keep, mask = keep (mask = 0: not
 * written). y may alias x.
 */
export function f32_mask_steps(n: i32, features: i32, x: usize, value: f32, y: usize, mask: usize): void {
  const rs = <usize>features << 2;
  for (let i = 0; i < n; i++) {
    const off = <usize>i * rs;
    const keep = anyDiffers(x + off, features, value);
    if (mask != 0) store<f32>(mask + (<usize>i << 2), keep ? 1 : 0);
    if (keep) {
      if (y != x) memory.copy(y + off, x + off, rs);
    } else {
      memory.fill(y + off, 0, rs);
    }
  }
}

/** Masking's backward: dx = dy where the step of x is kept, 0 where it is masked. dx may alias dy. */
export function f32_mask_steps_grad(n: i32, features: i32, x: usize, value: f32, dy: usize, dx: usize): void {
  const rs = <usize>features << 2;
  for (let i = 0; i < n; i++) {
    const off = <usize>i * rs;
    if (anyDiffers(x + off, features, value)) {
      if (dx != dy) memory.copy(dx + off, dy + off, rs);
    } else {
      memory.fill(dx + off, 0, rs);
    }
  }
}

/**
 * y[r, f] = Σ_t mask[r, t]·x[r, t, f] / Σ_t mask[r, t] (Keras's masked mean: 0/0 = NaN for a
 * sample with every step masked). Sums in f64 in step order, rounded once.
 */
export function f32_masked_mean_steps(rows: i32, steps: i32, features: i32, x: usize, mask: usize, y: usize): void {
  const fb = <usize>features << 2;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * <usize>steps * fb;
    const mr = mask + <usize>r * <usize>steps * 4;
    let count: f64 = 0;
    for (let t = 0; t < steps; t++) count += <f64>load<f32>(mr + (<usize>t << 2));
    for (let f = 0; f < features; f++) {
      let s: f64 = 0;
      for (let t = 0; t < steps; t++) s += <f64>load<f32>(mr + (<usize>t << 2)) * <f64>load<f32>(xr + <usize>t * fb + (<usize>f << 2));
      store<f32>(y + <usize>r * fb + (<usize>f << 2), <f32>(s / count));
    }
  }
}

/** dx[r, t, f] = mask[r, t]·dy[r, f] / Σ_t mask[r, t]. */
export function f32_masked_mean_steps_grad(rows: i32, steps: i32, features: i32, dy: usize, mask: usize, dx: usize): void {
  const fb = <usize>features << 2;
  for (let r = 0; r < rows; r++) {
    const mr = mask + <usize>r * <usize>steps * 4;
    let count: f64 = 0;
    for (let t = 0; t < steps; t++) count += <f64>load<f32>(mr + (<usize>t << 2));
    const dyr = dy + <usize>r * fb;
    for (let t = 0; t < steps; t++) {
      const w = <f32>(<f64>load<f32>(mr + (<usize>t << 2)) / count);
      const dxt = dx + (<usize>r * <usize>steps + <usize>t) * fb;
      for (let f = 0; f < features; f++) store<f32>(dxt + (<usize>f << 2), w * load<f32>(dyr + (<usize>f << 2)));
    }
  }
}
