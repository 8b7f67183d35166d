/**
 * The training loop behind the worker: builds the model from a spec, trains it batch by batch,
 * yields between batches so pause/stop land, and posts small deltas tagged with the run id.
 * It knows nothing about `self`: worker.ts wires it up, and tests drive it directly in Node.
 */
import * as tf from '@tensorflow/tfjs';
import type { NetworkSpec, TrainingSettings } from '../model/spec';
import { buildModel } from './build-model';
import { evaluateModel, SAMPLE_INDICES } from './evaluate';
import type { Mnist } from './mnist';
import type { BackendChoice, BackendInfo, BatchPoint, FromWorker, RunPhase, ToWorker } from './protocol';
import { healthBatch, postSnapshot, type HealthBatch } from './health';
import { answerProbe, answerTestImages, ModelInside } from './probe';
import { DivergenceWatch } from './divergence';
import { RateMeter } from './rate-meter';
import { epochAugmenter, epochOrder, fillBatch, planSplit } from './split';
import { learningRateAt } from '../model/lr-schedule';

/** What the trainer needs from its host. */
export interface TrainerDeps {
  post(message: FromWorker, transfer?: Transferable[]): void;
  loadData(): Promise<Mnist>;
  initBackend(choice: BackendChoice): Promise<BackendInfo>;
  /** Lets queued messages run; defaults to a macrotask hop. */
  yieldToEvents?(): Promise<void>;
  now?(): number;
  /** Minimum milliseconds between progress messages. */
  progressIntervalMs?: number;
  /** Minimum milliseconds between filters/health snapshots while training (default 1000; Infinity: only the final one). */
  snapshotIntervalMs?: number;
}

interface Run {
  runId: number;
  spec: NetworkSpec;
  phase: RunPhase;
  stopRequested: boolean;
  cancelled: boolean;
  resume: (() => void) | null;
  model: tf.LayersModel | null;
  /** The model's composite view for probes and snapshots; built with the model. */
  inside: ModelInside | null;
  optimizer: tf.Optimizer | null;
  data: Mnist | null;
  /** Fixed images the snapshots measure health on; null before training and after a snapshot failed. */
  health: HealthBatch | null;
  /** Where training stands, for snapshots. */
  step: number;
  examplesSeen: number;
}

const NO_MODEL = 'Train the model first: there is no model to look inside yet.';
const NOT_BUILT = 'The model is still being built: it can be looked inside once training starts.';

const MISTAKES_SHOWN = 16;

/** Runs one training run at a time; a new start cancels the previous run. */
export class Trainer {
  #deps: TrainerDeps;
  #run: Run | null = null;
  #backendChoice: BackendChoice | null = null;
  #backend: BackendInfo | null = null;

  constructor(deps: TrainerDeps) {
    this.#deps = deps;
  }

