// Embedding: y[i, :] = table[ids[i], :] for n ids, and its gradient dtable[ids[i], :] += dy[i, :].
// Ids are f32 holding integers (exact below 2^24); the layer checks the range before any call, and
// the kernels check it again so a bad id never reads or writes outside the table.

/** The index of an id that is not an integer in [0, tableRows), or -1. */
@inline
function badId(id: f32, tableRows: i32): bool {
  return !(id >= 0 && id < <f32>tableRows) || id != Mathf.floor(id);
}

/** Copy `dim` floats from src to dst (4 at a time, then the tail). */
@inline
function copyRow(src: usize, dst: usize, dim: i32): void {
  const bytes = <usize>dim << 2;
  const end16 = <usize>(dim & ~3) << 2;
  let o: usize = 0;
  for (; o < end16; o += 16) v128.store(dst + o, v128.load(src + o));
  for (; o < bytes; o += 4) store<f32>(dst + o, load<f32>(src + o));
}

/**
 * y[i·dim + j] = table[ids[i]·dim + j], i < n, j < dim. Returns -1, or the index i of the first id
 * that is not an integer in [0, tableRows); its row of y and every later one are left as they were.
 */
export function f32_embed_gather(n: i32, dim: i32, ids: usize, table: usize, tableRows: i32, y: usize): i32 {
  const rs = <usize>dim << 2;
  for (let i = 0; i < n; i++) {
    const id = load<f32>(ids + (<usize>i << 2));
    if (badId(id, tableRows)) return i;
    copyRow(table + <usize><i32>id * rs, y + <usize>i * rs, dim);
  }
  return -1;
}

/**
 * dtable[ids[i]·dim + j] += dy[i·dim + j], in the order i = 0, 1, … (one thread: the same bits for
 * any thread count). Rows no id names are not touched; ids outside [0, tableRows) are skipped.
 */
export function f32_embed_scatter_add(n: i32, dim: i32, ids: usize, dy: usize, tableRows: i32, dtable: usize): void {
  const rs = <usize>dim << 2;
  const end16 = <usize>(dim & ~3) << 2;
  for (let i = 0; i < n; i++) {
    const id = load<f32>(ids + (<usize>i << 2));
    if (badId(id, tableRows)) continue;
    const src = dy + <usize>i * rs;
    const dst = dtable + <usize><i32>id * rs;
    let o: usize = 0;
    for (; o < end16; o += 16) v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
    for (; o < rs; o += 4) store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
  }
}

/** mask[i] = ids[i] != 0 ? 1 : 0 (Embedding's maskZero). */
export function f32_ids_nonzero(n: i32, ids: usize, mask: usize): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(mask + o, load<f32>(ids + o) != 0 ? 1 : 0);
  }
}
