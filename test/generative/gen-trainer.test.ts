import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '../../src/train/kernels/index';
import { GenTrainer } from '../../src/train/generative/gen-trainer';
import type { FromGenWorker } from '../../src/train/generative/gen-protocol';
import type { Mnist, MnistSplit } from '../../src/train/mnist';
import { GEN_PRESETS } from '../../src/model/generative/presets';
import type { GenerativeSpec } from '../../src/model/generative/spec';

/** Tiny synthetic digits: class k lights up row band k, plus noise, so there is something to learn. */
function split(count: number, seed: number): MnistSplit {
  const images = new Uint8Array(count * 784);
  const labels = new Uint8Array(count);
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (let i = 0; i < count; i++) {
    const k = i % 10;
    labels[i] = k;
    for (let p = 0; p < 784; p++) {
      const row = Math.floor(p / 28);
      images[i * 784 + p] = row >= 2 + 2 * k && row < 4 + 2 * k ? 255 : rand() < 0.05 ? 128 : 0;
    }
  }
  return { count, images, labels };
}

const data: Mnist = { train: split(300, 1), test: split(100, 2) };

function makeTrainer(messages: FromGenWorker[]) {
  return new GenTrainer({
    post: (m) => messages.push(m),
    loadData: async () => data,
    initBackend: async () => {
      registerWasmTrainingKernels();
      await tf.setBackend('wasm');
      return { name: 'wasm', notes: [] };
    },
    yieldToEvents: () => new Promise((r) => setTimeout(r, 0)),
    progressIntervalMs: 0,
    gridIntervalMs: 0,
    cacheJudge: false,
    testLossExamples: 100,
  });
}

const small = (kind: 'cvae' | 'vae', epochs = 2): GenerativeSpec => ({
  ...GEN_PRESETS[0].spec, kind, latentSize: kind === 'vae' ? 2 : 4, hiddenSize: 32, training: { learningRate: 0.002, batchSize: 50, epochs, seed: 3 },
});

const ofType = <T extends FromGenWorker['type']>(messages: FromGenWorker[], type: T) =>
  messages.filter((m): m is Extract<FromGenWorker, { type: T }> => m.type === type);

beforeAll(() => {
  registerWasmTrainingKernels();
});

