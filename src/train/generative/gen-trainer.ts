/**
 * The Generations training loop: loads MNIST, obtains the judge (the person's own kept
 * classifier at >= 98%, else the reference seed CNN: judge-keeper.ts), builds the VAE (or, for a
 * GAN spec, the GAN through the injected `createGan`: gan-loop.ts) and trains it with Adam
 * through `optimizer.minimize` inside `tf.tidy`, one batch at a time, yielding between batches
 * so pause/resume/stop and the explore requests land. It posts
 * small deltas tagged with the run id: progress with new loss points, the fixed-noise grid at a
 * throttled rate, test losses and judged scores per epoch. It knows nothing about `self`:
 * gen-worker.ts wires it up and tests drive it in Node.
 */
import * as tf from '@tensorflow/tfjs';
import { PIXELS } from '../../model/generative/spec';
import type { GenerativeSpec } from '../../model/generative/spec';
import type { GanSpec } from '../../model/generative/gan-spec';
import type { Mnist } from '../mnist';
import type { BackendChoice, BackendInfo } from '../protocol';
import { mixSeed } from '../random';
import { RateMeter } from '../rate-meter';
import { epochOrder, fillBatch } from '../split';
import type { FromGenWorker, GenBatchPoint, GenPhase, JudgeChoice, ToGenWorker } from './gen-protocol';
import { decodeGrid, reconIndices, reconstruct, scoreSamples } from './gen-samples';
import type { Judge } from './judge';
import { JudgeKeeper } from './judge-keeper';
import type { KeptClassifiers } from './own-judge';
import { answerExplore } from './gen-explore';
import { disposeRun, testLosses, trainStep } from './gen-step';
import { macrotask } from '../macrotask';
import { createVae } from './create-vae';
import type { Vae } from './vae-model';
import { GanTraining } from './gan-loop';
import type { TrainableGan } from './gan-step';
import { passGate } from '../pause-gate';
import type { TrainerHost } from '../trainer-host';

/** What the trainer needs from its host. */
export interface GenTrainerDeps extends TrainerHost<FromGenWorker> {
  /** Milliseconds between progress messages (default 200) and grid refreshes (default 2000). */
  progressIntervalMs?: number;
  gridIntervalMs?: number;
  /** Whether the judge is cached in IndexedDB (default true; Node tests pass false). */
  cacheJudge?: boolean;
  /** Test images used for the per-epoch test losses (default 2,000). */
  testLossExamples?: number;
  /** The person's kept classifiers (IndexedDB in the worker); the best one at >= 98% judges. */
  keptClassifiers?: KeptClassifiers | null;
  /** Builds a GAN for a GAN spec (gan-model.ts's createGan); without it a GAN spec is refused with a message. */
  createGan?: (spec: GanSpec, seed: number) => TrainableGan & { dispose(): void; exportGenerator?(): tf.LayersModel };
}

/** Whether a run's spec describes a conditional GAN rather than a VAE. */
export const isGanSpec = (spec: GenerativeSpec | GanSpec): spec is GanSpec => spec.kind === 'cgan';

/** One run's state. */
export interface GenRun {
  runId: number;
  spec: GenerativeSpec | GanSpec;
  phase: GenPhase;
  stopRequested: boolean;
  cancelled: boolean;
  resume: (() => void) | null;
  vae: Vae | null;
  optimizer: tf.Optimizer | null;
  /** A GAN run's model, optimizers and health checks (vae and optimizer stay null). */
  gan: GanTraining | null;
  noise: tf.Tensor2D | null;
  data: Mnist | null;
  judge: Judge | null;
  examplesSeen: number;
  epochProgress: number;
}

const GRID_SALT = 11;
const NOISE_SALT = 12;
const SCORE_SALT = 13;

/** Runs one generative run at a time; a new start cancels the previous one. Judges are kept per worker (JudgeKeeper). */
export class GenTrainer {
  #deps: GenTrainerDeps;
  #run: GenRun | null = null;
  #judges = new JudgeKeeper();
  #backend: { choice: BackendChoice; info: BackendInfo } | null = null;
  /** Resolves when the current run's loop has finished; used by tests. */
  idle: Promise<void> = Promise.resolve();

  constructor(deps: GenTrainerDeps) {
    this.#deps = deps;
  }

