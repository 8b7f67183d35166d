/**
 * What the layer-stack editor edits: a small host interface, so the same editor (rows, ledger,
 * errors with one-click fixes, palette, drag and keyboard moves, undo/redo) serves the
 * classifier's stack (app-stack-source.ts) and each network of a generative model
 * (gen-stack-source.ts). A source hands out an immutable view, the same object until something
 * changed, and takes the edit actions.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { LayerPatch } from '../../model/edit';
import type { Fix } from '../../model/fixes';
import type { SpecAnalysis } from '../../model/shapes';
import type { LayerKind, LayerSpec, SpecError } from '../../model/spec';

/** A part of the network the app adds itself: a ledger row that cannot be edited. */
export interface FixedRowView {
  label: string;
  outputShape: number[];
  params: number;
  flops: number;
  activationBytes: number;
}

/** Everything the editor shows. */
export interface StackView {
  layers: readonly LayerSpec[];
  /** Shapes, costs and errors of `layers` (paths `layers[i]...`); its totals are the whole network's. */
  analysis: SpecAnalysis;
  /** One-click fixes of the first problem. */
  fixes: Fix[];
  /** Problems beyond the stack itself (e.g. a batch's memory), shown under the table. */
  extraErrors: SpecError[];
  description: string;
  /** Text of the Input row, e.g. `Input` or `Input: latent code + one-hot label`. */
  inputLabel: string;
  /** Rows after the layers that the app adds itself (a generative network's fixed head). */
  fixedRows: readonly FixedRowView[];
  canUndo: boolean;
  canRedo: boolean;
}

/** The edits the editor asks for. */
export interface StackActions {
  addLayer(kind: LayerKind, index: number): void;
  removeLayer(index: number): void;
  duplicateLayer(index: number): void;
  moveLayer(from: number, to: number): void;
  updateLayer(index: number, patch: LayerPatch): void;
  applyFix(id: string): boolean;
  undo(): boolean;
  redo(): boolean;
}

/** A layer stack the editor can show and edit. */
export interface StackSource {
  view(): StackView;
  subscribe(listener: () => void): () => void;
  readonly actions: StackActions;
}

/** Keeps `value` equal to the source's view and re-renders the host when it changes. */
export class StackController implements ReactiveController {
  value: StackView;
  #source: StackSource;
  readonly #host: ReactiveControllerHost;
  #unsubscribe: (() => void) | null = null;

  constructor(host: ReactiveControllerHost, source: StackSource) {
    this.#host = host;
    this.#source = source;
    this.value = source.view();
    host.addController(this);
  }

  /** Switches to another source (the element's property changed). */
  setSource(source: StackSource): void {
    if (source === this.#source) return;
    const connected = this.#unsubscribe !== null;
    this.hostDisconnected();
    this.#source = source;
    if (connected) this.hostConnected();
    else this.value = source.view();
  }

  hostConnected(): void {
    this.#update();
    this.#unsubscribe = this.#source.subscribe(() => this.#update());
  }

  hostDisconnected(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }

  #update(): void {
    const next = this.#source.view();
    if (next === this.value) return;
    this.value = next;
    this.#host.requestUpdate();
  }
}
