import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeGenerative } from '../../src/model/generative/analyze';
import { GEN_PRESETS, genPresetById } from '../../src/model/generative/presets';
import { parseGenerativeSpec } from '../../src/model/generative/validate';
import { createVae } from '../../src/train/generative/create-vae';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The conv family as tfjs layers: the encoder's image path, and the decoder. */
function tfjsConvNetworks(latent: number, label: number, f: number) {
  const image = tf.input({ shape: [28, 28, 1] });
  const c1 = tf.layers.conv2d({ filters: f, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' });
  const c2 = tf.layers.conv2d({ filters: 2 * f, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' });
  const flat = tf.layers.flatten().apply(c2.apply(c1.apply(image))) as tf.SymbolicTensor;
  const labelIn = tf.input({ shape: [label || 1] });
  const joined = label ? (tf.layers.concatenate().apply([flat, labelIn]) as tf.SymbolicTensor) : flat;
  const mean = tf.layers.dense({ units: latent }).apply(joined) as tf.SymbolicTensor;
  const logVar = tf.layers.dense({ units: latent }).apply(joined) as tf.SymbolicTensor;
  const encoder = tf.model({ inputs: [image, labelIn], outputs: [mean, logVar] });
  const decoder = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [latent + label], units: 49 * f, activation: 'relu' }),
      tf.layers.reshape({ targetShape: [7, 7, f] }),
      tf.layers.conv2dTranspose({ filters: 2 * f, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      tf.layers.conv2dTranspose({ filters: f, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      tf.layers.conv2dTranspose({ filters: 1, kernelSize: 3, strides: 1, padding: 'same' }),
    ],
  });
  // Layers in the ledger's row order (without inputs): conv, conv, flatten(+concat), mean, log-variance.
  const encLayers = [c1, c2, label ? encoder.layers.find((l) => l.getClassName() === 'Concatenate')! : encoder.layers.find((l) => l.getClassName() === 'Flatten')!, ...encoder.layers.filter((l) => l.getClassName() === 'Dense')];
  return { encoder, decoder, encLayers };
}

/** The same encoder and decoder as tfjs functional models, to check shapes and parameters against tfjs itself. */
function tfjsNetworks(inputs: number, latent: number, label: number, hidden: number) {
  const x = tf.input({ shape: [inputs + label] });
  const h = tf.layers.dense({ units: hidden, activation: 'relu' }).apply(x) as tf.SymbolicTensor;
  const mean = tf.layers.dense({ units: latent }).apply(h) as tf.SymbolicTensor;
  const logVar = tf.layers.dense({ units: latent }).apply(h) as tf.SymbolicTensor;
  const encoder = tf.model({ inputs: x, outputs: [mean, logVar] });
  const decoder = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [latent + label], units: hidden, activation: 'relu' }), tf.layers.dense({ units: inputs })],
  });
  return { encoder, decoder };
}

