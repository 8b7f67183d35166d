import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeGan, estimatedCpuMinutesPerEpoch, ganTrainingFlopsPerExample, type GanSpec } from '../../src/model/generative/gan-spec';
import { parseGanSpec, parseGenModelSpec } from '../../src/model/generative/gan-validate';
import { suggestGanNetworkFixes } from '../../src/model/generative/fixes';
import { GAN_PRESETS, GEN_MENU, genMenuPresetById } from '../../src/model/generative/presets';
import { parseGenerativeSpec } from '../../src/model/generative/validate';
import type { LayerSpec } from '../../src/model/spec';
import { createGan } from '../../src/train/generative/gan-model';
import { exportGeneratorFiles } from '../../src/train/generative/gen-export';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const raw = JSON.parse(readFileSync('presets/generative/cgan-dcgan.json', 'utf8'));
const preset = (): GanSpec => {
  const r = parseGanSpec(raw);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.spec;
};

/** tfjs's own layer for a spec layer (activations left out: they change neither shapes nor parameters). */
function tfLayer(l: LayerSpec, inputShape?: number[]): tf.layers.Layer {
  const first = inputShape ? { inputShape } : {};
  switch (l.kind) {
    case 'dense': return tf.layers.dense({ ...first, units: l.units });
    case 'conv2d': return tf.layers.conv2d({ ...first, filters: l.filters, kernelSize: l.kernelSize, strides: l.stride, padding: l.padding });
    case 'conv2dTranspose': return tf.layers.conv2dTranspose({ ...first, filters: l.filters, kernelSize: l.kernelSize, strides: l.stride, padding: l.padding });
    case 'reshape': return tf.layers.reshape({ ...first, targetShape: [l.height, l.width, l.channels] });
    case 'batchNorm': return tf.layers.batchNormalization(first);
    case 'dropout': return tf.layers.dropout({ ...first, rate: l.rate });
    default: throw new Error(`no reference layer for ${l.kind}`);
  }
}

