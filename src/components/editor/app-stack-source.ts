/**
 * The classifier's stack as a StackSource: the app store's spec, analysis and history, its
 * fixes (src/model/fixes.ts) and the checks spanning stack and settings (parseSpec's batch
 * memory), with the spec slice's edit actions. One source per store, so every editor element of
 * a store shares the memoised view.
 */
import type { StoreApi } from 'zustand/vanilla';
import { suggestFixes } from '../../model/fixes';
import { parseSpec } from '../../model/validate';
import type { AppState } from '../../store/app-store';
import type { StackSource, StackView } from './stack-source';

const sources = new WeakMap<StoreApi<AppState>, StackSource>();

/** The view of one state; recomputed only when the spec, analysis or history flags change. */
function viewOf(s: AppState): StackView {
  // Checks spanning stack and settings (a batch's memory) come from parseSpec once the stack itself is valid.
  const parsed = s.analysis.valid ? parseSpec(s.spec) : null;
  return {
    layers: s.spec.layers,
    analysis: s.analysis,
    fixes: suggestFixes(s.spec.layers, s.analysis),
    extraErrors: parsed && !parsed.ok ? parsed.errors : [],
    description: s.spec.description,
    inputLabel: 'Input',
    fixedRows: [],
    canUndo: s.canUndo,
    canRedo: s.canRedo,
  };
}

/** The StackSource of an app store. */
export function appStackSource(store: StoreApi<AppState>): StackSource {
  let source = sources.get(store);
  if (source) return source;
  let last: { s: Pick<AppState, 'spec' | 'analysis' | 'canUndo' | 'canRedo'>; view: StackView } | null = null;
  const a = () => store.getState();
  source = {
    view() {
      const s = a();
      if (!last || last.s.spec !== s.spec || last.s.analysis !== s.analysis || last.s.canUndo !== s.canUndo || last.s.canRedo !== s.canRedo) {
        last = { s: { spec: s.spec, analysis: s.analysis, canUndo: s.canUndo, canRedo: s.canRedo }, view: viewOf(s) };
      }
      return last.view;
    },
    subscribe: (listener) => store.subscribe(listener),
    actions: {
      addLayer: (kind, index) => a().addLayer(kind, index),
      removeLayer: (index) => a().removeLayer(index),
      duplicateLayer: (index) => a().duplicateLayer(index),
      moveLayer: (from, to) => a().moveLayer(from, to),
      updateLayer: (index, patch) => a().updateLayer(index, patch),
      applyFix: (id) => a().applyFix(id),
      undo: () => a().undo(),
      redo: () => a().redo(),
    },
  };
  sources.set(store, source);
  return source;
}
