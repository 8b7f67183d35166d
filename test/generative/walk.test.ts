import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import denseBaseline from '../../presets/dense-baseline.json';
import { GEN_PRESETS } from '../../src/model/generative/presets';
import { answerExplore } from '../../src/train/generative/gen-explore';
import type { FromGenWorker } from '../../src/train/generative/gen-protocol';
import type { GenRun } from '../../src/train/generative/gen-trainer';
import { createVae } from '../../src/train/generative/create-vae';
import { restoreClassifier } from '../../src/train/generative/own-judge';
import { plainSplit } from '../train/fake-mnist';

const oneDense = { ...denseBaseline, layers: [{ kind: 'flatten' }, { kind: 'dense', units: 10, activation: 'softmax' }] };

/** A judge that reads pixel k as digit k. */
function pixelJudge(): Promise<tf.LayersModel> {
  const kernel = new Float32Array(784 * 10);
  for (let k = 0; k < 10; k++) kernel[k * 10 + k] = 10;
  return restoreClassifier(oneDense, {
    weights: [
      { name: 's1_dense/kernel', shape: [784, 10], dtype: 'float32', values: kernel },
      { name: 's1_dense/bias', shape: [10], dtype: 'float32', values: new Float32Array(10) },
    ],
  });
}

/** A drawn digit that the pixel judge reads as `digit`, with some strokes so the VAE has something to encode. */
function drawing(digit: number, seed: number): Uint8Array {
  const out = new Uint8Array(784);
  for (let p = 0; p < 784; p++) out[p] = ((p * 31 + seed * 17) % 97) < 20 ? 200 : 0;
  for (let k = 0; k < 10; k++) out[k] = 0;
  out[digit] = 255;
  return out;
}

let run: GenRun;
let judge: tf.LayersModel;

beforeAll(async () => {
  await tf.setBackend('cpu');
  const spec = GEN_PRESETS.find((p) => p.id === 'cvae-dense')!.spec;
  judge = await pixelJudge();
  run = {
    runId: 1, spec, phase: 'training', stopRequested: false, cancelled: false, resume: null,
    vae: createVae(spec, 5), optimizer: null, gan: null, noise: null, data: { train: plainSplit(10), test: plainSplit(20) },
    judge: { model: judge, info: { choice: 'quick', name: 'pixel judge', testAccuracy: 1, cached: false, trainSeconds: 0 } },
    examplesSeen: 0, epochProgress: 0,
  };
});

async function ask(message: Parameters<typeof answerExplore>[0]): Promise<FromGenWorker> {
  const posted: FromGenWorker[] = [];
  await answerExplore(message, run, (m) => posted.push(m));
  expect(posted).toHaveLength(1);
  return posted[0]!;
}

describe('walks between two drawn digits', () => {
  it('labels each end as the judge reads the drawing, or as the person picked', async () => {
    const answer = await ask({ type: 'walk-drawn', runId: 1, requestId: 7, from: drawing(3, 1), to: drawing(8, 2), steps: 6, labels: [null, null] });
    expect(answer).toMatchObject({ type: 'walk', requestId: 7, steps: 6, fromLabel: 3, toLabel: 8, ends: 'drawn' });
    const read = (answer as Extract<FromGenWorker, { type: 'walk' }>).read!;
    expect(read.map((r) => r?.digit)).toEqual([3, 8]);
    expect(read[0]!.probability).toBeGreaterThan(0.5);
    const picked = await ask({ type: 'walk-drawn', runId: 1, requestId: 8, from: drawing(3, 1), to: drawing(8, 2), steps: 6, labels: [5, null] });
    expect(picked).toMatchObject({ fromLabel: 5, toLabel: 8, read: [null, { digit: 8 }] });
  });

  it('decodes a strip whose ends differ when the drawings differ, and answers a bad drawing with an explore error', async () => {
    const answer = (await ask({ type: 'walk-drawn', runId: 1, requestId: 9, from: drawing(1, 3), to: drawing(7, 4), steps: 5, labels: [2, 2] })) as Extract<FromGenWorker, { type: 'walk' }>;
    expect(answer.pixels.length).toBe(5 * 784);
    const first = answer.pixels.subarray(0, 784);
    const last = answer.pixels.subarray(4 * 784);
    expect(first.some((v, i) => v !== last[i])).toBe(true);
    const bad = await ask({ type: 'walk-drawn', runId: 1, requestId: 10, from: new Uint8Array(5), to: drawing(7, 4), steps: 5, labels: [null, null] });
    expect(bad).toEqual({ type: 'explore-error', runId: 1, requestId: 10, message: 'A drawn digit must be 28x28 grey levels: draw both digits again.' });
  });

  it('keeps the tensor count flat across walks between drawn and test digits', async () => {
    await ask({ type: 'walk-drawn', runId: 1, requestId: 11, from: drawing(2, 5), to: drawing(6, 6), steps: 10, labels: [null, null] });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      await ask({ type: 'walk-drawn', runId: 1, requestId: 20 + i, from: drawing(i, i), to: drawing(9 - i, i + 1), steps: 10, labels: [null, i % 2 ? 4 : null] });
      await ask({ type: 'walk', runId: 1, requestId: 40 + i, from: i, to: 19 - i, steps: 10, label: null });
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
