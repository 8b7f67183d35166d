import { describe, expect, it, vi } from 'vitest';
import { getPreset } from '../../src/model/presets';
import type { NetworkSpec } from '../../src/model/spec';
import { createAppStore } from '../../src/store/app-store';
import { STORAGE_KEY } from '../../src/store/persist';
import { decodeHash, specHash } from '../../src/store/url-state';
import { WRITE_DELAY_MS, chooseInitialSpec, startUrlSync, type StartSource, type UrlSyncDeps } from '../../src/store/url-sync';
import { fakeTrainer } from './fake-trainer';

const PAGE = 'https://example.test/playground/';
const lenet = () => getPreset('lenet-5')!;
const tiny = () => getPreset('tiny-cnn')!;
const seed = () => getPreset('seed-cnn')!;
/** Lets pending promises (encoding, decoding) finish; the sync's own timers are fake. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

/** A fake window: address bar, history, storage, events and a manual clock. */
function fakeWindow(options: { hash?: string; stored?: string; storageFails?: 'read' | 'write' | 'absent' } = {}) {
  const listeners = new Map<string, Set<() => void>>();
  const timers = new Map<number, () => void>();
  let nextTimer = 1;
  const location = { hash: options.hash ?? '', get href() { return PAGE + this.hash; } };
  const data = new Map<string, string>(options.stored === undefined ? [] : [[STORAGE_KEY, options.stored]]);
  const storage = {
    getItem: vi.fn((key: string) => {
      if (options.storageFails === 'read') throw new Error('SecurityError');
      return data.get(key) ?? null;
    }),
    setItem: vi.fn((key: string, value: string) => {
      if (options.storageFails === 'write') throw new Error('QuotaExceededError');
      data.set(key, value);
    }),
  };
  const history = {
    state: null,
    replaceState: vi.fn((_state: unknown, _title: string, url: string) => {
      location.hash = url.includes('#') ? url.slice(url.indexOf('#')) : '';
    }),
  };
  const notices: string[] = [];
  const notes: string[] = [];
  const deps: UrlSyncDeps = {
    location, history, storage: options.storageFails === 'absent' ? null : storage,
    addEventListener: (type, listener) => void (listeners.get(type) ?? listeners.set(type, new Set()).get(type)!).add(listener),
    removeEventListener: (type, listener) => void listeners.get(type)?.delete(listener),
    setTimeout: (callback, ms) => {
      expect(ms).toBe(WRITE_DELAY_MS);
      timers.set(nextTimer, callback);
      return nextTimer++;
    },
    clearTimeout: (handle) => void timers.delete(handle as number),
    notify: (message) => notices.push(message),
    note: (message) => notes.push(message),
  };
  return {
    deps, location, history, storage, data, notices, notes,
    /** Runs the pending debounce timer, as if 300 ms of quiet had passed. */
    tick() {
      const pending = [...timers.values()];
      timers.clear();
      pending.forEach((f) => f());
    },
    pendingTimers: () => timers.size,
    /** A person pastes a new hash into the address bar. */
    paste(hash: string) {
      location.hash = hash;
      listeners.get('hashchange')?.forEach((f) => f());
    },
    fire: (type: string) => listeners.get(type)?.forEach((f) => f()),
    listenerCount: () => [...listeners.values()].reduce((n, s) => n + s.size, 0),
  };
}

function started(win: ReturnType<typeof fakeWindow>, spec: NetworkSpec, source: StartSource) {
  const trainer = fakeTrainer();
  const store = createAppStore({ trainer, initialSpec: spec });
  const sync = startUrlSync(store, win.deps, source);
  return { store, sync, trainer };
}

const storedSpec = (win: ReturnType<typeof fakeWindow>): unknown => JSON.parse(win.data.get(STORAGE_KEY) ?? 'null');

