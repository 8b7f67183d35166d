import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SPEC_VERSION, type LayerSpec, type NetworkSpec } from '../../src/model/spec';
import { DEFAULT_TRAINING } from '../../src/model/validate';
import { buildModel } from '../../src/train/build-model';
import type { Mnist } from '../../src/train/mnist';
import { LEADER_STREAM, PEER_STREAM, partGradients } from '../../src/train/parallel/grad-step';
import { CoreSharingPeer, LocalPeer } from '../../src/train/parallel/gradient-peer';
import type { PeerStepRequest, PeerStepResult } from '../../src/train/parallel/peer-protocol';
import type { FromWorker, ModelCheckpoint, ProgressMessage } from '../../src/train/protocol';
import { setDropoutStep } from '../../src/train/step-dropout';
import { evaluateModel } from '../../src/train/evaluate';
import { splitPredictor } from '../../src/train/parallel/split-predict';
import type { TrainerDeps } from '../../src/train/trainer';
import { nodeTrainer, settle } from './node-trainer';
import { registerWasmTrainingKernels } from '../../src/train/kernels/index';
import '@tensorflow/tfjs-backend-wasm';
import { fakeSplit } from './fake-mnist';

const data: Mnist = { train: fakeSplit(300, 1, (i) => (i * 3) % 10), test: fakeSplit(40, 2, (i) => (i * 3) % 10) };

// No batch norm and no dropout: with those, two halves are not the same computation as one batch.
const layers: LayerSpec[] = [
  { kind: 'conv2d', filters: 4, kernelSize: 3, stride: 2, padding: 'valid', activation: 'relu' },
  { kind: 'maxPool2d', poolSize: 2, stride: 2, padding: 'valid' },
  { kind: 'flatten' },
  { kind: 'dense', units: 12, activation: 'relu' },
  { kind: 'dense', units: 10, activation: 'softmax' },
];

const spec: NetworkSpec = {
  version: SPEC_VERSION, name: 'dp', description: '', layers,
  // 270 training examples in batches of 32: the last batch of each epoch has 14 (split 7 + 7).
  training: { ...DEFAULT_TRAINING, optimizer: 'adam', learningRate: 0.01, batchSize: 32, epochs: 2, validationSplit: 0.1, trainExamples: 300, seed: 5 },
};

/** A peer that works for `good` steps, then fails (a crashed worker). */
class FailingPeer extends LocalPeer {
  #left: number;
  constructor(good: number) {
    super();
    this.#left = good;
  }
  override step(request: PeerStepRequest): Promise<PeerStepResult> {
    return this.#left-- > 0 ? super.step(request) : Promise.reject(new Error('worker crashed'));
  }
}

/** A peer that takes a while (a real worker): a pause asked for meanwhile lands mid-step. */
class SlowPeer extends LocalPeer {
  override async step(request: PeerStepRequest): Promise<PeerStepResult> {
    await new Promise((r) => setTimeout(r, 15));
    return super.step(request);
  }
}

/** The shared Node trainer on `backend` (wasm with this app's training kernels). */
function harness(deps: Partial<TrainerDeps> = {}, backend: 'cpu' | 'wasm' = 'cpu') {
  return nodeTrainer(data, {
    initBackend: async () => {
      await tf.setBackend(backend);
      if (backend === 'wasm') registerWasmTrainingKernels();
      return { name: backend, notes: [] };
    },
    ...deps,
  });
}

/** Trains `spec` to the end; `warm`: after the page's warm-up (a throwaway step of the same stack). */
async function run(deps: Partial<TrainerDeps> = {}, backend: 'cpu' | 'wasm' = 'cpu', warm = false) {
  const h = harness(deps, backend);
  if (warm) h.trainer.handle({ type: 'prepare', runId: 0, backend, spec });
  h.trainer.handle({ type: 'start', runId: 1, spec, backend });
  await settle(h.trainer);
  const checkpoint = h.messages.filter((m) => m.type === 'checkpoint').at(-1);
  if (!checkpoint || checkpoint.type !== 'checkpoint') throw new Error(`no checkpoint: ${JSON.stringify(h.messages.filter((m) => m.type === 'error'))}`);
  const progress = h.messages.filter((m): m is ProgressMessage => m.type === 'progress');
  return { messages: h.messages, checkpoint: checkpoint.checkpoint, points: progress.flatMap((m) => m.points), tensors: progress.map((m) => m.tensors) };
}

