/**
 * The spec part of the Generations store: every change to the generative spec (a VAE's encoder
 * and decoder, or a conditional GAN's generator and discriminator: a layer of either network, the latent size, a training setting, a preset) goes through one commit path here, as
 * the classifier's spec-slice.ts does: it records undo history (one history for the whole spec),
 * re-derives the analysis, and, when a run is going, pauses it and marks it stale (undoing back
 * to exactly the spec the run trains makes it current again).
 */
import * as edit from '../model/edit';
import { suggestGanNetworkFixes, suggestNetworkFixes } from '../model/generative/fixes';
import {
  analyzeModel, isGan, networkAnalysis, networkLayers, type GanNetworkAnalysis, type GenModelAnalysis, type GenModelSpec, type ModelNetwork,
} from '../model/generative/gan-spec';
import { parseGenModelSpec } from '../model/generative/gan-validate';
import { GEN_MENU, genMenuPresetById } from '../model/generative/presets';
import type { NetworkAnalysis } from '../model/generative/analyze';
import type { Fix } from '../model/fixes';
import type { GenNetwork, GenSpecError, GenTrainingSettings } from '../model/generative/spec';
import { GEN_FIELDS, GEN_TRAINING_FIELDS } from '../model/generative/validate';
import { checkField } from '../model/limits';
import type { LayerKind, LayerSpec } from '../model/spec';
import * as hist from './history';

/** Fields the person edits outside the layer lists, each checked against its bounds. */
export type GenField = 'latentSize' | keyof GenTrainingSettings;

/** The spec and what is derived from it. */
export interface GenSpecState {
  presetId: string | null;
  /** A VAE or a conditional GAN. */
  spec: GenModelSpec;
  analysis: GenModelAnalysis;
  /** Why the spec cannot be trained as it is (null when it can): the first problem, in words. */
  trainBlock: string | null;
  /** Why the last field edit was refused (the spec keeps its previous value). */
  fieldErrors: GenSpecError[];
  history: hist.History<GenModelSpec>;
  canUndo: boolean;
  canRedo: boolean;
}

/**
 * Edits of one network's body, the fields, presets and history. A network the spec does not have
 * (an encoder of a GAN, say, from an editor that has not been removed yet) is left alone.
 */
export interface GenSpecActions {
  loadPreset(id: string): void;
  setField(field: GenField, value: number): void;
  addLayer(network: ModelNetwork, kind: LayerKind, index: number): void;
  removeLayer(network: ModelNetwork, index: number): void;
  duplicateLayer(network: ModelNetwork, index: number): void;
  moveLayer(network: ModelNetwork, from: number, to: number): void;
  /** Sets fields of one layer; out-of-range values are kept and marked by the analysis, never trained. */
  updateLayer(network: ModelNetwork, index: number, patch: edit.LayerPatch): void;
  /** Applies a one-click fix by id; false when it is no longer offered. */
  applyFix(network: ModelNetwork, id: string): boolean;
  undo(): boolean;
  redo(): boolean;
}

/** What the slice needs from the store around it. */
export interface GenSpecHost {
  state(): GenSpecState;
  setState(patch: Partial<GenSpecState>): void;
  /** Called after the spec changed: the store pauses an active run and marks it stale. */
  changed(spec: GenModelSpec): void;
  now(): number;
}

/** Why a spec cannot be trained, in one sentence, or null. */
export function trainBlockOf(spec: GenModelSpec, analysis: GenModelAnalysis): string | null {
  // The full parse adds what the analysis does not check (a batch's memory, the fields' bounds).
  const errors = analysis.valid ? (() => { const r = parseGenModelSpec(spec); return r.ok ? [] : r.errors; })() : analysis.errors;
  const first = errors[0];
  return first ? `Fix the networks before training: ${first.path}: ${first.message}.` : null;
}

/** The derived parts of the state for a spec. */
function derive(spec: GenModelSpec): Pick<GenSpecState, 'spec' | 'analysis' | 'trainBlock'> {
  const analysis = analyzeModel(spec);
  return { spec, analysis, trainBlock: trainBlockOf(spec, analysis) };
}

