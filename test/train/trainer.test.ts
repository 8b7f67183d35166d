import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NetworkSpec, LayerSpec } from '../../src/model/spec';
import { SPEC_VERSION } from '../../src/model/spec';
import { DEFAULT_TRAINING } from '../../src/model/validate';
import type { Mnist } from '../../src/train/mnist';
import type { FilterSnapshot, FromWorker, HealthSnapshot, ProgressMessage } from '../../src/train/protocol';
import type { TrainerDeps } from '../../src/train/trainer';
import { nodeTrainer, settle } from './node-trainer';
import { fakeSplit } from './fake-mnist';


const data: Mnist = { train: fakeSplit(400, 1), test: fakeSplit(120, 2) };

const tinyLayers: LayerSpec[] = [
  { kind: 'conv2d', filters: 4, kernelSize: 3, stride: 2, padding: 'valid', activation: 'relu' },
  { kind: 'maxPool2d', poolSize: 2, stride: 2, padding: 'valid' },
  { kind: 'flatten' },
  { kind: 'dropout', rate: 0.1 },
  { kind: 'dense', units: 10, activation: 'softmax' },
];

function spec(training: Partial<NetworkSpec['training']> = {}): NetworkSpec {
  const settings: NetworkSpec['training'] = { ...DEFAULT_TRAINING, learningRate: 0.01, batchSize: 32, epochs: 2, validationSplit: 0.1, trainExamples: 400, seed: 7, ...training };
  return {
    version: SPEC_VERSION,
    name: 'tiny',
    description: '',
    layers: tinyLayers,
    training: settings,
  };
}

/** The shared Node trainer on this file's data; progress with every step. */
const harness = (deps: Partial<TrainerDeps> = {}) => nodeTrainer(data, deps);

const progressOf = (messages: FromWorker[]) => messages.filter((m): m is ProgressMessage => m.type === 'progress');