describe('conditional DCGAN spec', () => {
  it('the preset parses, is marked slow, and says how long it takes from its FLOPs', () => {
    const spec = preset();
    expect(spec.slow).toBe(true);
    const a = analyzeGan(spec);
    expect(a.valid).toBe(true);
    // The description's figure comes from this count (about 26 MFLOPs per real example).
    expect(Math.round(ganTrainingFlopsPerExample(a) / 1e6)).toBe(26);
    expect(spec.description).toMatch(/about 26 MFLOPs per real example/);
    expect(spec.description).toMatch(/7 minutes per epoch/);
  });

  for (const network of ['generator', 'discriminator'] as const) {
    it(`${network}: every row's shape and parameters equal tfjs's compiled model`, () => {
      const spec = preset();
      const input = network === 'generator' ? [spec.latentSize + 10] : [28, 28, 1];
      const model = tf.sequential({ layers: spec[network].map((l, i) => tfLayer(l, i === 0 ? input : undefined)) });
      const body = analyzeGan(spec)[network].body;
      expect(body.layers.map((la) => la.outputShape)).toEqual(model.layers.map((l) => (l.outputShape as number[]).slice(1)));
      expect(body.layers.map((la) => la.params)).toEqual(model.layers.map((l) => l.countParams()));
      model.dispose();
    });
  }

  it('refuses a generator that does not end in 784 squashed values, with the fix in words', () => {
    const spec = preset();
    const r = parseGanSpec({ ...raw, generator: spec.generator.slice(0, -1) });
    expect(!r.ok && r.errors[0]).toEqual({ path: 'generator[4]', message: 'the generator must end with 784 values (a 28x28 image), but it ends with 14x14x32; end it with a Conv2DTranspose 1 or a Dense 784 with tanh' });
    const last = { ...spec.generator.at(-1)!, activation: 'linear' } as LayerSpec;
    const linear = parseGanSpec({ ...raw, generator: [...spec.generator.slice(0, -1), last] });
    expect(!linear.ok && linear.errors[0]!.path).toBe('generator[5].activation');
  });

  it('parses through the Generations gate for both kinds; the VAE-only reader says what a cgan is', () => {
    const r = parseGenModelSpec(raw);
    expect(r.ok && r.spec).toEqual(preset());
    const vae = parseGenModelSpec(JSON.parse(readFileSync('presets/generative/cvae-dense.json', 'utf8')));
    expect(vae.ok && vae.spec.kind).toBe('cvae');
    const only = parseGenerativeSpec(raw);
    expect(!only.ok && only.errors).toEqual([{ path: 'kind', message: expect.stringMatching(/^"cgan" is a conditional GAN, which has a generator and a discriminator/) }]);
    // A batch whose layer outputs outgrow a tab is refused with the largest batch that fits.
    const big = parseGenModelSpec({ ...raw, discriminator: [{ kind: 'conv2d', filters: 256, kernelSize: 3, stride: 1, padding: 'same', activation: 'relu' }, ...raw.discriminator], training: { ...raw.training, batchSize: 1024 } });
    expect(!big.ok && big.errors[0]).toMatchObject({ path: 'training.batchSize', message: expect.stringMatching(/^a batch of 1024 needs .* use a batch size of at most \d+$/) });
  });

  it('is in the Generations menu after the VAEs, and its estimated minutes per epoch match its description', () => {
    expect(GEN_MENU.map((p) => p.id)).toEqual(['cvae-dense', 'vae-2d', 'cvae-conv', 'cgan-dcgan']);
    expect(genMenuPresetById('cgan-dcgan')!.spec).toBe(GAN_PRESETS[0]!.spec);
    const minutes = estimatedCpuMinutesPerEpoch(analyzeGan(preset()));
    expect(spec_minutes()).toBe(Math.round(minutes));
  });

  it('offers one-click fixes for a generator that cannot draw pixels and for a layer that does not fit', () => {
    const spec = preset();
    const linear = { ...spec, generator: spec.generator.map((l, i) => (i === 5 ? { ...l, activation: 'linear' } : l)) as LayerSpec[] };
    const fixes = suggestGanNetworkFixes(linear, 'generator');
    expect(fixes.map((f) => f.id)).toEqual(['tanh@5']);
    expect(analyzeGan({ ...linear, generator: fixes[0]!.layers }).valid).toBe(true);
    const cut = { ...spec, generator: spec.generator.slice(0, 4) };
    const ends = suggestGanNetworkFixes(cut, 'generator');
    expect(ends.map((f) => f.id)).toContain('append-conv-t');
    for (const f of ends) expect(analyzeGan({ ...cut, generator: f.layers }).generator.body.valid).toBe(true);
    // A convolution whose window outgrows a shrunken discriminator input gets the classifier's own fix.
    const tiny = { ...spec, discriminator: [...spec.discriminator, { kind: 'conv2d', filters: 8, kernelSize: 9, stride: 1, padding: 'valid', activation: 'relu' }] as LayerSpec[] };
    expect(analyzeGan(tiny).valid).toBe(false);
    const d = suggestGanNetworkFixes(tiny, 'discriminator');
    expect(d.length).toBeGreaterThan(0);
    expect(d.some((f) => analyzeGan({ ...tiny, discriminator: f.layers }).valid)).toBe(true);
    expect(suggestGanNetworkFixes(spec, 'generator')).toEqual([]);
    expect(suggestGanNetworkFixes(spec, 'discriminator')).toEqual([]);
  });
});

/** The minutes per epoch the preset's description promises. */
function spec_minutes(): number {
  return Number(/(\d+) minutes per epoch/.exec(raw.description)![1]);
}