/** The slice's state for a first spec (a preset), with no history. */
export function initialGenSpecState(presetId: string, spec: GenModelSpec): GenSpecState {
  return { presetId, ...derive(spec), fieldErrors: [], history: hist.emptyHistory(), canUndo: false, canRedo: false };
}

/** Creates the slice's actions around a host store. */
export function createGenSpecActions(host: GenSpecHost): GenSpecActions {
  const install = (spec: GenModelSpec, history: hist.History<GenModelSpec>) => {
    // Presets are frozen and never edited in place, so a spec that is one of them is that preset.
    const presetId = GEN_MENU.find((p) => p.spec === spec)?.id ?? null;
    host.setState({ ...derive(spec), presetId, fieldErrors: [], history, canUndo: hist.canUndo(history), canRedo: hist.canRedo(history) });
    host.changed(spec);
  };
  const commit = (spec: GenModelSpec, key: string | null = null) => {
    const state = host.state();
    if (spec !== state.spec) install(spec, hist.record(state.history, state.spec, { key, now: host.now() }));
  };
  const editLayers = (network: ModelNetwork, layers: LayerSpec[] | null, key: string | null = null) => {
    const { spec } = host.state();
    if (layers && layers !== networkLayers(spec, network)) commit({ ...spec, [network]: layers } as GenModelSpec, key);
  };
  /** Applies a layer edit to a network the spec has; null (no edit) for one it has not. */
  const edited = (network: ModelNetwork, f: (layers: LayerSpec[]) => LayerSpec[]) => {
    const layers = networkLayers(host.state().spec, network);
    return layers ? f(layers) : null;
  };
  return {
    loadPreset(id) {
      const preset = genMenuPresetById(id);
      if (preset) commit(preset.spec);
    },
    setField(field, value) {
      const spec = host.state().spec;
      // Callers outside TypeScript (the bench, the console) may name a field that does not exist.
      if (field !== 'latentSize' && !Object.hasOwn(GEN_TRAINING_FIELDS, field)) {
        return host.setState({ fieldErrors: [{ path: String(field), message: 'is not a setting of a generative model; edit the layers in the encoder and decoder editors' }] });
      }
      const bounds = field === 'latentSize' ? GEN_FIELDS.latentSize : GEN_TRAINING_FIELDS[field];
      const message = checkField(bounds, value);
      const path = field === 'latentSize' ? field : `training.${field}`;
      if (message !== null) return host.setState({ fieldErrors: [{ path, message }] });
      host.setState({ fieldErrors: [] });
      const current = field === 'latentSize' ? spec.latentSize : spec.training[field];
      if (Object.is(current, value)) return;
      commit(field === 'latentSize' ? { ...spec, latentSize: value } : { ...spec, training: { ...spec.training, [field]: value } }, path);
    },
    addLayer: (network, kind, index) => editLayers(network, edited(network, (l) => edit.insertLayer(l, kind, index))),
    removeLayer: (network, index) => editLayers(network, edited(network, (l) => edit.removeLayer(l, index))),
    duplicateLayer: (network, index) => editLayers(network, edited(network, (l) => edit.duplicateLayer(l, index))),
    moveLayer: (network, from, to) => editLayers(network, edited(network, (l) => edit.moveLayer(l, from, to))),
    updateLayer(network, index, patch) {
      editLayers(network, edited(network, (l) => edit.updateLayer(l, index, patch)), `${network}[${index}].${Object.keys(patch).sort().join(',')}`);
    },
    applyFix(network, id) {
      const { spec, analysis } = host.state();
      const fix = networkFixes(spec, analysis, network).find((f) => f.id === id);
      if (fix) editLayers(network, fix.layers);
      return fix !== undefined;
    },
    ...hist.undoRedo(() => host.state(), install),
  };
}

/** The one-click fixes of one network of either kind (none for a network the spec does not have). */
export function networkFixes(spec: GenModelSpec, analysis: GenModelAnalysis, network: ModelNetwork): Fix[] {
  const net = networkAnalysis(analysis, network);
  if (!net || !networkLayers(spec, network)) return [];
  return isGan(spec)
    ? suggestGanNetworkFixes(spec, network as 'generator' | 'discriminator', net as GanNetworkAnalysis)
    : suggestNetworkFixes(spec, network as GenNetwork, net as NetworkAnalysis);
}
