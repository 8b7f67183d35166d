/**
 * Binds a Lit element to a slice of a zustand store: the host re-renders only when the
 * selected value changes. Subscribes on connect and unsubscribes on disconnect.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { StoreApi } from 'zustand/vanilla';

/** A reactive controller exposing `value = select(store.getState())`. */
export class StoreController<S, T> implements ReactiveController {
  value: T;
  readonly #host: ReactiveControllerHost;
  readonly #store: StoreApi<S>;
  readonly #select: (state: S) => T;
  readonly #equals: (a: T, b: T) => boolean;
  #unsubscribe: (() => void) | null = null;

  constructor(host: ReactiveControllerHost, store: StoreApi<S>, select: (state: S) => T, equals: (a: T, b: T) => boolean = Object.is) {
    this.#host = host;
    this.#store = store;
    this.#select = select;
    this.#equals = equals;
    this.value = select(store.getState());
    host.addController(this);
  }

  /** Re-reads the slice (it may have changed while disconnected) and subscribes. */
  hostConnected(): void {
    this.#update(this.#store.getState());
    this.#unsubscribe = this.#store.subscribe((state) => this.#update(state));
  }

  /** Stops listening so a removed element does not leak or re-render. */
  hostDisconnected(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }

  #update(state: S): void {
    const next = this.#select(state);
    if (this.#equals(this.value, next)) return;
    this.value = next;
    this.#host.requestUpdate();
  }
}
