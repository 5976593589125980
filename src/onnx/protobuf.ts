// An encode-only protobuf writer for the few ONNX messages an inference graph needs
// (onnx/onnx.proto: ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto,
// ValueInfoProto and the type messages under it). Field numbers are the schema's; each message
// is written as its fields in number order. No eval, no reflection, no generated code: a message
// is a plain object and one function writes it. docs/design.md, "ONNX export", says why this
// beats protobufjs here.

/** Wire types (protobuf encoding): varint, 64-bit, length-delimited, 32-bit. */
const VARINT = 0;
const LEN = 2;
const I32 = 5;

const utf8 = new TextEncoder();

/** Bytes of a message under construction; grows by doubling. */
export class ProtoWriter {
  private buf = new Uint8Array(256);
  private len = 0;

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  /** An unsigned varint below 2^53, or a negative int64 as its 10-byte two's complement. */
  private varint(v: number): void {
    if (!Number.isSafeInteger(v)) throw new RangeError(`protobuf: ${v} is not a safe integer`);
    this.reserve(10);
    if (v < 0) {
      let u = BigInt.asUintN(64, BigInt(v));
      while (u >= 0x80n) {
        this.buf[this.len++] = Number(u & 0x7fn) | 0x80;
        u >>= 7n;
      }
      this.buf[this.len++] = Number(u);
      return;
    }
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.len++] = v;
  }

  private tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  /** An int32/int64/enum field (negative values as int64, as protobuf writes both). */
  int(field: number, v: number): this {
    this.tag(field, VARINT);
    this.varint(v);
    return this;
  }

  /** A float field (fixed 32 bits, little-endian). */
  float(field: number, v: number): this {
    this.tag(field, I32);
    this.reserve(4);
    new DataView(this.buf.buffer, this.len, 4).setFloat32(0, v, true);
    this.len += 4;
    return this;
  }

  bytes(field: number, b: Uint8Array): this {
    this.tag(field, LEN);
    this.varint(b.length);
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, utf8.encode(s));
  }

  /** A nested message, written by `write` into its own writer. */
  message(field: number, write: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    write(inner);
    return this.bytes(field, inner.finish());
  }

  /** A packed repeated int64 field (ONNX's `ints`, `dims`: proto2 readers take packed and unpacked alike). */
  packedInts(field: number, values: readonly number[]): this {
    const inner = new ProtoWriter();
    for (const v of values) inner.varint(v);
    return this.bytes(field, inner.finish());
  }

  /** A packed repeated float field. */
  packedFloats(field: number, values: readonly number[]): this {
    const bytes = new Uint8Array(values.length * 4);
    const view = new DataView(bytes.buffer);
    values.forEach((v, i) => view.setFloat32(i * 4, v, true));
    return this.bytes(field, bytes);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** ONNX TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, INT64: 7 } as const;

/** A tensor as ONNX stores it: dims and little-endian raw bytes. */
export interface TensorMessage {
  name: string;
  dims: readonly number[];
  dataType: number;
  /** Little-endian element bytes (`raw_data`). */
  raw: Uint8Array;
}

export type AttributeValue =
  | { kind: 'float'; value: number }
  | { kind: 'int'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'strings'; value: readonly string[] }
  | { kind: 'floats'; value: readonly number[] };

export interface NodeMessage {
  name: string;
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes: readonly { name: string; value: AttributeValue }[];
}

/** A graph input or output: float32, a shape whose entries are sizes or symbolic names. */
export interface ValueInfoMessage {
  name: string;
  shape: readonly (number | string)[];
}

export interface ModelMessage {
  irVersion: number;
  opset: number;
  producerName: string;
  producerVersion: string;
  graph: {
    name: string;
    nodes: readonly NodeMessage[];
    initializers: readonly TensorMessage[];
    inputs: readonly ValueInfoMessage[];
    outputs: readonly ValueInfoMessage[];
    docString: string;
  };
}

/** AttributeProto.AttributeType values. */
const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, floats: 6, ints: 7, strings: 8 } as const;

function writeTensor(w: ProtoWriter, t: TensorMessage): void {
  if (t.dims.length > 0) w.packedInts(1, t.dims);
  w.int(2, t.dataType).string(8, t.name).bytes(9, t.raw);
}

function writeAttribute(w: ProtoWriter, name: string, a: AttributeValue): void {
  w.string(1, name);
  switch (a.kind) {
    case 'float': w.float(2, a.value); break;
    case 'int': w.int(3, a.value); break;
    case 'string': w.string(4, a.value); break;
    case 'floats': w.packedFloats(7, a.value); break;
    case 'ints': w.packedInts(8, a.value); break;
    case 'strings': for (const v of a.value) w.string(9, v); break;
  }
  w.int(20, ATTRIBUTE_TYPE[a.kind]);
}

function writeNode(w: ProtoWriter, n: NodeMessage): void {
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name).string(4, n.opType);
  for (const a of n.attributes) w.message(5, (p) => writeAttribute(p, a.name, a.value));
}

function writeValueInfo(w: ProtoWriter, v: ValueInfoMessage): void {
  w.string(1, v.name);
  // TypeProto { tensor_type: Tensor { elem_type, shape: TensorShapeProto { dim: Dimension* } } }
  w.message(2, (type) => type.message(1, (tensor) => {
    tensor.int(1, DataType.FLOAT);
    tensor.message(2, (shape) => {
      for (const d of v.shape) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
    });
  }));
}

/** The bytes of an ONNX ModelProto. */
export function encodeModel(m: ModelMessage): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, m.irVersion).string(2, m.producerName).string(3, m.producerVersion);
  w.message(7, (g) => {
    for (const n of m.graph.nodes) g.message(1, (p) => writeNode(p, n));
    g.string(2, m.graph.name);
    for (const t of m.graph.initializers) g.message(5, (p) => writeTensor(p, t));
    if (m.graph.docString !== '') g.string(10, m.graph.docString);
    for (const v of m.graph.inputs) g.message(11, (p) => writeValueInfo(p, v));
    for (const v of m.graph.outputs) g.message(12, (p) => writeValueInfo(p, v));
  });
  // OperatorSetIdProto { domain: '' (the default ONNX domain, left out), version }
  w.message(8, (o) => o.int(2, m.opset));
  return w.finish();
}
