/**
 * Layer health during training, measured on a fixed batch of probe images: per spec layer the
 * spread of its outputs (percentiles), the share of dead ReLU units, and the L2 norms of its
 * weights and of their gradient. One forward and backward pass (the gradient is computed, never
 * applied), one packed read back from the backend, every tensor disposed.
 *
 * The pass runs in inference mode: dropout is off and batch norm uses, and never updates, its
 * moving statistics, so the snapshot does not change the model and is the same from run to run.
 */
import * as tf from '@tensorflow/tfjs';
import type { LayerSpec } from '../model/spec';
import type { LayerHealth } from './protocol';
import type { ModelInside, Post } from './probe';
import { createRng } from './random';

/**
 * Examples in the probe batch. A snapshot costs about one training step on this many examples
 * (forward and backward): measured on the default preset (wasm), 64 took ~9% of training time at
 * one snapshot a second, 32 takes ~5%.
 */
export const HEALTH_BATCH = 32;
/** Percentiles reported per layer. */
export const QUANTILES: readonly number[] = [0.05, 0.25, 0.5, 0.75, 0.95];
/**
 * Percentiles of a larger output come from this many of its values, picked at fixed random
 * positions: a first conv layer's outputs on the batch number over a million, and sorting them
 * every second would cost more than the training it watches. Dead fractions stay exact.
 */
export const QUANTILE_SAMPLE = 4096;

/** The fixed probe batch: images scaled 0-1 and one-hot labels. */
export interface HealthBatch {
  n: number;
  x: Float32Array;
  y: Float32Array;
}

/** Builds the probe batch from the first HEALTH_BATCH of `indices` (validation images when there are any). */
export function healthBatch(images: Uint8Array, labels: Uint8Array, indices: ArrayLike<number>, size = HEALTH_BATCH): HealthBatch {
  const n = Math.min(size, indices.length);
  const x = new Float32Array(n * 784);
  const y = new Float32Array(n * 10);
  for (let i = 0; i < n; i++) {
    const id = indices[i]!;
    for (let p = 0; p < 784; p++) x[i * 784 + p] = images[id * 784 + p]! / 255;
    y[i * 10 + labels[id]!] = 1;
  }
  return { n, x, y };
}

/**
 * Posts a 'filters' snapshot (every conv kernel, buffers transferred) and, when there is a probe
 * batch, a 'health' snapshot, both stamped with where training stands.
 */
export async function postSnapshot(post: Post, runId: number, inside: ModelInside, batch: HealthBatch | null, stamp: { step: number; examplesSeen: number }): Promise<void> {
  const kernels = await inside.filters();
  post({ type: 'filters', runId, snapshot: { ...stamp, layers: kernels } }, kernels.map((k) => k.kernel.values.buffer as ArrayBuffer));
  if (batch && batch.n > 0) post({ type: 'health', runId, snapshot: { ...stamp, layers: await layerHealth(inside, batch) } });
}

/** True when the layer's own output passes through a ReLU, so units can die. */
export function isRelu(layer: LayerSpec): boolean {
  // Every kind with an activation field (conv2d, conv2dTranspose, dense, activation) can end in a ReLU.
  return 'activation' in layer && layer.activation === 'relu';
}

/** Where each layer's figures sit in the packed read back. */
interface Slot {
  sample: [number, number];
  channelSums: [number, number] | null;
  norms: number | null;
}

