/**
 * The batch loop of one run, from any position: a fresh run starts at step 0, a continued run at
 * the step it stopped after. The data order comes from `epochOrder(split.train, seed, epoch)`
 * (deterministic), the batches already done are skipped (augmentation draws for them are still
 * made, so the random stream is where an uninterrupted run would have it), and the learning-rate
 * schedule is read at the global step, so a continued run computes what one run would have.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainingSettings } from '../model/spec';
import { learningRateAt } from '../model/lr-schedule';
import { evaluateModel } from './evaluate';
import type { BatchPoint, FromWorker, TrainPosition } from './protocol';
import { divergedMessage, DivergenceWatch } from './divergence';
import { RateMeter } from './rate-meter';
import { SnapshotPacer } from './snapshot-pacer';
import { epochAugmenter, epochOrder, fillBatch, planSplit } from './split';
import type { Mnist } from './mnist';
import type { GradientPeer } from './parallel/gradient-peer';
import { trainStep, type StepContext } from './parallel/train-step';
import { splitPredictor } from './parallel/split-predict';

/** The position of a run that has not trained yet. */
export function startPosition(): TrainPosition {
  return { step: 0, examplesSeen: 0, elapsedMs: 0, epochLossSum: 0, epochAccuracySum: 0, epochSeen: 0 };
}

/** The shape of a run's training: batch size, batches per epoch and total steps. */
export interface RunPlan {
  batchSize: number;
  batchesPerEpoch: number;
  totalSteps: number;
}

/** Plans the batches of a run on `available` training images. */
export function planRun(settings: TrainingSettings, available: number): RunPlan {
  const split = planSplit(settings, available);
  const batchSize = Math.min(settings.batchSize, split.train.length);
  const batchesPerEpoch = Math.ceil(split.train.length / batchSize);
  return { batchSize, batchesPerEpoch, totalSteps: batchesPerEpoch * settings.epochs };
}

/** What the loop needs from the trainer around it. */
export interface LoopHost {
  post(message: FromWorker): void;
  now(): number;
  yieldFn(): Promise<void>;
  /**
   * Yields, waits while paused (stopping `clock`); false when the loop must end. `flush` posts
   * the points not posted yet; the host calls it before it announces a pause.
   */
  checkpoint(clock: RateMeter, flush: () => void): Promise<boolean>;
  /** Posts filters and health; paced by `snapshotIntervalMs` and its own duration (snapshot-pacer.ts). */
  snapshot(): Promise<void>;
  progressIntervalMs: number;
  /** Least time between snapshots; Infinity: none while training. */
  snapshotIntervalMs: number;
  /** The gradient peer failed; the run goes on alone (its half is computed here from now on). */
  peerLost?(reason: string): void;
}

/** The run as the loop sees it; `position` is updated after every batch. */
export interface LoopRun {
  runId: number;
  settings: TrainingSettings;
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  /** A worker that computes half of each batch's gradient (null: train alone). */
  peer: GradientPeer | null;
  position: TrainPosition;
}

