/**
 * The spec slice of the app store: every change to the network or its training settings goes
 * through one commit path here, which records undo history, re-derives the analysis and, when a
 * run is going, pauses its training and marks it stale. Editor actions, presets, undo and redo
 * are thin callers of that path.
 */
import { analyze, type SpecAnalysis } from '../model/shapes';
import type { LayerKind, NetworkSpec, SpecError, TrainingSettings } from '../model/spec';
import { parseSpec } from '../model/validate';
import { getPreset } from '../model/presets';
import * as edit from '../model/edit';
import { findFix, type Fix } from '../model/fixes';
import * as hist from './history';
import { isActive, type RunState } from './run-state';

/** The spec and what is derived from it. */
export interface SpecState {
  spec: NetworkSpec;
  analysis: SpecAnalysis;
  /** Specs before (past) and after (future) the current one; see history.ts. */
  history: hist.History<NetworkSpec>;
  /** Derived from `history`: there is a step to undo. */
  canUndo: boolean;
  /** Derived from `history`: there is an undone step to redo. */
  canRedo: boolean;
}

/** The slice's actions, part of AppState. */
export interface SpecActions {
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
}

/** What the slice needs from the store around it. */
export interface SpecHost {
  state(): SpecState;
  setState(state: SpecState): void;
  run(): RunState;
  patchRun(patch: Partial<RunState>): void;
  /** Asks the worker to pause the current run. */
  pauseRun(): void;
  now(): number;
}

/** The slice's actions plus the commit path other slices change the spec through. */
export interface SpecSlice {
  actions: SpecActions;
  /** Records an undoable change; `key` lets consecutive edits of one field merge into one step. */
  commit(spec: NetworkSpec, key?: string | null): void;
}

/** The slice's state for a first spec, with no history. */
export function initialSpecState(spec: NetworkSpec): SpecState {
  return { spec, analysis: analyze(spec.layers), history: hist.emptyHistory(), canUndo: false, canRedo: false };
}

/** Creates the slice around a host store. */
export function createSpecSlice(host: SpecHost): SpecSlice {
  /** Installs a spec with its history: the one place the spec changes. */
  const install = (spec: NetworkSpec, history: hist.History<NetworkSpec>) => {
    const run = host.run();
    host.setState({ spec, analysis: analyze(spec.layers), history, canUndo: hist.canUndo(history), canRedo: hist.canRedo(history) });
    if (isActive(run.status)) {
      if (run.status === 'training') host.pauseRun();
      // Undoing back to exactly the spec the run trains makes it current again.
      host.patchRun({ stale: spec !== run.spec });
    }
  };
  const commit = (spec: NetworkSpec, key: string | null = null) => {
    const state = host.state();
    if (spec !== state.spec) install(spec, hist.record(state.history, state.spec, { key, now: host.now() }));
  };
  const editLayers = (layers: NetworkSpec['layers'], key: string | null = null) => {
    const { spec } = host.state();
    if (layers !== spec.layers) commit({ ...spec, layers }, key);
  };
  const layers = () => host.state().spec.layers;
  const actions: SpecActions = {
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
      const { spec, analysis } = host.state();
      const found = findFix(spec.layers, typeof fix === 'string' ? fix : fix.id, analysis);
      if (found) editLayers(found.layers);
      return found !== undefined;
    },
    ...hist.undoRedo(() => host.state(), install),
    loadPreset(id) {
      const spec = getPreset(id);
      if (!spec) return false;
      commit(spec);
      return true;
    },
    updateTraining(patch) {
      const { spec } = host.state();
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
  };
  return { actions, commit };
}
