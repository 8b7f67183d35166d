/**
 * Evaluation with the gradient peer: each evaluation batch is cut in two, the peer predicts the
 * second half while this worker predicts the first. Inference gives each image's probabilities
 * independently of the rest of its batch, so the report is the one a single worker would make
 * (up to rounding in the last bits). The peer gets the model's weights with the first batch
 * only; if it fails, this worker predicts everything from then on.
 */
import type * as tf from '@tensorflow/tfjs';
import { predictBatch } from '../evaluate';
import type { GradientPeer } from './gradient-peer';
import { readWeights } from './grad-step';

const PIXELS = 784;
const CLASSES = 10;

/** A `predict` for `evaluateModel` that shares the work with `peer`; undefined without a peer. */
export function splitPredictor(model: tf.LayersModel, peer: GradientPeer | null): ((pixels: Float32Array, n: number) => Promise<Float32Array>) | undefined {
  if (!peer) return undefined;
  let weights: Float32Array | null = readWeights(model);
  let alive = true;
  return async (pixels, n) => {
    if (!alive || n < 2) return predictBatch(model, pixels, n);
    const nLocal = Math.ceil(n / 2);
    // Settled into a value so a failure cannot surface as an unhandled rejection meanwhile.
    const remote = peer
      .predict({ weights, x: pixels.slice(nLocal * PIXELS, n * PIXELS), n: n - nLocal })
      .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
    weights = null;
    const local = await predictBatch(model, pixels.subarray(0, nLocal * PIXELS), nLocal);
    let rest = await remote;
    if (rest instanceof Error) {
      alive = false;
      rest = await predictBatch(model, pixels.subarray(nLocal * PIXELS, n * PIXELS), n - nLocal);
    }
    const out = new Float32Array(n * CLASSES);
    out.set(local);
    out.set(rest, nLocal * CLASSES);
    return out;
  };
}