describe('Trainer', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('trains, validates each epoch, reports on the test set and ends done', async () => {
    const { trainer, messages } = harness();
    trainer.handle({ type: 'start', runId: 1, spec: spec(), backend: 'cpu' });
    await settle(trainer);
    const phases = messages.filter((m) => m.type === 'status').map((m) => (m.type === 'status' ? m.phase : ''));
    expect(phases).toEqual(['loading-data', 'building', 'training', 'evaluating', 'done']);
    const points = progressOf(messages).flatMap((m) => m.points);
    // 400 examples, 10% validation -> 360 train -> 12 batches of 32 (last one 8) per epoch.
    expect(points.map((p) => p.step)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect(points.at(-1)!.examplesSeen).toBe(720);
    const epochs = messages.filter((m) => m.type === 'epoch');
    expect(epochs).toHaveLength(2);
    const report = messages.find((m) => m.type === 'report');
    expect(report?.type === 'report' && report.report.examples).toBe(120);
    if (report?.type === 'report') {
      expect(report.report.confusion.reduce((a, b) => a + b, 0)).toBe(120);
      expect(report.report.accuracy).toBeGreaterThan(0.5);
    }
  });

  it('keeps the tensor count flat across batches, epochs and repeated runs', async () => {
    const { trainer, messages } = harness();
    trainer.handle({ type: 'start', runId: 1, spec: spec({ epochs: 3 }), backend: 'cpu' });
    await settle(trainer);
    const counts = progressOf(messages).map((m) => m.tensors);
    expect(new Set(counts).size).toBe(1);
    const afterFirst = tf.memory().numTensors;
    trainer.handle({ type: 'start', runId: 2, spec: spec({ epochs: 1 }), backend: 'cpu' });
    await settle(trainer);
    trainer.handle({ type: 'start', runId: 3, spec: spec({ epochs: 1 }), backend: 'cpu' });
    await settle(trainer);
    expect(tf.memory().numTensors).toBe(afterFirst);
  });

  it('gives the same run for the same seed and a different one for another seed', async () => {
    const losses = async (seed: number) => {
      const { trainer, messages } = harness();
      trainer.handle({ type: 'start', runId: 1, spec: spec({ epochs: 1, seed }), backend: 'cpu' });
      await settle(trainer);
      return progressOf(messages).flatMap((m) => m.points.map((p) => p.loss));
    };
    const a = await losses(3);
    expect(await losses(3)).toEqual(a);
    expect(await losses(4)).not.toEqual(a);
  });

  it('pauses between batches, ignores commands for other runs, and stop keeps the model for a report', async () => {
    const { trainer, messages } = harness();
    trainer.handle({ type: 'start', runId: 5, spec: spec({ epochs: 20 }), backend: 'cpu' });
    while (!progressOf(messages).length) await new Promise((r) => setTimeout(r, 1));
    trainer.handle({ type: 'stop', runId: 4 });
    trainer.handle({ type: 'pause', runId: 5 });
    await new Promise((r) => setTimeout(r, 20));
    const seenAtPause = progressOf(messages).length;
    await new Promise((r) => setTimeout(r, 50));
    expect(progressOf(messages).length).toBe(seenAtPause);
    expect(messages.filter((m) => m.type === 'status').at(-1)).toMatchObject({ phase: 'paused' });
    trainer.handle({ type: 'resume', runId: 5 });
    while (progressOf(messages).length < seenAtPause + 2) await new Promise((r) => setTimeout(r, 1));
    trainer.handle({ type: 'stop', runId: 5 });
    await settle(trainer);
    const last = messages.filter((m) => m.type === 'status').at(-1);
    expect(last).toMatchObject({ phase: 'stopped' });
    expect(messages.some((m) => m.type === 'report')).toBe(true);
    const totalSteps = progressOf(messages).flatMap((m) => m.points).length;
    expect(totalSteps).toBeLessThan(20 * 12);
  });

  it('posts every trained step before it stops, so the curve ends where the checkpoint does', async () => {
    // Progress is posted at most once a minute here, so at the stop most points are still pending.
    // The stop lands after a few batches: the trainer yields to events once before each batch.
    let yields = 0;
    const { trainer, messages } = harness({
      progressIntervalMs: 60_000,
      yieldToEvents: async () => {
        if (++yields === 6) trainer.handle({ type: 'stop', runId: 6 });
        await new Promise((r) => setTimeout(r, 0));
      },
    });
    trainer.handle({ type: 'start', runId: 6, spec: spec({ epochs: 20 }), backend: 'cpu' });
    await settle(trainer);
    const steps = progressOf(messages).flatMap((m) => m.points.map((p) => p.step));
    const checkpoint = messages.find((m) => m.type === 'checkpoint');
    expect(checkpoint && checkpoint.type === 'checkpoint' ? checkpoint.checkpoint.position.step : -1).toBe(steps.length);
    expect(steps.length).toBeGreaterThan(1);
    expect(steps).toEqual(steps.map((_, i) => i + 1));
  });

  it('stops with a plain message when the loss diverges', async () => {
    const { trainer, messages } = harness();
    const wild = spec({ optimizer: 'sgd', learningRate: 10, epochs: 5 });
    wild.layers = [{ kind: 'flatten' }, { kind: 'dense', units: 64, activation: 'linear' }, { kind: 'dense', units: 64, activation: 'linear' }, { kind: 'dense', units: 10, activation: 'softmax' }];
    trainer.handle({ type: 'start', runId: 1, spec: wild, backend: 'cpu' });
    await settle(trainer);
    const error = messages.find((m) => m.type === 'error');
    expect(error?.type === 'error' && error.message).toMatch(/^Training diverged at epoch \d+, batch \d+: the loss (became NaN or infinite|stayed near [\d.]+ for 20 batches, far above 2.30 \(a random guess\))\. The learning rate 10 is probably too high for sgd; try 0.001\.$/);
  });

  it('posts filters and health snapshots during the run and a final one, leaving no tensors behind', async () => {
    // A clock that stands still: each snapshot takes no time, so interval 0 means every batch.
    const { trainer, messages } = harness({ snapshotIntervalMs: 0, now: () => 0 });
    trainer.handle({ type: 'start', runId: 1, spec: spec({ epochs: 1 }), backend: 'cpu' });
    await settle(trainer);
    const before = tf.memory().numTensors;
    const filters = messages.flatMap((m) => (m.type === 'filters' ? [m.snapshot] : [] as FilterSnapshot[]));
    const health = messages.flatMap((m) => (m.type === 'health' ? [m.snapshot] : [] as HealthSnapshot[]));
    // Every batch (interval 0) and once more when the run ends, at the last step.
    expect(filters.map((f) => f.step)).toEqual([...Array.from({ length: 12 }, (_, i) => i + 1), 12]);
    expect(health.map((h) => h.step)).toEqual(filters.map((f) => f.step));
    expect(filters.at(-1)!.examplesSeen).toBe(360);
    expect(filters[0]!.layers.map((l) => [l.index, l.kernel.shape])).toEqual([[0, [3, 3, 1, 4]]]);
    expect(filters[0]!.layers[0]!.kernel.values).toHaveLength(36);
    expect(filters[0]!.layers[0]!.kernel.values).not.toEqual(filters.at(-1)!.layers[0]!.kernel.values);
    const last = health.at(-1)!.layers;
    expect(last.map((l) => l.index)).toEqual([0, 1, 2, 3, 4]);
    expect(last.map((l) => l.deadFraction === null)).toEqual([false, true, true, true, true]);
    expect(last.map((l) => l.weightNorm === null)).toEqual([false, true, true, true, false]);
    for (const l of last) expect(l.quantiles).toHaveLength(5);
    expect(last[4]!.gradNorm).toBeGreaterThan(0);
    // The report and end-of-run snapshot are in; the count stays put and stays flat across batches.
    expect(new Set(progressOf(messages).map((m) => m.tensors)).size).toBe(1);
    trainer.handle({ type: 'start', runId: 2, spec: spec({ epochs: 1 }), backend: 'cpu' });
    await settle(trainer);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('waits 40 times as long as a snapshot took before the next one, when that is longer than the interval', async () => {
    // A fake clock: each batch (one yield) takes 10 ms and each snapshot 1, 2 or 0.25 ms (the clock
    // moves when its health is posted): 40 and 80 ms apart by their duration, then 20 by the interval,
    // which alone would allow one every other batch.
    let clock = 0;
    const costs = [1, 2, 0.25];
    const shots: { start: number; end: number }[] = [];
    const { trainer } = harness({
      now: () => clock,
      yieldToEvents: async () => {
        clock += 10;
      },
      snapshotIntervalMs: 20,
      post: (m) => {
        if (m.type === 'filters') shots.push({ start: clock, end: clock });
        if (m.type === 'health') shots.at(-1)!.end = clock += costs[(shots.length - 1) % costs.length]!;
      },
    });
    trainer.handle({ type: 'start', runId: 1, spec: spec({ epochs: 3 }), backend: 'cpu' });
    await settle(trainer);
    // The last one is the end-of-run snapshot, which is not paced.
    const during = shots.slice(0, -1);
    expect(during.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < during.length; i++) {
      const previous = during[i - 1]!;
      const spacing = Math.max(20, 40 * (previous.end - previous.start));
      const gap = during[i]!.start - previous.end;
      expect(gap).toBeGreaterThanOrEqual(spacing);
      // No later than the first batch past it (one more yield when an epoch's validation falls between).
      expect(gap).toBeLessThanOrEqual(spacing + 20);
    }
  });

  describe('prepare (the page warming up before the first Train)', () => {
    /** A harness that counts data loads, backend starts (by choice) and peers, with starts that take a while. */
    function counting() {
      const calls = { loads: 0, starts: [] as string[], peers: 0 };
      const h = harness({
        loadData: async () => {
          calls.loads += 1;
          return data;
        },
        initBackend: async (choice) => {
          calls.starts.push(choice);
          await new Promise((r) => setTimeout(r, 20));
          await tf.setBackend('cpu');
          return { name: 'cpu', notes: [] };
        },
        createPeer: () => {
          calls.peers += 1;
          return null;
        },
      });
      return { ...h, calls };
    }

    it('loads the data and starts the backend once, so the run that follows starts neither again', async () => {
      const { trainer, messages, calls } = counting();
      trainer.handle({ type: 'prepare', runId: 0, backend: 'cpu' });
      await trainer.idle;
      expect(calls).toEqual({ loads: 1, starts: ['cpu'], peers: 1 });
      // The page hears which backend Train will use, and nothing of a run: there is none yet.
      expect(messages).toEqual([{ type: 'prepared', runId: 0, backend: { name: 'cpu', notes: [] } }]);
      trainer.handle({ type: 'start', runId: 1, spec: spec({ epochs: 1 }), backend: 'cpu' });
      await settle(trainer);
      expect(messages.at(-1)).toMatchObject({ type: 'status', phase: 'done' });
      expect(calls.starts).toEqual(['cpu']);
      expect(calls.peers).toBe(1);
    });

    it('makes a Train clicked during the warm-up wait for it instead of starting the backend twice', async () => {
      const { trainer, messages, calls } = counting();
      trainer.handle({ type: 'prepare', runId: 0, backend: 'cpu' });
      trainer.handle({ type: 'start', runId: 1, spec: spec({ epochs: 1 }), backend: 'cpu' });
      await settle(trainer);
      expect(messages.at(-1)).toMatchObject({ type: 'status', phase: 'done' });
      expect(calls.starts).toEqual(['cpu']);
    });

    it('starts the backend the run asks for when it differs from the warmed one, and is ignored once a run exists', async () => {
      const { trainer, calls } = counting();
      trainer.handle({ type: 'prepare', runId: 0, backend: 'wasm' });
      trainer.handle({ type: 'start', runId: 1, spec: spec({ epochs: 1 }), backend: 'cpu' });
      await settle(trainer);
      expect(calls.starts).toEqual(['wasm', 'cpu']);
      trainer.handle({ type: 'prepare', runId: 1, backend: 'wasm' });
      await settle(trainer);
      expect(calls.starts).toEqual(['wasm', 'cpu']);
    });

    it('says at once when the chosen backend cannot start, and the run that asks for it fails with the same reason', async () => {
      const reason = 'No backend could start. webgpu: not available in this browser';
      const { trainer, messages } = harness({
        initBackend: async () => {
          throw new Error(reason);
        },
      });
      trainer.handle({ type: 'prepare', runId: 0, backend: 'webgpu' });
      await trainer.idle;
      expect(messages).toEqual([{ type: 'backend-failed', runId: 0, backend: 'webgpu', message: reason }]);
      trainer.handle({ type: 'start', runId: 1, spec: spec({ epochs: 1 }), backend: 'webgpu' });
      await settle(trainer);
      expect(messages.at(-1)).toMatchObject({ type: 'error', runId: 1, message: expect.stringContaining('webgpu: not available in this browser') });
    });

    it('takes a throwaway step of the given stack that leaves no tensors and does not change the run after it', async () => {
      const cold = harness({ snapshotIntervalMs: Infinity });
      cold.trainer.handle({ type: 'start', runId: 1, spec: spec({ epochs: 1 }), backend: 'cpu' });
      await settle(cold.trainer);

      const { trainer, messages } = harness({ snapshotIntervalMs: Infinity });
      const before = tf.memory().numTensors;
      trainer.handle({ type: 'prepare', runId: 0, backend: 'cpu', spec: spec({ epochs: 1 }) });
      await trainer.idle;
      expect(tf.memory().numTensors).toBe(before);
      expect(messages.map((m) => m.type)).toEqual(['prepared']);
      trainer.handle({ type: 'start', runId: 1, spec: spec({ epochs: 1 }), backend: 'cpu' });
      await settle(trainer);
      const losses = (list: FromWorker[]) => progressOf(list).flatMap((m) => m.points.map((p) => p.loss));
      expect(losses(messages)).toHaveLength(12);
      expect(losses(messages)).toEqual(losses(cold.messages));
    });
  });

  it('reports every test image\'s prediction, confidence and label', async () => {
    const { trainer, messages } = harness({ snapshotIntervalMs: Infinity });
    trainer.handle({ type: 'start', runId: 1, spec: spec({ epochs: 1 }), backend: 'cpu' });
    await settle(trainer);
    const found = messages.find((m) => m.type === 'report');
    if (found?.type !== 'report') throw new Error('no report');
    const { predictions, confidences, labels, confusion, examples } = found.report;
    expect([predictions?.length, confidences?.length, labels?.length]).toEqual([examples, examples, examples]);
    expect(Array.from(labels!)).toEqual(Array.from(data.test.labels));
    const counted = new Array<number>(100).fill(0);
    predictions!.forEach((p, i) => (counted[labels![i]! * 10 + p] += 1));
    expect(counted).toEqual(confusion);
    expect(Array.from(confidences!).every((c) => c >= 0.1 && c <= 1)).toBe(true);
  });
});
