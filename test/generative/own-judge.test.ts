import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import denseBaseline from '../../presets/dense-baseline.json';
import { buildModel } from '../../src/train/build-model';
import { findOwnJudge, judgeAccuracy, judgeProbabilities } from '../../src/train/generative/judge';
import { OWN_JUDGE_MIN_ACCURACY, rankOwnJudges, whyNotOwn } from '../../src/train/generative/judge-choice';
import { restoreClassifier, type KeptClassifiers } from '../../src/train/generative/own-judge';
import type { NamedArray } from '../../src/train/protocol';
import { parseSpec } from '../../src/model/validate';
import { JudgeKeeper, type JudgeRequest } from '../../src/train/generative/judge-keeper';
import { plainSplit } from '../train/fake-mnist';

/** A kept run's list entry as the Runs feature stores it (only the fields the choice reads matter). */
const entry = (id: string, testAccuracy: number | null, createdAt: number, extra: Record<string, unknown> = {}) => ({
  id, name: `Run ${id}`, named: false, createdAt, spec: denseBaseline, backend: 'wasm', end: 'done', testAccuracy, testLoss: 0.1,
  durationMs: 1000, examplesSeen: 60000, hasModel: true, resumable: false, bytes: 1000, ...extra,
});

describe('which kept classifier judges', () => {
  it('picks the most accurate run at or above 98%, ties to the newest', () => {
    const r = rankOwnJudges([entry('a', 0.985, 1), entry('b', 0.991, 2), entry('c', 0.991, 5), entry('d', 0.979, 9)]);
    expect(r.candidates.map((c) => c.id)).toEqual(['c', 'b', 'a']);
    expect(r.best).toEqual({ name: 'Run c', testAccuracy: 0.991 });
  });

  it('counts exactly 98% in and leaves runs without weights, without a test report, or damaged out', () => {
    const r = rankOwnJudges([
      entry('edge', OWN_JUDGE_MIN_ACCURACY, 1),
      entry('noweights', 0.995, 2, { hasModel: false }),
      entry('noreport', null, 3),
      entry('nan', Number.NaN, 4),
      entry('over', 1.5, 5),
      { id: 7, testAccuracy: 0.99, hasModel: true, spec: {} },
      null,
      'junk',
      entry('nospec', 0.999, 6, { spec: null }),
    ]);
    expect(r.candidates.map((c) => c.id)).toEqual(['edge']);
  });

  it('gives no candidate, and says why, when every kept run is under 98%', () => {
    const r = rankOwnJudges([entry('a', 0.95, 1), entry('b', 0.972, 2)]);
    expect(r.candidates).toEqual([]);
    expect(whyNotOwn(r.best, [])).toBe('Your best kept classifier, "Run b", has 97.2% test accuracy; a judge needs 98%.');
    expect(whyNotOwn(rankOwnJudges([]).best, [])).toBeNull();
  });
});

/** A model's weights as the Runs feature stores them (ModelCheckpoint.weights). */
async function storedWeights(model: tf.LayersModel): Promise<NamedArray[]> {
  return Promise.all(model.weights.map(async (w) => ({ name: w.originalName, shape: w.shape.map(Number), dtype: 'float32' as const, values: Float32Array.from(await w.read().data()) })));
}

const oneDense = { ...denseBaseline, layers: [{ kind: 'flatten' }, { kind: 'dense', units: 10, activation: 'softmax' }] };

/** Weights of `oneDense` that read pixel k as class k: a perfect classifier of plainSplit. */
function readsPixel(): NamedArray[] {
  const kernel = new Float32Array(784 * 10);
  for (let k = 0; k < 10; k++) kernel[k * 10 + k] = 10;
  return [
    { name: 's1_dense/kernel', shape: [784, 10], dtype: 'float32', values: kernel },
    { name: 's1_dense/bias', shape: [10], dtype: 'float32', values: new Float32Array(10) },
  ];
}

