import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeGenerative, analyzeNetwork } from '../../src/model/generative/analyze';
import { suggestNetworkFixes } from '../../src/model/generative/fixes';
import { GEN_PRESETS, genPresetById } from '../../src/model/generative/presets';
import { bodyInputShape, type GenerativeSpec } from '../../src/model/generative/spec';
import { parseGenerativeSpec } from '../../src/model/generative/validate';
import type { LayerSpec } from '../../src/model/spec';
import { createVae } from '../../src/train/generative/create-vae';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A tfjs layer for a spec layer, written out here (not through the app's builders) so tfjs itself is the reference. */
function tfLayer(l: LayerSpec, inputShape?: number[]): tf.layers.Layer {
  const first = inputShape ? { inputShape } : {};
  switch (l.kind) {
    case 'dense': return tf.layers.dense({ ...first, units: l.units, activation: l.activation === 'leakyRelu' ? 'linear' : l.activation });
    case 'conv2d': return tf.layers.conv2d({ ...first, filters: l.filters, kernelSize: l.kernelSize, strides: l.stride, padding: l.padding });
    case 'conv2dTranspose': return tf.layers.conv2dTranspose({ ...first, filters: l.filters, kernelSize: l.kernelSize, strides: l.stride, padding: l.padding });
    case 'reshape': return tf.layers.reshape({ ...first, targetShape: [l.height, l.width, l.channels] });
    case 'flatten': return tf.layers.flatten(first);
    case 'upSampling2d': return tf.layers.upSampling2d({ ...first, size: [l.size, l.size] });
    case 'batchNorm': return tf.layers.batchNormalization(first);
    default: throw new Error(`no reference layer for ${l.kind}`);
  }
}

/** A network body compiled by tfjs: its layers' output shapes and parameter counts. */
function tfjsBody(layers: LayerSpec[], input: number[]): { shapes: number[][]; params: number[]; model: tf.Sequential } {
  const model = tf.sequential({ layers: layers.map((l, i) => tfLayer(l, i === 0 ? input : undefined)) });
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  return { model, shapes: model.layers.map((l) => (l.outputShape as number[]).slice(1)), params: model.layers.map((l) => l.countParams()) };
}

const v1 = (architecture: 'dense' | 'conv', hiddenSize: number, kind = 'cvae', latentSize = 2) => ({ version: 1, kind, latentSize, architecture, hiddenSize });

describe('generative presets', () => {
  it('every preset parses as version 2 and the default exists', () => {
    expect(GEN_PRESETS.map((p) => p.id)).toEqual(['cvae-dense', 'vae-2d', 'cvae-conv']);
    expect(GEN_PRESETS.every((p) => p.spec.version === 2)).toBe(true);
    expect(genPresetById('cvae-conv')!.spec.decoder.some((l) => l.kind === 'conv2dTranspose')).toBe(true);
    expect(genPresetById('vae-2d')!.spec.latentSize).toBe(2);
  });

  // The presets are the version-1 networks they replaced, layer for layer.
  it.each([
    ['cvae-dense', v1('dense', 256)],
    ['vae-2d', v1('dense', 512, 'vae')],
    ['cvae-conv', v1('conv', 16)],
  ])('%s builds the same networks as its version-1 form', (id, old) => {
    const parsed = parseGenerativeSpec(old);
    expect(parsed.ok).toBe(true);
    const preset = genPresetById(id)!.spec;
    if (!parsed.ok) return;
    expect({ input: parsed.spec.encoderInput, enc: parsed.spec.encoder, dec: parsed.spec.decoder }).toEqual({ input: preset.encoderInput, enc: preset.encoder, dec: preset.decoder });
    expect(analyzeGenerative(parsed.spec).totalParams).toBe(analyzeGenerative(preset).totalParams);
  });

  for (const preset of GEN_PRESETS) {
    it(`${preset.id}: every row's shape and parameters equal tfjs's compiled models, and the trainer's VAE`, () => {
      const { spec } = preset;
      const a = analyzeGenerative(spec);
      expect(a.valid).toBe(true);
      for (const network of ['encoder', 'decoder'] as const) {
        const ref = tfjsBody(spec[network], bodyInputShape(spec, network));
        const body = a[network].body;
        expect(body.layers.map((la) => la.outputShape)).toEqual(ref.shapes);
        expect(body.layers.map((la) => la.params)).toEqual(ref.params);
        ref.model.dispose();
      }
      // The fixed mean/log-variance head: a Dense 2z on the flattened body output (+ label).
      const stats = a.encoder.head.at(-1)!;
      const inputs = a.encoder.head.length > 1 ? a.encoder.head.at(-2)!.outputShape[0]! : a.encoder.body.layers.at(-1)!.outputShape![0]!;
      const head = tfjsBody([{ kind: 'dense', units: 2 * spec.latentSize, activation: 'linear' }], [inputs]);
      expect([stats.outputShape, stats.params]).toEqual([head.shapes[0], head.params[0]]);
      head.model.dispose();
      expect(a.decoder.body.layers.at(-1)!.outputShape!.reduce((x, y) => x * y, 1)).toBe(784);
      const vae = createVae(spec, 1);
      expect(vae.paramCount).toBe(a.totalParams);
      expect(vae.variables.reduce((s, v) => s + v.size, 0)).toBe(a.totalParams);
      vae.dispose();
    });
  }

  it('counts FLOPs as the classifier ledger does (2 per multiply-add, 1 per bias and activation)', () => {
    const parsed = parseGenerativeSpec(v1('dense', 3, 'vae'));
    expect(parsed.ok).toBe(false); // hidden size 3 is below version 1's bound of 8
    const spec: GenerativeSpec = { ...genPresetById('vae-2d')!.spec, encoder: [{ kind: 'dense', units: 3, activation: 'relu' }], decoder: [{ kind: 'dense', units: 3, activation: 'relu' }, { kind: 'dense', units: 784, activation: 'linear' }] };
    // hidden: 3 * (2*784 + 1) + 3 relu; stats: 4 * (2*3 + 1); decoder hidden: 3 * (2*2 + 1) + 3; out: 784 * (2*3 + 1).
    expect(analyzeGenerative(spec).flopsPerExample).toBe(3 * 1569 + 3 + 4 * 7 + 3 * 5 + 3 + 784 * 7);
  });
});

describe('generative network errors and fixes', () => {
  const conv = genPresetById('cvae-conv')!.spec;

  it('a decoder that ends short of 784 values says so, and its fix makes it valid', () => {
    const spec: GenerativeSpec = { ...conv, decoder: conv.decoder.slice(0, 3) };
    const a = analyzeGenerative(spec);
    expect(a.valid).toBe(false);
    expect(a.errors).toEqual([{
      path: 'decoder[2]',
      message: 'the decoder must end with 784 values (the 28x28 pixel logits), but it ends with 14x14x32; add a Conv2DTranspose 1 3x3 stride 2 same, or Flatten and a Dense 784',
    }]);
    const fixes = suggestNetworkFixes(spec, 'decoder');
    expect(fixes.map((f) => f.label)).toEqual(['add Conv2DTranspose 1 3x3 stride 2 same', 'add Flatten and Dense 784']);
    for (const fix of fixes) expect(analyzeGenerative({ ...spec, decoder: fix.layers }).valid).toBe(true);
    const parsed = parseGenerativeSpec(spec);
    expect(parsed.ok || parsed.errors).toEqual(a.errors);
  });

  it('a sigmoid at the end is refused (the loss wants logits) with a one-click fix', () => {
    const decoder = conv.decoder.map((l, i) => (i === conv.decoder.length - 1 ? { ...l, activation: 'sigmoid' } : l)) as LayerSpec[];
    const spec = { ...conv, decoder };
    expect(analyzeGenerative(spec).errors[0]!.path).toBe('decoder[4].activation');
    const [fix] = suggestNetworkFixes(spec, 'decoder');
    expect(fix!.label).toBe('use a linear activation');
    expect(analyzeGenerative({ ...spec, decoder: fix!.layers }).valid).toBe(true);
  });

  it('a layer that does not suit a flat input gets the classifier\'s fixes, on the body\'s own indices', () => {
    const dense = genPresetById('cvae-dense')!.spec;
    const decoder: LayerSpec[] = [dense.decoder[0]!, { kind: 'conv2dTranspose', filters: 1, kernelSize: 3, stride: 1, padding: 'same', activation: 'linear' }];
    const spec = { ...dense, decoder };
    const network = analyzeNetwork(spec, 'decoder');
    expect(network.body.errors[0]!.path).toBe('layers[1]');
    expect(network.head).toEqual([]);
    const fixes = suggestNetworkFixes(spec, 'decoder', network);
    expect(fixes[0]).toMatchObject({ id: 'insert-reshape@1', label: 'insert Reshape 16x16x1 before this layer', layerIndex: 1 });
    expect(fixes[0]!.layers.map((l) => l.kind)).toEqual(['dense', 'reshape', 'conv2dTranspose']);
  });

  it('a conv layer on the flat encoder input is blamed with a path inside the encoder', () => {
    const dense = genPresetById('cvae-dense')!.spec;
    const r = parseGenerativeSpec({ ...dense, encoder: [{ kind: 'conv2d' }] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.path).toBe('encoder[0]');
  });

  it('applies the classifier\'s limits: a huge network is refused on parameters', () => {
    const spec = { ...conv, decoder: [{ kind: 'dense', units: 4096, activation: 'relu' }, { kind: 'dense', units: 4096, activation: 'relu' }, { kind: 'dense', units: 784, activation: 'linear' }] };
    const r = parseGenerativeSpec(spec);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toContainEqual(expect.objectContaining({ path: 'decoder', message: expect.stringMatching(/^the network has 20,[\d,]+ parameters, more than the 5,000,000/) }));
  });
});

describe('parseGenerativeSpec', () => {
  const base = { version: 2, kind: 'cvae', latentSize: 8, encoderInput: 'flat', encoder: [{ kind: 'dense', units: 64 }], decoder: [{ kind: 'dense', units: 784, activation: 'linear' }] };

  it('fills defaults (layer fields included) and copies only known fields', () => {
    const r = parseGenerativeSpec({ ...base, extra: 1, encoder: [{ kind: 'dense', units: 64, bogus: 1 }] });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.spec.training).toEqual({ learningRate: 0.001, batchSize: 100, epochs: 10, seed: 1 });
      expect('extra' in r.spec).toBe(false);
      expect(r.spec.encoder).toEqual([{ kind: 'dense', units: 64, activation: 'relu' }]);
    }
  });

  it('converts a version-1 document (and an unversioned one) into layer lists', () => {
    const r = parseGenerativeSpec({ kind: 'vae', latentSize: 4, architecture: 'dense', hiddenSize: 32 });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.spec.version).toBe(2);
      expect(r.spec.encoderInput).toBe('flat');
      expect(r.spec.decoder).toEqual([{ kind: 'dense', units: 32, activation: 'relu' }, { kind: 'dense', units: 784, activation: 'linear' }]);
    }
  });

  it.each([
    [{ ...base, latentSize: 0 }, 'latentSize', 'must be a whole number from 1 to 64, not 0'],
    [{ ...base, latentSize: 65 }, 'latentSize', 'must be a whole number from 1 to 64, not 65 (a larger code only slows training: 8-16 already give sharp digits)'],
    [{ ...base, kind: 'gan' }, 'kind', 'must be one of "cvae", "vae", not "gan"'],
    [{ latentSize: 2, decoder: [] }, 'kind', 'missing; use one of cvae, vae'],
    [{ ...base, version: 3 }, 'version', '3 means this model was made by a newer version of CNN Playground, which this page cannot read; reload the page to update'],
    [{ ...base, version: 'x' }, 'version', '"x" is not a version this app reads; use 2 (or 1 for the older format)'],
    [{ ...base, encoderInput: 'pixels' }, 'encoderInput', 'must be one of "image", "flat", not "pixels"'],
    [{ ...base, decoder: 'dense' }, 'decoder', 'must be a list of layers, not "dense"'],
    [{ ...base, encoder: undefined }, 'encoder', "missing; add the encoder's layers as a list (it may be empty)"],
    [{ ...base, decoder: [{ kind: 'lstm' }] }, 'decoder[0].kind', '"lstm" is not a layer kind; use one of conv2d, maxPool2d, avgPool2d, dense, flatten, dropout, batchNorm, activation, globalAvgPool2d, reshape, upSampling2d, conv2dTranspose'],
    [{ ...base, decoder: [{ kind: 'dense', units: 0 }] }, 'decoder[0].units', 'must be a whole number from 1 to 4,096, not 0'],
    [{ ...base, decoder: [{ kind: 'dense', units: 100 }] }, 'decoder[0]', 'the decoder must end with 784 values (the 28x28 pixel logits), but it ends with 100 values; set the last Dense to 784 units'],
    [{ ...base, decoder: [] }, 'decoder', 'the decoder must end with 784 values (the 28x28 pixel logits), but it ends with 18 values; add a Dense 784 at the end'],
    [{ ...base, training: { batchSize: 0.5 } }, 'training.batchSize', 'must be a whole number from 1 to 1,024, not 0.5'],
    [{ ...base, training: { learningRate: 0 } }, 'training.learningRate', 'must be a number greater than 0 and at most 1, not 0'],
    [{ ...base, training: [] }, 'training', 'must be an object such as {"learningRate": 0.001}, not a list'],
    [{ ...v1('conv', 128) }, 'hiddenSize', "is the first convolution's filters in a convolutional VAE and must be at most 64, not 128 (wider convolutions are too slow on a CPU); use 16 or 32"],
    [{ ...v1('dense', 64), hiddenSize: '64' }, 'hiddenSize', 'must be a whole number from 8 to 2,048, not "64"'],
    [{ ...v1('dense', 64), architecture: 'rnn' }, 'architecture', 'must be one of "dense", "conv", not "rnn"'],
  ])('refuses %j at %s', (raw, path, message) => {
    const r = parseGenerativeSpec(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toContainEqual({ path, message });
  });

  it('refuses a non-object or a huge list without throwing', () => {
    for (const raw of [null, 3, 'x', [], undefined]) expect(parseGenerativeSpec(raw).ok).toBe(false);
    const r = parseGenerativeSpec({ ...base, decoder: new Array(1e6).fill({ kind: 'flatten' }) });
    expect(!r.ok && r.errors[0]!.message).toMatch(/^has 1,000,000 layers, more than the 40/);
  });
});
