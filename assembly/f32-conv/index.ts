// The f32-conv family: convolutions on NHWC tensors. im2col/col2im turn a convolution into the
// packed GEMM of f32-gemm (src/backend/conv.ts orchestrates); depthwise convolutions and those with few input taps
// (direct.ts: the first convolution of an image model) run direct.
// Every kernel reads its sizes from a 64-byte geometry block (geometry.ts).
export { f32_im2col_nhwc, f32_col2im_nhwc_add } from './im2col';
export { f32_conv2d_nhwc_direct, f32_conv2d_nhwc_direct_filter_grad } from './direct';
export { f32_conv_bias_grad } from './bias';
export { f32_dwconv2d_nhwc, f32_dwconv2d_nhwc_input_grad, f32_dwconv2d_nhwc_filter_grad } from './dwconv';
