/**
 * Puts the UI-yield check (ui-busy.ts) in front of every kernel of a backend: kernels are the
 * finest point at which a training step can pause (the longest takes ~13 ms on wasm).
 */
import * as tf from '@tensorflow/tfjs';
import type { UiYield } from './ui-busy';

const WRAPPED = Symbol('ui-yield');
type Wrapped = tf.KernelFunc & { [WRAPPED]?: true };

/**
 * Makes every kernel of `backendName` call `yieldFor.wait()` first. Call it after the backend and
 * our own kernels are registered; calling it again wraps only kernels registered since.
 */
export function yieldBeforeKernels(backendName: string, yieldFor: UiYield): void {
  for (const config of tf.getKernelsForBackend(backendName)) {
    const inner = config.kernelFunc as Wrapped;
    if (inner[WRAPPED]) continue;
    const outer: Wrapped = (args) => {
      yieldFor.wait();
      return inner(args);
    };
    outer[WRAPPED] = true;
    tf.unregisterKernel(config.kernelName, backendName);
    tf.registerKernel({ ...config, kernelFunc: outer });
  }
}
