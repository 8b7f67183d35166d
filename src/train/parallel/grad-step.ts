/**
 * One optimisation step written out (instead of `model.trainOnBatch`), so the gradient of a
 * batch can be computed in two halves on two workers and summed before the optimizer applies it
 * (data parallelism, see data-parallel-step.ts). The loss is what tfjs's compiled
 * 'categoricalCrossentropy' computes (`tf.metrics.categoricalCrossentropy`: probabilities
 * renormalised, clipped to [1e-7, 1 - 1e-7]); each half's loss is its sum of per-example losses
 * times `scale` = 1 / (whole batch size), so the two halves' gradients add up to the gradient of
 * the whole batch's mean loss.
 */
import * as tf from '@tensorflow/tfjs';
import { setDropoutStep } from '../step-dropout';

/** The gradients of one (part of a) batch, in `model.trainableWeights` order, and its sums. */
export interface PartGradients {
  grads: tf.Tensor[];
  /** Sum of the per-example losses (not scaled). */
  lossSum: tf.Scalar;
  /** Number of examples whose most probable class is the label. */
  correct: tf.Scalar;
}

/** Which random stream a replica's dropout masks come from: the leader's and its peer's differ. */
export const LEADER_STREAM = 0;
export const PEER_STREAM = 1;

/**
 * Gradients of `scale * sum(loss)` over `x`, `y` (training mode: dropout on, batch norm on batch
 * statistics and updating its moving averages). The caller owns every returned tensor.
 */
export function partGradients(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, scale: number, step: number, stream: number): PartGradients {
  setDropoutStep(model, step, stream);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  let lossSum: tf.Scalar | null = null;
  let correct: tf.Scalar | null = null;
  const { value, grads } = tf.variableGrads(() => {
    const probabilities = model.apply(x, { training: true }) as tf.Tensor;
    const perExample = tf.metrics.categoricalCrossentropy(y, probabilities);
    const sum = perExample.sum() as tf.Scalar;
    lossSum = tf.keep(sum.clone());
    correct = tf.keep(tf.equal(probabilities.argMax(-1), y.argMax(-1)).sum().cast('float32') as tf.Scalar);
    return sum.mul(scale) as tf.Scalar;
  }, variables);
  value.dispose();
  return { grads: variables.map((v) => grads[v.name]!), lossSum: lossSum!, correct: correct! };
}

/** Applies summed gradients (in `model.trainableWeights` order) with the run's optimizer; disposes them. */
export function applyGradients(model: tf.LayersModel, optimizer: tf.Optimizer, grads: tf.Tensor[]): void {
  const named: tf.NamedTensorMap = {};
  model.trainableWeights.forEach((w, i) => {
    named[(w.read() as tf.Variable).name] = grads[i]!;
  });
  optimizer.applyGradients(named);
  tf.dispose(grads);
}

/** Every weight of the model (trainable and not: batch-norm statistics too), flattened into one array. */
export function readWeights(model: tf.LayersModel): Float32Array {
  return concatenate(model.weights.map((w) => w.read().dataSync() as Float32Array));
}

/** Writes an array made by `readWeights` (of a model with the same layers) into `model`. */
export function writeWeights(model: tf.LayersModel, values: Float32Array): void {
  let offset = 0;
  for (const w of model.weights) {
    const shape = w.shape as number[];
    const size = shape.reduce((a, b) => a * b, 1);
    if (offset + size > values.length) throw new Error('the weights sent do not fit this model');
    const t = tf.tensor(values.subarray(offset, offset + size), shape);
    w.write(t);
    t.dispose();
    offset += size;
  }
  if (offset !== values.length) throw new Error('the weights sent do not fit this model');
}

/** Flattens gradients into one array (to post to the leader). */
export function flattenGradients(grads: tf.Tensor[]): Float32Array {
  return concatenate(grads.map((g) => g.dataSync() as Float32Array));
}

function concatenate(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Cuts a flat gradient array back into tensors shaped like the model's trainable weights. */
export function unflattenGradients(model: tf.LayersModel, flat: Float32Array): tf.Tensor[] {
  let offset = 0;
  const out = model.trainableWeights.map((w) => {
    const shape = w.shape as number[];
    const size = shape.reduce((a, b) => a * b, 1);
    const t = tf.tensor(flat.subarray(offset, offset + size), shape);
    offset += size;
    return t;
  });
  if (offset !== flat.length) {
    tf.dispose(out);
    throw new Error('the gradients received do not fit this model');
  }
  return out;
}