describe('createGan', () => {
  it('generates pixels in [0, 1], discriminates to one logit, trains both sides, exports the generator, and frees everything', () => {
    const spec = preset();
    const before = tf.memory().numTensors;
    const gan = createGan(spec, 1);
    const a = analyzeGan(spec);
    const count = (vs: tf.Variable[]) => vs.reduce((s, v) => s + v.size, 0);
    expect(count(gan.generatorVariables)).toBe(a.generator.body.trainableParams);
    expect(count(gan.discriminatorVariables)).toBe(a.discriminator.body.trainableParams);
    const z = tf.randomNormal([4, spec.latentSize], 0, 1, 'float32', 3) as tf.Tensor2D;
    const labels = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 3], 'int32'), 10).toFloat() as tf.Tensor2D);
    const images = gan.generate(z, labels, false);
    expect(images.shape).toEqual([4, 784]);
    const pixels = images.dataSync();
    expect(Math.min(...pixels)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...pixels)).toBeLessThanOrEqual(1);
    const logits = gan.discriminate(images, labels, true);
    expect(logits.shape).toEqual([4, 1]);
    // The generator's loss reaches every generator variable through the discriminator.
    const { value, grads } = tf.variableGrads(() => gan.discriminate(gan.generate(z, labels, true), labels, true).mean() as tf.Scalar, gan.generatorVariables);
    expect(Object.keys(grads)).toHaveLength(gan.generatorVariables.length);
    expect(Object.values(grads).some((g) => tf.tidy(() => tf.abs(g).sum().dataSync()[0]!) > 0)).toBe(true);
    // Training mode moved the batch-norm statistics, so compare with the generator as it is now.
    const now = gan.generate(z, labels, false);
    const exported = gan.exportGenerator();
    const fromExport = tf.tidy(() => (exported.predict(tf.concat([z, labels], 1)) as tf.Tensor).reshape([4, 784]));
    expect(Array.from(fromExport.dataSync())).toEqual(Array.from(now.dataSync()).map((p) => expect.closeTo(p, 5)));
    tf.dispose([value, ...Object.values(grads), images, logits, fromExport, now, z, labels]);
    exported.dispose();
    gan.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('draws fresh dropout masks at every training pass (the preset discriminator has dropout), none in inference', () => {
    const spec = preset();
    expect(spec.discriminator.some((l) => l.kind === 'dropout')).toBe(true);
    const gan = createGan(spec, 4);
    const x = tf.randomUniform([2, 784], 0, 1, 'float32', 9) as tf.Tensor2D;
    const labels = tf.tidy(() => tf.oneHot(tf.tensor1d([1, 2], 'int32'), 10).toFloat() as tf.Tensor2D);
    const pass = (training: boolean) => {
      const t = gan.discriminate(x, labels, training);
      const v = Array.from(t.dataSync());
      t.dispose();
      return v;
    };
    expect(pass(true)).not.toEqual(pass(true));
    expect(pass(false)).toEqual(pass(false));
    tf.dispose([x, labels]);
    gan.dispose();
  });

  it('exports the generator as the two tfjs files, which load back and draw the same digits', async () => {
    const spec = preset();
    const gan = createGan(spec, 2);
    const { modelJson, weights } = await exportGeneratorFiles(gan.exportGenerator(), spec);
    const json = JSON.parse(modelJson);
    expect(json.weightsManifest[0].paths).toEqual(['generator.weights.bin']);
    expect(json.userDefinedMetadata).toMatchObject({ latentSize: spec.latentSize, conditional: true });
    const loaded = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: weights }));
    const z = tf.randomNormal([3, spec.latentSize], 0, 1, 'float32', 5) as tf.Tensor2D;
    const labels = tf.tidy(() => tf.oneHot(tf.tensor1d([7, 8, 9], 'int32'), 10).toFloat() as tf.Tensor2D);
    const live = gan.generate(z, labels, false);
    const fromFiles = tf.tidy(() => (loaded.predict(tf.concat([z, labels], 1)) as tf.Tensor).reshape([3, 784]));
    expect(Array.from(fromFiles.dataSync())).toEqual(Array.from(live.dataSync()).map((p) => expect.closeTo(p, 5)));
    tf.dispose([z, labels, live, fromFiles]);
    loaded.dispose();
    gan.dispose();
  });
});
