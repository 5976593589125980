import { KerasmError } from '../errors.js';

const PAGE = 65536;
const ALIGN = 16;
/** Wasm32 linear memory: 65536 pages of 64 KiB. */
const MAX_PAGES = 65536;

/** A region handed out by the arena: a byte offset into wasm memory and its size. */
export interface Region {
  readonly ptr: number;
  readonly bytes: number;
}

/**
 * The host side of wasm memory. Hands out 16-byte-aligned regions (first fit over a sorted
 * free list, neighbours coalesced on free), grows the memory when nothing fits and then
 * rebuilds its typed views. Kernels never allocate: every buffer they touch comes from here.
 * Growth happens only while a model is planned, never in the middle of a training step.
 */
export class Arena {
  readonly memory: WebAssembly.Memory;
  f32: Float32Array;
  i32: Int32Array;
  u8: Uint8Array;
  private readonly base: number;
  private end: number;
  /** Free gaps below `end`, sorted by address, never adjacent. */
  private free: { ptr: number; bytes: number }[] = [];
  private live = new Map<number, number>();
  private liveBytes = 0;
  /** The largest `end` ever reached: the arena's high-water mark. */
  highWater: number;

  constructor(memory: WebAssembly.Memory, heapBase: number) {
    this.memory = memory;
    this.base = alignUp(heapBase, 64);
    this.end = this.base;
    this.highWater = this.base;
    this.f32 = new Float32Array(memory.buffer);
    this.i32 = new Int32Array(memory.buffer);
    this.u8 = new Uint8Array(memory.buffer);
  }

  /** Bytes held by live regions. */
  get usedBytes(): number {
    return this.liveBytes;
  }

  get memoryBytes(): number {
    return this.memory.buffer.byteLength;
  }

  /** Rebuild the typed views if the memory has grown (a grown memory gets a new buffer). */
  refresh(): void {
    if (this.f32.buffer !== this.memory.buffer) {
      this.f32 = new Float32Array(this.memory.buffer);
      this.i32 = new Int32Array(this.memory.buffer);
      this.u8 = new Uint8Array(this.memory.buffer);
    }
  }

  /** A zero-filled region of at least `bytes` bytes, 16-byte aligned. */
  alloc(bytes: number): Region {
    if (!Number.isInteger(bytes) || bytes < 0) {
      throw new KerasmError(`Arena.alloc: expected a non-negative integer byte count, received ${bytes}`);
    }
    const size = Math.max(ALIGN, alignUp(bytes, ALIGN));
    let ptr = -1;
    for (let i = 0; i < this.free.length; i++) {
      const gap = this.free[i]!;
      if (gap.bytes >= size) {
        ptr = gap.ptr;
        if (gap.bytes === size) this.free.splice(i, 1);
        else {
          gap.ptr += size;
          gap.bytes -= size;
        }
        break;
      }
    }
    if (ptr < 0) {
      const last = this.free[this.free.length - 1];
      if (last !== undefined && last.ptr + last.bytes === this.end) {
        this.free.pop();
        ptr = last.ptr;
      } else {
        ptr = this.end;
      }
      this.ensure(ptr + size);
      this.end = ptr + size;
      this.highWater = Math.max(this.highWater, this.end);
    }
    this.live.set(ptr, size);
    this.liveBytes += size;
    this.u8.fill(0, ptr, ptr + size);
    return { ptr, bytes: size };
  }

  /** Give a region back. Freeing twice, or a region this arena did not hand out, throws. */
  release(region: Region | number): void {
    const ptr = typeof region === 'number' ? region : region.ptr;
    const size = this.live.get(ptr);
    if (size === undefined) throw new KerasmError(`Arena.release: no live region at ${ptr}`);
    this.live.delete(ptr);
    this.liveBytes -= size;
    let lo = 0;
    let hi = this.free.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.free[mid]!.ptr < ptr) lo = mid + 1;
      else hi = mid;
    }
    const gap = { ptr, bytes: size };
    this.free.splice(lo, 0, gap);
    const next = this.free[lo + 1];
    if (next !== undefined && gap.ptr + gap.bytes === next.ptr) {
      gap.bytes += next.bytes;
      this.free.splice(lo + 1, 1);
    }
    const prev = this.free[lo - 1];
    if (prev !== undefined && prev.ptr + prev.bytes === gap.ptr) {
      prev.bytes += gap.bytes;
      this.free.splice(lo, 1);
    }
    const tail = this.free[this.free.length - 1];
    if (tail !== undefined && tail.ptr + tail.bytes === this.end) {
      this.end = tail.ptr;
      this.free.pop();
    }
  }

  /** A Float32Array view of a region (valid until the memory next grows). */
  view(region: Region, length = region.bytes >> 2, offsetFloats = 0): Float32Array {
    this.refresh();
    return new Float32Array(this.memory.buffer, region.ptr + offsetFloats * 4, length);
  }

  private ensure(bytesNeeded: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytesNeeded <= have) return;
    const pages = Math.ceil((bytesNeeded - have) / PAGE);
    const total = have / PAGE + pages;
    // Grow geometrically (at least 1/8 more) so many small plans do not grow page by page.
    const want = Math.min(MAX_PAGES, Math.max(total, Math.ceil((have / PAGE) * 1.125)));
    try {
      if (want > MAX_PAGES || total > MAX_PAGES) throw new RangeError('over 4 GiB');
      this.memory.grow(want - have / PAGE);
    } catch (e) {
      throw new KerasmError(
        `Out of wasm memory: a region needs ${bytesNeeded - have} more bytes ` +
          `(${bytesNeeded} in all) than the ${have} bytes wasm memory has, and memory could not grow ` +
          `(wasm32 allows at most 4 GiB): ${(e as Error).message}`,
      );
    }
    this.refresh();
  }
}

export function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}
