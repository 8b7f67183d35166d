import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '../../src/train/kernels/index';
import { GenTrainer, type GenTrainerDeps } from '../../src/train/generative/gen-trainer';
import type { TrainableGan } from '../../src/train/generative/gan-step';
import { createGan } from '../../src/train/generative/gan-model';
import { parseGanSpec } from '../../src/model/generative/gan-validate';
import type { GanSpec } from '../../src/model/generative/gan-spec';
import type { FromGenWorker } from '../../src/train/generative/gen-protocol';
import type { Mnist, MnistSplit } from '../../src/train/mnist';
import { GEN_PRESETS } from '../../src/model/generative/presets';
import type { GenerativeSpec } from '../../src/model/generative/spec';
import type { KeptClassifiers } from '../../src/train/generative/own-judge';
import denseBaseline from '../../presets/dense-baseline.json';

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

/** A tiny conditional GAN against the Gan interface (gan-model.ts's own is built from layer lists). */
function tinyGan(spec: Pick<GanSpec, 'latentSize'>, seed: number): TrainableGan & { dispose(): void } {
  const gW = tf.variable(tf.randomNormal([spec.latentSize + 10, 784], 0, 0.05, 'float32', seed));
  const gB = tf.variable(tf.zeros([784]));
  const dW = tf.variable(tf.randomNormal([794, 1], 0, 0.05, 'float32', seed + 1));
  const dB = tf.variable(tf.zeros([1]));
  const cat = (a: tf.Tensor2D, l: tf.Tensor2D | null) => (l ? tf.concat([a, l], 1) : a);
  return {
    conditional: true, latentSize: spec.latentSize,
    generate: (z, l) => tf.sigmoid(cat(z, l).matMul(gW).add(gB)) as tf.Tensor2D,
    discriminate: (x, l) => cat(x, l).matMul(dW).add(dB) as tf.Tensor2D,
    generatorVariables: [gW, gB], discriminatorVariables: [dW, dB],
    dispose: () => tf.dispose([gW, gB, dW, dB]),
  };
}

