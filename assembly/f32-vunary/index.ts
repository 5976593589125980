// The f32-vunary family: activations, forward and backward, and row-wise (log-)softmax; the
// activation layers' ReLU with all of Keras's arguments (relu-ext.ts) and PReLU (prelu.ts).
// Element-wise kernels share two signatures so the TypeScript side drives them from one table:
//   f32_v<name>(n, x, y, alpha)             y[i] = f(x[i]), y may alias x
//   f32_v<name>_grad(n, x, y, dy, dx, alpha) dx[i] = dy[i]·f'(x[i]), dx may alias dy
// (x is the forward input, y the forward output; alpha is read only by leaky_relu and elu).
// Formulas follow Keras 3, keras/src/activations/activations.py. `vexp` (exp.ts) is shared
// with the other families.

export { f32_vrelu, f32_vrelu_grad, f32_vrelu6, f32_vrelu6_grad, f32_vleaky_relu, f32_vleaky_relu_grad,
  f32_vhard_sigmoid, f32_vhard_sigmoid_grad } from './relu';
export { f32_velu, f32_velu_grad, f32_vselu, f32_vselu_grad } from './elu';
export { f32_vsigmoid, f32_vsigmoid_grad, f32_vswish, f32_vswish_grad, f32_vsoftplus, f32_vsoftplus_grad,
  f32_vexponential, f32_vexponential_grad } from './sigmoid';
export { f32_vtanh, f32_vtanh_grad, f32_vsoftsign, f32_vsoftsign_grad } from './tanh';
export { f32_vgelu, f32_vgelu_grad, f32_vgelu_tanh, f32_vgelu_tanh_grad } from './gelu';
export { f32_softmax, f32_softmax_grad, f32_log_softmax, f32_log_softmax_grad } from './softmax';
export { f32_vrelu_ext, f32_vrelu_ext_grad } from './relu-ext';
export { f32_prelu, f32_prelu_grad } from './prelu';
