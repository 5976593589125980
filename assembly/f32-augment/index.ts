// The f32-augment family: Keras 3's image augmentation layers on NHWC images, forward and
// backward. Every kernel but f32_rescale takes a range (n output rows or samples from `first`)
// of whole-batch buffers with per-sample parameters, so the thread pool splits it with disjoint
// writes and each element is computed as on one thread.
export { f32_affine_nhwc, f32_affine_nhwc_grad } from './affine';
export { f32_flip_nhwc, f32_crop_nhwc, f32_crop_nhwc_grad } from './flip-crop';
export { f32_contrast_nhwc, f32_contrast_nhwc_grad, f32_brightness_nhwc, f32_brightness_nhwc_grad, f32_rescale } from './color';
