/**
 * The one application store (zustand vanilla): the spec and its derived analysis, the undo
 * history, the backend choice, the state of the current run and what the inspector looks at
 * (inspect-slice.ts). Actions are the only way state changes; every spec change goes through one
 * commit path (spec-slice.ts) that records history, re-derives the analysis and pauses a training
 * run. Kept runs (runs-slice.ts) are saved through a repository. The trainer, the repository and a
 * clock (for coalescing and probe throttling) are injected.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { NetworkSpec } from '../model/spec';
import { parseSpec } from '../model/validate';
import { createInspectSlice, emptyInspect, type InspectActions, type InspectSlice, type InspectState } from './inspect-slice';
import type { TrainerPort } from '../train/client';
import type { BackendChoice } from '../train/protocol';
import { createRunsSlice, emptyRuns, newRecordId, type RunsActions, type RunsSlice, type RunsState } from './runs-slice';
import { createMemoryRunsRepository, type RunsRepository } from './runs-repository';
import { createIdbRunsRepository } from './runs-idb';
import { createModelExport, type ExportActions, type ModelExport } from './runs-export';
import { createTimelapseRecorder, type TimelapseRecorder } from './runs-timelapse';
import { createImport, type ImportActions } from './runs-import';
import { applyMessage } from './runs-messages';
import { backendUnavailable, idleRun, isActive, type RunState } from './run-state';
import { createSpecSlice, initialSpecState, type SpecActions, type SpecState } from './spec-slice';

// The run's types and helpers live in run-state.ts; components and slices import them from here.
export { backendUnavailable, idleRun, isActive, type RunProgress, type RunState, type RunStatus } from './run-state';

/** The whole application state with its actions. */
export interface AppState extends SpecState, SpecActions, InspectActions, RunsActions, ExportActions, ImportActions {
  backendChoice: BackendChoice;
  /**
   * Whether the page asks for a core of its own while "Look inside" is on screen (training then
   * runs on one worker, slower, and the page stays smooth); false: both workers train all along.
   */
  smoothInspector: boolean;
  run: RunState;
  /** The inspector: input, probe result, filters, health history and gallery; see inspect-slice.ts. */
  inspect: InspectState;
  /** Kept runs: the list, storage use and any saving problem; see runs-slice.ts. */
  runs: RunsState;
  setBackendChoice(choice: BackendChoice): void;
  setSmoothInspector(smooth: boolean): void;
  /**
   * Asks the worker to load the data and start the backend now, before any run (the page calls
   * it once when idle after loading), so that Train begins at once. Ignored once a run exists.
   */
  prepareTraining(): void;
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
  /** Clock for coalescing keystrokes into one undo step, throttling probes and dating runs (ms); defaults to Date.now. */
  now?: () => number;
  /** Where runs are kept; defaults to IndexedDB when the browser has it, else memory (this tab only). */
  runs?: RunsRepository;
  /** The person's stored smoothness choice (preferences.ts); defaults to smooth. */
  smoothInspector?: boolean;
}

/**
 * Whether a stack may reach tfjs: its analysis is valid and parseSpec's checks that span stack and
 * settings (a batch's memory) pass too.
 */
function canTrain(spec: NetworkSpec, analysisValid: boolean): boolean {
  return analysisValid && parseSpec(spec).ok;
}

/** The repository used when none is injected. */
function defaultRunsRepository(): RunsRepository {
  return typeof indexedDB === 'undefined' ? createMemoryRunsRepository() : createIdbRunsRepository();
}

