// The signatures of a wasm binary's exported functions, read from its type, import, function
// and export sections (WebAssembly.Module.exports gives names only). Enough of the binary format
// (https://webassembly.github.io/spec/core/binary/) for what asc emits: plain function types,
// memory/table/global/function imports.

/** A value type: i32, i64, f32, f64, v128, funcref, externref. */
export type ValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'funcref' | 'externref';

export interface WasmSignature {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

const VALTYPES: Record<number, ValType> = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128', 0x70: 'funcref', 0x6f: 'externref' };

class Reader {
  pos = 0;
  readonly bytes: Uint8Array;
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }
  byte(): number {
    if (this.pos >= this.bytes.length) throw new Error('wasm: unexpected end of the binary');
    return this.bytes[this.pos++]!;
  }
  /** An unsigned LEB128 number (at most 32 bits here). */
  u32(): number {
    let result = 0;
    for (let shift = 0; ; shift += 7) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
    }
  }
  name(): string {
    const n = this.u32();
    const s = new TextDecoder().decode(this.bytes.subarray(this.pos, this.pos + n));
    this.pos += n;
    return s;
  }
  valtype(): ValType {
    const b = this.byte();
    const t = VALTYPES[b];
    if (t === undefined) throw new Error(`wasm: unknown value type 0x${b.toString(16)}`);
    return t;
  }
  vec<T>(item: () => T): T[] {
    return Array.from({ length: this.u32() }, item);
  }
  limits(): void {
    const flags = this.byte();
    this.u32();
    if (flags & 1) this.u32();
  }
}

/** Export name → signature, for every exported function of a wasm binary. */
export function exportedSignatures(bytes: Uint8Array): Map<string, WasmSignature> {
  if (bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) throw new Error('wasm: not a wasm binary');
  const r = new Reader(bytes);
  r.pos = 8; // magic and version
  let types: WasmSignature[] = [];
  const funcTypes: number[] = []; // type index of each function, imports first
  const exports = new Map<string, number>();
  while (r.pos < bytes.length) {
    const id = r.byte();
    const size = r.u32();
    const end = r.pos + size;
    if (id === 1) {
      types = r.vec(() => {
        if (r.byte() !== 0x60) throw new Error('wasm: expected a function type');
        return { params: r.vec(() => r.valtype()), results: r.vec(() => r.valtype()) };
      });
    } else if (id === 2) {
      r.vec(() => {
        r.name();
        r.name();
        const kind = r.byte();
        if (kind === 0) funcTypes.push(r.u32());
        else if (kind === 1) { r.byte(); r.limits(); }
        else if (kind === 2) r.limits();
        else if (kind === 3) { r.valtype(); r.byte(); }
        else throw new Error(`wasm: unknown import kind ${kind}`);
      });
    } else if (id === 3) {
      funcTypes.push(...r.vec(() => r.u32()));
    } else if (id === 7) {
      r.vec(() => {
        const name = r.name();
        const kind = r.byte();
        const index = r.u32();
        if (kind === 0) exports.set(name, index);
      });
    }
    r.pos = end;
  }
  const out = new Map<string, WasmSignature>();
  for (const [name, index] of exports) out.set(name, types[funcTypes[index]!]!);
  return out;
}
