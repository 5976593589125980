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

/** The two Philox keys of a stream seeded with `s`. */
function keysOf(s: number): [number, number] {
  return [mix32(s) | 0, mix32(s ^ 0x5bd1e995) | 0];
}

/**
 * A layer's place in a counter-based random stream in wasm (Philox, assembly/f32-dropout/dropout.ts):
 * two keys from a seed (the layer's own, else one drawn from the global stream) and a counter
 * that advances once per draw, so every training step gets new, reproducible noise.
 *
 * Without a seed of its own, the keys are drawn from the global stream at the stream's first
 * draw (the layer's first training step), not when the layer is built: building a model, or
 * loading one from a file, then draws nothing, and the initializers of a model built after
 * `setSeed` see the same global stream whether or not it has dropout layers.
 */
export class KeyedStream {
  private seed: number | null = null;
  private keys: [number, number] | null = null;
  counter = 0;

  /** Start over from `seed` (null: keys drawn from the global stream at the first draw), counter 0. */
  reset(seed: number | null): void {
    this.seed = seed;
    this.keys = seed === null ? null : keysOf(seed);
    this.counter = 0;
  }

  /** The keys, drawn now from the global stream if the layer has no seed and has not drawn yet. */
  private keyed(): [number, number] {
    if (this.keys === null) this.keys = keysOf(globalRandom().seed());
    return this.keys;
  }

  get key0(): number {
    return this.keyed()[0];
  }

  get key1(): number {
    return this.keyed()[1];
  }

  /** The counter of this draw; the stream moves on by one (the keys exist from here on). */
  next(): number {
    this.keyed();
    const c = this.counter;
    this.counter = (c + 1) | 0;
    return c;
  }

  /**
   * `[key0, key1, counter]`: what io saves so that training resumes identically; null while an
   * unseeded stream has drawn nothing (its keys will come from the global stream at its first draw).
   */
  get state(): [number, number, number] | null {
    return this.keys === null ? null : [this.keys[0], this.keys[1], this.counter];
  }

  /** Continue from a saved state; null: as after `reset` (keys at the first draw, or from the seed). */
  set state(s: [number, number, number] | null) {
    if (s === null) {
      this.reset(this.seed);
      return;
    }
    this.keys = [s[0] | 0, s[1] | 0];
    this.counter = s[2] | 0;
  }
}
