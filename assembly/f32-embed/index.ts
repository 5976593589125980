// The f32-embed family: what the sequence layers need besides GEMMs. Embedding's row gather and
// its scatter-add gradient (src/layers/embedding.ts), the masks of Embedding(maskZero) and Masking
// (src/layers/masking.ts), and GlobalAveragePooling1D's mean over the real steps. Ids arrive as
// f32 (the staged input buffer); a mask is f32 [rows × steps], 1 for a real step, 0 for a masked one.
export { f32_embed_gather, f32_embed_scatter_add, f32_ids_nonzero } from './embed';
export { f32_mask_steps, f32_mask_steps_grad, f32_masked_mean_steps, f32_masked_mean_steps_grad } from './mask';
