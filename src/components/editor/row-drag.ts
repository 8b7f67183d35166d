/**
 * Drag-and-drop reordering of table rows with HTML5 drag events, as a Lit reactive controller.
 * Only drags that started on one of the host's rows count (files or text dragged in from outside
 * are ignored); the drop slot is above or below the row under the pointer, decided by its middle;
 * any row marked `data-after="i"` (a layer's field or error row) means "below layer i". A cancelled
 * drag (Escape, drop outside) ends in `dragend`, which clears everything.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Where a dragged row would land: above or below the layer at `index`. */
export interface DropSlot {
  index: number;
  after: boolean;
}

/** The index a row moved from `from` ends up at when dropped into `slot`. */
export function dropIndex(from: number, slot: DropSlot): number {
  const gap = slot.index + (slot.after ? 1 : 0);
  return gap > from ? gap - 1 : gap;
}

/** Tracks one row drag for a host and reports the move when it is dropped. */
export class RowDrag implements ReactiveController {
  #from: number | null = null;
  #slot: DropSlot | null = null;
  readonly #host: ReactiveControllerHost;
  readonly #onMove: (from: number, to: number) => void;

  constructor(host: ReactiveControllerHost, onMove: (from: number, to: number) => void) {
    this.#host = host;
    this.#onMove = onMove;
    host.addController(this);
  }

  hostConnected(): void {}

  /** Called from a row's dragstart. */
  start(event: DragEvent, index: number): void {
    this.#from = index;
    event.dataTransfer?.setData('text/plain', `layer ${index + 1}`);
    if (event.dataTransfer) event.dataTransfer.effectAllowed = 'move';
  }

  /** Class for the row at `index`: where the drop indicator is drawn. */
  classFor(index: number): string {
    if (this.#from === null || this.#slot?.index !== index) return '';
    return this.#slot.after ? 'drop-after' : 'drop-before';
  }

  readonly over = (event: DragEvent): void => {
    const slot = this.#slotOf(event);
    if (!slot) return;
    event.preventDefault(); // allows the drop
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'move';
    if (slot.index !== this.#slot?.index || slot.after !== this.#slot.after) {
      this.#slot = slot;
      this.#host.requestUpdate();
    }
  };

  readonly drop = (event: DragEvent): void => {
    const slot = this.#slotOf(event);
    const from = this.#from;
    this.end();
    if (!slot || from === null) return;
    event.preventDefault();
    const to = dropIndex(from, slot);
    if (to !== from) this.#onMove(from, to);
  };

  readonly end = (): void => {
    if (this.#from === null && this.#slot === null) return;
    this.#from = null;
    this.#slot = null;
    this.#host.requestUpdate();
  };

  #slotOf(event: DragEvent): DropSlot | null {
    if (this.#from === null || !(event.target instanceof Element)) return null;
    const row = event.target.closest('tr');
    if (!(row instanceof HTMLElement)) return null;
    if (row.dataset.after !== undefined) return { index: Number(row.dataset.after), after: true };
    if (row.dataset.index === undefined) return null;
    const index = Number(row.dataset.index);
    if (index < 0) return { index: 0, after: false };
    const box = row.getBoundingClientRect();
    return { index, after: event.clientY > box.top + box.height / 2 };
  }
}
