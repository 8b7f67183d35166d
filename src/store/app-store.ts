/**
 * The one application store (zustand vanilla): the spec and its derived analysis, the backend
 * choice and the state of the current run. Actions are the only way state changes; the trainer
 * is injected so tests can use a fake.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { analyze, type SpecAnalysis } from '../model/shapes';
import type { NetworkSpec, SpecError, TrainingSettings } from '../model/spec';
import { parseSpec } from '../model/validate';
import { getPreset } from '../model/presets';
import type { TrainerPort } from '../train/client';
import type { BackendChoice, BackendInfo, BatchPoint, EpochPoint, FromWorker, RunPhase, TestReport } from '../train/protocol';

/** Where a run stands, as the UI shows it. */
export type RunStatus = 'idle' | RunPhase | 'error';

/** Live figures of the run, from the latest progress message. */
export interface RunProgress {
  epoch: number;
  epochs: number;
  batch: number;
  batchesPerEpoch: number;
  examplesSeen: number;
  elapsedMs: number;
  examplesPerSecond: number;
  tensors: number;
}

/** Everything about the current (or last) run. */
export interface RunState {
  runId: number;
  status: RunStatus;
  backend: BackendInfo | null;
  progress: RunProgress | null;
  batches: BatchPoint[];
  epochs: EpochPoint[];
  report: TestReport | null;
  error: string | null;
  /** The spec the run trains; the edited spec may have moved on. */
  spec: NetworkSpec | null;
  /** True when the stack or settings were edited after the run started. */
  stale: boolean;
}

/** The whole application state with its actions. */
export interface AppState {
  spec: NetworkSpec;
  analysis: SpecAnalysis;
  backendChoice: BackendChoice;
  run: RunState;
  /** Replaces the spec (already parsed); an edit during training pauses the run and marks it stale. */
  setSpec(spec: NetworkSpec): void;
  /** Loads a named preset; returns false when there is no such preset. */
  loadPreset(id: string): boolean;
  /** Applies a change to the training settings if valid; returns the errors otherwise. */
  updateTraining(patch: Partial<TrainingSettings>): SpecError[];
  setBackendChoice(choice: BackendChoice): void;
  /** Starts a new run of the current spec; ignored when the spec is invalid. */
  start(): void;
  pause(): void;
  resume(): void;
  stop(): void;
  /** Evaluates the current model on the test set (when paused, stopped or done). */
  evaluate(): void;
}

/** Dependencies of the store. */
export interface AppStoreDeps {
  trainer: TrainerPort;
  initialSpec: NetworkSpec;
}

/** An empty run record. */
export function idleRun(): RunState {
  return { runId: 0, status: 'idle', backend: null, progress: null, batches: [], epochs: [], report: null, error: null, spec: null, stale: false };
}

const ACTIVE: ReadonlySet<RunStatus> = new Set(['loading-data', 'building', 'training', 'paused', 'evaluating']);

/** True while a run is in progress (including paused). */
export function isActive(status: RunStatus): boolean {
  return ACTIVE.has(status);
}

/** Creates the store and connects it to the trainer's messages. */
export function createAppStore(deps: AppStoreDeps): StoreApi<AppState> {
  const store = createStore<AppState>()((set, get) => {
    const patchRun = (patch: Partial<RunState>) => set({ run: { ...get().run, ...patch } });
    const send = (type: 'pause' | 'resume' | 'stop' | 'evaluate') => deps.trainer.post({ type, runId: get().run.runId });
    return {
      spec: deps.initialSpec,
      analysis: analyze(deps.initialSpec.layers),
      backendChoice: 'auto',
      run: idleRun(),
      setSpec(spec) {
        const { run } = get();
        set({ spec, analysis: analyze(spec.layers) });
        if (isActive(run.status)) {
          if (run.status === 'training') send('pause');
          patchRun({ stale: true });
        }
      },
      loadPreset(id) {
        const spec = getPreset(id);
        if (!spec) return false;
        get().setSpec(spec);
        return true;
      },
      updateTraining(patch) {
        const { spec } = get();
        const result = parseSpec({ ...spec, training: { ...spec.training, ...patch } });
        if (!result.ok) return result.errors.filter((e) => e.path.startsWith('training'));
        get().setSpec(result.spec);
        return [];
      },
      setBackendChoice(choice) {
        set({ backendChoice: choice });
      },
      start() {
        const { spec, analysis, run, backendChoice } = get();
        if (!analysis.valid) return;
        const runId = run.runId + 1;
        set({ run: { ...idleRun(), runId, status: 'loading-data', spec } });
        deps.trainer.post({ type: 'start', runId, spec, backend: backendChoice });
      },
      pause() {
        if (get().run.status === 'training') send('pause');
      },
      resume() {
        if (get().run.status === 'paused') send('resume');
      },
      stop() {
        if (isActive(get().run.status)) send('stop');
      },
      evaluate() {
        const status = get().run.status;
        if (status === 'paused' || status === 'stopped' || status === 'done') send('evaluate');
      },
    };
  });
  deps.trainer.listen((message) => applyMessage(store, message));
  return store;
}

/** Folds one worker message into the run state; messages of other runs are dropped. */
export function applyMessage(store: StoreApi<AppState>, message: FromWorker): void {
  const run = store.getState().run;
  if (message.runId !== run.runId || run.status === 'error') return;
  const next = runAfter(run, message);
  if (next !== run) store.setState({ run: next });
}

function runAfter(run: RunState, message: FromWorker): RunState {
  switch (message.type) {
    case 'status':
      return { ...run, status: message.phase, backend: message.backend ?? run.backend };
    case 'progress':
      return {
        ...run,
        progress: {
          epoch: message.epoch,
          epochs: run.spec?.training.epochs ?? message.epoch,
          batch: message.batch,
          batchesPerEpoch: message.batchesPerEpoch,
          examplesSeen: message.examplesSeen,
          elapsedMs: message.elapsedMs,
          examplesPerSecond: message.examplesPerSecond,
          tensors: message.tensors,
        },
        batches: message.points.length ? run.batches.concat(message.points) : run.batches,
      };
    case 'epoch':
      return { ...run, epochs: [...run.epochs, message.point] };
    case 'report':
      return { ...run, report: message.report };
    case 'error':
      return { ...run, status: 'error', error: message.message };
    default: {
      const never: never = message;
      return never;
    }
  }
}
