// The vocabulary of the kernel table (kernels.ts joins the per-family tables kernels-<family>.ts).
// A kernel is described once, by its signature string; the TypeScript type of its export, the
// export list the loader checks, the thread pool's split tables and the activation table are
// all derived from it (docs/design.md, "Kernel table"). test/kernels/exports.test.ts reads every
// wasm build's type section and checks each export against the table.

/** A byte address in wasm memory. */
export type Ptr = number;

/**
 * A kernel's signature: `'(n, *x, *y, alpha)'`, its arguments in order, `*` before a pointer
 * (a byte address), then ` -> number` if it returns a value. Every argument is a JS number.
 */
export type Signature = `(${string})` | `(${string}) -> number`;

/** How the thread pool splits a kernel whose element i depends only on element i of each buffer. */
export interface ElementwiseSplit<Arg extends string = string, Pointer extends string = string> {
  /**
   * Pointers every thread reads whole rather than at its range's offset (the optimizers'
   * fused-options block). Every other pointer moves by 4 bytes an element (0 stays 0: absent).
   */
  readonly shared?: readonly Pointer[];
  /** The argument holding the index of element 0 (Philox kernels' `first`): each range adds its start. */
  readonly index?: Arg;
  /** Fewer elements than this stay on the calling thread (default: the pool's 1 << 16). */
  readonly minElements?: number;
}

/** Who calls a kernel that no library path calls (anything else is removed: exports.test.ts checks). */
export type OutsideUse = 'bench' | 'tests';

/** One kernel: its signature, or the signature with how the pool splits it or who else calls it. */
export type KernelSpec =
  | Signature
  | { readonly sig: Signature; readonly split?: ElementwiseSplit; readonly usedBy?: OutsideUse };

/** A family's table: export name → spec. */
export type KernelTable = Readonly<Record<string, KernelSpec>>;

// Type-level parsing of a signature (erased at run time).
type Trim<S extends string> = S extends ` ${infer R}` ? Trim<R> : S extends `${infer R} ` ? Trim<R> : S;
type ArgText<S extends string> = S extends `(${infer A}) -> number` ? A : S extends `(${infer A})` ? A : never;
type SplitArgs<A extends string> = A extends `${infer H},${infer T}` ? [Trim<H>, ...SplitArgs<T>] : Trim<A> extends '' ? [] : [Trim<A>];
type Unstar<A> = A extends `*${infer N}` ? N : A;
type PointerName<A> = A extends `*${infer N}` ? N : never;
type Numbers<T extends readonly unknown[]> = { [I in keyof T]: number };

/** The arguments of a signature, as written (`'*x'` for a pointer). */
export type ArgsOf<S extends string> = SplitArgs<ArgText<S>>;
/** The function type of a signature. */
export type KernelFn<S extends string> = (...args: Numbers<ArgsOf<S>>) => S extends `${string} -> number` ? number : void;
/** The signature of a spec. */
export type SigOf<E> = E extends string ? E : E extends { readonly sig: infer S extends string } ? S : never;

/** The exports a table describes, typed (writable: tiles.ts and threads.ts wrap some of them). */
export type ExportsOf<T> = { -readonly [K in keyof T]: KernelFn<SigOf<T[K]>> };

/**
 * A kernel the pool splits elementwise: its first argument is the element count `n`; the
 * options may name only its arguments (`shared`: its pointers).
 */
export function split<const S extends `(n, ${string})`>(
  sig: S, options: ElementwiseSplit<Unstar<ArgsOf<S>[number]>, PointerName<ArgsOf<S>[number]>> = {},
): { readonly sig: S; readonly split: ElementwiseSplit } {
  return { sig, split: options };
}

/** A kernel no library path calls, kept for the benchmark or as the reference of a fused kernel. */
export function usedBy<const S extends Signature>(sig: S, use: OutsideUse): { readonly sig: S; readonly usedBy: OutsideUse } {
  return { sig, usedBy: use };
}

/** A parsed signature. */
export interface ParsedSignature {
  /** Argument names, without the `*`. */
  readonly args: readonly string[];
  /** Positions of the pointer arguments. */
  readonly pointers: readonly number[];
  /** Whether the kernel returns a value. */
  readonly returns: boolean;
}

/** Parse a spec's signature (the run-time twin of {@link ArgsOf}). */
export function parseSignature(spec: KernelSpec): ParsedSignature {
  const sig = typeof spec === 'string' ? spec : spec.sig;
  const close = sig.indexOf(')');
  const inner = sig.slice(1, close).trim();
  const raw = inner === '' ? [] : inner.split(',').map((a) => a.trim());
  const pointers: number[] = [];
  raw.forEach((a, i) => {
    if (a.startsWith('*')) pointers.push(i);
  });
  return { args: raw.map((a) => a.replace(/^\*/, '')), pointers, returns: sig.slice(close + 1).trim() !== '' };
}
