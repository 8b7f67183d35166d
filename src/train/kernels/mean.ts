/**
 * Mean for the wasm backend over leading axes (batch-norm moments: [N, H, W, C] -> [C]), where
 * the backend would first transpose the reduced axes innermost. Other cases go to the original.
 */
import { type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { reduceLeading } from './sum';

/** Builds the Mean kernel that handles leading axes itself and hands other cases to `original`. */
export function makeMeanConfig(original: KernelConfig): KernelConfig {
  // Round the sum to float32 before dividing, as a float32 sum followed by a division would.
  const divide = (sums: Float64Array, rows: number) => {
    for (let j = 0; j < sums.length; j++) sums[j] = Math.fround(sums[j]) / rows;
  };
  const mean = (args: Parameters<KernelFunc>[0]): TensorInfo | TensorInfo[] => reduceLeading(args, divide) ?? original.kernelFunc(args);
  return { ...original, kernelFunc: mean as unknown as KernelFunc };
}
