/**
 * A started backend must also give back what it computed. tfjs-backend-webgpu 4.22 reads GPU
 * data synchronously (`dataSync`, which tfjs-layers and our training loop use) by copying it
 * through a canvas; in Chrome 150 that copy comes back as zeros, on SwiftShader and on an NVIDIA
 * H200 alike (on the H200, scripts/bench.mjs --gpu saw runs "diverge" within 25 steps).
 * A backend that fails this check is skipped like one that cannot start, so auto mode moves on to
 * the next one and an explicit choice gets a plain message instead of a broken run.
 */
import * as tf from '@tensorflow/tfjs';

/** Side of the square matrices multiplied: large enough that tfjs runs it on the GPU, not its CPU fallback. */
const SIZE = 64;
const FACTOR = 0.5;

/** Multiplies two known matrices on the current backend and reads the product back synchronously; null when it is right. */
export function syncReadbackProblem(): string | null {
  const product = tf.tidy(() => tf.ones([SIZE, SIZE]).matMul(tf.fill([SIZE, SIZE], FACTOR)));
  try {
    return readbackMismatch(product.dataSync(), SIZE * FACTOR);
  } finally {
    product.dispose();
  }
}

/** Says where `values` differs from `expected` everywhere, e.g. "read 0 where 32 was computed", or null. */
export function readbackMismatch(values: ArrayLike<number>, expected: number): string | null {
  for (let i = 0; i < values.length; i++) {
    if (values[i] !== expected) return `read ${values[i]} where ${expected} was computed`;
  }
  return values.length ? null : 'read nothing back';
}