  /** Handles one message from the UI; messages for other runs are ignored. */
  handle(message: ToWorker): void {
    const run = this.#run;
    switch (message.type) {
      case 'start':
        void this.#start(message.runId, message.spec, message.backend);
        return;
      case 'pause':
        if (run && run.runId === message.runId && run.phase === 'training') this.#setPhase(run, 'paused');
        return;
      case 'resume':
        if (run && run.runId === message.runId && run.resume) run.resume();
        return;
      case 'stop':
        if (run && run.runId === message.runId) {
          run.stopRequested = true;
          run.resume?.();
        }
        return;
      case 'evaluate':
        if (run && run.runId === message.runId) void this.#evaluateOnDemand(run);
        return;
      case 'probe': {
        // Answered at once, between batches; only the current run's model is looked inside.
        const current = run?.runId === message.runId ? run : null;
        void answerProbe(message, current?.inside ?? null, current?.data?.test ?? null, this.#deps.post, current ? NOT_BUILT : NO_MODEL);
        return;
      }
      case 'test-images':
        void answerTestImages(message, async () => (run?.data ?? (await this.#deps.loadData())).test, this.#deps.post);
        return;
      default: {
        const never: never = message;
        throw new Error(`unknown message ${JSON.stringify(never)}`);
      }
    }
  }

  /** Resolves when the current run (if any) has finished its loop; used by tests. */
  idle: Promise<void> = Promise.resolve();

  async #start(runId: number, spec: NetworkSpec, backend: BackendChoice): Promise<void> {
    const previous = this.#run;
    if (previous) {
      previous.cancelled = true;
      previous.resume?.();
    }
    await this.idle;
    if (previous) disposeRun(previous);
    const run: Run = {
      runId, spec, phase: 'loading-data', stopRequested: false, cancelled: false, resume: null,
      model: null, inside: null, optimizer: null, data: null, health: null, step: 0, examplesSeen: 0,
    };
    this.#run = run;
    this.idle = this.#execute(run, backend).catch((error) => {
      if (!run.cancelled) this.#deps.post({ type: 'error', runId, message: describeError(error) });
    });
  }

  async #execute(run: Run, backendChoice: BackendChoice): Promise<void> {
    this.#setPhase(run, 'loading-data');
    run.data = await this.#deps.loadData();
    if (run.cancelled) return;
    if (this.#backendChoice !== backendChoice || !this.#backend) {
      this.#backend = await this.#deps.initBackend(backendChoice);
      this.#backendChoice = backendChoice;
    }
    this.#setPhase(run, 'building');
    const settings = run.spec.training;
    const built = buildModel(run.spec.layers, settings.seed);
    run.model = built.model;
    run.inside = new ModelInside(built.model, built.outputLayerNames, run.spec.layers);
    run.optimizer = makeOptimizer(settings);
    run.model.compile({ optimizer: run.optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    await this.#train(run, run.data);
    if (run.cancelled) return;
    // The kernels and health as the run leaves them, whether it finished or was stopped.
    await this.#snapshot(run);
    if (run.cancelled) return;
    await this.#report(run);
    this.#setPhase(run, run.stopRequested ? 'stopped' : 'done');
  }

  async #train(run: Run, data: Mnist): Promise<void> {
    const settings = run.spec.training;
    const split = planSplit(settings, data.train.count);
    const batchSize = Math.min(settings.batchSize, split.train.length);
    const batchesPerEpoch = Math.ceil(split.train.length / batchSize);
    const totalSteps = batchesPerEpoch * settings.epochs;
    const xBuf = new Float32Array(batchSize * 784);
    const yBuf = new Float32Array(batchSize * 10);
    const clock = new RateMeter(this.#now());
    const pending: BatchPoint[] = [];
    const watch = new DivergenceWatch();
    // Validation images when there are any: the model never trains on them.
    run.health = healthBatch(data.train.images, data.train.labels, split.validation.length ? split.validation : split.train);
    let step = 0;
    let lastPost = -Infinity;
    let lastSnapshot = -Infinity;
    const snapshotEvery = this.#deps.snapshotIntervalMs ?? 1000;
    this.#setPhase(run, 'training');
    for (let epoch = 1; epoch <= settings.epochs; epoch++) {
      const order = epochOrder(split.train, settings.seed, epoch);
      // Training examples only: validation and test batches are read by evaluateModel, unaugmented.
      const augment = epochAugmenter(settings, epoch);
      let lossSum = 0;
      let accSum = 0;
      let seen = 0;
      for (let batch = 1; batch <= batchesPerEpoch; batch++) {
        if (!(await this.#checkpoint(run, clock))) return;
        const n = fillBatch(data.train.images, data.train.labels, order, (batch - 1) * batchSize, batchSize, xBuf, yBuf, augment);
        if (settings.lrSchedule !== 'constant') {
          setLearningRate(run.optimizer!, learningRateAt(settings.lrSchedule, settings.learningRate, step + 1, totalSteps));
        }
        const [loss, accuracy] = await trainBatch(run.model!, xBuf, yBuf, n);
        step += 1;
        clock.add(n, this.#now());
        const diverged = watch.observe(loss) ?? (step % 25 === 0 ? nonFiniteWeights(run.model!) : null);
        if (diverged) throw new Error(divergedMessage(epoch, batch, settings, diverged));
        lossSum += loss * n;
        accSum += accuracy * n;
        seen += n;
        pending.push({ step, examplesSeen: clock.examples, loss, accuracy, elapsedMs: clock.elapsedMs });
        run.step = step;
        run.examplesSeen = clock.examples;
        const now = this.#now();
        if (now - lastPost >= (this.#deps.progressIntervalMs ?? 150) || batch === batchesPerEpoch) {
          lastPost = now;
          this.#postProgress(run, epoch, batch, batchesPerEpoch, clock, pending.splice(0));
        }
        if (snapshotEvery !== Infinity && now - lastSnapshot >= snapshotEvery) {
          await this.#snapshot(run);
          // Timed from the end, so a slow snapshot cannot take more than its share of the time.
          lastSnapshot = this.#now();
        }
      }
      const val = split.validation.length
        ? await evaluateModel(run.model!, { images: data.train.images, labels: data.train.labels, indices: split.validation, yieldFn: this.#yield })
        : null;
      this.#deps.post({
        type: 'epoch',
        runId: run.runId,
        point: { epoch, examplesSeen: clock.examples, elapsedMs: clock.elapsedMs, trainLoss: lossSum / seen, trainAccuracy: accSum / seen, valLoss: val?.loss ?? NaN, valAccuracy: val?.accuracy ?? NaN },
      });
    }
  }

  /** Yields to the event loop, waits while paused; returns false when the loop must end. */
  async #checkpoint(run: Run, clock: RateMeter): Promise<boolean> {
    await this.#yield();
    if (run.phase === 'paused' && !run.stopRequested && !run.cancelled) {
      clock.pause(this.#now());
      await new Promise<void>((resolve) => (run.resume = resolve));
      run.resume = null;
      clock.resume(this.#now());
      if (!run.stopRequested && !run.cancelled) this.#setPhase(run, 'training');
    }
    return !run.stopRequested && !run.cancelled;
  }

  #postProgress(run: Run, epoch: number, batch: number, batchesPerEpoch: number, clock: RateMeter, points: BatchPoint[]): void {
    this.#deps.post({
      type: 'progress',
      runId: run.runId,
      epoch,
      batch,
      batchesPerEpoch,
      examplesSeen: clock.examples,
      elapsedMs: clock.elapsedMs,
      examplesPerSecond: clock.recentRate(),
      tensors: tf.memory().numTensors,
      points,
    });
  }

  /** Posts the conv kernels and the layers' health on the fixed probe batch; a failure only ends the snapshots. */
  async #snapshot(run: Run): Promise<void> {
    if (!run.inside || !run.health) return;
    try {
      await postSnapshot(this.#deps.post, run.runId, run.inside, run.health, { step: run.step, examplesSeen: run.examplesSeen });
    } catch (error) {
      // Watching must never stop the training it watches (e.g. a backend without some gradient).
      console.warn('Layer snapshots stopped:', error);
      run.health = null;
    }
  }

  /** Evaluates on the 10,000 test images and posts the report, pixels transferred. */
  async #report(run: Run): Promise<void> {
    this.#setPhase(run, 'evaluating');
    const test = run.data!.test;
    const report = await evaluateModel(run.model!, {
      images: test.images,
      labels: test.labels,
      mistakes: MISTAKES_SHOWN,
      sampleIndices: SAMPLE_INDICES,
      yieldFn: this.#yield,
    });
    if (run.cancelled) return;
    const arrays = [...report.samples, ...report.mistakes].map((s) => s.pixels) as ArrayBufferView[];
    for (const extra of [report.predictions, report.confidences, report.labels]) if (extra) arrays.push(extra);
    const transfer = arrays.map((a) => a.buffer as ArrayBuffer);
    this.#deps.post({ type: 'report', runId: run.runId, report }, transfer);
  }

  async #evaluateOnDemand(run: Run): Promise<void> {
    const phase = run.phase;
    if (!run.model || !run.data || (phase !== 'paused' && phase !== 'stopped' && phase !== 'done')) return;
    try {
      await this.#report(run);
    } catch (error) {
      this.#deps.post({ type: 'error', runId: run.runId, message: describeError(error) });
    }
    // A resume during the evaluation has already moved the run on; do not undo that.
    if (run.phase === 'evaluating' && !run.cancelled) this.#setPhase(run, phase);
  }

  #setPhase(run: Run, phase: RunPhase): void {
    run.phase = phase;
    const backend = phase === 'building' || phase === 'training' ? this.#backend ?? undefined : undefined;
    this.#deps.post({ type: 'status', runId: run.runId, phase, backend });
  }

  #yield = (): Promise<void> => (this.#deps.yieldToEvents ? this.#deps.yieldToEvents() : macrotask());

  #now(): number {
    return this.#deps.now ? this.#deps.now() : performance.now();
  }
}