describe('chooseInitialSpec', () => {
  it('lets a valid link win over the saved work', async () => {
    const win = fakeWindow({ hash: await specHash(lenet()), stored: JSON.stringify(tiny()) });
    expect(await chooseInitialSpec(win.deps)).toEqual({ spec: lenet(), source: 'link', notice: null });
  });

  it('opens #preset=<id>', async () => {
    const win = fakeWindow({ hash: '#preset=tiny-cnn' });
    expect(await chooseInitialSpec(win.deps)).toMatchObject({ spec: tiny(), source: 'link' });
  });

  it('uses the saved work without a hash, else the default preset', async () => {
    expect(await chooseInitialSpec(fakeWindow({ stored: JSON.stringify(tiny()) }).deps)).toEqual({ spec: tiny(), source: 'saved', notice: null });
    expect(await chooseInitialSpec(fakeWindow().deps)).toEqual({ spec: seed(), source: 'default', notice: null });
  });

  it('keeps the saved work when the link is bad, and says so', async () => {
    const win = fakeWindow({ hash: '#s=v1.!!', stored: JSON.stringify(tiny()) });
    const initial = await chooseInitialSpec(win.deps);
    expect(initial).toMatchObject({ spec: tiny(), source: 'saved' });
    expect(initial.notice).toBe('This link is damaged: it contains characters that never appear in a share link. Your saved work was kept.');
  });

  it('falls back to the default preset for a bad link and nothing saved', async () => {
    const initial = await chooseInitialSpec(fakeWindow({ hash: '#preset=nope' }).deps);
    expect(initial).toMatchObject({ spec: seed(), source: 'default' });
    expect(initial.notice).toMatch(/^Unknown preset "nope"; .* The default network is shown instead\.$/);
  });

  it.each([
    ['not JSON', '{oops', 'is not valid JSON'],
    ['an old version', JSON.stringify({ ...tiny(), version: 0 }), 'version: must be 1'],
    ['an invalid stack', JSON.stringify({ ...tiny(), layers: [{ kind: 'nope' }] }), 'is not a layer kind'],
    ['deep nesting', '['.repeat(10_000), 'nested too deeply'],
  ])('ignores saved data that is %s, with a console note', async (_what, stored, fragment) => {
    const win = fakeWindow({ stored });
    expect(await chooseInitialSpec(win.deps)).toEqual({ spec: seed(), source: 'default', notice: null });
    expect(win.notes).toHaveLength(1);
    expect(win.notes[0]).toContain(fragment);
  });

  it('survives a storage that cannot be read or does not exist', async () => {
    const blocked = fakeWindow({ storageFails: 'read' });
    expect(await chooseInitialSpec(blocked.deps)).toMatchObject({ source: 'default' });
    expect(blocked.notes[0]).toContain('storage is blocked');
    expect(await chooseInitialSpec(fakeWindow({ storageFails: 'absent' }).deps)).toMatchObject({ source: 'default' });
  });
});

