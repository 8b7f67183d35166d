/**
 * Identity for the wasm backend without the copy: the backend's kernel duplicates the buffer
 * (3 MB per call for a [64, 26, 26, 32] activation, several calls a training step), but tensors
 * are immutable, so sharing the data with a reference count is enough, as the cpu backend and
 * the wasm backend's own Reshape do. String tensors go to the original kernel.
 */
import { type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';

interface RefCounting {
  incRef(dataId: object): void;
}

/** Builds the zero-copy Identity kernel, delegating strings to `original`. */
export function makeIdentityConfig(original: KernelConfig): KernelConfig {
  const identity = (args: Parameters<KernelFunc>[0]): TensorInfo | TensorInfo[] => {
    const { x } = args.inputs as { x: TensorInfo };
    if (x.dtype === 'string') return original.kernelFunc(args);
    (args.backend as RefCounting).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  return { ...original, kernelFunc: identity as unknown as KernelFunc };
}
