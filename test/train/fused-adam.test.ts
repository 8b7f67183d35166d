import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LayerSpec } from '../../src/model/spec';
import { buildModel } from '../../src/train/build-model';
import { registerWasmTrainingKernels } from '../../src/train/kernels/index';
import { fusedAdamStep } from '../../src/train/parallel/fused-adam';

const layers: LayerSpec[] = [
  { kind: 'conv2d', filters: 4, kernelSize: 3, stride: 1, padding: 'valid', activation: 'relu' },
  { kind: 'maxPool2d', poolSize: 2, stride: 2, padding: 'valid' },
  { kind: 'flatten' },
  { kind: 'dense', units: 12, activation: 'relu' },
  { kind: 'dense', units: 10, activation: 'softmax' },
];

/** Pseudo-random gradients shaped like the model's trainable weights, different for each seed. */
function gradientsFor(model: tf.LayersModel, seed: number): tf.Tensor[] {
  return model.trainableWeights.map((w, i) => tf.randomNormal(w.shape as number[], 0, 0.05, 'float32', seed * 100 + i));
}

/** Every weight and every optimizer variable (iterations, first moments, second moments), in order. */
async function stateOf(model: tf.LayersModel, optimizer: tf.Optimizer): Promise<number[][]> {
  const weights = model.weights.map((w) => Array.from(w.read().dataSync()));
  const slots = (await optimizer.getWeights()).map(({ tensor }) => Array.from(tensor.dataSync()));
  return [...weights, ...slots];
}

/** Two identical models with their own Adam optimizers. */
function twins(): [tf.LayersModel, tf.AdamOptimizer, tf.LayersModel, tf.AdamOptimizer] {
  return [buildModel(layers, 7).model, tf.train.adam(0.01), buildModel(layers, 7).model, tf.train.adam(0.01)];
}

describe('fusedAdamStep on wasm', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    registerWasmTrainingKernels();
  });

  it("updates weights and moments exactly as tfjs's Adam does, step after step", async () => {
    const [a, adamA, b, adamB] = twins();
    const input = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 11);
    for (let step = 1; step <= 4; step++) {
      // A forward pass between steps: the backend caches packed weights per tensor, and a step
      // must leave the next pass on the new weights.
      const [pa, pb] = [a.predict(input) as tf.Tensor, b.predict(input) as tf.Tensor];
      expect(Array.from(pb.dataSync())).toEqual(Array.from(pa.dataSync()));
      tf.dispose([pa, pb]);
      const ga = gradientsFor(a, step);
      const gb = gradientsFor(b, step);
      adamA.applyGradients(a.trainableWeights.map((w, i) => ({ name: (w.read() as tf.Variable).name, tensor: ga[i]! })));
      expect(fusedAdamStep(b, adamB, gb, null)).toBe(true);
      tf.dispose([...ga, ...gb]);
    }
    const [sa, sb] = [await stateOf(a, adamA), await stateOf(b, adamB)];
    expect(sb.length).toBe(sa.length);
    expect(sb).toEqual(sa);
    expect(adamB.iterations).toBe(4);
    input.dispose();
    // The moments carry tfjs's names, so checkpoints and Keras exports read them alike.
    const names = (await adamB.getWeights()).map((w) => w.name);
    const variables = b.trainableWeights.map((w) => (w.read() as tf.Variable).name);
    expect(names).toEqual(['iter', ...variables.map((v) => `${v}/m`), ...variables.map((v) => `${v}/v`)]);
    for (const t of [a, b]) t.dispose();
    adamA.dispose();
    adamB.dispose();
  });

  it("adds the peer's flat gradients first (leader + peer), like the tensor path", async () => {
    const [a, adamA, b, adamB] = twins();
    const leader = gradientsFor(a, 1);
    const peerParts = gradientsFor(a, 2);
    const flat = new Float32Array(peerParts.reduce((s, t) => s + t.size, 0));
    let at = 0;
    for (const t of peerParts) {
      flat.set(t.dataSync(), at);
      at += t.size;
    }
    const sums = leader.map((g, i) => g.add(peerParts[i]!));
    adamA.applyGradients(a.trainableWeights.map((w, i) => ({ name: (w.read() as tf.Variable).name, tensor: sums[i]! })));
    expect(fusedAdamStep(b, adamB, leader, flat)).toBe(true);
    expect(await stateOf(b, adamB)).toEqual(await stateOf(a, adamA));
    tf.dispose([...leader, ...peerParts, ...sums]);
    for (const t of [a, b]) t.dispose();
  });

  it('leaves the tensor count flat across steps', () => {
    const model = buildModel(layers, 3).model;
    const adam = tf.train.adam(0.001);
    const step = () => {
      const g = gradientsFor(model, 9);
      expect(fusedAdamStep(model, adam, g, null)).toBe(true);
      tf.dispose(g);
    };
    step(); // creates the moments
    const count = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(count);
    model.dispose();
    adam.dispose();
  });

  it('declines (changing nothing) for other optimizers and for gradients that do not fit', async () => {
    const model = buildModel(layers, 3).model;
    const g = gradientsFor(model, 1);
    const weights = await stateOf(model, tf.train.sgd(0.1));
    expect(fusedAdamStep(model, tf.train.sgd(0.1), g, null)).toBe(false);
    expect(fusedAdamStep(model, tf.train.adam(0.1), g.slice(1), null)).toBe(false);
    expect(fusedAdamStep(model, tf.train.adam(0.1), g, new Float32Array(5))).toBe(false);
    expect(await stateOf(model, tf.train.sgd(0.1))).toEqual(weights);
    tf.dispose(g);
    model.dispose();
  });
});

describe('fusedAdamStep off wasm', () => {
  it('declines on the cpu backend', async () => {
    await tf.setBackend('cpu');
    const model = buildModel(layers, 3).model;
    const g = gradientsFor(model, 1);
    expect(fusedAdamStep(model, tf.train.adam(0.1), g, null)).toBe(false);
    tf.dispose(g);
    model.dispose();
  });
});
