/**
 * The tensor work of one training step and of the per-epoch test losses, plus the small helpers
 * the Generations loop shares. Each function leaves no tensors behind.
 */
import * as tf from '@tensorflow/tfjs';
import { PIXELS } from '../../model/generative/spec';
import type { MnistSplit } from '../mnist';
import { fillBatch } from '../split';
import type { GenRun } from './gen-trainer';
import type { Vae } from './vae-model';

/** Both loss terms, per image, on the first `limit` test images (one forward pass, reparameterised with `seed`). */
export async function testLosses(vae: Vae, test: MnistSplit, limit: number, seed: number): Promise<[number, number]> {
  const count = Math.min(limit, test.count);
  const indices = Uint32Array.from({ length: count }, (_, i) => i);
  const xBuf = new Float32Array(count * PIXELS);
  const yBuf = new Float32Array(count * 10);
  fillBatch(test.images, test.labels, indices, 0, count, xBuf, yBuf);
  const terms = tf.tidy(() => {
    // Inference mode: held-out losses run without dropout and leave batch-norm statistics alone.
    const t = vae.terms(tf.tensor2d(xBuf, [count, PIXELS]), vae.conditional ? tf.tensor2d(yBuf, [count, 10]) : null, seed, false);
    return tf.stack([t.reconstruction, t.kl]);
  });
  const values = await terms.data();
  terms.dispose();
  return [values[0], values[1]];
}

/** One Adam step on a batch; returns the two loss terms and leaves no tensors behind. */
export async function trainStep(run: GenRun, xBuf: Float32Array, yBuf: Float32Array, n: number, seed: number): Promise<[number, number]> {
  const vae = run.vae!;
  const terms = tf.tidy(() => {
    const x = tf.tensor2d(xBuf.subarray(0, n * PIXELS), [n, PIXELS]);
    const y = vae.conditional ? tf.tensor2d(yBuf.subarray(0, n * 10), [n, 10]) : null;
    let both: tf.Tensor1D | null = null;
    run.optimizer!.minimize(() => {
      const t = vae.terms(x, y, seed);
      both = tf.keep(tf.stack([t.reconstruction, t.kl]) as tf.Tensor1D);
      return t.reconstruction.add(t.kl) as tf.Scalar;
    }, false, vae.variables);
    return both!;
  });
  const values = await terms.data();
  terms.dispose();
  return [values[0], values[1]];
}

/** Frees a run's model, optimizer state and grid noise. */
export function disposeRun(run: GenRun): void {
  run.vae?.dispose();
  run.optimizer?.dispose();
  run.gan?.dispose();
  run.gan = null;
  run.noise?.dispose();
  run.vae = null;
  run.optimizer = null;
  run.noise = null;
}