  /** Handles one message from the UI; messages for other runs are ignored. */
  handle(message: ToGenWorker): void {
    const run = this.#run?.runId === message.runId ? this.#run : null;
    switch (message.type) {
      case 'start':
        void this.#start(message.runId, message.spec, message.judge, message.backend);
        return;
      case 'pause':
        if (run?.phase === 'training') this.#setPhase(run, 'paused');
        return;
      case 'resume':
        run?.resume?.();
        return;
      case 'stop':
        if (run) {
          run.stopRequested = true;
          run.resume?.();
        }
        return;
      case 'score':
        if (run) void this.#score(run).catch((e) => this.#fail(run, e));
        return;
      case 'decode':
      case 'walk':
      case 'walk-drawn':
      case 'latent-map':
      case 'export-decoder':
        void answerExplore(message, run, this.#deps.post);
        return;
      default: {
        const never: never = message;
        throw new Error(`unknown message ${JSON.stringify(never)}`);
      }
    }
  }

  async #start(runId: number, spec: GenerativeSpec | GanSpec, judge: JudgeChoice, backend: BackendChoice): Promise<void> {
    const previous = this.#run;
    if (previous) {
      previous.cancelled = true;
      previous.resume?.();
    }
    await this.idle;
    if (previous) disposeRun(previous);
    const run: GenRun = {
      runId, spec, phase: 'loading-data', stopRequested: false, cancelled: false, resume: null,
      vae: null, optimizer: null, gan: null, noise: null, data: null, judge: null, examplesSeen: 0, epochProgress: 0,
    };
    this.#run = run;
    this.idle = this.#execute(run, judge, backend).catch((error) => this.#fail(run, error));
  }

