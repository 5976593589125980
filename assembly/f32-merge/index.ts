// The f32-merge family: what the merge layers (src/layers/merge.ts, concatenate.ts) need beyond
// the elementwise helpers of f32-reduce: elementwise max/min and the routing of their gradient,
// column blocks of packed rows (Concatenate), row dot products and row scaling (Dot).
export { f32_vmax, f32_vmin, f32_vroute_grad } from './extremum';
export { f32_copy_block } from './block';
export { f32_rowdot, f32_scale_rows } from './rowdot';
