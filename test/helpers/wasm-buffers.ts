import type { Backend } from '../../src/backend/loader.js';
import type { Region } from '../../src/backend/memory.js';

const GUARD = 16;
const GUARD_BITS = 0x7fc0dead; // a NaN no kernel produces

/** A float buffer in wasm memory followed by guard words that a kernel must not touch. */
export class GuardedBuffer {
  readonly region: Region;
  readonly length: number;
  private readonly b: Backend;
  constructor(b: Backend, length: number) {
    this.b = b;
    this.length = length;
    this.region = b.arena.alloc((length + GUARD) * 4);
    const i32 = b.arena.i32;
    const base = this.region.ptr >> 2;
    for (let i = 0; i < GUARD; i++) i32[base + length + i] = GUARD_BITS;
  }
  get ptr(): number {
    return this.region.ptr;
  }
  get data(): Float32Array {
    this.b.arena.refresh();
    return this.b.arena.f32.subarray(this.region.ptr >> 2, (this.region.ptr >> 2) + this.length);
  }
  set(values: ArrayLike<number>): this {
    this.data.set(values);
    return this;
  }
  /** Throws if any guard word after the buffer changed. */
  checkGuards(name = 'buffer'): void {
    const i32 = this.b.arena.i32;
    const base = this.region.ptr >> 2;
    for (let i = 0; i < GUARD; i++) {
      if (i32[base + this.length + i] !== GUARD_BITS) {
        throw new Error(`${name}: guard word ${i} after ${this.length} elements was overwritten`);
      }
    }
  }
  free(): void {
    this.b.arena.release(this.region);
  }
}
