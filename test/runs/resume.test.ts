import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SPEC_VERSION, type NetworkSpec, type TrainingSettings } from '../../src/model/spec';
import { DEFAULT_TRAINING } from '../../src/model/validate';
import type { Mnist } from '../../src/train/mnist';
import type { BatchPoint, EpochPoint, FromWorker, ModelCheckpoint } from '../../src/train/protocol';
import { nodeTrainer, settle } from '../train/node-trainer';
import { LocalPeer } from '../../src/train/parallel/gradient-peer';
import { fakeSplit } from '../train/fake-mnist';


const data: Mnist = { train: fakeSplit(400, 1), test: fakeSplit(60, 2) };

function spec(training: Partial<TrainingSettings>): NetworkSpec {
  return {
    version: SPEC_VERSION,
    name: 'tiny',
    description: '',
    layers: [
      { kind: 'conv2d', filters: 4, kernelSize: 3, stride: 2, padding: 'valid', activation: 'relu' },
      { kind: 'batchNorm' },
      { kind: 'maxPool2d', poolSize: 2, stride: 2, padding: 'valid' },
      { kind: 'flatten' },
      { kind: 'dropout', rate: 0.1 },
      { kind: 'dense', units: 10, activation: 'softmax' },
    ],
    // 400 examples, 10% validation: 360 training examples, 12 batches of 32 per epoch, 24 steps.
    training: { ...DEFAULT_TRAINING, learningRate: 0.01, batchSize: 32, epochs: 2, validationSplit: 0.1, trainExamples: 400, seed: 7, ...training },
  };
}

/**
 * A trainer whose messages are collected; `stopAt` stops the run right after that step; `split`
 * trains data-parallel with a same-thread gradient peer (as the browser does on wasm).
 */
function harness(stopAt: { runId: number; step: number } | null = null, split = false) {
  return nodeTrainer(data, split ? { createPeer: () => new LocalPeer() } : {}, (m, trainer) => {
    if (stopAt && m.type === 'progress' && m.runId === stopAt.runId && m.points.some((p) => p.step === stopAt.step)) {
      trainer.handle({ type: 'stop', runId: stopAt.runId });
    }
  });
}

const of = <T extends FromWorker['type']>(messages: FromWorker[], type: T, runId: number) =>
  messages.filter((m): m is Extract<FromWorker, { type: T }> => m.type === type && m.runId === runId);
const points = (messages: FromWorker[], runId: number): BatchPoint[] => of(messages, 'progress', runId).flatMap((m) => m.points);
const epochs = (messages: FromWorker[], runId: number): EpochPoint[] => of(messages, 'epoch', runId).map((m) => m.point);
const lastCheckpoint = (messages: FromWorker[], runId: number): ModelCheckpoint => {
  const found = of(messages, 'checkpoint', runId).at(-1);
  if (!found) throw new Error(`run ${runId} posted no checkpoint`);
  return found.checkpoint;
};
/** The exact bits of every weight and optimizer slot, for bit-for-bit comparison. */
const bits = (c: ModelCheckpoint) => [...c.weights, ...c.optimizer].map((a) => [a.name.replace(/_\d+/g, ''), Array.from(new Uint32Array(a.values.buffer))]);
const phases = (messages: FromWorker[], runId: number) => of(messages, 'status', runId).map((m) => m.phase);

