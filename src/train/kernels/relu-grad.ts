/**
 * The ReLU gradient in one pass on wasm. tfjs-core computes it as dy * cast(step(x)): three
 * kernels and two full-size temporaries, ~9 ms of a ~180 ms step at batch 128 for the first conv
 * layer's 26x26x32 maps (Step, Cast and a Multiply that is slower than its size suggests). Here it
 * is one SIMD pass, out = x > 0 ? dy : 0, as a kernel of our own that Relu's gradient calls on
 * backends that have it; every other backend keeps tfjs-core's formula.
 *
 * One difference from tfjs-core: where x is NaN the gradient is 0, not NaN. A NaN activation
 * already makes the loss NaN, which stops the run (divergence.ts), so no result changes.
 */
import * as tf from '@tensorflow/tfjs';
import { Relu, type GradConfig, type KernelConfig, type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs';
import { simdOps } from './simd';
import { asWasm, byteOffsetOf, f32Index, heapF32 } from './wasm-backend';

/** Our kernel's name: not a tfjs kernel, so no backend has it unless we register it. */
export const RELU_GRAD = 'CnnReluGrad';

function reluGradKernel(args: Parameters<KernelFunc>[0]): TensorInfo {
  const backend = asWasm(args.backend);
  const { dy, x } = args.inputs as { dy: TensorInfo; x: TensorInfo };
  const out = backend.makeOutput(x.shape, 'float32');
  const size = util.sizeFromShape(x.shape);
  if (size === 0) return out;
  const simd = simdOps(backend);
  if (simd != null) {
    simd.reluGrad(byteOffsetOf(backend, dy), byteOffsetOf(backend, x), byteOffsetOf(backend, out), size * 4);
    return out;
  }
  const heap = heapF32(backend);
  const d = f32Index(backend, dy);
  const s = f32Index(backend, x);
  const o = f32Index(backend, out);
  for (let i = 0; i < size; i++) heap[o + i] = heap[s + i] > 0 ? heap[d + i] : 0;
  return out;
}

/** Registers as CnnReluGrad on 'wasm' (float32 dy and x of the same shape). */
export const reluGradKernelConfig: KernelConfig = {
  kernelName: RELU_GRAD,
  backendName: 'wasm',
  kernelFunc: reluGradKernel as unknown as KernelFunc,
};

/** Relu's gradient: our one-pass kernel where the active backend has it, tfjs-core's formula elsewhere. */
export const reluGradConfig: GradConfig = {
  kernelName: Relu,
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved;
    const grad = dy as tf.Tensor;
    return {
      x: () =>
        x.dtype === 'float32' && tf.getKernel(RELU_GRAD, tf.getBackend()) != null
          ? (tf.engine().runKernel(RELU_GRAD, { dy: grad, x }) as tf.Tensor)
          : tf.mul(grad, tf.cast(tf.step(x), 'float32')),
    };
  },
};
