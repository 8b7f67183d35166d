/**
 * The training loop behind the worker: builds the model from a spec, trains it batch by batch,
 * yields between batches so pause/stop land, and posts small deltas tagged with the run id.
 * It knows nothing about `self`: worker.ts wires it up, and tests drive it directly in Node.
 * The run's state lives in trainer-run.ts, the batch loop in train-loop.ts, and what a run posts
 * about its model (snapshots, report, export) in run-outputs.ts; this class owns the lifecycle.
 */
import type { NetworkSpec } from '../model/spec';
import type { BackendChoice, BackendInfo, FromWorker, ModelCheckpoint, RunPhase, ToWorker } from './protocol';
import { macrotask } from './macrotask';
import { answerProbe, answerTestImages } from './probe';
import { RateMeter } from './rate-meter';
import { exportRunModel, NO_MODEL, NOT_BUILT, postRunReport, postRunSnapshot } from './run-outputs';
import { planRun, trainLoop } from './train-loop';
import { buildRun, describeError, disposeRun, newRun, type Run } from './trainer-run';
import { applyCheckpoint, captureCheckpoint, checkpointBuffers } from './model-io/checkpoint';
import { checkpointFromFiles } from './model-io/import-weights';
import { passGate } from './pause-gate';
import { warmUpStep } from './warm-up';
import type { GradientPeer } from './parallel/gradient-peer';
import type { TrainerHost } from './trainer-host';

/**
 * Least milliseconds between progress messages while training. Each one re-renders the page's
 * curves and run panel (10-17 ms of main-thread CPU measured on 2 cores), so the points of a
 * half second travel together; the curve still gets every point.
 */
const PROGRESS_INTERVAL_MS = 500;

/** What the trainer needs from its host. */
export interface TrainerDeps extends TrainerHost<FromWorker> {
  /** Minimum milliseconds between progress messages (default PROGRESS_INTERVAL_MS). */
  progressIntervalMs?: number;
  /**
   * Minimum milliseconds between filters/health snapshots while training (default 1000; Infinity:
   * only the final one). A slow snapshot spaces the next ones further apart (see train-loop.ts).
   */
  snapshotIntervalMs?: number;
  /**
   * A gradient peer for data-parallel training on this backend, or null to train alone
   * (worker.ts: a second worker on wasm with two or more cores; tests: a same-thread peer).
   * Asked once per worker, after the first backend start.
   */
  createPeer?(backend: BackendInfo): GradientPeer | null;
}

/** A stored model to start from instead of training: the 'restore' message's payload. */
interface RestoreFrom {
  checkpoint: ModelCheckpoint | (() => ModelCheckpoint);
  phase: 'stopped' | 'done';
  /** Post the checkpoint back (an import: the page has only the files, not the decoded weights). */
  announce?: boolean;
}

