import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/model/shapes';
import type { LayerSpec, NetworkSpec } from '../../src/model/spec';
import { SPEC_VERSION } from '../../src/model/spec';
import { DEFAULT_TRAINING } from '../../src/model/validate';
import type { Mnist } from '../../src/train/mnist';
import type { FromWorker, ProbeInput, ProbeResult, ToWorker } from '../../src/train/protocol';
import { buildModel } from '../../src/train/build-model';
import { ModelInside } from '../../src/train/probe';
import { nodeTrainer } from './node-trainer';
import { fakeSplit } from './fake-mnist';


const data: Mnist = { train: fakeSplit(300, 1, (i) => (i * 7) % 10), test: fakeSplit(50, 2, (i) => (i * 7) % 10) };

// Every kind that changes how outputs are read: leaky ReLU (two tfjs layers), batch norm, dropout.
const layers: LayerSpec[] = [
  { kind: 'conv2d', filters: 4, kernelSize: 3, stride: 2, padding: 'valid', activation: 'relu' },
  { kind: 'batchNorm' },
  { kind: 'conv2d', filters: 6, kernelSize: 3, stride: 1, padding: 'same', activation: 'leakyRelu' },
  { kind: 'maxPool2d', poolSize: 2, stride: 2, padding: 'valid' },
  { kind: 'flatten' },
  { kind: 'dropout', rate: 0.2 },
  { kind: 'dense', units: 16, activation: 'relu' },
  { kind: 'dense', units: 10, activation: 'softmax' },
];

const spec: NetworkSpec = {
  version: SPEC_VERSION, name: 'probe', description: '', layers,
  training: { ...DEFAULT_TRAINING, learningRate: 0.01, batchSize: 40, epochs: 1, validationSplit: 0.2, trainExamples: 100, seed: 3 },
};

function harness() {
  const { trainer, messages } = nodeTrainer(data);
  let next = 0;
  /** Sends a probe and waits for its answer. */
  const probe = async (input: ProbeInput, saliencyClass: number | null = null, smoothGrad = false, runId = 1) => {
    const requestId = ++next;
    trainer.handle({ type: 'probe', runId, requestId, input, saliencyClass, smoothGrad });
    return waitFor(messages, (m) => (m.type === 'probe' && m.result.requestId === requestId) || (m.type === 'probe-error' && m.requestId === requestId));
  };
  return { trainer, messages, probe };
}

async function waitFor(messages: FromWorker[], test: (m: FromWorker) => boolean): Promise<FromWorker> {
  for (let i = 0; i < 2000; i++) {
    const found = messages.find(test);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 1));
  }
  throw new Error('no answer');
}

const resultOf = (m: FromWorker): ProbeResult => {
  if (m.type !== 'probe') throw new Error(`expected a probe, got ${JSON.stringify(m)}`);
  return m.result;
};