describe('generative presets', () => {
  it('every preset parses and the default exists', () => {
    expect(GEN_PRESETS.map((p) => p.id)).toEqual(['cvae-dense', 'vae-2d', 'cvae-conv']);
    expect(genPresetById('cvae-conv')!.spec.architecture).toBe('conv');
    expect(genPresetById('cvae-dense')!.spec.kind).toBe('cvae');
    expect(genPresetById('vae-2d')!.spec.latentSize).toBe(2);
  });

  for (const preset of GEN_PRESETS) {
    it(`${preset.id}: shapes and parameters match tfjs's compiled models and the trainer's variables`, () => {
      const { spec } = preset;
      const a = analyzeGenerative(spec);
      const label = spec.kind === 'cvae' ? 10 : 0;
      const conv = spec.architecture === 'conv';
      const { encoder, decoder, encLayers } = conv
        ? tfjsConvNetworks(spec.latentSize, label, spec.hiddenSize)
        : { ...tfjsNetworks(784, spec.latentSize, label, spec.hiddenSize), encLayers: [] as tf.layers.Layer[] };
      if (!conv) encLayers.push(...encoder.layers.slice(1)); // without the input layer
      expect(a.encoder.rows.slice(1).map((r) => r.params)).toEqual(encLayers.map((l) => l.countParams()));
      expect(a.encoder.rows.slice(1).map((r) => r.outputShape)).toEqual(encLayers.map((l) => (l.outputShape as number[]).slice(1)));
      expect(a.encoder.rows[0].outputShape).toEqual(conv ? [28, 28, 1] : [784 + label]);
      expect(a.decoder.rows.slice(1).map((r) => r.params)).toEqual(decoder.layers.map((l) => l.countParams()));
      expect(a.decoder.rows.slice(1).map((r) => r.outputShape)).toEqual(decoder.layers.map((l) => (l.outputShape as number[]).slice(1)));
      expect(a.decoder.rows.at(-1)!.outputShape).toEqual(conv ? [28, 28, 1] : [784]);
      expect(a.totalParams).toBe(encoder.countParams() + decoder.countParams());
      const vae = createVae(spec, 1);
      expect(vae.paramCount).toBe(a.totalParams);
      vae.dispose();
      encoder.dispose();
      decoder.dispose();
    });
  }

  it('counts FLOPs as the classifier ledger does (2 per multiply-add, 1 per bias and activation)', () => {
    const a = analyzeGenerative({ kind: 'vae', latentSize: 2, hiddenSize: 3 });
    // hidden: 3 * (2*784 + 1) + 3 relu; stats: 2 * (2*3 + 1) twice; decoder hidden: 3 * (2*2 + 1) + 3; out: 784 * (2*3 + 1).
    expect(a.flopsPerExample).toBe(3 * 1569 + 3 + 2 * 7 * 2 + 3 * 5 + 3 + 784 * 7);
  });
});

describe('parseGenerativeSpec', () => {
  const base = { version: 1, kind: 'cvae', latentSize: 8, hiddenSize: 64 };

  it('fills defaults and copies only known fields', () => {
    const r = parseGenerativeSpec({ ...base, extra: 1 });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.spec.training).toEqual({ learningRate: 0.001, batchSize: 100, epochs: 10, seed: 1 });
      expect('extra' in r.spec).toBe(false);
    }
  });

  it.each([
    [{ ...base, latentSize: 0 }, 'latentSize', 'must be a whole number from 1 to 64, not 0'],
    [{ ...base, latentSize: 65 }, 'latentSize', 'must be a whole number from 1 to 64, not 65 (a larger code only slows training: 8-16 already give sharp digits)'],
    [{ ...base, hiddenSize: '64' }, 'hiddenSize', 'must be a whole number from 8 to 2,048, not "64"'],
    [{ ...base, kind: 'gan' }, 'kind', 'must be one of "cvae", "vae", not "gan"'],
    [{ latentSize: 2 }, 'kind', 'missing; use one of cvae, vae'],
    [{ ...base, version: 2 }, 'version', '2 is not a version this app reads; use 1'],
    [{ ...base, training: { batchSize: 0.5 } }, 'training.batchSize', 'must be a whole number from 1 to 1,024, not 0.5'],
    [{ ...base, training: { learningRate: 0 } }, 'training.learningRate', 'must be a number greater than 0 and at most 1, not 0'],
    [{ ...base, architecture: 'conv', hiddenSize: 128 }, 'hiddenSize', "is the first convolution's filters in a convolutional VAE and must be at most 64, not 128 (wider convolutions are too slow on a CPU); use 16 or 32"],
    [{ ...base, architecture: 'rnn' }, 'architecture', 'must be one of "dense", "conv", not "rnn"'],
    [{ ...base, training: [] }, 'training', 'must be an object such as {"learningRate": 0.001}, not a list'],
  ])('refuses %j at %s', (raw, path, message) => {
    const r = parseGenerativeSpec(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toContainEqual({ path, message });
  });

  it('refuses a non-object without throwing', () => {
    for (const raw of [null, 3, 'x', [], undefined]) expect(parseGenerativeSpec(raw).ok).toBe(false);
  });
});
