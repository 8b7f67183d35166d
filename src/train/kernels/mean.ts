/**
 * Mean for the wasm backend over leading axes (batch-norm moments: [N, H, W, C] -> [C]), where
 * the backend would first transpose the reduced axes innermost. Other cases go to the original.
 */
import {
  type KernelConfig,
  type KernelFunc,
  type MeanAttrs,
  type TensorInfo,
  backend_util,
  util,
} from '@tensorflow/tfjs';
import { leadingAxes, sumLeadingRows } from './sum';
import { asWasm, f32Index, heapF32 } from './wasm-backend';

/** Builds the Mean kernel that handles leading axes itself and hands other cases to `original`. */
export function makeMeanConfig(original: KernelConfig): KernelConfig {
  const mean = (args: Parameters<KernelFunc>[0]): TensorInfo | TensorInfo[] => {
    const { x } = args.inputs as { x: TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as MeanAttrs;
    const axes = util.parseAxisParam(axis, x.shape);
    const lead = leadingAxes(axes, x.shape.length);
    if (x.dtype !== 'float32' || lead < 0) return original.kernelFunc(args);
    const backend = asWasm(args.backend);
    const rows = util.sizeFromShape(x.shape.slice(0, lead));
    const outShape = x.shape.slice(lead);
    const out = backend.makeOutput(keepDims ? backend_util.expandShapeToKeepDim(outShape, axes) : outShape, 'float32');
    const heap = heapF32(backend);
    const sums = sumLeadingRows(heap, f32Index(backend, x), rows, util.sizeFromShape(outShape));
    // Round the sum to float32 before dividing, as a float32 sum followed by a division would.
    for (let j = 0; j < sums.length; j++) sums[j] = Math.fround(sums[j]) / rows;
    heap.set(sums, f32Index(backend, out));
    return out;
  };
  return { ...original, kernelFunc: mean as unknown as KernelFunc };
}
