import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../../../src/train/build-model';
import { checkModelFiles } from '../../../src/model/export/model-files';
import { layersModelFiles } from '../../../src/model/export/tfjs-files';
import { specFromTopology } from '../../../src/model/export/tfjs-topology';
import { readWeightValues } from '../../../src/model/export/weight-data';
import { weightsMatchSpec } from '../../../src/model/export/model-files';
import { PRESETS } from '../../../src/model/presets';
import type { NetworkSpec } from '../../../src/model/spec';
import { randomValidSpecs } from './random-specs';

/**
 * The whole round trip the Export and Import buttons will make, with tfjs only on the model
 * side: save a model, write its files, check them, map the topology, cut out the weights, set
 * them on a freshly built model, and compare predictions.
 */
beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function exportFiles(model: tf.LayersModel): Promise<{ text: string; name: string; data: ArrayBuffer }> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => {
    artifacts = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  const files = layersModelFiles({ modelTopology: artifacts!.modelTopology, weightSpecs: artifacts!.weightSpecs! }, 'my run');
  return { text: files.modelJson, name: files.weightsFileName, data: artifacts!.weightData as ArrayBuffer };
}

/** Imports exported files into a model built by the app's builder; throws with the message on refusal. */
function importFiles(text: string, name: string, data: ArrayBuffer): tf.LayersModel {
  const checked = checkModelFiles(text, [{ name, byteLength: data.byteLength }]);
  if (!checked.ok) throw new Error(checked.message);
  const mapped = specFromTopology(checked.files.modelJson);
  if (!mapped.ok) throw new Error(mapped.message);
  const match = weightsMatchSpec(checked.files, mapped.layers, mapped.layerNames);
  if (!match.ok) throw new Error(match.message);
  const read = readWeightValues(checked.files, new Map([[name, data]]), mapped.weights);
  if (!read.ok) throw new Error(read.message);
  const { model } = buildModel(mapped.layers, 99);
  // setWeights takes model.weights' order (trainable weights first), so look each one up by name.
  const tensors = model.weights.map((w) => tf.tensor(read.values.get(w.originalName)!, w.shape as number[]));
  model.setWeights(tensors);
  tf.dispose(tensors);
  return model;
}

/** Largest difference between two models' class probabilities on the same random images; `logitsA`: a gives logits from flat input. */
function maxDifference(a: tf.LayersModel, b: tf.LayersModel, logitsA = false): number {
  return tf.tidy(() => {
    const x = tf.randomUniform([8, 28, 28, 1], 0, 1, 'float32', 3);
    const pa = logitsA ? tf.softmax(a.predict(x.reshape([8, 784])) as tf.Tensor) : (a.predict(x) as tf.Tensor);
    const pb = b.predict(x) as tf.Tensor;
    return Math.max(...(pa.sub(pb).abs().dataSync() as Float32Array));
  });
}

const SPECS: Array<[string, NetworkSpec]> = [
  ...PRESETS.map((p) => [`preset ${p.id}`, p.spec] as [string, NetworkSpec]),
  ...randomValidSpecs(8, 77).map((s, i) => [`random ${i}`, s] as [string, NetworkSpec]),
];

describe('export then import', () => {
  it.each(SPECS)('%s: files load in tfjs and import into the same predictions', async (_label, spec) => {
    const before = tf.memory().numTensors;
    const { model } = buildModel(spec.layers, spec.training.seed);
    // Batch norm statistics and biases start at 0/1: move them so a wrong mapping would show.
    const moved = model.getWeights().map((w, i) => tf.tidy(() => w.add(tf.randomUniform(w.shape, 0.1, 0.5, 'float32', i))));
    model.setWeights(moved);
    tf.dispose(moved);
    const { text, name, data } = await exportFiles(model);
    expect(name).toBe('my_run.weights.bin');
    const loaded = await tf.loadLayersModel(tf.io.fromMemory({
      modelTopology: JSON.parse(text).modelTopology, weightSpecs: JSON.parse(text).weightsManifest[0].weights, weightData: data,
    }));
    const imported = importFiles(text, name, data);
    expect(maxDifference(model, loaded)).toBe(0);
    expect(maxDifference(model, imported)).toBe(0);
    for (const m of [model, loaded, imported]) m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('imports a model built elsewhere (functional, flat input, logits) into the same predictions', async () => {
    const input = tf.input({ shape: [784] });
    const hidden = tf.layers.dense({ units: 12, activation: 'tanh' }).apply(input) as tf.SymbolicTensor;
    const logits = tf.layers.dense({ units: 10 }).apply(hidden) as tf.SymbolicTensor;
    const foreign = tf.model({ inputs: input, outputs: logits });
    const { text, name, data } = await exportFiles(foreign);
    const imported = importFiles(text, name, data);
    expect(imported.layers.map((l) => l.getClassName())).toEqual(['Flatten', 'Dense', 'Dense', 'Activation']);
    expect(maxDifference(foreign, imported, true)).toBeLessThan(1e-6);
    foreign.dispose();
    imported.dispose();
  });
});

describe('readWeightValues', () => {
  it.each(['uint8', 'uint16', 'float16'] as const)('dequantizes %s weights as tfjs does', (dtype) => {
    const count = 6;
    const bytesPer = dtype === 'uint8' ? 1 : 2;
    const raw = new Uint8Array(count * bytesPer).map((_, i) => (i * 37 + 11) % 256);
    if (dtype === 'float16') for (let i = 1; i < raw.length; i += 2) raw[i] = raw[i]! & 0x7b; // keep halves finite
    const quantization = dtype === 'float16' ? { dtype } : { dtype, scale: 0.25, min: -3 };
    const spec = { name: 'd/kernel', shape: [count], dtype: 'float32' as const, quantization };
    const text = JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ['q.bin'], weights: [spec] }] });
    const checked = checkModelFiles(text, [{ name: 'q.bin', byteLength: raw.byteLength }]);
    if (!checked.ok) throw new Error(checked.message);
    const read = readWeightValues(checked.files, new Map([['q.bin', raw.buffer]]), [{ layer: 0, name: 'd/kernel', specName: 's0_dense/kernel', shape: [count] }]);
    if (!read.ok) throw new Error(read.message);
    const want = tf.io.decodeWeights(raw.buffer, [spec as tf.io.WeightsManifestEntry])['d/kernel']!;
    expect(Array.from(read.values.get('s0_dense/kernel')!)).toEqual(Array.from(want.dataSync()));
    want.dispose();
  });

  it('refuses files whose size changed after the check', () => {
    const text = JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ['w.bin'], weights: [{ name: 'a/bias', shape: [2], dtype: 'float32' }] }] });
    const checked = checkModelFiles(text, [{ name: 'w.bin', byteLength: 8 }]);
    if (!checked.ok) throw new Error(checked.message);
    const read = readWeightValues(checked.files, new Map([['w.bin', new ArrayBuffer(4)]]), [{ layer: 0, name: 'a/bias', specName: 's0_dense/bias', shape: [2] }]);
    expect(read).toEqual({ ok: false, message: 'the weight files changed size since they were checked (4 bytes, not 8)' });
  });
});
