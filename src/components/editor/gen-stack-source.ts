/**
 * One network of the Generations store (a VAE's encoder or decoder, a GAN's generator or
 * discriminator) as a StackSource: its body, the analysis with the fixed rows the app adds around
 * it, its one-click fixes, and the store's per-network edit actions. One source per store and
 * network, so views are memoised once. A source whose network the current spec lacks (an encoder
 * just after switching to a GAN, until Lit removes its editor) shows its last view and edits nothing.
 */
import type { StoreApi } from 'zustand/vanilla';
import { networkAnalysis, networkLayers, type ModelNetwork } from '../../model/generative/gan-spec';
import { analyze } from '../../model/shapes';
import { networkFixes, type GenerationsState } from '../../store/generations-store';
import type { StackSource, StackView } from './stack-source';

const sources = new WeakMap<StoreApi<GenerationsState>, Map<ModelNetwork, StackSource>>();

/** The view of a network the spec does not have: no layers, nothing to fix. */
function emptyView(s: GenerationsState): StackView {
  return {
    layers: [], analysis: analyze([], { inputShape: [1], allowEmpty: true, budgets: false }), fixes: [], extraErrors: [], description: '',
    inputLabel: 'Input', fixedRows: [], canUndo: s.canUndo, canRedo: s.canRedo,
  };
}

function viewOf(s: GenerationsState, network: ModelNetwork): StackView | null {
  const net = networkAnalysis(s.analysis, network);
  const layers = networkLayers(s.spec, network);
  if (!net || !layers) return null;
  return {
    layers,
    analysis: net.body,
    fixes: networkFixes(s.spec, s.analysis, network),
    extraErrors: [],
    description: '',
    inputLabel: net.inputLabel,
    fixedRows: net.head,
    canUndo: s.canUndo,
    canRedo: s.canRedo,
  };
}

/** The StackSource of one network of a Generations store. */
export function genStackSource(store: StoreApi<GenerationsState>, network: ModelNetwork): StackSource {
  const perStore = sources.get(store) ?? new Map<ModelNetwork, StackSource>();
  sources.set(store, perStore);
  const existing = perStore.get(network);
  if (existing) return existing;
  let last: { analysis: GenerationsState['analysis']; canUndo: boolean; canRedo: boolean; view: StackView } | null = null;
  const a = () => store.getState();
  const source: StackSource = {
    view() {
      const s = a();
      // The analysis is derived with every spec change, so it identifies the spec.
      if (!last || last.analysis !== s.analysis || last.canUndo !== s.canUndo || last.canRedo !== s.canRedo) {
        const view = viewOf(s, network) ?? last?.view ?? emptyView(s);
        last = { analysis: s.analysis, canUndo: s.canUndo, canRedo: s.canRedo, view };
      }
      return last.view;
    },
    subscribe: (listener) => store.subscribe(listener),
    actions: {
      addLayer: (kind, index) => a().addLayer(network, kind, index),
      removeLayer: (index) => a().removeLayer(network, index),
      duplicateLayer: (index) => a().duplicateLayer(network, index),
      moveLayer: (from, to) => a().moveLayer(network, from, to),
      updateLayer: (index, patch) => a().updateLayer(network, index, patch),
      applyFix: (id) => a().applyFix(network, id),
      undo: () => a().undo(),
      redo: () => a().redo(),
    },
  };
  perStore.set(network, source);
  return source;
}
