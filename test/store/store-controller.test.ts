import { describe, expect, it } from 'vitest';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { createStore } from 'zustand/vanilla';
import { shallow } from 'zustand/vanilla/shallow';
import { StoreController } from '../../src/store/store-controller';

class FakeHost implements ReactiveControllerHost {
  controllers: ReactiveController[] = [];
  updates = 0;
  addController(c: ReactiveController) { this.controllers.push(c); }
  removeController() {}
  requestUpdate() { this.updates += 1; }
  get updateComplete() { return Promise.resolve(true); }
  connect() { this.controllers.forEach((c) => c.hostConnected?.()); }
  disconnect() { this.controllers.forEach((c) => c.hostDisconnected?.()); }
}

describe('StoreController', () => {
  it('reads the slice at construction and re-renders only when it changes', () => {
    const store = createStore<{ a: number; b: number }>()(() => ({ a: 1, b: 1 }));
    const host = new FakeHost();
    const c = new StoreController(host, store, (s) => s.a);
    expect(c.value).toBe(1);
    host.connect();
    store.setState({ b: 2 });
    expect(host.updates).toBe(0);
    store.setState({ a: 5 });
    expect(c.value).toBe(5);
    expect(host.updates).toBe(1);
  });

  it('unsubscribes on disconnect and catches up on reconnect', () => {
    const store = createStore<{ a: number }>()(() => ({ a: 1 }));
    const host = new FakeHost();
    const c = new StoreController(host, store, (s) => s.a);
    host.connect();
    host.disconnect();
    store.setState({ a: 2 });
    expect(host.updates).toBe(0);
    expect(c.value).toBe(1);
    host.connect();
    expect(c.value).toBe(2);
    expect(host.updates).toBe(1);
  });

  it('uses the equality function for object slices', () => {
    const store = createStore<{ a: number; b: number; c: number }>()(() => ({ a: 1, b: 2, c: 3 }));
    const host = new FakeHost();
    new StoreController(host, store, (s) => ({ a: s.a, b: s.b }), shallow);
    host.connect();
    store.setState({ c: 9 });
    expect(host.updates).toBe(0);
    store.setState({ a: 7 });
    expect(host.updates).toBe(1);
  });
});
