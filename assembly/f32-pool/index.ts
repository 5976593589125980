// The f32-pool family: NHWC pooling (max, average, global), zero padding and upsampling, forward
// and backward. Every kernel takes a range (n units from `first`: output or input rows, or
// samples, as each says) of whole-batch buffers, so the thread pool splits it with disjoint
// writes and each element is computed as on one thread.
export { f32_maxpool2d_nhwc, f32_maxpool2d_nhwc_grad } from './maxpool';
export { f32_avgpool2d_nhwc, f32_avgpool2d_nhwc_grad } from './avgpool';
export { f32_global_avgpool_nhwc, f32_global_avgpool_nhwc_grad, f32_global_maxpool_nhwc, f32_global_maxpool_nhwc_grad } from './global';
export { f32_zeropad2d_nhwc, f32_zeropad2d_nhwc_grad } from './pad';
export {
  f32_upsample2d_nearest_nhwc,
  f32_upsample2d_nearest_nhwc_grad,
  f32_upsample2d_bilinear_nhwc,
  f32_upsample2d_bilinear_nhwc_grad,
} from './upsample';