const bits = (c: ModelCheckpoint) => [...c.weights, ...c.optimizer].map((a) => Array.from(new Uint32Array(a.values.buffer)));
const values = (c: ModelCheckpoint) => c.weights.flatMap((a) => Array.from(a.values));

/** A same-thread peer that records the number of examples of every step it takes in `sizes`. */
function countingPeer(sizes: number[]): LocalPeer {
  const peer = new LocalPeer();
  const step = peer.step.bind(peer);
  peer.step = (request) => {
    sizes.push(request.n);
    return step(request);
  };
  return peer;
}

describe('data-parallel training', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('adds up the gradients of two halves to the gradient of the whole batch', () => {
    const model = buildModel(layers, 3).model;
    const n = 12;
    const x = tf.tensor4d(Float32Array.from(data.train.images.subarray(0, n * 784), (v) => v / 255), [n, 28, 28, 1]);
    const y = tf.oneHot(tf.tensor1d(Array.from(data.train.labels.subarray(0, n)), 'int32'), 10).cast('float32');
    const whole = partGradients(model, x, y, 1 / n, 0, LEADER_STREAM);
    const a = partGradients(model, x.slice(0, 5), y.slice(0, 5), 1 / n, 0, LEADER_STREAM);
    const b = partGradients(model, x.slice(5), y.slice(5), 1 / n, 0, PEER_STREAM);
    whole.grads.forEach((g, i) => {
      const sum = a.grads[i]!.add(b.grads[i]!);
      const scale = g.abs().max().dataSync()[0]!;
      expect(scale).toBeGreaterThan(0);
      expect(sum.sub(g).abs().max().dataSync()[0]!).toBeLessThan(1e-5 * scale);
    });
    expect(a.lossSum.dataSync()[0]! + b.lossSum.dataSync()[0]!).toBeCloseTo(whole.lossSum.dataSync()[0]!, 4);
    expect(a.correct.dataSync()[0]! + b.correct.dataSync()[0]!).toBe(whole.correct.dataSync()[0]!);
    model.dispose();
  });

  it('trains with a peer like training alone, up to rounding, and keeps the tensor count flat', async () => {
    const alone = await run();
    const before = tf.memory().numTensors;
    const split = await run({ createPeer: () => new LocalPeer() });
    const status = split.messages.find((m) => m.type === 'status' && m.phase === 'training');
    expect(status?.type === 'status' && status.backend?.workers).toBe(2);
    expect(split.points.map((p) => p.step)).toEqual(alone.points.map((p) => p.step));
    // Different summation order only: every loss within 1e-4, the final weights within 1e-3.
    split.points.forEach((p, i) => expect(Math.abs(p.loss - alone.points[i]!.loss)).toBeLessThan(1e-4));
    const [w1, w2] = [values(split.checkpoint), values(alone.checkpoint)];
    expect(Math.max(...w1.map((v, i) => Math.abs(v - w2[i]!)))).toBeLessThan(1e-3);
    expect(bits(split.checkpoint)).not.toEqual(bits(alone.checkpoint));
    expect(new Set(split.tensors.slice(1)).size).toBe(1);
    // The peer's replica and everything the run made are gone once the trainer moves on.
    expect(tf.memory().numTensors - before).toBeLessThan(60);
  });

  it('gives the same run bit for bit after the warm-up step, which the peer takes its half of too', async () => {
    const steps: number[] = [];
    const cold = await run({ createPeer: () => new LocalPeer() }, 'wasm');
    const warm = await run({ createPeer: () => countingPeer(steps) }, 'wasm', true);
    // The warm-up's 16 examples were split 8 and 8; then come the run's own steps.
    expect(steps[0]).toBe(8);
    expect(steps).toHaveLength(1 + warm.points.length);
    expect(warm.points.map((p) => p.loss)).toEqual(cold.points.map((p) => p.loss));
    expect(bits(warm.checkpoint)).toEqual(bits(cold.checkpoint));
  });

  it('warms both ways a core-sharing peer can step (its worker and the leader\'s replica), whoever has the core', async () => {
    const steps = { remote: [] as number[], local: [] as number[] };
    const cold = await run({ createPeer: () => new LocalPeer() }, 'wasm');
    // The page asks for a core all along, so the run's own steps all go to the leader's replica.
    const warm = await run({ createPeer: () => new CoreSharingPeer(countingPeer(steps.remote), countingPeer(steps.local), () => true) }, 'wasm', true);
    expect(steps.remote).toEqual([8]);
    expect(steps.local[0]).toBe(8);
    expect(steps.local).toHaveLength(1 + warm.points.length);
    expect(bits(warm.checkpoint)).toEqual(bits(cold.checkpoint));
  });

  it('on wasm too, where Adam runs fused (fused-adam.ts): a peer trains like training alone, up to rounding', async () => {
    const alone = await run({}, 'wasm');
    const split = await run({ createPeer: () => new LocalPeer() }, 'wasm');
    expect(split.points.map((p) => p.step)).toEqual(alone.points.map((p) => p.step));
    split.points.forEach((p, i) => expect(Math.abs(p.loss - alone.points[i]!.loss)).toBeLessThan(1e-4));
    const [w1, w2] = [values(split.checkpoint), values(alone.checkpoint)];
    expect(Math.max(...w1.map((v, i) => Math.abs(v - w2[i]!)))).toBeLessThan(1e-3);
    expect(new Set(split.tensors.slice(1)).size).toBe(1);
    await tf.setBackend('cpu');
  });

  it('gives the same run bit for bit whichever worker computes the peer\'s half (the page asking for a core)', async () => {
    // Batch norm and dropout too: each half has its own statistics and masks, so a half computed
    // on the wrong model or with the wrong stream would show.
    const bnSpec: NetworkSpec = {
      ...spec,
      layers: [
        { kind: 'conv2d', filters: 4, kernelSize: 3, stride: 2, padding: 'valid', activation: 'relu' },
        { kind: 'batchNorm' },
        { kind: 'flatten' },
        { kind: 'dropout', rate: 0.3 },
        { kind: 'dense', units: 10, activation: 'softmax' },
      ],
    };
    const runOf = async (createPeer: () => LocalPeer | CoreSharingPeer) => {
      const h = harness({ createPeer }, 'wasm');
      h.trainer.handle({ type: 'start', runId: 1, spec: bnSpec, backend: 'wasm' });
      await h.trainer.idle;
      await new Promise((r) => setTimeout(r, 0));
      await h.trainer.idle;
      const checkpoint = h.messages.filter((m) => m.type === 'checkpoint').at(-1);
      if (checkpoint?.type !== 'checkpoint') throw new Error('no checkpoint');
      return { points: h.messages.flatMap((m) => (m.type === 'progress' ? m.points : [])), checkpoint: checkpoint.checkpoint };
    };
    const steps = { remote: [] as number[], local: [] as number[] };
    let asks = 0;
    // The page asks for a core for three steps, then gives it back for three, and so on.
    const sharing = await runOf(() => new CoreSharingPeer(countingPeer(steps.remote), countingPeer(steps.local), () => Math.floor(asks++ / 3) % 2 === 1));
    const plain = await runOf(() => new LocalPeer());
    expect(steps.local.length).toBeGreaterThan(5);
    expect(steps.remote.length).toBeGreaterThan(5);
    expect(sharing.points.length).toBe(plain.points.length);
    expect(sharing.points.map((p) => p.loss)).toEqual(plain.points.map((p) => p.loss));
    expect(bits(sharing.checkpoint)).toEqual(bits(plain.checkpoint));
    await tf.setBackend('cpu');
  });

  it('sends an evaluation batch without weights to the replica that has them, wherever later batches go', async () => {
    const model = buildModel(layers, 9).model;
    const [remote, local] = [new LocalPeer(), new LocalPeer()];
    // Other starting weights than the model's: a batch sent to a replica without its weights would show.
    await remote.prepare(layers, 1);
    await local.prepare(layers, 2);
    // The page asks for a core as the evaluation starts, then gives it back: the batches after the
    // first (which alone carries the weights) must still go to the replica in this thread.
    let asks = 0;
    const peer = new CoreSharingPeer(remote, local, () => asks++ === 0);
    const input = { images: data.test.images, labels: data.test.labels, batchSize: 10, mistakes: 5, sampleIndices: [0] };
    const alone = await evaluateModel(model, input);
    const shared = await evaluateModel(model, { ...input, predict: splitPredictor(model, peer) });
    expect(Array.from(shared.predictions!)).toEqual(Array.from(alone.predictions!));
    peer.dispose();
    model.dispose();
  });

  it('computes the failed step\'s other half itself when the peer fails, then goes on alone', async () => {
    const healthy = await run({ createPeer: () => new LocalPeer() });
    const failing = await run({ createPeer: () => new FailingPeer(4) });
    // Steps 1-4 had the peer; step 5's second half was computed here with the same arithmetic.
    expect(failing.points.slice(0, 5).map((p) => p.loss)).toEqual(healthy.points.slice(0, 5).map((p) => p.loss));
    // From step 6 on, whole batches in one pass: same run up to rounding, to the end.
    expect(failing.points.map((p) => p.step)).toEqual(healthy.points.map((p) => p.step));
    failing.points.forEach((p, i) => expect(Math.abs(p.loss - healthy.points[i]!.loss)).toBeLessThan(1e-4));
    expect(failing.messages.some((m) => m.type === 'status' && m.phase === 'done')).toBe(true);
    const note = failing.messages.flatMap((m) => (m.type === 'status' && m.backend ? [m.backend] : [])).at(-1);
    expect(note?.workers).toBe(1);
    expect(note?.notes.join(' ')).toMatch(/second worker stopped \(worker crashed\)/);
  });

  it('announces a pause only after the step in flight has posted its progress', async () => {
    const h = harness({ createPeer: () => new SlowPeer() });
    h.trainer.handle({ type: 'start', runId: 1, spec, backend: 'cpu' });
    const until = async (check: () => boolean) => {
      for (let i = 0; i < 2000 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
      expect(check()).toBe(true);
    };
    await until(() => h.messages.some((m) => m.type === 'progress'));
    // Asked while the peer is computing its half of the next step.
    await new Promise((r) => setTimeout(r, 5));
    h.trainer.handle({ type: 'pause', runId: 1 });
    await until(() => h.messages.some((m) => m.type === 'status' && m.phase === 'paused'));
    const pausedAt = h.messages.findIndex((m) => m.type === 'status' && m.phase === 'paused');
    await new Promise((r) => setTimeout(r, 100));
    expect(h.messages.slice(pausedAt + 1).filter((m) => m.type === 'progress')).toEqual([]);
    const seen = h.messages.slice(0, pausedAt).flatMap((m) => (m.type === 'progress' ? m.points : []));
    h.trainer.handle({ type: 'stop', runId: 1 });
    await h.trainer.idle;
    // Stopping from the pause adds no step: the last point before "paused" is the last one.
    const all = h.messages.flatMap((m) => (m.type === 'progress' ? m.points : []));
    expect(all.at(-1)!.step).toBe(seen.at(-1)!.step);
  });

  it('evaluates with the peer predicting half of every batch, to the report made alone', async () => {
    const model = buildModel(layers, 9).model;
    const peer = new LocalPeer();
    await peer.prepare(layers, 1); // other starting weights: the evaluation must send the model's own
    const input = { images: data.test.images, labels: data.test.labels, batchSize: 15, mistakes: 5, sampleIndices: [0, 3, 17] };
    const alone = await evaluateModel(model, input);
    const before = tf.memory().numTensors;
    const shared = await evaluateModel(model, { ...input, predict: splitPredictor(model, peer) });
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(shared.predictions!)).toEqual(Array.from(alone.predictions!));
    expect(shared.confusion).toEqual(alone.confusion);
    expect(shared.samples.map((x) => x.index)).toEqual([0, 3, 17]);
    Array.from(shared.confidences!).forEach((c, i) => expect(Math.abs(c - alone.confidences![i]!)).toBeLessThan(1e-6));
    // A peer that fails hands its half back: the report is still whole.
    const failing = new FailingPeer(0);
    failing.predict = () => Promise.reject(new Error('worker crashed'));
    const rescued = await evaluateModel(model, { ...input, predict: splitPredictor(model, failing) });
    expect(Array.from(rescued.predictions!)).toEqual(Array.from(alone.predictions!));
    peer.dispose();
    model.dispose();
  });

  it('draws a new dropout mask at every step, the same one for the same step, another for the peer', () => {
    const model = buildModel([{ kind: 'flatten' }, { kind: 'dropout', rate: 0.5 }, { kind: 'dense', units: 10, activation: 'softmax' }], 1).model;
    const dropout = model.layers[1]!;
    const x = tf.ones([1, 784]);
    const mask = (step: number, stream: number) => {
      setDropoutStep(model, step, stream);
      return Array.from((dropout.apply(x, { training: true }) as tf.Tensor).dataSync());
    };
    expect(mask(3, LEADER_STREAM)).toEqual(mask(3, LEADER_STREAM));
    expect(mask(4, LEADER_STREAM)).not.toEqual(mask(3, LEADER_STREAM));
    expect(mask(3, PEER_STREAM)).not.toEqual(mask(3, LEADER_STREAM));
    x.dispose();
    model.dispose();
  });
});
