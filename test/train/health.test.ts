import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LayerSpec } from '../../src/model/spec';
import { buildModel } from '../../src/train/build-model';
import { healthBatch, isRelu, layerHealth, quantile, QUANTILE_SAMPLE } from '../../src/train/health';
import { ModelInside } from '../../src/train/probe';

// The conv sees the whole image (28x28 kernel), so each example gives one value per channel.
const layers: LayerSpec[] = [
  { kind: 'conv2d', filters: 4, kernelSize: 28, stride: 1, padding: 'valid', activation: 'relu' },
  { kind: 'flatten' },
  { kind: 'dense', units: 10, activation: 'softmax' },
];

/** A model whose conv has a zero kernel, so every output is relu(bias) whatever the image. */
function constructed(bias: number[]): ModelInside {
  const built = buildModel(layers, 1);
  const conv = built.model.getLayer('s0_conv2d');
  conv.setWeights([tf.zeros([28, 28, 1, 4]), tf.tensor1d(bias)].map((t) => tf.keep(t)));
  return new ModelInside(built.model, built.outputLayerNames, layers);
}

function batch(n: number) {
  const images = new Uint8Array(n * 784).map((_, i) => (i * 37) % 256);
  const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
  return healthBatch(images, labels, Array.from({ length: n }, (_, i) => i));
}

describe('layer health', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('computes dead fractions, percentiles and norms exactly on a constructed model', async () => {
    const inside = constructed([-1, -0.5, 2, 3]);
    const [conv, flatten, dense] = await layerHealth(inside, batch(8));
    // Channels with a negative bias output 0 for every example: two of four are dead.
    expect(conv!.deadFraction).toBe(0.5);
    // 8 examples x [0, 0, 2, 3]: 16 zeros, 8 twos, 8 threes.
    expect(conv!.quantiles).toEqual([0, 0, 1, 2.25, 3]);
    expect(conv!.weightNorm).toBeCloseTo(Math.sqrt(1 + 0.25 + 4 + 9), 5);
    expect(conv!.gradNorm).toBeGreaterThan(0);
    expect(flatten).toMatchObject({ index: 1, deadFraction: null, weightNorm: null, gradNorm: null, quantiles: conv!.quantiles });
    const [kernel, bias] = inside.weightLayer(2).getWeights();
    const expected = Math.sqrt(tf.sum(tf.square(kernel!)).dataSync()[0]! + tf.sum(tf.square(bias!)).dataSync()[0]!);
    expect(dense!.weightNorm).toBeCloseTo(expected, 4);
    expect(dense!.deadFraction).toBeNull();
    expect(dense!.quantiles.every((q) => q >= 0 && q <= 1)).toBe(true);
  });

  it('a ReLU conv with a zero kernel and negative bias is all dead and gets no gradient', async () => {
    const [conv] = await layerHealth(constructed([-1, -1, -2, -0.1]), batch(4));
    expect(conv!.deadFraction).toBe(1);
    expect(conv!.gradNorm).toBe(0);
    expect(conv!.quantiles).toEqual([0, 0, 0, 0, 0]);
  });

  it('samples large outputs for percentiles but keeps the dead fraction exact, leaving no tensors', async () => {
    const big: LayerSpec[] = [
      { kind: 'conv2d', filters: 8, kernelSize: 3, stride: 1, padding: 'same', activation: 'relu' },
      { kind: 'activation', activation: 'relu' },
      { kind: 'globalAvgPool2d' },
      { kind: 'dense', units: 10, activation: 'softmax' },
    ];
    const built = buildModel(big, 2);
    const conv = built.model.getLayer('s0_conv2d');
    const [k, b] = conv.getWeights();
    // Channels 0-2 dead: zero kernel, negative bias; the rest keep their random kernel.
    const mask = tf.tensor1d([0, 0, 0, 1, 1, 1, 1, 1]);
    conv.setWeights([tf.mul(k!, mask), tf.tensor1d([-1, -1, -1, 0.1, 0.1, 0.1, 0.1, 0.1])]);
    const inside = new ModelInside(built.model, built.outputLayerNames, big);
    const input = batch(16);
    expect(16 * 28 * 28 * 8).toBeGreaterThan(QUANTILE_SAMPLE);
    await layerHealth(inside, input);
    const before = tf.memory().numTensors;
    const health = await layerHealth(inside, input);
    expect(tf.memory().numTensors).toBe(before);
    expect(health.map((h) => h.deadFraction)).toEqual([3 / 8, 3 / 8, null, null]);
    const q = health[0]!.quantiles;
    expect([...q].sort((a, c) => a - c)).toEqual(q);
    expect(q[0]).toBe(0);
    expect(health[1]!.weightNorm).toBeNull();
    expect(health[3]!.gradNorm).toBeGreaterThan(0);
  });

  it('knows which layers pass through a ReLU', () => {
    expect(layers.map(isRelu)).toEqual([true, false, false]);
    expect(isRelu({ kind: 'activation', activation: 'relu' })).toBe(true);
    expect(isRelu({ kind: 'dense', units: 3, activation: 'leakyRelu' })).toBe(false);
    expect(isRelu({ kind: 'conv2dTranspose', filters: 4, kernelSize: 3, stride: 2, padding: 'same', activation: 'relu' })).toBe(true);
  });

  it('interpolates quantiles linearly', () => {
    expect(quantile([0, 10], 0.25)).toBe(2.5);
    expect(quantile([5], 0.9)).toBe(5);
    expect(quantile([], 0.5)).toBeNaN();
  });
});