/** Trains from `run.position` to the end of the run (or until the host says stop). */
export async function trainLoop(run: LoopRun, data: Mnist, host: LoopHost): Promise<void> {
  const settings = run.settings;
  const split = planSplit(settings, data.train.count);
  const { batchSize, batchesPerEpoch, totalSteps } = planRun(settings, data.train.count);
  const xBuf = new Float32Array(batchSize * 784);
  const yBuf = new Float32Array(batchSize * 10);
  // Time and examples of this stretch are added to where the run stood.
  const base = { ...run.position };
  const clock = new RateMeter(host.now());
  const pending: BatchPoint[] = [];
  const watch = new DivergenceWatch();
  let step = base.step;
  let lastPost = -Infinity;
  const snapshots = new SnapshotPacer(host.snapshotIntervalMs);
  const stepContext: StepContext = { model: run.model, optimizer: run.optimizer, peer: run.peer };
  const firstEpoch = Math.floor(step / batchesPerEpoch) + 1;
  for (let epoch = firstEpoch; epoch <= settings.epochs; epoch++) {
    const order = epochOrder(split.train, settings.seed, epoch);
    // Training examples only: validation and test batches are read by evaluateModel, unaugmented.
    const augment = epochAugmenter(settings, epoch);
    const skip = epoch === firstEpoch ? step - (epoch - 1) * batchesPerEpoch : 0;
    // Redraw the skipped batches' augmentation so the stream continues where it stopped.
    if (augment) for (let b = 0; b < skip; b++) fillBatch(data.train.images, data.train.labels, order, b * batchSize, batchSize, xBuf, yBuf, augment);
    let lossSum = skip > 0 ? base.epochLossSum : 0;
    let accSum = skip > 0 ? base.epochAccuracySum : 0;
    let seen = skip > 0 ? base.epochSeen : 0;
    const postProgress = (batch: number) => {
      const { examplesSeen, elapsedMs } = run.position;
      host.post({
        type: 'progress', runId: run.runId, epoch, batch, batchesPerEpoch, examplesSeen, elapsedMs,
        examplesPerSecond: clock.recentRate(), tensors: tf.memory().numTensors, points: pending.splice(0),
      });
    };
    for (let batch = skip + 1; batch <= batchesPerEpoch; batch++) {
      const flush = () => {
        if (pending.length) postProgress(batch - 1);
      };
      if (!(await host.checkpoint(clock, flush))) {
        // Stopped: the points not posted yet go out now, so the page's curve ends at the step
        // the checkpoint records (a continued run would otherwise show a gap there).
        flush();
        return;
      }
      const n = fillBatch(data.train.images, data.train.labels, order, (batch - 1) * batchSize, batchSize, xBuf, yBuf, augment);
      if (settings.lrSchedule !== 'constant') {
        setLearningRate(run.optimizer, learningRateAt(settings.lrSchedule, settings.learningRate, step + 1, totalSteps));
      }
      const [loss, accuracy] = await trainStep(stepContext, xBuf, yBuf, n, step);
      if (stepContext.peerLost && run.peer) {
        run.peer = null;
        host.peerLost?.(stepContext.peerLost);
      }
      step += 1;
      clock.add(n, host.now());
      const diverged = watch.observe(loss) ?? (step % 25 === 0 ? nonFiniteWeights(run.model) : null);
      if (diverged) throw new Error(divergedMessage(`epoch ${epoch}, batch ${batch}`, diverged, settings.learningRate, settings.optimizer));
      lossSum += loss * n;
      accSum += accuracy * n;
      seen += n;
      const examplesSeen = base.examplesSeen + clock.examples;
      const elapsedMs = base.elapsedMs + clock.elapsedMs;
      pending.push({ step, examplesSeen, loss, accuracy, elapsedMs });
      run.position = { step, examplesSeen, elapsedMs, epochLossSum: lossSum, epochAccuracySum: accSum, epochSeen: seen };
      const now = host.now();
      if (now - lastPost >= host.progressIntervalMs || batch === batchesPerEpoch) {
        lastPost = now;
        postProgress(batch);
      }
      if (snapshots.due(now)) {
        const started = host.now();
        await host.snapshot();
        snapshots.done(started, host.now());
      }
    }
    const val = split.validation.length
      ? await evaluateModel(run.model, {
          images: data.train.images, labels: data.train.labels, indices: split.validation, yieldFn: host.yieldFn,
          predict: splitPredictor(run.model, run.peer),
        })
      : null;
    const { examplesSeen, elapsedMs } = run.position;
    host.post({
      type: 'epoch',
      runId: run.runId,
      point: { epoch, examplesSeen, elapsedMs, trainLoss: lossSum / seen, trainAccuracy: accSum / seen, valLoss: val?.loss ?? NaN, valAccuracy: val?.accuracy ?? NaN },
    });
    // The epoch is complete: a stop from here continues with the next epoch's fresh sums.
    run.position = { ...run.position, epochLossSum: 0, epochAccuracySum: 0, epochSeen: 0 };
  }
}

/**
 * Changes a live optimizer's rate. SGD caches its rate as a tensor, so it has its own setter;
 * Adam and RMSProp read the plain field each step. (Duck typing: tfjs overrides `instanceof` for
 * optimizers, and an Adam instance passes `instanceof SGDOptimizer`.)
 */
function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  const o = optimizer as unknown as { learningRate: number; setLearningRate?: (rate: number) => void };
  if (typeof o.setLearningRate === 'function') o.setLearningRate(rate);
  else o.learningRate = rate;
}

/** Says which weights hold NaN or Infinity, or null when all are finite (one small sync). */
function nonFiniteWeights(model: tf.LayersModel): string | null {
  const bad = tf.tidy(() => model.weights.map((w) => tf.isFinite(w.read()).all()));
  const flags = bad.map((t) => t.dataSync()[0]);
  tf.dispose(bad);
  const at = flags.indexOf(0);
  return at === -1 ? null : `the weights ${model.weights[at]!.name} became NaN or infinite`;
}