/** Creates the store and connects it to the trainer's messages. */
export function createAppStore(deps: AppStoreDeps): StoreApi<AppState> {
  const now = deps.now ?? Date.now;
  let inspect!: InspectSlice;
  let runs!: RunsSlice;
  let exporter!: ModelExport;
  let recorder!: TimelapseRecorder;
  const store = createStore<AppState>()((set, get) => {
    const patchRun = (patch: Partial<RunState>) => set({ run: { ...get().run, ...patch } });
    const send = (type: 'pause' | 'resume' | 'stop' | 'evaluate') => deps.trainer.post({ type, runId: get().run.runId });
    inspect = createInspectSlice({
      inspect: () => get().inspect,
      setInspect: (patch) => set({ inspect: { ...get().inspect, ...patch } }),
      runId: () => get().run.runId,
      report: () => get().run.report,
      post: (message) => deps.trainer.post(message),
      now,
    });
    const specs = createSpecSlice({ state: get, setState: set, run: () => get().run, patchRun, pauseRun: () => send('pause'), now });
    /** Commits through the spec slice and returns the spec now current. */
    const commitSpec = (spec: NetworkSpec) => {
      specs.commit(spec);
      return get().spec;
    };
    runs = createRunsSlice(
      {
        runs: () => get().runs,
        setRuns: (patch) => set({ runs: { ...get().runs, ...patch } }),
        run: () => get().run,
        installRun: (run) => set({ run, inspect: inspect.reset() }),
        commitSpec,
        backendChoice: () => get().backendChoice,
        post: (message) => deps.trainer.post(message),
        now,
        start: () => get().start(),
        currentSpec: () => get().spec,
      },
      deps.runs ?? defaultRunsRepository(),
    );
    recorder = createTimelapseRecorder({ run: () => get().run, patchRun, post: (message) => deps.trainer.post(message) });
    exporter = createModelExport({ runId: () => get().run.runId, post: (message) => deps.trainer.post(message) });
    const importer = createImport(
      {
        run: () => get().run,
        currentSpec: () => get().spec,
        commitSpec,
        installRun: (run) => {
          runs.beforeReplace(get().run);
          set({ run, inspect: inspect.reset() });
        },
        expectImport: () => runs.expectImport(),
        backendChoice: () => get().backendChoice,
        post: (message) => deps.trainer.post(message),
        now,
        busy: () => isActive(get().run.status),
      },
      idleRun,
    );
    return {
      ...initialSpecState(deps.initialSpec),
      backendChoice: 'auto',
      smoothInspector: deps.smoothInspector ?? true,
      run: idleRun(),
      inspect: emptyInspect(),
      runs: emptyRuns(),
      ...specs.actions,
      ...inspect.actions,
      ...runs.actions,
      ...exporter.actions,
      ...importer,
      setSmoothInspector(smooth) {
        set({ smoothInspector: smooth });
      },
      setBackendChoice(choice) {
        set({ backendChoice: choice });
        // Before any run the panel names the backend Train will use: start the chosen one now
        // (no warm-up step: on the cpu backend even 16 examples take seconds).
        const { run } = get();
        if (run.status !== 'idle' || choice === run.backend?.name) return;
        set({ run: { ...run, backend: null, error: null, unavailableBackend: null } });
        deps.trainer.post({ type: 'prepare', runId: run.runId, backend: choice });
      },
      prepareTraining() {
        const { run, backendChoice, spec, analysis } = get();
        if (run.status !== 'idle') return;
        // The current stack, when it could train, gets a throwaway step so the first run starts warm.
        const warm = canTrain(spec, analysis.valid);
        deps.trainer.post({ type: 'prepare', runId: run.runId, backend: backendChoice, ...(warm ? { spec } : {}) });
      },
      start() {
        const { spec, analysis, run, backendChoice } = get();
        if (!canTrain(spec, analysis.valid) || backendUnavailable(run, backendChoice)) return;
        const runId = run.runId + 1;
        runs.beforeReplace(run);
        const createdAt = now();
        set({ run: { ...idleRun(), runId, status: 'loading-data', spec, recordId: newRecordId(createdAt), createdAt }, inspect: inspect.reset() });
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
  deps.trainer.listen((message) => {
    if (message.type === 'model-files') exporter.handle(message);
    else applyMessage(store, inspect, runs, recorder, message);
  });
  void store.getState().refreshRuns();
  return store;
}
