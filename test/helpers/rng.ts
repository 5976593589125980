/** A small seeded generator (mulberry32) for test data. */
export class Rng {
  private s: number;
  constructor(seed = 1) {
    this.s = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** Values in [-range, range) mixed with the awkward ones: exact zeros, -0, tiny and subnormal values. */
  awkward(range = 1): number {
    const u = this.next();
    if (u < 0.04) return 0;
    if (u < 0.06) return -0;
    if (u < 0.07) return Math.fround(1e-40) * (this.next() < 0.5 ? -1 : 1);
    if (u < 0.08) return Math.fround(1e-30) * (this.next() < 0.5 ? -1 : 1);
    return Math.fround(this.uniform(-range, range));
  }
  fill(a: Float32Array, range = 1): Float32Array {
    for (let i = 0; i < a.length; i++) a[i] = this.awkward(range);
    return a;
  }
}