function memoryKept(entries: unknown[], models: Record<string, unknown>): KeptClassifiers {
  return { list: async () => entries, model: async (id) => models[id] ?? null };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('restoring a kept classifier', () => {
  it('judges exactly like the original: same probabilities on the same images', async () => {
    const parsed = parseSpec(denseBaseline);
    if (!parsed.ok) throw new Error('preset');
    const original = buildModel(parsed.spec.layers, 42).model;
    const restored = await restoreClassifier(denseBaseline, { weights: await storedWeights(original) });
    const images = tf.randomUniform([20, 784], 0, 1, 'float32', 5) as tf.Tensor2D;
    const a = await judgeProbabilities(original, images);
    const b = await judgeProbabilities(restored, images);
    expect(Array.from(b)).toEqual(Array.from(a));
    // A fresh build (another seed) is different, so the equality above comes from the weights.
    const fresh = buildModel(parsed.spec.layers, 1).model;
    expect(Array.from(await judgeProbabilities(fresh, images))).not.toEqual(Array.from(a));
    images.dispose();
    [original, restored, fresh].forEach((m) => m.dispose());
  });

  it('refuses damaged or mismatched weights with a plain reason', async () => {
    await expect(restoreClassifier(denseBaseline, null)).rejects.toThrow('its stored model has no weights');
    await expect(restoreClassifier(denseBaseline, { weights: [{ name: 'x', shape: [2], values: [1, 2] }] })).rejects.toThrow('damaged');
    await expect(restoreClassifier(oneDense, { weights: readsPixel().slice(0, 1) })).rejects.toThrow(/does not fit|do not fit/);
    await expect(restoreClassifier({ layers: 'no' }, { weights: readsPixel() })).rejects.toThrow('its network is not valid here');
  });
});

describe('findOwnJudge', () => {
  const test = plainSplit(200);
  const hooks = { cancelled: () => false, progress: () => undefined };

  it('re-measures the stored accuracy and skips a run that does not reach 98% here', async () => {
    const before = tf.memory().numTensors;
    const liar = { weights: readsPixel().map((w) => ({ ...w, values: new Float32Array(w.values.length) })) };
    const kept = memoryKept([entry('liar', 0.999, 9, { spec: oneDense }), entry('good', 0.985, 1, { spec: oneDense })], { liar, good: { weights: readsPixel() } });
    const found = await findOwnJudge(kept, 'quick', test, hooks, null);
    expect(found.judge?.info).toMatchObject({ source: 'own', runId: 'good', name: 'your classifier "Run good"', testAccuracy: 1 });
    expect(await judgeAccuracy(found.judge!.model, test)).toBe(1);
    // Asked again while it is still the best candidate: the same judge, not checked again.
    const again = await findOwnJudge(memoryKept([entry('good', 0.985, 1, { spec: oneDense })], { good: { weights: readsPixel() } }), 'quick', test, hooks, found.judge);
    expect(again.judge).toBe(found.judge);
    found.judge!.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('says why none judges when the only candidate fails its check', async () => {
    const zero = { weights: readsPixel().map((w) => ({ ...w, values: new Float32Array(w.values.length) })) };
    const found = await findOwnJudge(memoryKept([entry('liar', 0.99, 1, { spec: oneDense })], { liar: zero }), 'quick', test, hooks, null);
    expect(found.judge).toBeNull();
    expect(found.note).toBe('Your kept classifier could not judge: "Run liar" measures 10.0% on the test images here, under 98%.');
    const broken = await findOwnJudge(memoryKept([entry('gone', 0.99, 1, { spec: oneDense })], {}), 'quick', test, hooks, null);
    expect(broken.note).toBe('Your kept classifier could not judge: "Run gone": its stored model has no weights.');
    const unreadable = await findOwnJudge({ list: () => Promise.reject(new Error('blocked')), model: async () => null }, 'quick', test, hooks, null);
    expect(unreadable).toEqual({ judge: null, note: null });
  });
});

describe('JudgeKeeper', () => {
  it('keeps the own judge while it stays the best kept run, replaces (and frees) it when the run changes, and stops when asked', async () => {
    const test = plainSplit(100);
    let stored = 0.985;
    let stopped = false;
    const details: string[] = [];
    const request: JudgeRequest = {
      choice: 'quick', data: { train: test, test }, stopped: () => stopped, progress: (d) => details.push(d),
      yieldToEvents: async () => undefined, cache: false,
      kept: { list: async () => [entry('r', stored, 1, { spec: oneDense })], model: async () => ({ weights: readsPixel() }) },
    };
    const keeper = new JudgeKeeper();
    const first = await keeper.obtain(request);
    expect(first?.info.source).toBe('own');
    expect(await keeper.obtain(request)).toBe(first);
    expect(details.filter((d) => d.startsWith('Checking'))).toHaveLength(1);
    stored = 0.99; // trained further: checked again, and the old model is freed
    const second = await keeper.obtain(request);
    expect(second).not.toBe(first);
    expect(() => first!.model.predict(tf.zeros([1, 28, 28, 1]))).toThrow(/disposed/);
    stopped = true;
    stored = 0.995;
    expect(await keeper.obtain(request)).toBeNull();
    second!.model.dispose();
  });
});
