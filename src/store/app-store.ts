/**
 * The one application store (zustand vanilla): the spec and its derived analysis, the undo
 * history, the backend choice, the state of the current run and what the inspector looks at
 * (inspect-slice.ts). Actions are the only way state changes; every spec change goes through one
 * commit path that records history, re-derives the analysis and pauses a training run. Kept runs
 * (runs-slice.ts) are saved through a repository. The trainer, the repository and a clock (for
 * coalescing and probe throttling) are injected.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { analyze, type SpecAnalysis } from '../model/shapes';
import type { LayerKind, NetworkSpec, SpecError, TrainingSettings } from '../model/spec';
import { parseSpec } from '../model/validate';
import { getPreset } from '../model/presets';
import * as edit from '../model/edit';
import { findFix, type Fix } from '../model/fixes';
import * as hist from './history';
import { createInspectSlice, emptyInspect, type InspectActions, type InspectSlice, type InspectState } from './inspect-slice';
import type { TrainerPort } from '../train/client';
import type { BackendChoice, BackendInfo, BatchPoint, EpochPoint, RunPhase, TestReport } from '../train/protocol';
import type { RunFigures } from '../runs/record';
import { createRunsSlice, emptyRuns, newRecordId, type RunsActions, type RunsSlice, type RunsState } from './runs-slice';
import { createMemoryRunsRepository, type RunsRepository } from './runs-repository';
import { createIdbRunsRepository } from './runs-idb';
import { createModelExport, type ExportActions, type ModelExport } from './runs-export';
import { createTimelapseRecorder, type TimelapseRecorder } from './runs-timelapse';
import type { Timelapse } from '../runs/timelapse';
import { createImport, type ImportActions } from './runs-import';
import { applyMessage } from './runs-messages';

/** Where a run stands, as the UI shows it. */
export type RunStatus = 'idle' | RunPhase | 'error';

/** Live figures of the run, from the latest progress message. */
export type RunProgress = RunFigures;

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
  /** The kept record this run is saved into (null for a run that is not kept). */
  recordId: string | null;
  /** When the run (or the kept run it continues) was started. */
  createdAt: number;
  /** Kernels and probe-digit feature maps recorded while training (see runs/timelapse.ts). */
  timelapse: Timelapse | null;
}

/** The whole application state with its actions. */
export interface AppState extends InspectActions, RunsActions, ExportActions, ImportActions {
  spec: NetworkSpec;
  analysis: SpecAnalysis;
  backendChoice: BackendChoice;
  run: RunState;
  /** Specs before (past) and after (future) the current one; see history.ts. */
  history: hist.History<NetworkSpec>;
  /** Derived from `history`: there is a step to undo. */
  canUndo: boolean;
  /** Derived from `history`: there is an undone step to redo. */
  canRedo: boolean;
  /** The inspector: input, probe result, filters, health history and gallery; see inspect-slice.ts. */
  inspect: InspectState;
  /** Kept runs: the list, storage use and any saving problem; see runs-slice.ts. */
  runs: RunsState;
  /** Replaces the spec (already parsed), undoably; an edit during training pauses the run and marks it stale. */
  setSpec(spec: NetworkSpec): void;
  /** Inserts a default layer of `kind` at `index` (clamped); ignored when the stack is full. */
  addLayer(kind: LayerKind, index: number): void;
  /** Removes the layer at `index`. */
  removeLayer(index: number): void;
  /** Inserts a copy of the layer at `index` right after it. */
  duplicateLayer(index: number): void;
  /** Moves the layer at `from` to index `to`. */
  moveLayer(from: number, to: number): void;
  /** Sets fields of one layer; out-of-range values are kept and marked by the analysis, never trained. */
  updateLayer(index: number, patch: edit.LayerPatch): void;
  /** Applies a one-click fix (by id, or a fix object whose id is re-derived from the current stack); false when not offered. */
  applyFix(fix: string | Fix): boolean;
  /** Steps back one spec change; false when there is none. */
  undo(): boolean;
  /** Re-applies the last undone change; false when there is none. */
  redo(): boolean;
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
  /** Clock for coalescing keystrokes into one undo step, throttling probes and dating runs (ms); defaults to Date.now. */
  now?: () => number;
  /** Where runs are kept; defaults to IndexedDB when the browser has it, else memory (this tab only). */
  runs?: RunsRepository;
}

/** The repository used when none is injected. */
function defaultRunsRepository(): RunsRepository {
  return typeof indexedDB === 'undefined' ? createMemoryRunsRepository() : createIdbRunsRepository();
}