function makeTrainer(messages: FromGenWorker[], keptClassifiers: KeptClassifiers | null = null, createGan?: GenTrainerDeps['createGan']) {
  return new GenTrainer({
    keptClassifiers,
    createGan,
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
  ...GEN_PRESETS[0].spec, kind, latentSize: kind === 'vae' ? 2 : 4, encoderInput: 'flat',
  encoder: [{ kind: 'dense', units: 32, activation: 'relu' }],
  decoder: [{ kind: 'dense', units: 32, activation: 'relu' }, { kind: 'dense', units: 784, activation: 'linear' }],
  training: { learningRate: 0.002, batchSize: 50, epochs, seed: 3 },
});

/** The convolutional preset's networks with 4 filters a layer, so the test stays quick. */
const smallConv = (): GenerativeSpec => {
  const conv = GEN_PRESETS.find((p) => p.id === 'cvae-conv')!.spec;
  const thin = (layers: GenerativeSpec['encoder']) =>
    layers.map((l) => ('filters' in l && l.filters > 1 ? { ...l, filters: 4 } : l.kind === 'reshape' ? { ...l, channels: 4 } : l.kind === 'dense' && l.units === 784 ? { ...l, units: 196 } : l));
  return { ...small('cvae', 1), encoderInput: conv.encoderInput, encoder: thin(conv.encoder), decoder: thin(conv.decoder) };
};

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
    const spec = smallConv();
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

  it("judges with the person's kept classifier when it measures >= 98% here, else says why not", async () => {
    // A kept classifier that reads the synthetic digits' bands: row band k lights class k.
    const kernel = new Float32Array(784 * 10);
    for (let p = 0; p < 784; p++) {
      const row = Math.floor(p / 28);
      for (let k = 0; k < 10; k++) if (row >= 2 + 2 * k && row < 4 + 2 * k) kernel[p * 10 + k] = 1;
    }
    const spec = { ...denseBaseline, layers: [{ kind: 'flatten' }, { kind: 'dense', units: 10, activation: 'softmax' }] };
    const weights = [
      { name: 's1_dense/kernel', shape: [784, 10], dtype: 'float32', values: kernel },
      { name: 's1_dense/bias', shape: [10], dtype: 'float32', values: new Float32Array(10) },
    ];
    const entry = (testAccuracy: number) => ({ id: 'run-1', name: 'Band reader', createdAt: 1, spec, testAccuracy, hasModel: true });
    const kept = (testAccuracy: number): KeptClassifiers => ({ list: async () => [entry(testAccuracy)], model: async () => ({ weights }) });

    const messages: FromGenWorker[] = [];
    const trainer = makeTrainer(messages, kept(0.99));
    trainer.handle({ type: 'start', runId: 1, spec: small('cvae', 1), judge: 'quick', backend: 'wasm' });
    await new Promise((r) => setTimeout(r, 0));
    await trainer.idle;
    expect(ofType(messages, 'error')).toEqual([]);
    expect(ofType(messages, 'judge')[0].judge).toMatchObject({ source: 'own', runId: 'run-1', name: 'your classifier "Band reader"', testAccuracy: 1 });
    expect(ofType(messages, 'phase').map((m) => m.detail)).toContain('Checking your classifier "Band reader" on the 10,000 test images');
    // The judge read the training-like grid with that classifier: it scored them.
    expect(ofType(messages, 'scores')).toHaveLength(1);

    // Under 98%: the reference seed CNN judges, and the judge message says why not the person's.
    const others: FromGenWorker[] = [];
    const fallback = makeTrainer(others, kept(0.95));
    fallback.handle({ type: 'start', runId: 2, spec: small('cvae', 1), judge: 'quick', backend: 'wasm' });
    await new Promise((r) => setTimeout(r, 0));
    await fallback.idle;
    const judge = ofType(others, 'judge')[0].judge;
    expect(judge).toMatchObject({ source: 'reference', name: 'reference seed CNN (quick: 4,000 examples)' });
    expect(judge.note).toBe('Your best kept classifier, "Band reader", has 95.0% test accuracy; a judge needs 98%.');
  });

  it('trains a GAN spec through the same loop when a GAN builder is given: D and G losses, grid, scores, flat tensors', async () => {
    // The VAE test networks under kind 'cgan': the loop reads only kind, latentSize and training of a GAN spec.
    const spec = { ...small('cvae', 2), kind: 'cgan' } as unknown as GanSpec;
    const refused: FromGenWorker[] = [];
    const without = makeTrainer(refused);
    without.handle({ type: 'start', runId: 1, spec, judge: 'quick', backend: 'wasm' });
    await new Promise((r) => setTimeout(r, 0));
    await without.idle;
    expect(ofType(refused, 'error').map((e) => e.message)).toEqual(['GAN training is not available in this version yet: pick one of the VAE presets.']);

    const messages: FromGenWorker[] = [];
    const trainer = makeTrainer(messages, null, tinyGan);
    trainer.handle({ type: 'start', runId: 2, spec, judge: 'quick', backend: 'wasm' });
    await new Promise((r) => setTimeout(r, 0));
    await trainer.idle;
    expect(ofType(messages, 'error')).toEqual([]);
    expect(ofType(messages, 'phase').at(-1)!.phase).toBe('done');
    const points = ofType(messages, 'progress').flatMap((p) => p.points);
    expect(points).toHaveLength(12);
    expect(points.every((p) => Number.isFinite(p.discriminator!) && Number.isFinite(p.generator!) && Number.isNaN(p.reconstruction))).toBe(true);
    const epochs = ofType(messages, 'epoch').map((m) => m.point);
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(epochs.every((e) => e.testDiscriminator! > 0 && e.testGenerator! > 0)).toBe(true);
    expect(ofType(messages, 'grid').at(-1)!.pixels).toHaveLength(78400);
    expect(ofType(messages, 'reconstructions')).toEqual([]);
    expect(ofType(messages, 'scores')).toHaveLength(2);
    expect(new Set(ofType(messages, 'progress').map((p) => p.tensors)).size).toBe(1);

    const before = tf.memory().numTensors;
    trainer.handle({ type: 'walk', runId: 2, requestId: 1, from: 0, to: 1, steps: 5, label: null });
    trainer.handle({ type: 'decode', runId: 2, requestId: 2, z: [0, 0, 0, 0], label: 3 });
    for (let i = 0; i < 200 && messages.filter((m) => m.type === 'explore-error' || m.type === 'decoded').length < 2; i++) await new Promise((r) => setTimeout(r, 5));
    expect(ofType(messages, 'explore-error')[0].message).toMatch(/^A GAN has no encoder/);
    expect(ofType(messages, 'decoded')[0].pixels).toHaveLength(784);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("trains a GAN built by gan-model.ts's createGan from a GAN spec's layer lists", async () => {
    const parsed = parseGanSpec({
      version: 2, name: 'Tiny GAN', description: 'test', kind: 'cgan', slow: false, latentSize: 8,
      generator: [{ kind: 'dense', units: 64, activation: 'relu' }, { kind: 'dense', units: 784, activation: 'sigmoid' }],
      discriminator: [{ kind: 'flatten' }, { kind: 'dense', units: 32, activation: 'leakyRelu' }],
      training: { learningRate: 0.002, batchSize: 50, epochs: 1, seed: 2 },
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const messages: FromGenWorker[] = [];
    const trainer = makeTrainer(messages, null, createGan);
    trainer.handle({ type: 'start', runId: 5, spec: parsed.spec, judge: 'quick', backend: 'wasm' });
    await new Promise((r) => setTimeout(r, 0));
    await trainer.idle;
    expect(ofType(messages, 'error')).toEqual([]);
    expect(ofType(messages, 'phase').at(-1)!.phase).toBe('done');
    const points = ofType(messages, 'progress').flatMap((p) => p.points);
    expect(points).toHaveLength(6);
    expect(points.every((p) => p.discriminator! > 0 && p.generator! > 0)).toBe(true);
    expect(ofType(messages, 'scores')[0].point.conditionalAccuracy).toBeGreaterThanOrEqual(0);
    expect(new Set(ofType(messages, 'progress').map((p) => p.tensors)).size).toBe(1);
  });
});
