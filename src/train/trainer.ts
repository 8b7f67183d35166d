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
import type { BackendChoice, BackendInfo, FromWorker, ModelCheckpoint, RunPhase, ToWorker, TrainPosition } from './protocol';
import { healthBatch, postSnapshot, type HealthBatch } from './health';
import { answerProbe, answerTestImages, ModelInside } from './probe';
import { RateMeter } from './rate-meter';
import { planSplit } from './split';
import { planRun, startPosition, trainLoop } from './train-loop';
import { applyCheckpoint, captureCheckpoint, checkpointBuffers } from './model-io/checkpoint';
import { exportLayersModel } from './model-io/export-layers';
import { checkpointFromFiles } from './model-io/import-weights';

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
  /** Where training stands: for snapshots, checkpoints and continuing. */
  position: TrainPosition;
}

/** A stored model to start from instead of training: the 'restore' message's payload. */
interface RestoreFrom {
  checkpoint: ModelCheckpoint | (() => ModelCheckpoint);
  phase: 'stopped' | 'done';
  /** Post the checkpoint back (an import: the page has only the files, not the decoded weights). */
  announce?: boolean;
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
        void this.#start(message.runId, message.spec, message.backend, null);
        return;
      case 'restore':
        void this.#start(message.runId, message.spec, message.backend, { checkpoint: message.checkpoint, phase: message.phase });
        return;
      case 'import-model':
        void this.#start(message.runId, message.spec, message.backend, {
          checkpoint: () => checkpointFromFiles(message.groups, message.names), phase: 'stopped', announce: true,
        });
        return;
      case 'continue':
        if (run && run.runId === message.runId) this.#continue(run);
        return;
      case 'export-model':
        void this.#exportModel(run?.runId === message.runId ? run : null, message);
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

  async #start(runId: number, spec: NetworkSpec, backend: BackendChoice, restore: RestoreFrom | null): Promise<void> {
    const previous = this.#run;
    if (previous) {
      previous.cancelled = true;
      previous.resume?.();
    }
    await this.idle;
    if (previous) disposeRun(previous);
    const run: Run = {
      runId, spec, phase: 'loading-data', stopRequested: false, cancelled: false, resume: null,
      model: null, inside: null, optimizer: null, data: null, health: null, position: startPosition(),
    };
    this.#run = run;
    this.idle = this.#execute(run, backend, restore).catch((error) => {
      if (!run.cancelled) this.#deps.post({ type: 'error', runId, message: describeError(error) });
    });
  }

  async #execute(run: Run, backendChoice: BackendChoice, restore: RestoreFrom | null): Promise<void> {
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
    run.health = this.#healthBatch(run.spec.training, run.data);
    if (restore) {
      const checkpoint = typeof restore.checkpoint === 'function' ? restore.checkpoint() : restore.checkpoint;
      await applyCheckpoint(run.model, run.optimizer, checkpoint);
      run.position = { ...checkpoint.position };
      if (restore.announce) this.#deps.post({ type: 'checkpoint', runId: run.runId, checkpoint }, []);
      // The inspector's filters and health, as the stored model stands.
      await this.#snapshot(run);
      if (!run.cancelled) this.#setPhase(run, restore.phase);
      return;
    }
    await this.#trainAndFinish(run);
  }

  /** Trains from the run's position, then snapshots, reports, hands over a checkpoint and ends. */
  async #trainAndFinish(run: Run): Promise<void> {
    this.#setPhase(run, 'training');
    await trainLoop(
      { runId: run.runId, settings: run.spec.training, model: run.model!, optimizer: run.optimizer!, get position() { return run.position; }, set position(p) { run.position = p; } },
      run.data!,
      {
        post: (message) => this.#deps.post(message),
        now: () => this.#now(),
        yieldFn: this.#yield,
        checkpoint: (clock) => this.#checkpoint(run, clock),
        snapshot: () => this.#snapshot(run),
        progressIntervalMs: this.#deps.progressIntervalMs ?? 150,
        snapshotIntervalMs: this.#deps.snapshotIntervalMs ?? 1000,
      },
    );
    if (run.cancelled) return;
    // The kernels and health as the run leaves them, whether it finished or was stopped.
    await this.#snapshot(run);
    if (run.cancelled) return;
    await this.#report(run);
    if (run.cancelled) return;
    const checkpoint = await captureCheckpoint(run.model!, run.optimizer!, run.position);
    this.#deps.post({ type: 'checkpoint', runId: run.runId, checkpoint }, checkpointBuffers(checkpoint));
    this.#setPhase(run, run.stopRequested ? 'stopped' : 'done');
  }

  /** Continues a stopped run from its position; ignored while it trains or when nothing is left. */
  #continue(run: Run): void {
    if (!run.model || !run.data || (run.phase !== 'stopped' && run.phase !== 'done')) return;
    if (run.position.step >= planRun(run.spec.training, run.data.train.count).totalSteps) return;
    run.stopRequested = false;
    this.idle = this.#trainAndFinish(run).catch((error) => {
      if (!run.cancelled) this.#deps.post({ type: 'error', runId: run.runId, message: describeError(error) });
    });
  }

  /** Answers 'export-model' with the model's tfjs Layers files, or a sentence saying why not. */
  async #exportModel(run: Run | null, request: Extract<ToWorker, { type: 'export-model' }>): Promise<void> {
    const answer = (files: Awaited<ReturnType<typeof exportLayersModel>>, error: string | null) =>
      this.#deps.post({ type: 'model-files', runId: request.runId, requestId: request.requestId, files, error }, files.map((f) => f.data));
    if (!run?.model) return answer([], NO_MODEL);
    if (run.phase === 'training') return answer([], 'Pause or stop the run first: the weights change with every batch.');
    try {
      answer(await exportLayersModel(run.model, request.baseName), null);
    } catch (error) {
      answer([], `The model could not be exported: ${describeError(error)}`);
    }
  }

  /** The fixed probe batch: validation images when there are any (the model never trains on them). */
  #healthBatch(settings: TrainingSettings, data: Mnist): HealthBatch {
    const split = planSplit(settings, data.train.count);
    return healthBatch(data.train.images, data.train.labels, split.validation.length ? split.validation : split.train);
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

  /** Posts the conv kernels and the layers' health on the fixed probe batch; a failure only ends the snapshots. */
  async #snapshot(run: Run): Promise<void> {
    if (!run.inside || !run.health) return;
    try {
      await postSnapshot(this.#deps.post, run.runId, run.inside, run.health, { step: run.position.step, examplesSeen: run.position.examplesSeen });
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

function disposeRun(run: Run): void {
  // The composite view owns no tensors of its own: disposing the model frees the shared weights.
  run.model?.dispose();
  run.optimizer?.dispose();
  run.model = null;
  run.inside = null;
  run.optimizer = null;
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