/** Runs one training run at a time; a new start cancels the previous run. */
export class Trainer {
  #deps: TrainerDeps;
  #run: Run | null = null;
  #backendChoice: BackendChoice | null = null;
  #backend: BackendInfo | null = null;
  /** The gradient peer (created with the backend; undefined: not asked yet, null: none). */
  #peer: GradientPeer | null | undefined = undefined;
  /** The run whose stack the peer's replica was built for. */
  #peerRun: Run | null = null;
  /** The last backend start (or warm-up): starts wait for it, so two never race. */
  #backendReady: Promise<void> = Promise.resolve();

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
        void exportRunModel(this.#deps.post, run?.runId === message.runId ? run : null, message);
        return;
      case 'pause':
        // Announced by the loop's next gate, after the step in flight has posted its progress.
        if (run && run.runId === message.runId && run.phase === 'training') run.phase = 'paused';
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
      case 'prepare':
        // Warm-up before the first Train: a backend that cannot start is reported at once (and
        // again by the start that needs it); a failed data load only by that start.
        // Once a run exists it owns the backend (switching it would pull the peer from under it).
        if (run) return;
        // A start waits for `idle`, so it never shares the backend or the peer with the warm-up.
        this.idle = this.idle.then(() => this.#prepare(message)).catch(() => {});
        return;
      case 'ui-signal':
        // Wired to the kernels by the worker's entry (worker.ts); nothing here to train.
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
    const run = newRun(runId, spec);
    this.#run = run;
    this.idle = this.#execute(run, backend, restore).catch((error) => {
      if (!run.cancelled) this.#deps.post({ type: 'error', runId, message: describeError(error) });
    });
  }

  async #execute(run: Run, backendChoice: BackendChoice, restore: RestoreFrom | null): Promise<void> {
    this.#setPhase(run, 'loading-data');
    run.data = await this.#deps.loadData();
    if (run.cancelled) return;
    await this.#ensureBackend(backendChoice);
    this.#setPhase(run, 'building');
    buildRun(run);
    if (restore) {
      const checkpoint = typeof restore.checkpoint === 'function' ? restore.checkpoint() : restore.checkpoint;
      await applyCheckpoint(run.model!, run.optimizer!, checkpoint);
      run.position = { ...checkpoint.position };
      if (restore.announce) this.#deps.post({ type: 'checkpoint', runId: run.runId, checkpoint }, []);
      // The inspector's filters and health, as the stored model stands.
      await postRunSnapshot(this.#deps.post, run);
      if (!run.cancelled) this.#setPhase(run, restore.phase);
      return;
    }
    await this.#trainAndFinish(run);
  }

  /** Loads the data, starts the backend and takes a throwaway step of the page's stack (warm-up.ts). */
  async #prepare(message: Extract<ToWorker, { type: 'prepare' }>): Promise<void> {
    const data = await this.#deps.loadData();
    try {
      await this.#ensureBackend(message.backend);
    } catch (error) {
      // Said at once, not at Train: the person has just picked a backend this browser lacks.
      if (!this.#run) this.#deps.post({ type: 'backend-failed', runId: message.runId, backend: message.backend, message: describeError(error) });
      throw error;
    }
    // The page sends 'prepare' only before its first run; should a run have begun meanwhile, it
    // owns the model code and the peer, and the warm-up has nothing left to do.
    if (this.#run) return;
    if (message.spec) {
      await warmUpStep(message.spec, data, this.#peer ?? null);
      // The peer's replica is the warm-up's: the first run builds its own.
      this.#peerRun = null;
    }
    // Shown on the page as the backend Train will use (and how the benchmarks know the warm-up is over).
    if (this.#backend && !this.#run) this.#deps.post({ type: 'prepared', runId: message.runId, backend: this.#backend });
  }

  /**
   * Starts the chosen backend and its gradient peer unless they already run. One start at a time:
   * a run that begins while the page's warm-up is still starting them waits for it.
   */
  #ensureBackend(choice: BackendChoice): Promise<void> {
    const next = this.#backendReady.catch(() => {}).then(async () => {
      if (this.#backendChoice === choice && this.#backend) return;
      this.#backend = await this.#deps.initBackend(choice);
      this.#backendChoice = choice;
      this.#peer?.dispose();
      this.#peer = this.#deps.createPeer?.(this.#backend) ?? null;
      this.#peerRun = null;
      if (this.#peer) this.#backend = { ...this.#backend, workers: 2 };
    });
    this.#backendReady = next;
    return next;
  }

  /** Trains from the run's position, then snapshots, reports, hands over a checkpoint and ends. */
  async #trainAndFinish(run: Run): Promise<void> {
    const peer = await this.#preparePeer(run);
    if (run.cancelled) return;
    this.#setPhase(run, 'training');
    await trainLoop(
      {
        runId: run.runId, settings: run.spec.training, model: run.model!, optimizer: run.optimizer!, peer,
        get position() { return run.position; }, set position(p) { run.position = p; },
      },
      run.data!,
      {
        post: (message) => this.#deps.post(message),
        now: () => this.#now(),
        yieldFn: this.#yield,
        checkpoint: (clock, flush) => this.#checkpoint(run, clock, flush),
        snapshot: () => postRunSnapshot(this.#deps.post, run),
        progressIntervalMs: this.#deps.progressIntervalMs ?? PROGRESS_INTERVAL_MS,
        snapshotIntervalMs: this.#deps.snapshotIntervalMs ?? 1000,
        peerLost: (reason) => this.#dropPeer(run, reason),
      },
    );
    if (run.cancelled) return;
    // The kernels and health as the run leaves them, whether it finished or was stopped.
    await postRunSnapshot(this.#deps.post, run);
    if (run.cancelled) return;
    await this.#report(run);
    if (run.cancelled) return;
    const checkpoint = await captureCheckpoint(run.model!, run.optimizer!, run.position);
    this.#deps.post({ type: 'checkpoint', runId: run.runId, checkpoint }, checkpointBuffers(checkpoint));
    this.#setPhase(run, run.stopRequested ? 'stopped' : 'done');
  }

  /** The peer with a replica of this run's stack, or null (none, or it failed to build one). */
  async #preparePeer(run: Run): Promise<GradientPeer | null> {
    const peer = this.#peer;
    if (!peer) return null;
    if (this.#peerRun === run) return peer;
    try {
      await peer.prepare(run.spec.layers, run.spec.training.seed);
      this.#peerRun = run;
      return peer;
    } catch (error) {
      this.#dropPeer(run, describeError(error));
      return null;
    }
  }

  /** Trains alone from now on, and says so in the backend line. */
  #dropPeer(run: Run, reason: string): void {
    this.#peer?.dispose();
    this.#peer = null;
    this.#peerRun = null;
    if (this.#backend) {
      this.#backend = { ...this.#backend, workers: 1, notes: [...this.#backend.notes, `second worker stopped (${reason}); training on one`] };
      this.#setPhase(run, run.phase);
    }
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

  /** Yields to the event loop, waits while paused; returns false when the loop must end. */
  #checkpoint(run: Run, clock: RateMeter, flush: () => void): Promise<boolean> {
    return passGate(run, clock, {
      yieldFn: () => this.#yield(),
      now: () => this.#now(),
      resumed: () => this.#setPhase(run, 'training'),
      paused: () => {
        flush();
        this.#setPhase(run, 'paused');
      },
    });
  }

  /** Evaluates on the test images (half of each batch on the peer, if there is one) and posts the report. */
  async #report(run: Run): Promise<void> {
    const peer = await this.#preparePeer(run);
    this.#setPhase(run, 'evaluating');
    await postRunReport(this.#deps.post, run, this.#yield, peer);
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
