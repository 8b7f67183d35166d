/**
 * Evaluation of a trained model on a set of MNIST images: loss, accuracy, confusion matrix,
 * fixed sample predictions, the most confident mistakes, and every image's prediction and
 * confidence (for confusion-cell galleries). Runs in the worker.
 */
import * as tf from '@tensorflow/tfjs';
import type { PredictionSample, TestReport } from './protocol';

const NUM_CLASSES = 10;
const PIXELS = 784;
/** Test images shown in the sample grid: the same ones every run, so runs can be compared. */
export const SAMPLE_INDICES: readonly number[] = Array.from({ length: 24 }, (_, i) => i);

/** The images to evaluate and how. */
export interface EvalInput {
  images: Uint8Array;
  labels: Uint8Array;
  /** Which examples to use; all of them when omitted. */
  indices?: Uint32Array;
  batchSize?: number;
  /** How many confident mistakes to keep (0 for validation). */
  mistakes?: number;
  /** Dataset indices to report as samples. */
  sampleIndices?: readonly number[];
  /** Called between batches so the worker can receive messages. */
  yieldFn?: () => Promise<void>;
  /** Class probabilities of n images (default: the model here; data-parallel: split with the peer). */
  predict?: (pixels: Float32Array, n: number) => Promise<Float32Array>;
}

/** Runs the model over the images in batches, never holding more than one batch of tensors. */
export async function evaluateModel(model: tf.LayersModel, input: EvalInput): Promise<TestReport> {
  const count = input.indices ? input.indices.length : input.labels.length;
  const batchSize = input.batchSize ?? 500;
  const confusion = new Array<number>(NUM_CLASSES * NUM_CLASSES).fill(0);
  const wanted = new Set(input.sampleIndices ?? []);
  const samples: PredictionSample[] = [];
  const mistakes: PredictionSample[] = [];
  const keepMistakes = input.mistakes ?? 0;
  const x = new Float32Array(batchSize * PIXELS);
  // Per image, in evaluation order: what a confusion cell's gallery is picked from.
  const predictions = new Uint8Array(count);
  const confidences = new Float32Array(count);
  const labels = new Uint8Array(count);
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    const ids = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const id = input.indices ? input.indices[start + i] : start + i;
      ids[i] = id;
      const src = input.images.subarray(id * PIXELS, (id + 1) * PIXELS);
      for (let p = 0; p < PIXELS; p++) x[i * PIXELS + p] = src[p] / 255;
    }
    const probs = await (input.predict ? input.predict(x.subarray(0, n * PIXELS), n) : predictBatch(model, x.subarray(0, n * PIXELS), n));
    for (let i = 0; i < n; i++) {
      const id = ids[i];
      const label = input.labels[id];
      const row = probs.subarray(i * NUM_CLASSES, (i + 1) * NUM_CLASSES);
      const predicted = argMax(row);
      predictions[start + i] = predicted;
      confidences[start + i] = row[predicted];
      labels[start + i] = label;
      lossSum -= Math.log(Math.max(row[label], 1e-7));
      confusion[label * NUM_CLASSES + predicted] += 1;
      if (predicted === label) correct += 1;
      const make = () => sampleOf(id, label, predicted, row, input.images);
      if (wanted.has(id)) samples.push(make());
      if (predicted !== label && keepMistakes > 0) keepTopMistake(mistakes, keepMistakes, row[predicted], make);
    }
    if (input.yieldFn) await input.yieldFn();
  }
  return {
    examples: count,
    loss: count ? lossSum / count : NaN,
    accuracy: count ? correct / count : NaN,
    confusion,
    perClassAccuracy: perClass(confusion),
    samples: samples.sort((a, b) => a.index - b.index),
    mistakes,
    predictions,
    confidences,
    labels,
  };
}

/** Predicts class probabilities for n flattened images; all tensors are freed before returning. */
export async function predictBatch(model: tf.LayersModel, pixels: Float32Array, n: number): Promise<Float32Array> {
  const out = tf.tidy(() => model.predict(tf.tensor4d(pixels, [n, 28, 28, 1])) as tf.Tensor);
  try {
    return (await out.data()) as Float32Array;
  } finally {
    out.dispose();
  }
}

function argMax(row: Float32Array): number {
  let best = 0;
  for (let k = 1; k < row.length; k++) if (row[k] > row[best]) best = k;
  return best;
}

function sampleOf(index: number, label: number, predicted: number, row: Float32Array, images: Uint8Array): PredictionSample {
  return {
    index,
    label,
    predicted,
    probabilities: Array.from(row),
    pixels: images.slice(index * PIXELS, (index + 1) * PIXELS),
  };
}

/** Keeps the `limit` most confident mistakes, most confident first, building samples lazily. */
function keepTopMistake(list: PredictionSample[], limit: number, confidence: number, make: () => PredictionSample): void {
  const conf = (s: PredictionSample) => s.probabilities[s.predicted];
  if (list.length >= limit && confidence <= conf(list[list.length - 1])) return;
  const sample = make();
  let at = list.findIndex((s) => conf(s) < confidence);
  if (at === -1) at = list.length;
  list.splice(at, 0, sample);
  if (list.length > limit) list.pop();
}

/** Accuracy per true class from the confusion counts (NaN for an empty class). */
export function perClass(confusion: number[]): number[] {
  return Array.from({ length: NUM_CLASSES }, (_, k) => {
    let total = 0;
    for (let j = 0; j < NUM_CLASSES; j++) total += confusion[k * NUM_CLASSES + j];
    return total ? confusion[k * NUM_CLASSES + k] / total : NaN;
  });
}
