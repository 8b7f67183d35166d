/** Plain worker messages and records for the runs tests. */
import type { BatchPoint, FromWorker, ModelCheckpoint, TestReport } from '../../src/train/protocol';

/** A test report as the worker posts it (typed arrays included). */
export function report(accuracy: number): TestReport {
  const pixels = new Uint8Array(784).fill(7);
  const sample = { index: 3, label: 1, predicted: 1, probabilities: Array.from({ length: 10 }, (_, i) => (i === 1 ? 0.91 : 0.01)), pixels };
  return {
    examples: 4, loss: 0.25, accuracy,
    confusion: Array.from({ length: 100 }, (_, i) => (i % 11 === 0 ? 1 : 0)),
    perClassAccuracy: Array.from({ length: 10 }, () => accuracy),
    samples: [sample], mistakes: [{ ...sample, predicted: 7, pixels: new Uint8Array(784) }],
    predictions: new Uint8Array([1, 2, 3, 4]), confidences: new Float32Array([0.5, 0.6, 0.7, 0.8]), labels: new Uint8Array([1, 2, 3, 5]),
  };
}

export const point = (step: number): BatchPoint => ({ step, examplesSeen: step * 64, loss: 2 / step, accuracy: 0.1 * Math.min(step, 9), elapsedMs: step * 10 });

/** A progress message with points `from..to` of a run with `perEpoch` batches per epoch and 1 epoch. */
export function progress(runId: number, from: number, to: number, perEpoch = 10): FromWorker {
  const points = Array.from({ length: to - from + 1 }, (_, i) => point(from + i));
  return { type: 'progress', runId, epoch: 1, batch: to, batchesPerEpoch: perEpoch, examplesSeen: to * 64, elapsedMs: to * 10, examplesPerSecond: 640, tensors: 20, points };
}

/** A small checkpoint: two weights and Adam's slots, at `step`. */
export function checkpoint(step: number): ModelCheckpoint {
  const arr = (name: string, n: number, v: number) => ({ name, shape: [n], dtype: 'float32' as const, values: new Float32Array(n).fill(v) });
  return {
    weights: [arr('s0_dense/kernel', 6, 0.5), arr('s0_dense/bias', 2, 0.1)],
    optimizer: [{ name: 'iter', shape: [], dtype: 'int32', values: new Int32Array([step]) }, arr('m1', 6, 0.01), arr('m2', 2, 0.01), arr('v1', 6, 0.02), arr('v2', 2, 0.02)],
    optimizerExtra: { accBeta1: 0.9 ** (step + 1), accBeta2: 0.999 ** (step + 1) },
    position: { step, examplesSeen: step * 64, elapsedMs: step * 10, epochLossSum: 1, epochAccuracySum: 0.5, epochSeen: 64 },
  };
}

/** Lets queued promise callbacks (repository writes) run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
}