/** One optimisation step; returns [loss, accuracy] and leaves no tensors behind. */
async function trainBatch(model: tf.LayersModel, xBuf: Float32Array, yBuf: Float32Array, n: number): Promise<[number, number]> {
  const x = tf.tensor4d(xBuf.subarray(0, n * 784), [n, 28, 28, 1]);
  const y = tf.tensor2d(yBuf.subarray(0, n * 10), [n, 10]);
  try {
    const result = (await model.trainOnBatch(x, y)) as number[];
    return [result[0], result[1]];
  } finally {
    x.dispose();
    y.dispose();
  }
}

function makeOptimizer(settings: TrainingSettings): tf.Optimizer {
  switch (settings.optimizer) {
    case 'adam':
      return tf.train.adam(settings.learningRate);
    case 'sgd':
      return tf.train.sgd(settings.learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(settings.learningRate);
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

function disposeRun(run: Run): void {
  // The composite view owns no tensors of its own: disposing the model frees the shared weights.
  run.model?.dispose();
  run.optimizer?.dispose();
  run.model = null;
  run.inside = null;
  run.optimizer = null;
}

/** Says which weights hold NaN or Infinity, or null when all are finite (one small sync). */
function nonFiniteWeights(model: tf.LayersModel): string | null {
  const bad = tf.tidy(() => model.weights.map((w) => tf.isFinite(w.read()).all()));
  const flags = bad.map((t) => t.dataSync()[0]);
  tf.dispose(bad);
  const at = flags.indexOf(0);
  return at === -1 ? null : `the weights ${model.weights[at].name} became NaN or infinite`;
}

function divergedMessage(epoch: number, batch: number, settings: TrainingSettings, why: string): string {
  return (
    `Training diverged at epoch ${epoch}, batch ${batch}: ${why}. ` +
    `The learning rate ${settings.learningRate} is probably too high for ${settings.optimizer}; try 0.001.`
  );
}

function describeError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text || 'Training failed for an unknown reason.';
}

/** A macrotask hop through a MessageChannel: unlike setTimeout it is not clamped to 4 ms. */
function macrotask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
