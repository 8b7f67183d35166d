import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { GAN_BETA1, createGanOptimizers, disposeGanOptimizers, ganTrainStep, type GanOptimizers, type TrainableGan } from '../../src/train/generative/gan-step';
import { COLLAPSE_MIN_EXAMPLES, GanTraining, realDiversity } from '../../src/train/generative/gan-loop';
import { COLLAPSE_SHARE, D_WINS_STEPS, GanHealth, collapseMessage, meanPairwiseDistance } from '../../src/train/generative/gan-health';

const LATENT = 4;

/** A tiny conditional GAN built by hand against the Gan interface: one dense layer each way. */
function tinyGan(seed: number): TrainableGan & { dispose(): void } {
  const init = (shape: number[], s: number) => tf.variable(tf.randomNormal(shape, 0, 0.05, 'float32', s));
  const gW = init([LATENT + 10, 784], seed);
  const gB = tf.variable(tf.zeros([784]));
  const dW = init([784 + 10, 1], seed + 1);
  const dB = tf.variable(tf.zeros([1]));
  const withLabels = (a: tf.Tensor2D, labels: tf.Tensor2D | null) => (labels ? tf.concat([a, labels], 1) : a);
  return {
    conditional: true,
    latentSize: LATENT,
    generate: (z, labels) => tf.sigmoid(withLabels(z, labels).matMul(gW).add(gB)) as tf.Tensor2D,
    discriminate: (x, labels) => withLabels(x, labels).matMul(dW).add(dB) as tf.Tensor2D,
    generatorVariables: [gW, gB],
    discriminatorVariables: [dW, dB],
    dispose: () => tf.dispose([gW, gB, dW, dB]),
  };
}

/** Real digits for the toy: label k is a bright band of rows 2k..2k+2. */
function batch(n: number): { x: Float32Array; y: Float32Array } {
  const x = new Float32Array(n * 784);
  const y = new Float32Array(n * 10);
  for (let i = 0; i < n; i++) {
    const k = i % 10;
    y[i * 10 + k] = 1;
    for (let p = 0; p < 784; p++) if (Math.floor(p / 28) >= 2 * k && Math.floor(p / 28) < 2 * k + 3) x[i * 784 + p] = 1;
  }
  return { x, y };
}