describe('GenTrainer', () => {
  it('trains a conditional VAE end to end: judge, progress, grid, test losses, scores, done', async () => {
    const messages: FromGenWorker[] = [];
    const trainer = makeTrainer(messages);
    trainer.handle({ type: 'start', runId: 1, spec: small('cvae'), judge: 'quick', backend: 'wasm' });
    await new Promise((r) => setTimeout(r, 0));
    await trainer.idle;
    expect(ofType(messages, 'error')).toEqual([]);
    expect(ofType(messages, 'phase').map((m) => m.phase)).toEqual(expect.arrayContaining(['loading-data', 'judge', 'building', 'training', 'done']));
    expect(ofType(messages, 'judge')[0].judge.testAccuracy).toBeGreaterThan(0);
    const progress = ofType(messages, 'progress');
    expect(progress.at(-1)!.examplesSeen).toBe(600);
    const points = progress.flatMap((p) => p.points);
    expect(points).toHaveLength(12);
    expect(points.every((p) => Number.isFinite(p.reconstruction) && p.kl >= 0)).toBe(true);
    // The loss falls on data with structure.
    expect(points.at(-1)!.reconstruction).toBeLessThan(points[0].reconstruction);
    const grids = ofType(messages, 'grid');
    expect(grids.length).toBeGreaterThan(2);
    expect(grids[0].pixels).toHaveLength(100 * 784);
    expect(grids.at(-1)!.judged).toHaveLength(100);
    expect(ofType(messages, 'epoch').map((m) => m.point.epoch)).toEqual([1, 2]);
    const scores = ofType(messages, 'scores');
    expect(scores).toHaveLength(2);
    for (const { point } of scores) {
      expect(point.conditionalAccuracy).toBeGreaterThanOrEqual(0);
      expect(point.conditionalAccuracy).toBeLessThanOrEqual(1);
      expect(point.mnistScore).toBeGreaterThanOrEqual(1);
      expect(point.mnistScore).toBeLessThanOrEqual(10 + 1e-6);
      expect(point.samples).toBe(1000);
    }
    const recon = ofType(messages, 'reconstructions').at(-1)!;
    expect(recon.decoded).toHaveLength(recon.count * 784);
  });

  it('keeps the tensor count flat across training steps and grid refreshes', async () => {
    const messages: FromGenWorker[] = [];
    const trainer = makeTrainer(messages);
    trainer.handle({ type: 'start', runId: 1, spec: small('cvae', 3), judge: 'quick', backend: 'wasm' });
    await new Promise((r) => setTimeout(r, 0));
    await trainer.idle;
    // A grid refresh runs after every batch here (gridIntervalMs 0), so any leak would show.
    expect(ofType(messages, "error")).toEqual([]);
    const counts = ofType(messages, 'progress').map((p) => p.tensors);
    expect(counts.length).toBeGreaterThan(10);
    expect(new Set(counts).size).toBe(1);
  });

  it('trains the convolutional VAE (transposed convolutions) with a flat tensor count', async () => {
    const messages: FromGenWorker[] = [];
    const trainer = makeTrainer(messages);
    const spec: GenerativeSpec = { ...small('cvae', 1), architecture: 'conv', hiddenSize: 4 };
    trainer.handle({ type: 'start', runId: 4, spec, judge: 'quick', backend: 'wasm' });
    await new Promise((r) => setTimeout(r, 0));
    await trainer.idle;
    expect(ofType(messages, 'error')).toEqual([]);
    const points = ofType(messages, 'progress').flatMap((p) => p.points);
    expect(points).toHaveLength(6);
    expect(points.at(-1)!.reconstruction).toBeLessThan(points[0].reconstruction);
    expect(new Set(ofType(messages, 'progress').map((p) => p.tensors)).size).toBe(1);
    expect(ofType(messages, 'grid').at(-1)!.pixels).toHaveLength(78400);
  });

  it('stops on request and answers explore requests with no tensors left behind', async () => {
    const messages: FromGenWorker[] = [];
    const trainer = makeTrainer(messages);
    trainer.handle({ type: 'start', runId: 2, spec: small('vae', 50), judge: 'quick', backend: 'wasm' });
    for (let i = 0; i < 500 && !ofType(messages, 'progress').length; i++) await new Promise((r) => setTimeout(r, 10));
    trainer.handle({ type: 'stop', runId: 2 });
    await trainer.idle;
    expect(ofType(messages, 'phase').at(-1)!.phase).toBe('stopped');
    expect(ofType(messages, 'scores').every((s) => s.point.conditionalAccuracy === null)).toBe(true);

    const before = tf.memory().numTensors;
    const answered = async (n: number) => {
      for (let i = 0; i < 300 && messages.length < n; i++) await new Promise((r) => setTimeout(r, 5));
      return messages.at(-1)!;
    };
    for (let i = 0; i < 3; i++) {
      trainer.handle({ type: 'walk', runId: 2, requestId: i, from: 0, to: 5, steps: 8, label: null });
      const walk = await answered(messages.length + 1);
      expect(walk.type).toBe('walk');
      if (walk.type === 'walk') expect(walk.pixels).toHaveLength(8 * 784);
    }
    trainer.handle({ type: 'decode', runId: 2, requestId: 9, z: [0.5, -1], label: 0 });
    const decoded = await answered(messages.length + 1);
    expect(decoded.type === 'decoded' && decoded.pixels.length).toBe(784);
    trainer.handle({ type: 'latent-map', runId: 2, requestId: 10, cells: 5, extent: 3, points: 50, label: 0 });
    const map = await answered(messages.length + 1);
    expect(map.type === 'latent-map' && map.pixels.length).toBe(25 * 784);
    expect(map.type === 'latent-map' && map.codes.length).toBe(100);
    expect(tf.memory().numTensors).toBe(before);

    // The exported decoder loads back in tfjs and draws what the trainer's decoder draws.
    trainer.handle({ type: 'export-decoder', runId: 2, requestId: 11 });
    const files = await answered(messages.length + 1);
    expect(files.type).toBe('decoder');
    if (files.type !== 'decoder') return;
    const json = JSON.parse(files.modelJson);
    expect(json.weightsManifest[0].paths).toEqual(['decoder.weights.bin']);
    const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: files.weights }));
    const fromFile = (model.predict(tf.tensor2d([[0.5, -1]])) as tf.Tensor).dataSync();
    trainer.handle({ type: 'decode', runId: 2, requestId: 12, z: [0.5, -1], label: 0 });
    const live = await answered(messages.length + 1);
    expect(live.type === 'decoded' && Array.from(live.pixels)).toEqual(Array.from(fromFile, (v) => Math.round(v * 255)));
    model.dispose();
  });

  it('stops a diverging run with a plain message', async () => {
    const messages: FromGenWorker[] = [];
    const trainer = makeTrainer(messages);
    const spec = small('cvae', 5);
    trainer.handle({ type: 'start', runId: 3, spec: { ...spec, training: { ...spec.training, learningRate: 1 } }, judge: 'quick', backend: 'wasm' });
    await new Promise((r) => setTimeout(r, 0));
    await trainer.idle;
    const errors = ofType(messages, 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(/^Training diverged at epoch \d+, batch \d+: the loss became .*\. Lower the learning rate \(now 1\) and train again\.$/);
  });
});