/** An empty run record. */
export function idleRun(): RunState {
  return { runId: 0, status: 'idle', backend: null, progress: null, batches: [], epochs: [], report: null, error: null, spec: null, stale: false, recordId: null, createdAt: 0, timelapse: null };
}

const ACTIVE: ReadonlySet<RunStatus> = new Set(['loading-data', 'building', 'training', 'paused', 'evaluating']);

/** True while a run is in progress (including paused). */
export function isActive(status: RunStatus): boolean {
  return ACTIVE.has(status);
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
    /** Installs a spec with its history: the one place the spec changes. */
    const install = (spec: NetworkSpec, history: hist.History<NetworkSpec>) => {
      const { run } = get();
      set({ spec, analysis: analyze(spec.layers), history, canUndo: hist.canUndo(history), canRedo: hist.canRedo(history) });
      if (isActive(run.status)) {
        if (run.status === 'training') send('pause');
        // Undoing back to exactly the spec the run trains makes it current again.
        patchRun({ stale: spec !== run.spec });
      }
    };
    /** Records an undoable change; `key` lets consecutive edits of one field merge into one step. */
    const commit = (spec: NetworkSpec, key: string | null = null) => {
      const state = get();
      if (spec !== state.spec) install(spec, hist.record(state.history, state.spec, { key, now: now() }));
    };
    const editLayers = (layers: NetworkSpec['layers'], key: string | null = null) => {
      const { spec } = get();
      if (layers !== spec.layers) commit({ ...spec, layers }, key);
    };
    const layers = () => get().spec.layers;
    runs = createRunsSlice(
      {
        runs: () => get().runs,
        setRuns: (patch) => set({ runs: { ...get().runs, ...patch } }),
        run: () => get().run,
        installRun: (run) => set({ run, inspect: inspect.reset() }),
        commitSpec: (spec) => {
          commit(spec);
          return get().spec;
        },
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
        commitSpec: (spec) => {
          commit(spec);
          return get().spec;
        },
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
      spec: deps.initialSpec,
      analysis: analyze(deps.initialSpec.layers),
      backendChoice: 'auto',
      run: idleRun(),
      history: hist.emptyHistory(),
      canUndo: false,
      canRedo: false,
      inspect: emptyInspect(),
      runs: emptyRuns(),
      ...inspect.actions,
      ...runs.actions,
      ...exporter.actions,
      ...importer,
      setSpec(spec) {
        commit(spec);
      },
      addLayer: (kind, index) => editLayers(edit.insertLayer(layers(), kind, index)),
      removeLayer: (index) => editLayers(edit.removeLayer(layers(), index)),
      duplicateLayer: (index) => editLayers(edit.duplicateLayer(layers(), index)),
      moveLayer: (from, to) => editLayers(edit.moveLayer(layers(), from, to)),
      updateLayer(index, patch) {
        editLayers(edit.updateLayer(layers(), index, patch), `layers[${index}].${Object.keys(patch).sort().join(',')}`);
      },
      applyFix(fix) {
        const { spec, analysis } = get();
        const found = findFix(spec.layers, typeof fix === 'string' ? fix : fix.id, analysis);
        if (found) editLayers(found.layers);
        return found !== undefined;
      },
      undo() {
        const step = hist.undo(get().history, get().spec);
        if (step) install(step.value, step.history);
        return step !== null;
      },
      redo() {
        const step = hist.redo(get().history, get().spec);
        if (step) install(step.value, step.history);
        return step !== null;
      },
      loadPreset(id) {
        const spec = getPreset(id);
        if (!spec) return false;
        get().setSpec(spec);
        return true;
      },
      updateTraining(patch) {
        const { spec } = get();
        const current = new Map<string, unknown>(Object.entries(spec.training));
        if (Object.entries(patch).every(([key, value]) => Object.is(current.get(key), value))) return [];
        const merged = { ...spec.training, ...patch };
        const result = parseSpec({ ...spec, training: merged });
        // Only the settings are judged here: a stack being edited may be invalid for a while.
        const errors = result.ok ? [] : result.errors.filter((e) => e.path.startsWith('training'));
        if (errors.length > 0) return errors;
        commit({ ...spec, training: result.ok ? result.spec.training : merged }, `training.${Object.keys(patch).sort().join(',')}`);
        return [];
      },
      setBackendChoice(choice) {
        set({ backendChoice: choice });
      },
      start() {
        const { spec, analysis, run, backendChoice } = get();
        // parseSpec adds the checks that span stack and settings (a batch's memory), so nothing invalid reaches tfjs.
        if (!analysis.valid || !parseSpec(spec).ok) return;
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
