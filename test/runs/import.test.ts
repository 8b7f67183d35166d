import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SPEC_VERSION, type LayerSpec, type NetworkSpec } from '../../src/model/spec';
import { DEFAULT_TRAINING } from '../../src/model/validate';
import { batchesPerEpoch, planImport } from '../../src/runs/import-plan';
import { buildModel } from '../../src/train/build-model';
import { exportLayersModel } from '../../src/train/model-io/export-layers';
import type { FromWorker, ModelCheckpoint } from '../../src/train/protocol';
import { Trainer } from '../../src/train/trainer';

const layers: LayerSpec[] = [
  { kind: 'conv2d', filters: 4, kernelSize: 3, stride: 2, padding: 'valid', activation: 'leakyRelu' },
  { kind: 'batchNorm' },
  { kind: 'maxPool2d', poolSize: 2, stride: 2, padding: 'valid' },
  { kind: 'flatten' },
  { kind: 'dense', units: 10, activation: 'softmax' },
];
const spec: NetworkSpec = { version: SPEC_VERSION, name: 'tiny', description: '', layers, training: { ...DEFAULT_TRAINING, trainExamples: 200, batchSize: 32 } };

async function exported(): Promise<{ json: string; bin: ArrayBuffer; model: tf.LayersModel }> {
  const { model } = buildModel(layers, 5);
  // Non-default batch-norm statistics, so a swapped gamma/beta or mean/variance would show.
  model.weights.forEach((w, i) => w.write(tf.fill(w.shape as number[], i + 0.5)));
  const files = await exportLayersModel(model, 'tiny model');
  expect(files.map((f) => f.name)).toEqual(['tiny-model.json', 'tiny-model.weights.bin']);
  return { json: new TextDecoder().decode(files[0]!.data), bin: files[1]!.data, model };
}

describe('importing tfjs Layers files', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('maps exported files back onto the same stack and the worker loads the same weights', async () => {
    const { json, bin, model } = await exported();
    const plan = planImport(json, [{ name: 'tiny-model.weights.bin', byteLength: bin.byteLength }]);
    if (!plan.ok) throw new Error(plan.message);
    expect(plan.layers).toEqual(layers);
    const messages: FromWorker[] = [];
    const trainer = new Trainer({ post: (m) => messages.push(m), loadData: async () => ({ train: { count: 0, images: new Uint8Array(), labels: new Uint8Array() }, test: { count: 0, images: new Uint8Array(), labels: new Uint8Array() } }), initBackend: async () => ({ name: 'cpu', notes: [] }) });
    trainer.handle({ type: 'import-model', runId: 1, spec: { ...spec, layers: plan.layers }, backend: 'cpu', groups: plan.groups.map((g) => ({ data: bin, weights: g.weights })), names: plan.names });
    for (let i = 0; i < 3; i++) await trainer.idle.then(() => new Promise((r) => setTimeout(r, 0)));
    const checkpoint = messages.find((m): m is Extract<FromWorker, { type: 'checkpoint' }> => m.type === 'checkpoint')?.checkpoint as ModelCheckpoint;
    expect(messages.filter((m) => m.type === 'status').map((m) => (m.type === 'status' ? m.phase : ''))).toEqual(['loading-data', 'building', 'stopped']);
    // By name: the checkpoint lists weights layer by layer, the model trainable ones first.
    const original = Object.fromEntries(model.weights.map((w) => [w.originalName, Array.from(w.read().dataSync())]));
    expect(Object.fromEntries(checkpoint.weights.map((w) => [w.name, Array.from(w.values)]))).toEqual(original);
    expect(checkpoint.weights).toHaveLength(model.weights.length);
    model.dispose();
  });

  it('refuses hostile files with one sentence, before reading any weights', async () => {
    const { json, bin, model } = await exported();
    model.dispose();
    const parsed = JSON.parse(json);
    const huge = structuredClone(parsed);
    huge.weightsManifest[0].weights[0].shape = [50_000, 50_000, 1, 1];
    const lstm = structuredClone(parsed);
    lstm.modelTopology.config.layers[1].class_name = 'LSTM';
    const cases: [string, { name: string; byteLength: number }[], RegExp][] = [
      ['this is not json', [{ name: 'tiny-model.weights.bin', byteLength: bin.byteLength }], /not JSON|JSON/i],
      [json, [{ name: 'tiny-model.weights.bin', byteLength: bin.byteLength - 8 }], /bytes/],
      [JSON.stringify(huge), [{ name: 'tiny-model.weights.bin', byteLength: 2 ** 31 }], /MB|bytes|too/i],
      [JSON.stringify(lstm), [{ name: 'tiny-model.weights.bin', byteLength: bin.byteLength }], /LSTM/],
    ];
    for (const [text, files, pattern] of cases) {
      const plan = planImport(text, files);
      expect(plan.ok).toBe(false);
      if (!plan.ok) {
        expect(plan.message).toMatch(/^These files cannot be imported: .+\. Your current work is unchanged\.$/);
        expect(plan.message).toMatch(pattern);
      }
    }
  });

  it('counts the batches of an epoch as the trainer splits the data', () => {
    expect(batchesPerEpoch({ trainExamples: 400, validationSplit: 0.1, batchSize: 32 })).toBe(12);
    expect(batchesPerEpoch({ trainExamples: 60000, validationSplit: 0.1, batchSize: 64 })).toBe(844);
    expect(batchesPerEpoch({ trainExamples: 2000, validationSplit: 0.1, batchSize: 64 })).toBe(29);
  });
});