describe('startUrlSync', () => {
  it('writes edits to the address bar and storage once, 300 ms after the last one', async () => {
    const win = fakeWindow();
    const { store } = started(win, seed(), 'default');
    expect(win.pendingTimers()).toBe(0);
    store.getState().loadPreset('lenet-5');
    store.getState().updateTraining({ epochs: 3 });
    expect(win.pendingTimers()).toBe(1);
    expect(win.history.replaceState).not.toHaveBeenCalled();
    win.tick();
    await vi.waitFor(() => expect(win.history.replaceState).toHaveBeenCalledTimes(1));
    const edited = store.getState().spec;
    expect(edited.training.epochs).toBe(3);
    expect(win.history.replaceState.mock.calls[0]![2]).toBe(PAGE + (await specHash(edited)));
    expect(await decodeHash(win.location.hash)).toEqual({ ok: true, spec: edited });
    expect(storedSpec(win)).toEqual(edited);
  });

  it('leaves a fresh page and an opened link alone until the first edit, and shows saved work in the address bar', async () => {
    const fresh = fakeWindow();
    started(fresh, seed(), 'default');
    const linked = fakeWindow({ hash: '#preset=lenet-5' });
    started(linked, lenet(), 'link');
    expect(fresh.pendingTimers() + linked.pendingTimers()).toBe(0);
    const saved = fakeWindow({ stored: JSON.stringify(tiny()) });
    started(saved, tiny(), 'saved');
    saved.tick();
    const hash = await specHash(tiny());
    await vi.waitFor(() => expect(saved.location.hash).toBe(hash));
  });

  it('never writes run state: starting a run schedules nothing', async () => {
    const win = fakeWindow();
    const { store, trainer } = started(win, seed(), 'default');
    store.getState().start();
    trainer.emit({ type: 'status', runId: 1, phase: 'training' });
    expect(trainer.sent).toHaveLength(1);
    expect(win.pendingTimers()).toBe(0);
  });

  it('applies a pasted valid link through setSpec, saves it, and does not write it back', async () => {
    const win = fakeWindow();
    const { store } = started(win, seed(), 'default');
    const setSpec = vi.spyOn(store.getState(), 'setSpec');
    const hash = await specHash({ ...lenet(), name: 'Pasted' });
    win.paste(hash);
    await vi.waitFor(() => expect(store.getState().spec.name).toBe('Pasted'));
    expect(setSpec).toHaveBeenCalledTimes(1);
    win.tick();
    await settle();
    expect(win.history.replaceState).not.toHaveBeenCalled();
    expect(win.location.hash).toBe(hash);
    expect(storedSpec(win)).toMatchObject({ name: 'Pasted' });
  });

  it('keeps the current work when a pasted link is bad, and says why', async () => {
    const win = fakeWindow({ stored: JSON.stringify(tiny()) });
    const { store } = started(win, tiny(), 'saved');
    win.tick();
    await settle();
    win.paste('#s=v1.%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E');
    await vi.waitFor(() => expect(win.notices).toHaveLength(1));
    expect(win.notices[0]).toBe('This link is damaged: it contains characters that never appear in a share link. Your current work was kept.');
    expect(store.getState().spec).toEqual(tiny());
    expect(storedSpec(win)).toEqual(tiny());
  });

  it('applies only the latest of two quickly pasted links', async () => {
    const win = fakeWindow();
    const { store } = started(win, seed(), 'default');
    win.paste(await specHash({ ...lenet(), name: 'First' }));
    win.paste('#preset=tiny-cnn');
    await settle();
    expect(store.getState().spec).toEqual(tiny());
  });

  it('reports a storage failure once and never throws', async () => {
    const win = fakeWindow({ storageFails: 'write' });
    const { store, sync } = started(win, seed(), 'default');
    for (const epochs of [2, 3, 4]) {
      store.getState().updateTraining({ epochs });
      win.tick();
      await settle();
    }
    expect(await sync.shareLink()).toMatchObject({ ok: true });
    expect(win.storage.setItem).toHaveBeenCalledTimes(4);
    expect(win.notices).toEqual([expect.stringContaining('could not be saved in this browser')]);
    expect(win.location.hash).toBe(await specHash(store.getState().spec));
  });

  it('on pagehide, saves a pending edit now and drops the stale link so a reload reads the saved work', async () => {
    const win = fakeWindow({ hash: '#preset=lenet-5' });
    const { store } = started(win, lenet(), 'link');
    win.fire('pagehide');
    expect(win.history.replaceState).not.toHaveBeenCalled();
    store.getState().updateTraining({ epochs: 5 });
    win.fire('pagehide');
    expect(storedSpec(win)).toMatchObject({ training: { epochs: 5 } });
    expect(win.history.replaceState).toHaveBeenLastCalledWith(null, '', PAGE);
    expect(win.pendingTimers()).toBe(0);
  });

  it('shareLink writes the current spec to the address bar now and returns the full link', async () => {
    const win = fakeWindow();
    const { store, sync } = started(win, seed(), 'default');
    store.getState().updateTraining({ epochs: 7 });
    const result = await sync.shareLink();
    expect(win.pendingTimers()).toBe(0);
    const url = PAGE + (await specHash(store.getState().spec));
    expect(result).toEqual({ ok: true, url });
    expect(win.location.hash).toBe(url.slice(PAGE.length));
    expect(storedSpec(win)).toMatchObject({ training: { epochs: 7 } });
  });

  it('keeps the last valid spec in the address bar and storage while the stack is invalid, and will not share it', async () => {
    const win = fakeWindow();
    const { store, sync } = started(win, seed(), 'default');
    store.getState().updateTraining({ epochs: 2 });
    win.tick();
    await vi.waitFor(() => expect(win.history.replaceState).toHaveBeenCalledTimes(1));
    const valid = store.getState().spec;
    store.getState().setSpec({ ...valid, layers: valid.layers.filter((l) => l.kind !== 'flatten') });
    win.tick();
    await settle();
    win.fire('pagehide');
    expect(win.history.replaceState).toHaveBeenCalledTimes(1);
    expect(storedSpec(win)).toEqual(valid);
    expect(await decodeHash(win.location.hash)).toEqual({ ok: true, spec: valid });
    expect(await sync.shareLink()).toEqual({ ok: false, message: expect.stringContaining('Fix the problems marked in the network first') });
  });

  it('stop() removes its listeners and drops a pending write', async () => {
    const win = fakeWindow();
    const { store, sync } = started(win, seed(), 'default');
    expect(win.listenerCount()).toBe(2);
    store.getState().updateTraining({ epochs: 2 });
    sync.stop();
    expect(win.listenerCount()).toBe(0);
    expect(win.pendingTimers()).toBe(0);
    store.getState().updateTraining({ epochs: 3 });
    expect(win.pendingTimers()).toBe(0);
  });
});
