/**
 * ResizeNearestNeighborGrad for the cpu backend. tfjs 4.22's cpu kernel reads dy at the *input's*
 * batch offset, so with more than one image per batch the gradient of UpSampling2D is wrong on
 * cpu (the wasm kernel is right; test/train/kernels/training-step.test.ts checks both against
 * block sums). The cpu backend is the last fallback of `initBackend`, so a stack with
 * UpSampling2D would train on wrong gradients there. Here each dy value goes back to the input
 * pixel it was copied from (alignCorners false, as tf.layers.upSampling2d uses; other cases go
 * to the original kernel).
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';

interface CpuBackend {
  data: { get(id: unknown): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: string, values: Float32Array): TensorInfo;
}

/** The kernel function; exported so the test can use it as the reference while checking tfjs's. */
export function resizeNearestGradCpu(args: Parameters<KernelFunc>[0], fallback?: KernelFunc): TensorInfo | TensorInfo[] {
  const { images, dy } = args.inputs as { images: TensorInfo; dy: TensorInfo };
  if ((args.attrs as { alignCorners?: boolean }).alignCorners) {
    if (!fallback) throw new Error('ResizeNearestNeighborGrad: alignCorners is not supported here');
    return fallback(args);
  }
  const backend = args.backend as unknown as CpuBackend;
  const [b, xh, xw, c] = images.shape as [number, number, number, number];
  const [, yh, yw] = dy.shape as [number, number, number, number];
  const dyValues = backend.data.get(dy.dataId).values;
  const out = new Float32Array(b * xh * xw * c);
  const rowScale = xh / yh;
  const colScale = xw / yw;
  for (let n = 0; n < b; n++) {
    for (let r = 0; r < yh; r++) {
      const xr = Math.min(xh - 1, Math.floor(r * rowScale));
      for (let col = 0; col < yw; col++) {
        const xc = Math.min(xw - 1, Math.floor(col * colScale));
        const from = ((n * yh + r) * yw + col) * c;
        const to = ((n * xh + xr) * xw + xc) * c;
        for (let k = 0; k < c; k++) out[to + k] += dyValues[from + k]!;
      }
    }
  }
  return backend.makeTensorInfo(images.shape, 'float32', out);
}

let registered = false;

/** Replaces the cpu backend's ResizeNearestNeighborGrad with the correct one; idempotent. */
export function registerCpuKernelFixes(): void {
  if (registered) return;
  const original = tf.getKernel('ResizeNearestNeighborGrad', 'cpu');
  if (original == null) return;
  registered = true;
  tf.unregisterKernel('ResizeNearestNeighborGrad', 'cpu');
  const config: KernelConfig = {
    ...original,
    kernelFunc: ((args: Parameters<KernelFunc>[0]) => resizeNearestGradCpu(args, original.kernelFunc)) as KernelFunc,
  };
  tf.registerKernel(config);
}