  #fail(run: GenRun, error: unknown): void {
    if (run.cancelled) return;
    const text = error instanceof Error ? error.message : String(error);
    this.#deps.post({ type: 'error', runId: run.runId, message: text || 'Training failed for an unknown reason.' });
  }

  async #execute(run: GenRun, judgeChoice: JudgeChoice, backendChoice: BackendChoice): Promise<void> {
    this.#setPhase(run, 'loading-data');
    run.data = await this.#deps.loadData();
    if (run.cancelled) return;
    if (this.#backend?.choice !== backendChoice) this.#backend = { choice: backendChoice, info: await this.#deps.initBackend(backendChoice) };
    this.#deps.post({ type: 'backend', runId: run.runId, backend: this.#backend.info });
    run.judge = await this.#judge(run, judgeChoice);
    if (!run.judge) return;
    this.#deps.post({ type: 'judge', runId: run.runId, judge: run.judge.info });
    this.#setPhase(run, 'building');
    const { spec } = run;
    const modelSeed = mixSeed(spec.training.seed, 1) % 100000;
    if (isGanSpec(spec)) {
      if (!this.#deps.createGan) throw new Error('GAN training is not available in this version yet: pick one of the VAE presets.');
      run.gan = new GanTraining(this.#deps.createGan(spec, modelSeed), spec.training.learningRate, run.data.train);
    } else {
      run.vae = createVae(spec, modelSeed);
      run.optimizer = tf.train.adam(spec.training.learningRate);
    }
    run.noise = tf.randomNormal([100, spec.latentSize], 0, 1, 'float32', mixSeed(spec.training.seed, GRID_SALT) % 100000) as tf.Tensor2D;
    await this.#showSamples(run);
    await this.#train(run);
    if (run.cancelled) return;
    await this.#showSamples(run);
    this.#setPhase(run, run.stopRequested ? 'stopped' : 'done');
  }

  /** The judge for this run (see JudgeKeeper); null, with the run marked stopped, when it was stopped meanwhile. */
  async #judge(run: GenRun, choice: JudgeChoice): Promise<Judge | null> {
    const judge = await this.#judges.obtain({
      choice, data: run.data!, stopped: () => run.cancelled || run.stopRequested, progress: (detail) => this.#setPhase(run, 'judge', detail),
      yieldToEvents: this.#yield, cache: this.#deps.cacheJudge ?? true, kept: this.#deps.keptClassifiers ?? null,
    });
    if (!judge && !run.cancelled) this.#setPhase(run, 'stopped');
    return judge;
  }

  async #train(run: GenRun): Promise<void> {
    const { spec } = run;
    const { train } = run.data!;
    const batchSize = Math.min(spec.training.batchSize, train.count);
    const perEpoch = Math.ceil(train.count / batchSize);
    const all = Uint32Array.from({ length: train.count }, (_, i) => i);
    const xBuf = new Float32Array(batchSize * PIXELS);
    const yBuf = new Float32Array(batchSize * 10);
    const clock = new RateMeter(this.#now());
    const pending: GenBatchPoint[] = [];
    let step = 0;
    let lastPost = -Infinity;
    let lastGrid = this.#now();
    this.#setPhase(run, 'training');
    for (let epoch = 1; epoch <= spec.training.epochs; epoch++) {
      const order = epochOrder(all, spec.training.seed, epoch);
      for (let batch = 1; batch <= perEpoch; batch++) {
        if (!(await this.#checkpoint(run, clock))) return;
        const n = fillBatch(train.images, train.labels, order, (batch - 1) * batchSize, batchSize, xBuf, yBuf);
        const seed = mixSeed(spec.training.seed, NOISE_SALT + step) % 100000;
        // A GAN step checks its own health (divergence, a discriminator that wins outright) and throws a plain message.
        const ganPoint = run.gan ? await run.gan.step(xBuf, yBuf, n, seed, { step: step + 1, examplesSeen: clock.examples + n, epoch, batch }) : null;
        const [reconstruction, kl] = ganPoint ? [ganPoint.reconstruction, ganPoint.kl] : await trainStep(run, xBuf, yBuf, n, seed);
        step += 1;
        clock.add(n, this.#now());
        if (!ganPoint && (!Number.isFinite(reconstruction) || !Number.isFinite(kl) || reconstruction + kl > 1e6)) {
          throw new Error(
            `Training diverged at epoch ${epoch}, batch ${batch}: the loss became ${reconstruction + kl}. ` +
              `Lower the learning rate (now ${spec.training.learningRate}) and train again.`,
          );
        }
        run.examplesSeen = clock.examples;
        run.epochProgress = epoch - 1 + batch / perEpoch;
        pending.push(ganPoint ?? { step, examplesSeen: clock.examples, reconstruction, kl });
        const now = this.#now();
        if (now - lastPost >= (this.#deps.progressIntervalMs ?? 200) || batch === perEpoch) {
          lastPost = now;
          this.#deps.post({
            type: 'progress', runId: run.runId, epoch, batch, batchesPerEpoch: perEpoch, examplesSeen: clock.examples,
            examplesPerSecond: clock.recentRate(), elapsedMs: clock.elapsedMs, tensors: tf.memory().numTensors, points: pending.splice(0),
          });
        }
        if (now - lastGrid >= (this.#deps.gridIntervalMs ?? 2000)) {
          await this.#showSamples(run);
          lastGrid = this.#now();
        }
      }
      await this.#endEpoch(run, epoch, clock);
    }
  }

  /** Test losses and judged scores after each epoch (training is not counted meanwhile). */
  async #endEpoch(run: GenRun, epoch: number, clock: RateMeter): Promise<void> {
    clock.pause(this.#now());
    const limit = this.#deps.testLossExamples ?? 2000;
    const base = { epoch, examplesSeen: run.examplesSeen, elapsedMs: clock.elapsedMs };
    if (run.gan) {
      const held = await run.gan.testLosses(run.data!.test, limit, epoch);
      this.#deps.post({ type: 'epoch', runId: run.runId, point: { ...base, testReconstruction: Number.NaN, testKl: Number.NaN, testDiscriminator: held.discriminator, testGenerator: held.generator } });
      if (run.noise) await run.gan.checkCollapse(run.noise, run.examplesSeen);
    } else {
      const [testReconstruction, testKl] = await testLosses(run.vae!, run.data!.test, limit, epoch);
      this.#deps.post({ type: 'epoch', runId: run.runId, point: { ...base, testReconstruction, testKl } });
    }
    await this.#score(run);
    clock.resume(this.#now());
  }

  async #score(run: GenRun): Promise<void> {
    const sampler = run.vae ?? run.gan?.sampler;
    if (!sampler || !run.judge) return;
    const scores = await scoreSamples(sampler, run.judge.model, mixSeed(run.spec.training.seed, SCORE_SALT + Math.round(run.epochProgress * 1000)) % 100000);
    this.#deps.post({ type: 'scores', runId: run.runId, point: { epoch: run.epochProgress, examplesSeen: run.examplesSeen, ...scores } });
  }

  /** Posts the fixed-noise grid and the reconstructions. */
  async #showSamples(run: GenRun): Promise<void> {
    const sampler = run.vae ?? run.gan?.sampler;
    if (!sampler || !run.noise || !run.data) return;
    const grid = await decodeGrid(sampler, run.noise, run.judge?.model ?? null);
    this.#deps.post({ type: 'grid', runId: run.runId, examplesSeen: run.examplesSeen, ...grid }, [grid.pixels.buffer as ArrayBuffer]);
    if (!run.vae) return; // a GAN has no encoder: nothing to reconstruct
    const recon = await reconstruct(run.vae, run.data.test, reconIndices(run.data.test));
    this.#deps.post({ type: 'reconstructions', runId: run.runId, count: recon.labels.length, ...recon }, [recon.originals.buffer as ArrayBuffer, recon.decoded.buffer as ArrayBuffer]);
  }

  /** Yields; waits while paused; returns false when the run should end. */
  #checkpoint(run: GenRun, clock: RateMeter): Promise<boolean> {
    return passGate(run, clock, { yieldFn: () => this.#yield(), now: () => this.#now(), resumed: () => this.#setPhase(run, 'training') });
  }

  #setPhase(run: GenRun, phase: GenPhase, detail?: string): void {
    run.phase = phase;
    if (!run.cancelled) this.#deps.post({ type: 'phase', runId: run.runId, phase, ...(detail ? { detail } : {}) });
  }

  #yield = (): Promise<void> => (this.#deps.yieldToEvents ? this.#deps.yieldToEvents() : macrotask());

  #now(): number {
    return this.#deps.now ? this.#deps.now() : performance.now();
  }
}
