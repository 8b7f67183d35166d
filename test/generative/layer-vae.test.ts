import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { genPresetById } from '../../src/model/generative/presets';
import type { GenerativeSpec } from '../../src/model/generative/spec';
import { registerWasmTrainingKernels } from '../../src/train/kernels/index';
import { createVae } from '../../src/train/generative/create-vae';

beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
});

/** A fixed batch of blurry random "digits" and labels. */
function batch(n: number): { x: tf.Tensor2D; y: tf.Tensor2D } {
  return tf.tidy(() => ({
    x: tf.randomUniform([n, 784], 0, 1, 'float32', 5).greater(0.7).toFloat() as tf.Tensor2D,
    y: tf.oneHot(tf.tensor1d(Array.from({ length: n }, (_, i) => i % 10), 'int32'), 10).toFloat() as tf.Tensor2D,
  }));
}

describe('the layer-built VAE on wasm', () => {
  it('trains the convolutional preset (transposed convolutions) with every variable getting a gradient and a flat tensor count', async () => {
    const spec = genPresetById('cvae-conv')!.spec;
    const vae = createVae(spec, 1);
    const { x, y } = batch(8);
    const grads = tf.variableGrads(() => { const t = vae.terms(x, y, 1); return t.reconstruction.add(t.kl) as tf.Scalar; }, vae.variables);
    const norms = vae.variables.map((v) => tf.tidy(() => grads.grads[v.name]!.square().sum().dataSync()[0]!));
    expect(norms.every((n) => Number.isFinite(n) && n > 0)).toBe(true);
    tf.dispose([grads.value, ...Object.values(grads.grads)]);
    const optimizer = tf.train.adam(spec.training.learningRate);
    const losses: number[] = [];
    const counts: number[] = [];
    for (let step = 0; step < 6; step++) {
      const loss = optimizer.minimize(() => { const t = vae.terms(x, y, 7); return t.reconstruction.add(t.kl) as tf.Scalar; }, true, vae.variables)!;
      losses.push((await loss.data())[0]!);
      loss.dispose();
      counts.push(tf.memory().numTensors);
    }
    // Same batch and noise every step: Adam must bring the loss down.
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
    expect(new Set(counts.slice(1)).size).toBe(1);
    optimizer.dispose();
    tf.dispose([x, y]);
    vae.dispose();
  });

  it('runs dropout only in the training loss, and keeps batch-norm statistics in the exported decoder', () => {
    const base = genPresetById('cvae-dense')!.spec;
    const spec: GenerativeSpec = {
      ...base,
      decoder: [{ kind: 'dense', units: 64, activation: 'relu' }, { kind: 'batchNorm' }, { kind: 'dropout', rate: 0.5 }, { kind: 'dense', units: 784, activation: 'linear' }],
    };
    const before = tf.memory().numTensors;
    const vae = createVae(spec, 2);
    const { x, y } = batch(4);
    const z = tf.tidy(() => vae.encode(x, y).mean);
    const twice = tf.tidy(() => [vae.decodeLogits(z, y), vae.decodeLogits(z, y)].map((t) => Array.from(t.dataSync())));
    // Inference mode: no dropout, so decoding is deterministic.
    expect(twice[0]).toEqual(twice[1]);
    // The training loss drops units and uses the batch's statistics; the held-out loss does neither.
    const losses = tf.tidy(() => [vae.terms(x, y, 1, true), vae.terms(x, y, 1, false), vae.terms(x, y, 1, false)].map((t) => t.reconstruction.dataSync()[0]));
    expect(losses[0]).not.toBe(losses[1]);
    expect(losses[1]).toBe(losses[2]);
    const exported = vae.exportDecoder();
    const fromExport = tf.tidy(() => Array.from((exported.predict(tf.concat([z, y], 1)) as tf.Tensor).dataSync()));
    const live = tf.tidy(() => Array.from(vae.decode(z, y).dataSync()));
    expect(fromExport).toEqual(live.map((v) => expect.closeTo(v, 5)));
    exported.dispose();
    tf.dispose([x, y, z]);
    vae.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