describe('stop, store and continue a run', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  const cases: [string, Partial<TrainingSettings>, number, boolean?][] = [
    // After 5 steps, float32 0.999^6 by repeated multiplication (what Adam keeps) differs in the last
    // bit from pow(0.999, 6) (what its setWeights recomputes): the checkpoint must carry the real one.
    ['adam, cosine schedule, augmentation, stopped mid-epoch', { optimizer: 'adam', lrSchedule: 'cosine', augment: { shift: 2, rotation: 10 } }, 5],
    ['adam, stopped at the end of an epoch', { optimizer: 'adam' }, 12],
    ['rmsprop, stopped after one step', { optimizer: 'rmsprop', learningRate: 0.001 }, 1],
    ['sgd, stopped mid-epoch', { optimizer: 'sgd', lrSchedule: 'cosine', learningRate: 0.1 }, 17],
    // Batch norm and dropout in two halves (ghost batch norm, one dropout stream per worker).
    ['adam, data-parallel with a gradient peer, stopped mid-epoch', { optimizer: 'adam', lrSchedule: 'cosine' }, 7, true],
  ];

  for (const [title, training, stopStep, split = false] of cases) {
    it(`continues bit for bit on the cpu backend: ${title}`, async () => {
      const s = spec(training);
      const whole = harness(null, split);
      whole.trainer.handle({ type: 'start', runId: 1, spec: s, backend: 'cpu' });
      await settle(whole.trainer);
      expect(phases(whole.messages, 1).at(-1)).toBe('done');

      // The same run stopped after `stopStep`, its checkpoint handed to a fresh trainer (a reload).
      const first = harness({ runId: 1, step: stopStep }, split);
      first.trainer.handle({ type: 'start', runId: 1, spec: s, backend: 'cpu' });
      await settle(first.trainer);
      expect(phases(first.messages, 1).at(-1)).toBe('stopped');
      const stored = lastCheckpoint(first.messages, 1);
      expect(stored.position.step).toBe(stopStep);
      expect(points(first.messages, 1).map((p) => p.step)).toEqual(Array.from({ length: stopStep }, (_, i) => i + 1));

      const second = harness(null, split);
      second.trainer.handle({ type: 'restore', runId: 9, spec: s, backend: 'cpu', checkpoint: structuredClone(stored), phase: 'stopped' });
      await settle(second.trainer);
      expect(phases(second.messages, 9)).toEqual(['loading-data', 'building', 'stopped']);
      second.trainer.handle({ type: 'continue', runId: 9 });
      await settle(second.trainer);
      expect(phases(second.messages, 9).at(-1)).toBe('done');

      // The continued curve picks up at the next step with exactly the uninterrupted values.
      const resumed = points(second.messages, 9);
      expect(resumed[0]!.step).toBe(stopStep + 1);
      const wholePoints = points(whole.messages, 1);
      expect(resumed.map((p) => [p.step, p.loss, p.accuracy, p.examplesSeen])).toEqual(
        wholePoints.slice(stopStep).map((p) => [p.step, p.loss, p.accuracy, p.examplesSeen]),
      );
      // Epoch figures (including the epoch that was cut in two) match too.
      const cut = [...epochs(first.messages, 1), ...epochs(second.messages, 9)];
      expect(cut.map((e) => [e.epoch, e.trainLoss, e.trainAccuracy, e.valLoss])).toEqual(epochs(whole.messages, 1).map((e) => [e.epoch, e.trainLoss, e.trainAccuracy, e.valLoss]));
      // Every weight and every optimizer slot ends with the same bits.
      const end = lastCheckpoint(second.messages, 9);
      expect(end.position.step).toBe(24);
      expect(bits(end)).toEqual(bits(lastCheckpoint(whole.messages, 1)));
      expect(end.optimizerExtra).toEqual(lastCheckpoint(whole.messages, 1).optimizerExtra);
    });
  }

  it('one resumed step equals one uninterrupted step, and a wrong checkpoint is refused with a message', async () => {
    const s = spec({ epochs: 1 });
    const { trainer, messages } = harness({ runId: 1, step: 3 });
    trainer.handle({ type: 'start', runId: 1, spec: s, backend: 'cpu' });
    await settle(trainer);
    const afterRun = tf.memory().numTensors;
    const stored = lastCheckpoint(messages, 1);
    // Restoring replaces the live run: no tensors are left behind by either.
    trainer.handle({ type: 'restore', runId: 2, spec: s, backend: 'cpu', checkpoint: structuredClone(stored), phase: 'stopped' });
    await settle(trainer);
    expect(tf.memory().numTensors).toBe(afterRun);
    trainer.handle({ type: 'continue', runId: 2 });
    await settle(trainer);
    expect(points(messages, 2)[0]!.step).toBe(4);

    const wrong = structuredClone(stored);
    wrong.weights[0]!.shape = [5, 5, 1, 4];
    trainer.handle({ type: 'restore', runId: 3, spec: s, backend: 'cpu', checkpoint: wrong, phase: 'stopped' });
    await settle(trainer);
    const error = of(messages, 'error', 3)[0];
    expect(error?.message).toMatch(/^The stored model does not fit this network: weight 1 \(s0_conv2d\/kernel\) is stored as 5×5×1×4 with 36 values; the network needs 3×3×1×4\.$/);
  });
});
