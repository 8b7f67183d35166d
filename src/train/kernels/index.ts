/**
 * Training kernels for the tfjs wasm backend: the one it lacks (Conv2DBackpropFilter) and faster
 * replacements for kernels a training step spends its time in (naive C++ loops, transposes,
 * copies). Hot loops run in a small SIMD module sharing the backend's memory (simd.ts), with JS
 * fallbacks; matrix products go to the backend's own XNNPACK exports.
 *
 * Call `registerWasmTrainingKernels()` any time after this module is imported, before or after
 * `tf.setBackend('wasm')`: tfjs looks kernels up at dispatch, and our kernels wrap the wasm
 * exports lazily per backend instance, so they need no setup step. Calling it again is a no-op.
 * Registration is global: it changes the 'wasm' backend only, for every model.
 */
import * as tf from '@tensorflow/tfjs';
// The wasm package registers its own kernels on import; we must wrap those, not be overwritten by them.
import '@tensorflow/tfjs-backend-wasm';
import type { KernelConfig } from '@tensorflow/tfjs';
import { makeBatchMatMulConfig } from './batch-mat-mul';
import { makeConv2DConfig } from './conv2d-direct';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input';
import { makeIdentityConfig } from './identity';
import { maxPoolGradConfig } from './max-pool-grad';
import { reluGradConfig, reluGradKernelConfig } from './relu-grad';
import { makeMeanConfig } from './mean';
import { makeSumConfig } from './sum';
import { makeTileConfig } from './tile';

/** Names of the kernels `registerWasmTrainingKernels` registers on the 'wasm' backend. */
export const WASM_TRAINING_KERNELS: readonly string[] = Object.freeze([
  'Conv2D',
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'MaxPoolGrad',
  'BatchMatMul',
  'Sum',
  'Mean',
  'Tile',
  'Identity',
  'CnnReluGrad',
]);

// Kernels that hand unusual cases back to the backend's own implementation.
const DELEGATING: Record<string, (original: KernelConfig) => KernelConfig> = {
  BatchMatMul: makeBatchMatMulConfig,
  Conv2D: makeConv2DConfig,
  Sum: makeSumConfig,
  Mean: makeMeanConfig,
  Tile: makeTileConfig,
  Identity: makeIdentityConfig,
};

const STANDALONE: Record<string, KernelConfig> = {
  Conv2DBackpropFilter: conv2DBackpropFilterConfig,
  Conv2DBackpropInput: conv2DBackpropInputConfig,
  MaxPoolGrad: maxPoolGradConfig,
  CnnReluGrad: reluGradKernelConfig,
};

// Built once, so a second call sees our own kernelFunc registered and leaves it alone
// (and never wraps our own wrapper as if it were the original).
let ours: KernelConfig[] | null = null;

function buildConfigs(): KernelConfig[] {
  return WASM_TRAINING_KERNELS.map((name) => {
    const standalone = STANDALONE[name];
    if (standalone) return standalone;
    const original = tf.getKernel(name, 'wasm');
    if (original == null) throw new Error(`wasm training kernels: the wasm backend has no '${name}' kernel to wrap`);
    return DELEGATING[name](original);
  });
}

/**
 * Registers (or replaces) the wasm training kernels listed in WASM_TRAINING_KERNELS, and Relu's
 * gradient that calls CnnReluGrad where a backend has it (others keep tfjs-core's formula);
 * idempotent.
 */
export function registerWasmTrainingKernels(): void {
  ours ??= buildConfigs();
  tf.registerGradient(reluGradConfig);
  for (const config of ours) {
    const current = tf.getKernel(config.kernelName, 'wasm');
    if (current?.kernelFunc === config.kernelFunc) continue;
    // Unregister first: registerKernel over an existing kernel works but logs a warning.
    if (current != null) tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
  }
}