/** Measures every spec layer's health on the batch. */
export async function layerHealth(inside: ModelInside, batch: HealthBatch): Promise<LayerHealth[]> {
  const weights = inside.layers.map((_, i) => inside.weightLayer(i).trainableWeights.map((w) => w.read() as tf.Variable));
  const slots: Slot[] = [];
  const packed = tf.tidy(() => {
    const x = tf.tensor4d(batch.x, [batch.n, 28, 28, 1]);
    const y = tf.tensor2d(batch.y, [batch.n, 10]);
    let outs: tf.Tensor[] = [];
    const loss = (): tf.Scalar => {
      // Kept past the gradient's own tidy, to be summarised below, then disposed by hand.
      outs = inside.outputs(x).map((t) => tf.keep(t));
      return tf.mean(tf.metrics.categoricalCrossentropy(y, outs[outs.length - 1]!)) as tf.Scalar;
    };
    try {
      const all = weights.flat();
      const grads = all.length ? tf.variableGrads(loss, all).grads : (loss(), {});
      const parts: tf.Tensor[] = [];
      let at = 0;
      const push = (t: tf.Tensor): [number, number] => {
        parts.push(tf.reshape(t, [-1]));
        at += t.size;
        return [at - t.size, at];
      };
      inside.layers.forEach((layer, i) => {
        const out = outs[i]!;
        const sample = push(sampleOf(out));
        const sums = isRelu(layer) ? push(channelSums(out)) : null;
        const w = weights[i]!;
        const norms = w.length ? push(tf.stack([sumSquares(w), sumSquares(w.map((v) => grads[v.name] ?? tf.zerosLike(v)))]))[0] : null;
        slots.push({ sample, channelSums: sums, norms });
      });
      return tf.concat(parts);
    } finally {
      tf.dispose(outs);
    }
  });
  let values: Float32Array;
  try {
    values = (await packed.data()) as Float32Array;
  } finally {
    packed.dispose();
  }
  return slots.map((slot, index) => summarise(index, slot, values));
}

function summarise(index: number, slot: Slot, values: Float32Array): LayerHealth {
  const sample = values.slice(...slot.sample).sort();
  let deadFraction: number | null = null;
  if (slot.channelSums) {
    const sums = values.subarray(...slot.channelSums);
    deadFraction = sums.filter((m) => m <= 0).length / sums.length;
  }
  return {
    index,
    quantiles: QUANTILES.map((q) => quantile(sample, q)),
    deadFraction,
    weightNorm: slot.norms === null ? null : Math.sqrt(values[slot.norms]!),
    gradNorm: slot.norms === null ? null : Math.sqrt(values[slot.norms + 1]!),
  };
}

/** Linear-interpolated quantile of sorted values (NaN when empty). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

const sampleCache = new Map<number, Int32Array>();

/** All of a small output, or QUANTILE_SAMPLE values of a large one at fixed positions. */
function sampleOf(out: tf.Tensor): tf.Tensor {
  const flat = tf.reshape(out, [-1]);
  if (flat.size <= QUANTILE_SAMPLE) return flat;
  let picks = sampleCache.get(flat.size);
  if (!picks) {
    // Random positions, not a stride: a stride could line up with the channel axis and see one channel.
    const rng = createRng(flat.size);
    picks = Int32Array.from({ length: QUANTILE_SAMPLE }, () => Math.floor(rng() * flat.size));
    // One entry per output size; a long session of many specs must not grow it without bound.
    if (sampleCache.size >= 64) sampleCache.clear();
    sampleCache.set(flat.size, picks);
  }
  return tf.gather(flat, tf.tensor1d(picks, 'int32'));
}

/**
 * Per channel (last axis), the sum of a ReLU output over examples and positions. ReLU outputs are
 * never negative, so a sum is 0 exactly when the unit output 0 everywhere: dead. A product with a
 * row of ones, because a reduction over leading axes makes tfjs transpose the whole tensor first.
 */
function channelSums(out: tf.Tensor): tf.Tensor {
  const channels = out.shape[out.rank - 1]!;
  const rows = tf.reshape(out, [-1, channels]) as tf.Tensor2D;
  return tf.matMul(tf.ones([1, rows.shape[0]]), rows);
}

function sumSquares(tensors: tf.Tensor[]): tf.Scalar {
  return tf.addN(tensors.map((t) => tf.sum(tf.square(t)))) as tf.Scalar;
}
