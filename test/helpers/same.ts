// Bit-for-bit comparison of number arrays (weights, losses, kernel outputs) that fails with the
// first difference only: vitest's diff of two large arrays can take minutes to print.

type Nested = ArrayLike<number> | readonly ArrayLike<number>[];

function flatten(v: Nested): ArrayLike<number>[] {
  const first = (v as ArrayLike<unknown>)[0];
  return typeof first === 'number' || v.length === 0 ? [v as ArrayLike<number>] : Array.from(v as readonly ArrayLike<number>[]);
}

/** Throws unless `got` and `want` hold the same numbers (same float64 bits; NaN equals NaN). */
export function expectSameNumbers(got: Nested, want: Nested, label = 'values'): void {
  const g = flatten(got);
  const w = flatten(want);
  if (g.length !== w.length) throw new Error(`${label}: ${g.length} arrays, want ${w.length}`);
  for (let a = 0; a < g.length; a++) {
    const ga = g[a]!;
    const wa = w[a]!;
    if (ga.length !== wa.length) throw new Error(`${label}[${a}]: length ${ga.length}, want ${wa.length}`);
    for (let i = 0; i < ga.length; i++) {
      if (!Object.is(ga[i], wa[i]) && !(Number.isNaN(ga[i]) && Number.isNaN(wa[i]))) {
        throw new Error(`${label}[${a}][${i}]: got ${ga[i]}, want ${wa[i]}`);
      }
    }
  }
}