const snapshot = (vars: tf.Variable[]) => vars.map((v) => Array.from(v.dataSync()));
const softplus = (t: tf.Tensor) => tf.softplus(t).mean().dataSync()[0]!;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('ganTrainStep', () => {
  it('reports the non-saturating losses it optimised, computed by hand with the same noise', async () => {
    const gan = tinyGan(1);
    // A generator learning rate of 0 keeps G still, so its loss can be recomputed after the step.
    const opt: GanOptimizers = { discriminator: tf.train.adam(0.01, GAN_BETA1), generator: tf.train.adam(0, GAN_BETA1) };
    const { x, y } = batch(20);
    const seed = 77;
    const xt = tf.tensor2d(x, [20, 784]);
    const yt = tf.tensor2d(y, [20, 10]);
    const expectedD = tf.tidy(() => {
      const fake = gan.generate(tf.randomNormal([20, LATENT], 0, 1, 'float32', seed) as tf.Tensor2D, yt, true);
      return softplus(gan.discriminate(xt, yt, true).neg()) + softplus(gan.discriminate(fake, yt, true));
    });
    const dBefore = snapshot(gan.discriminatorVariables);
    const gBefore = snapshot(gan.generatorVariables);
    const result = await ganTrainStep(gan, opt, x, y, 20, seed);
    expect(result.discriminatorLoss).toBeCloseTo(expectedD, 5);
    expect(snapshot(gan.discriminatorVariables)).not.toEqual(dBefore);
    expect(snapshot(gan.generatorVariables)).toEqual(gBefore);
    const expectedG = tf.tidy(() => softplus(gan.discriminate(gan.generate(tf.randomNormal([20, LATENT], 0, 1, 'float32', seed + 1) as tf.Tensor2D, yt, true), yt, true).neg()));
    expect(result.generatorLoss).toBeCloseTo(expectedG, 5);
    expect(result.realScore).toBeGreaterThan(0);
    expect(result.fakeScore).toBeLessThan(1);
    tf.dispose([xt, yt]);
    disposeGanOptimizers(opt);
    gan.dispose();
  });

  it('uses Adam with beta1 0.5 and leaves the tensor count flat across steps', async () => {
    const gan = tinyGan(2);
    const opt = createGanOptimizers(0.002);
    expect((opt.generator as unknown as { beta1: number }).beta1).toBe(0.5);
    expect((opt.discriminator as unknown as { beta1: number }).beta1).toBe(0.5);
    const { x, y } = batch(10);
    await ganTrainStep(gan, opt, x, y, 10, 1); // the first step creates Adam's moments
    const before = tf.memory().numTensors;
    for (let s = 2; s < 8; s++) await ganTrainStep(gan, opt, x, y, 10, s);
    expect(tf.memory().numTensors).toBe(before);
    disposeGanOptimizers(opt);
    gan.dispose();
  });

  it('each step moves its own network the right way: D loss falls after the D step, G loss after the G step', async () => {
    const gan = tinyGan(3);
    const { x, y } = batch(20);
    const xt = tf.tensor2d(x, [20, 784]);
    const yt = tf.tensor2d(y, [20, 10]);
    const noise = (seed: number) => tf.randomNormal([20, LATENT], 0, 1, 'float32', seed) as tf.Tensor2D;
    const dLoss = () => tf.tidy(() => softplus(gan.discriminate(xt, yt, true).neg()) + softplus(gan.discriminate(gan.generate(noise(5), yt, true), yt, true)));
    const gLoss = () => tf.tidy(() => softplus(gan.discriminate(gan.generate(noise(6), yt, true), yt, true).neg()));
    const onlyD: GanOptimizers = { discriminator: tf.train.adam(0.01, GAN_BETA1), generator: tf.train.adam(0, GAN_BETA1) };
    const d0 = dLoss();
    await ganTrainStep(gan, onlyD, x, y, 20, 5);
    expect(dLoss()).toBeLessThan(d0);
    const onlyG: GanOptimizers = { discriminator: tf.train.adam(0, GAN_BETA1), generator: tf.train.adam(0.01, GAN_BETA1) };
    const g0 = gLoss();
    await ganTrainStep(gan, onlyG, x, y, 20, 5);
    expect(gLoss()).toBeLessThan(g0);
    tf.dispose([xt, yt]);
    disposeGanOptimizers(onlyD);
    disposeGanOptimizers(onlyG);
    gan.dispose();
  });
});

describe('GanHealth', () => {
  const fine = { discriminatorLoss: 1.2, generatorLoss: 0.8, realScore: 0.6, fakeScore: 0.4 };
  const won = { discriminatorLoss: 0.01, generatorLoss: 6, realScore: 0.995, fakeScore: 0.005 };

  it('stops on a loss that is not finite', () => {
    expect(new GanHealth().observe({ ...fine, generatorLoss: Number.NaN }, 'epoch 1, batch 3')).toBe('Training diverged at epoch 1, batch 3: a loss became NaN. Lower the learning rate and train again.');
  });

  it('says the discriminator wins outright after that many near-certain steps in a row, not before', () => {
    const h = new GanHealth();
    for (let i = 1; i < D_WINS_STEPS; i++) expect(h.observe(won, 'x')).toBeNull();
    expect(h.observe(fine, 'x')).toBeNull(); // one ordinary step resets the count
    for (let i = 1; i < D_WINS_STEPS; i++) expect(h.observe(won, 'x')).toBeNull();
    expect(h.observe(won, 'epoch 2, batch 9')).toMatch(/^The discriminator wins outright \(epoch 2, batch 9\): for 200 steps in a row/);
  });

  it('tells collapsed samples (the same digit from any noise) from diverse ones', () => {
    const real = batch(10).x;
    const realDistance = meanPairwiseDistance(real, 10);
    expect(realDistance).toBeGreaterThan(0.1);
    const same = new Float32Array(20 * 784);
    for (let i = 0; i < 20; i++) same.set(real.subarray(0, 784), i * 784);
    expect(collapseMessage(same, 2, 10, realDistance)).toBe(
      `The generator has collapsed: in 2 of 2 rows, samples from different noise are nearly identical (they differ ${COLLAPSE_SHARE * 100}% as much as real digits do, or less). Train again with another seed or a lower learning rate.`,
    );
    const diverse = new Float32Array(20 * 784);
    diverse.set(real, 0);
    diverse.set(real, 10 * 784);
    expect(collapseMessage(diverse, 2, 10, realDistance)).toBeNull();
  });
});

