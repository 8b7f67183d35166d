/**
 * The explore part of the Generations state: the latest decoded point, latent walk and latent
 * map answers from the worker. A pure reducer, so the store stays small and tests need no worker.
 */
import type { FromGenWorker, JudgeReading } from '../train/generative/gen-protocol';

/** The latest answers to explore requests. */
export interface ExploreState {
  /** Request id of the decode in flight (the newest wins), or 0. */
  pendingDecode: number;
  decoded: { requestId: number; pixels: Uint8Array } | null;
  /** The latest walk, between test digits or drawn ones (`read`: the judge's reading of each drawing). */
  walk: { steps: number; pixels: Uint8Array; fromLabel: number; toLabel: number; ends: 'test' | 'drawn'; read: [JudgeReading | null, JudgeReading | null] | null } | null;
  map: { cells: number; extent: number; label: number; pixels: Uint8Array; codes: Float32Array; labels: Uint8Array } | null;
  /** The latest exported decoder files, tagged with their request id so each export downloads once. */
  decoderFiles: { requestId: number; modelJson: string; weights: ArrayBuffer } | null;
  error: string | null;
}

/** Nothing explored yet. */
export const emptyExplore = (): ExploreState => ({ pendingDecode: 0, decoded: null, walk: null, map: null, decoderFiles: null, error: null });

type ExploreMessage = Extract<FromGenWorker, { type: 'decoded' | 'walk' | 'latent-map' | 'decoder' | 'explore-error' }>;

/** The explore state after one answer; an older decode answer never replaces a newer one. */
export function exploreReducer(state: ExploreState, message: ExploreMessage): ExploreState {
  switch (message.type) {
    case 'decoded':
      if (state.decoded && message.requestId < state.decoded.requestId) return state;
      return { ...state, decoded: { requestId: message.requestId, pixels: message.pixels }, error: null };
    case 'walk':
      return {
        ...state,
        walk: { steps: message.steps, pixels: message.pixels, fromLabel: message.fromLabel, toLabel: message.toLabel, ends: message.ends ?? 'test', read: message.read ?? null },
        error: null,
      };
    case 'latent-map':
      return { ...state, map: { cells: message.cells, extent: message.extent, label: message.label, pixels: message.pixels, codes: message.codes, labels: message.labels }, error: null };
    case 'decoder':
      return { ...state, decoderFiles: { requestId: message.requestId, modelJson: message.modelJson, weights: message.weights }, error: null };
    case 'explore-error':
      return { ...state, error: message.message };
  }
}
