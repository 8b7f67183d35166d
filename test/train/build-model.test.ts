import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../../src/train/build-model';
import { analyze } from '../../src/model/shapes';
import { parseSpec } from '../../src/model/validate';
import { PRESETS, getPreset } from '../../src/model/presets';
import { LAYER_KINDS } from '../../src/model/layers';
import type { LayerSpec } from '../../src/model/spec';
import { generators, makeRandom } from '../model/export/random-specs';

type Json = Record<string, unknown>;

/**
 * A random stack: sometimes a Reshape of the input, image layers, Flatten or GlobalAvgPool, flat
 * layers, sometimes a decoder block (Dense -> Reshape -> image layers -> Flatten), a 10-way softmax.
 */
function randomStack(rand: () => number): Json[] {
  const g = generators(rand);
  const first = rand() < 0.2 ? [g.inputReshape()] : [];
  const images = Array.from({ length: g.int(0, 4) }, g.image);
  const bridge = { kind: g.pick(['flatten', 'flatten', 'globalAvgPool2d']) };
  const flats = Array.from({ length: g.int(0, 2) }, g.flat);
  const decoder = rand() < 0.3 ? g.decoder() : [];
  return [...first, ...images, bridge, ...flats, ...decoder, ...g.end()];
}

/** Random stacks that parseSpec accepts. */
function randomValidSpecs(count: number, seed: number): LayerSpec[][] {
  const rand = makeRandom(seed);
  const specs: LayerSpec[][] = [];
  for (let tries = 0; specs.length < count && tries < count * 20; tries++) {
    const result = parseSpec({ version: 1, layers: randomStack(rand) });
    if (result.ok) specs.push(result.spec.layers);
  }
  return specs;
}

const sizeOf = (weights: tf.LayerVariable[]): number => weights.reduce((n, w) => n + w.read().size, 0);

/** Builds `layers` in tfjs and checks each spec layer's shape and parameters against analyze(). */
function crossCheck(layers: LayerSpec[], runForward: boolean): void {
  const analysis = analyze(layers);
  expect(analysis.valid).toBe(true);
  const { model, outputLayerNames } = buildModel(layers, 1);
  try {
    expect(outputLayerNames).toHaveLength(layers.length);
    const byIndex = new Map<number, tf.layers.Layer[]>();
    for (const layer of model.layers) {
      const index = Number(/^s(\d+)_/.exec(layer.name)![1]);
      byIndex.set(index, [...(byIndex.get(index) ?? []), layer]);
    }
    analysis.layers.forEach((la, i) => {
      const shape = model.getLayer(outputLayerNames[i]!).outputShape as (number | null)[];
      const own = byIndex.get(i) ?? [];
      const got = [shape.slice(1), own.reduce((n, l) => n + l.countParams(), 0), sizeOf(own.flatMap((l) => l.trainableWeights))];
      expect(got, `layer ${i} of ${JSON.stringify(layers)}`).toEqual([la.outputShape, la.params, la.trainableParams]);
    });
    expect(model.countParams()).toBe(analysis.totalParams);
    if (runForward) {
      tf.tidy(() => {
        const out = model.predict(tf.zeros([2, 28, 28, 1])) as tf.Tensor;
        expect(out.shape).toEqual([2, 10]);
      });
    }
  } finally {
    model.dispose();
  }
}

describe('buildModel matches analyze()', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(PRESETS.map((p) => [p.id, p.spec.layers] as const))('preset %s', (_id, layers) => {
    crossCheck(layers, true);
  });

  it('300 random valid specs', () => {
    const specs = randomValidSpecs(300, 20240601);
    expect(specs).toHaveLength(300);
    const kinds = new Set(specs.flat().map((l) => l.kind));
    expect([...kinds].sort()).toEqual([...LAYER_KINDS].sort());
    const count = (kind: string): number => specs.filter((s) => s.some((l) => l.kind === kind)).length;
    console.info(`specs with reshape ${count('reshape')}, upSampling2d ${count('upSampling2d')}, conv2dTranspose ${count('conv2dTranspose')}`);
    const before = tf.memory().numTensors;
    // A forward pass on every 10th spec checks that real tensors have the inferred shapes too.
    specs.forEach((layers, i) => crossCheck(layers, i % 10 === 0));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('maps a leakyRelu Conv2D to a linear Conv2D plus a LeakyReLU layer', () => {
    const layers = parseSpec({ version: 1, layers: [{ kind: 'conv2d', activation: 'leakyRelu' }, { kind: 'flatten' }, { kind: 'dense', units: 10, activation: 'softmax' }] });
    if (!layers.ok) throw new Error('expected ok');
    const { model, outputLayerNames } = buildModel(layers.spec.layers, 1);
    expect(model.layers.map((l) => l.name)).toEqual(['s0_conv2d', 's0_conv2d_leaky', 's1_flatten', 's2_dense']);
    expect(outputLayerNames).toEqual(['s0_conv2d_leaky', 's1_flatten', 's2_dense']);
    expect(model.getLayer('s0_conv2d').getConfig().activation).toBe('linear');
    model.dispose();
  });
});

describe('buildModel seeding', () => {
  const firstKernel = (seed: number): Float32Array => {
    const { model } = buildModel(getPreset('seed-cnn')!.layers, seed);
    const data = model.getWeights().map((w) => w.dataSync() as Float32Array);
    model.dispose();
    return Float32Array.from(data.flatMap((d) => Array.from(d)));
  };

  it('gives the same initial weights for the same seed and different ones for another', () => {
    const a = firstKernel(7);
    expect(firstKernel(7)).toEqual(a);
    expect(firstKernel(8)).not.toEqual(a);
  });
});