describe('GanTraining (what the Generations loop drives)', () => {
  /** A split of the toy digits, 0-255 grey levels, as MNIST arrives. */
  const split = (count: number) => {
    const { x } = batch(count);
    return { count, images: Uint8Array.from(x, (v) => v * 255), labels: Uint8Array.from({ length: count }, (_, i) => i % 10) };
  };

  it('steps, measures held-out losses and samples with no tensors left behind; GAN points carry D and G losses', async () => {
    const training = new GanTraining(tinyGan(4), 0.002, split(40));
    const { x, y } = batch(20);
    const at = { step: 1, examplesSeen: 20, epoch: 1, batch: 1 };
    const first = await training.step(x, y, 20, 3, at);
    const before = tf.memory().numTensors;
    const point = await training.step(x, y, 20, 4, { ...at, step: 2, examplesSeen: 40, batch: 2 });
    expect(point.step).toBe(2);
    expect(Number.isNaN(point.reconstruction) && Number.isNaN(point.kl)).toBe(true);
    expect(Number.isFinite(point.discriminator!) && Number.isFinite(point.generator!)).toBe(true);
    expect(first.discriminator).not.toBe(point.discriminator);
    const held = await training.testLosses(split(30), 30, 9);
    expect(held.discriminator).toBeGreaterThan(0);
    expect(held.generator).toBeGreaterThan(0);
    const grid = tf.tidy(() => training.sampler.decode(tf.randomNormal([10, LATENT]) as tf.Tensor2D, tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'int32'), 10).toFloat() as tf.Tensor2D));
    expect(grid.shape).toEqual([10, 784]);
    grid.dispose();
    expect(tf.memory().numTensors).toBe(before);
    training.dispose();
  });

  it('checks the grid for collapse against real digits of the same class', () => {
    const toy = split(40);
    expect(realDiversity(toy)).toBe(0); // every toy digit of a class is the same picture
    const mnistLike = { ...toy, images: toy.images.map((v, i) => (v && (i * 7) % 5 ? v : (i * 13) % 3 ? 0 : 255)) };
    expect(realDiversity(mnistLike)).toBeGreaterThan(0.05);
    const training = new GanTraining(tinyGan(5), 0.002, mnistLike);
    const same = new Uint8Array(100 * 784);
    for (let i = 0; i < 100; i++) same.set(mnistLike.images.subarray(0, 784), i * 784);
    expect(training.collapse(same, 10, 10)).toMatch(/^The generator has collapsed: in 10 of 10 rows/);
    training.dispose();
  });

  it('stops a run whose generator ignores its noise (same picture from any noise), not a healthy one', async () => {
    const mnistLike = split(40);
    mnistLike.images = mnistLike.images.map((v, i) => (v && (i * 7) % 5 ? v : (i * 13) % 3 ? 0 : 255));
    const noise = tf.randomNormal([100, LATENT], 0, 1, 'float32', 3) as tf.Tensor2D;
    const deaf = tinyGan(6);
    deaf.generatorVariables[0]!.assign(tf.zeros([LATENT + 10, 784])); // no weight on the noise or the label
    const collapsed = new GanTraining(deaf, 0.002, mnistLike);
    // Not before it has seen enough examples (a fresh generator always looks collapsed).
    await expect(collapsed.checkCollapse(noise, COLLAPSE_MIN_EXAMPLES - 1)).resolves.toBeUndefined();
    await expect(collapsed.checkCollapse(noise, COLLAPSE_MIN_EXAMPLES)).rejects.toThrow(/^The generator has collapsed/);
    collapsed.dispose();
    const lively = tinyGan(7);
    lively.generatorVariables[0]!.assign(tf.randomNormal([LATENT + 10, 784], 0, 3, 'float32', 8));
    const healthy = new GanTraining(lively, 0.002, mnistLike);
    await expect(healthy.checkCollapse(noise, COLLAPSE_MIN_EXAMPLES)).resolves.toBeUndefined();
    healthy.dispose();
    noise.dispose();
  });
});