describe('probe', () => {
  // One trained model (two batches on the slow cpu backend) shared by the tests that only read it.
  let trained: ReturnType<typeof harness>;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    trained = harness();
    trained.trainer.handle({ type: 'start', runId: 1, spec, backend: 'cpu' });
    await waitFor(trained.messages, (m) => m.type === 'status' && m.phase === 'done');
    await trained.trainer.idle;
  });

  it('answers with a plain probe-error before any model exists', async () => {
    const { probe } = harness();
    const answer = await probe({ source: 'test', index: 0 }, null, false, 0);
    expect(answer).toMatchObject({ type: 'probe-error', runId: 0, message: 'Train the model first: there is no model to look inside yet.' });
  });

  it('gives every layer its analysed shape, probabilities summing to 1, and a class saliency map', async () => {
    const { probe } = trained;
    const result = resultOf(await probe({ source: 'test', index: 3 }));
    const shapes = analyze(layers).layers.map((l) => l.outputShape);
    expect(result.activations.map((a) => a.shape)).toEqual(shapes);
    result.activations.forEach((a) => expect(a.values.length).toBe(a.shape.reduce((x, y) => x * y, 1)));
    expect(result.probabilities).toHaveLength(10);
    expect(result.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(result.activations.at(-1)!.values).toEqual(Float32Array.from(result.probabilities));
    expect(result).toMatchObject({ label: data.test.labels[3], testIndex: 3 });
    expect(result.pixels).toEqual(data.test.images.slice(3 * 784, 4 * 784));
    const predicted = result.probabilities.indexOf(Math.max(...result.probabilities));
    expect(result.saliency?.classIndex).toBe(predicted);
    expect(result.saliency?.values).toHaveLength(784);
    expect(result.saliency!.values.every(Number.isFinite)).toBe(true);
    const other = resultOf(await probe({ source: 'test', index: 3 }, (predicted + 1) % 10));
    expect(other.saliency?.classIndex).toBe((predicted + 1) % 10);
    expect(other.saliency!.values).not.toEqual(result.saliency!.values);
    const smooth = resultOf(await probe({ source: 'test', index: 3 }, predicted, true));
    expect(smooth.saliency).toMatchObject({ smoothGrad: true, classIndex: predicted });
    expect(smooth.saliency!.values.every(Number.isFinite)).toBe(true);
    expect(smooth.saliency!.values).not.toEqual(result.saliency!.values);
    // A fixed noise seed: the same SmoothGrad request gives the same map.
    expect(resultOf(await probe({ source: 'test', index: 3 }, predicted, true)).saliency!.values).toEqual(smooth.saliency!.values);
  });

  it('probes drawn pixels and seeded random test images of a digit, and explains bad inputs', async () => {
    const { probe } = trained;
    const pixels = new Uint8Array(784).fill(30);
    const drawn = resultOf(await probe({ source: 'pixels', pixels }));
    expect(drawn).toMatchObject({ label: null, testIndex: null });
    expect(drawn.pixels).toEqual(pixels);
    const a = resultOf(await probe({ source: 'random-test', digit: 4, seed: 9 }));
    expect(a.label).toBe(4);
    expect(data.test.labels[a.testIndex!]).toBe(4);
    expect(resultOf(await probe({ source: 'random-test', digit: 4, seed: 9 })).testIndex).toBe(a.testIndex);
    const any = resultOf(await probe({ source: 'random-test', digit: null, seed: 2 }));
    expect(any.testIndex).toBeGreaterThanOrEqual(0);
    expect(await probe({ source: 'test', index: 50 })).toMatchObject({ type: 'probe-error', message: 'There is no test image 50: pick one from 0 to 49.' });
    expect(await probe({ source: 'pixels', pixels: new Uint8Array(10) })).toMatchObject({ type: 'probe-error' });
    expect(await probe({ source: 'test', index: 0 }, 10)).toMatchObject({ type: 'probe-error', message: 'The saliency class must be a digit from 0 to 9, not 10.' });
  });

  it('leaves the tensor count unchanged after 20 probes', async () => {
    const { probe } = trained;
    await probe({ source: 'test', index: 0 });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) resultOf(await probe({ source: 'test', index: i }, i % 3 === 0 ? null : i % 10, i % 4 === 0));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('answers probes while training, between batches', async () => {
    const { trainer, messages, probe } = harness();
    trainer.handle({ type: 'start', runId: 1, spec: { ...spec, training: { ...spec.training, epochs: 30 } }, backend: 'cpu' });
    await waitFor(messages, (m) => m.type === 'progress');
    const result = resultOf(await probe({ source: 'test', index: 1 }));
    expect(result.activations).toHaveLength(layers.length);
    expect(messages.filter((m) => m.type === 'status').at(-1)).toMatchObject({ phase: 'training' });
    trainer.handle({ type: 'stop', runId: 1 });
    await waitFor(messages, (m) => m.type === 'status' && m.phase === 'stopped');
    // Stopped: the model stays to be looked inside.
    expect(resultOf(await probe({ source: 'test', index: 2 })).testIndex).toBe(2);
  });

  it('sends test images with their labels and pixels, skipping unknown indices', async () => {
    const { trainer, messages } = harness();
    const request: ToWorker = { type: 'test-images', runId: 0, requestId: 7, indices: [5, 0, 49, 50, -1] };
    trainer.handle(request);
    const answer = await waitFor(messages, (m) => m.type === 'test-images');
    if (answer.type !== 'test-images') throw new Error('unreachable');
    expect(answer.requestId).toBe(7);
    expect(answer.images.map((i) => [i.index, i.label])).toEqual([5, 0, 49].map((i) => [i, data.test.labels[i]]));
    expect(answer.images[0]!.pixels).toEqual(data.test.images.slice(5 * 784, 6 * 784));
  });

  it('reaches the logits (softmax of them gives the probabilities) and shares weights without owning them', async () => {
    const before = tf.memory().numTensors;
    const built = buildModel(layers, 5);
    const withModel = tf.memory().numTensors;
    const inside = new ModelInside(built.model, built.outputLayerNames, layers);
    const tail: LayerSpec[] = [{ kind: 'flatten' }, { kind: 'dense', units: 10, activation: 'linear' }, { kind: 'activation', activation: 'softmax' }];
    const other = buildModel(tail, 5);
    const insideTail = new ModelInside(other.model, other.outputLayerNames, tail);
    for (const view of [inside, insideTail]) {
      const [probs, fromLogits] = tf.tidy(() => {
        const outs = view.outputs(tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 4));
        return [outs.at(-1)!, tf.softmax(view.logits(outs))];
      });
      const [p, q] = [probs!.dataSync(), fromLogits!.dataSync()];
      p.forEach((v, i) => expect(q[i]).toBeCloseTo(v, 5));
      tf.dispose([probs!, fromLogits!]);
    }
    other.model.dispose();
    expect(tf.memory().numTensors).toBe(withModel);
    // The model still predicts after its composite view was used, and disposing it frees every weight.
    tf.dispose(tf.tidy(() => built.model.predict(tf.zeros([1, 28, 28, 1]))));
    built.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
