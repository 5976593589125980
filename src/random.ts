import { invalidArgument } from './errors.js';

// One seed for everything random in kerasm: initializers, shuffling, dropout masks.

/** splitmix32-style mixing of a 32-bit value. */
export function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** A small, fast seeded generator (sfc32) for host-side randomness. */
export class RandomStream {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = mix32(seed);
    this.b = mix32(this.a ^ 0x1234567);
    this.c = mix32(this.b ^ 0x89abcdef);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  next(): number {
    return (this.nextU32() * 2 ** 21 + (this.nextU32() >>> 11)) / 2 ** 53;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** In-place Fisher–Yates shuffle. */
  shuffle(a: Int32Array | number[]): void {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
    }
  }

  /** The generator's state, four 32-bit words (io saves it so training resumes identically). */
  getState(): [number, number, number, number] {
    return [this.a >>> 0, this.b >>> 0, this.c >>> 0, this.d >>> 0];
  }

  /** Continue from a state returned by `getState()`. */
  setState(s: readonly [number, number, number, number]): void {
    this.a = s[0] | 0;
    this.b = s[1] | 0;
    this.c = s[2] | 0;
    this.d = s[3] | 0;
  }

  /** A fresh 32-bit seed drawn from this stream (for child generators). */
  seed(): number {
    return this.nextU32();
  }
}

let globalStream = new RandomStream((Math.random() * 2 ** 32) >>> 0);

/** Fix the seed of initializers, shuffling and dropout masks (Keras `keras.utils.set_random_seed`). */
export function setSeed(seed: number): void {
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw invalidArgument('seed', 'an integer', seed);
  globalStream = new RandomStream(seed >>> 0);
}

/** The global stream: each draw advances it, so models built one after another differ. */
export function globalRandom(): RandomStream {
  return globalStream;
}

/**
 * A layer's place in a counter-based random stream in wasm (Philox, assembly/f32-reduce/dropout.ts):
 * two keys from a seed (the layer's own, else one drawn from the global stream) and a counter
 * that advances once per draw, so every training step gets new, reproducible noise.
 */
export class KeyedStream {
  key0 = 0;
  key1 = 0;
  counter = 0;

  /** New keys from `seed` (null: drawn from the global stream), counter back to 0. */
  reset(seed: number | null): void {
    const s = seed ?? globalRandom().seed();
    this.key0 = mix32(s) | 0;
    this.key1 = mix32(s ^ 0x5bd1e995) | 0;
    this.counter = 0;
  }

  /** The counter of this draw; the stream moves on by one. */
  next(): number {
    const c = this.counter;
    this.counter = (c + 1) | 0;
    return c;
  }

  /** `[key0, key1, counter]`: what io saves so that training resumes identically. */
  get state(): [number, number, number] {
    return [this.key0, this.key1, this.counter];
  }

  set state(s: [number, number, number]) {
    this.key0 = s[0] | 0;
    this.key1 = s[1] | 0;
    this.counter = s[2] | 0;
  }
}
