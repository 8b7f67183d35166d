import { describe, expect, it } from 'vitest';
import { DEFAULT_PRESET_ID, getPreset, PRESETS } from '../../src/model/presets';
import type { NetworkSpec } from '../../src/model/spec';
import { backendUnavailable, createAppStore } from '../../src/store/app-store';
import type { BatchPoint } from '../../src/train/protocol';
import { fakeTrainer } from './fake-trainer';

function setup() {
  const trainer = fakeTrainer();
  const store = createAppStore({ trainer, initialSpec: getPreset(DEFAULT_PRESET_ID)! });
  return { trainer, store };
}

const point = (step: number): BatchPoint => ({ step, examplesSeen: step * 64, loss: 1 / step, accuracy: 0.5, elapsedMs: step * 10 });

function progress(runId: number, points: BatchPoint[]) {
  return { type: 'progress' as const, runId, epoch: 1, batch: points.length, batchesPerEpoch: 10, examplesSeen: 64 * points.length, elapsedMs: 10, examplesPerSecond: 500, tensors: 20, points };
}

describe('app store', () => {
  it('starts with the default preset and its analysis (121,930 parameters)', () => {
    const { store } = setup();
    expect(store.getState().spec.name).toBe(getPreset(DEFAULT_PRESET_ID)!.name);
    expect(store.getState().analysis.totalParams).toBe(121930);
    expect(store.getState().run.status).toBe('idle');
  });

  it('keeps the page smooth while looking inside unless the person chose speed (stored, or just now)', () => {
    expect(setup().store.getState().smoothInspector).toBe(true);
    const trainer = fakeTrainer();
    const chosen = createAppStore({ trainer, initialSpec: getPreset(DEFAULT_PRESET_ID)!, smoothInspector: false });
    expect(chosen.getState().smoothInspector).toBe(false);
    chosen.getState().setSmoothInspector(true);
    expect(chosen.getState().smoothInspector).toBe(true);
    // A view preference: nothing goes to the worker.
    expect(trainer.sent).toEqual([]);
  });

  it('derives the analysis whenever the spec changes', () => {
    const { store } = setup();
    const other = PRESETS.find((p) => p.id !== DEFAULT_PRESET_ID)!;
    expect(store.getState().loadPreset(other.id)).toBe(true);
    expect(store.getState().spec).toEqual(other.spec);
    expect(store.getState().analysis.totalParams).not.toBe(121930);
    expect(store.getState().loadPreset('no-such-preset')).toBe(false);
  });

  it('start posts the spec with a fresh run id and resets the run', () => {
    const { store, trainer } = setup();
    store.getState().start();
    store.getState().start();
    expect(trainer.sent.map((m) => [m.type, m.runId])).toEqual([['start', 1], ['start', 2]]);
    const first = trainer.sent[0];
    expect(first.type === 'start' && first.spec).toEqual(store.getState().spec);
    expect(store.getState().run.status).toBe('loading-data');
  });

  it('prepares the trainer with the chosen backend and the stack to warm up on, only before any run', () => {
    const invalid = setup();
    const spec = invalid.store.getState().spec;
    invalid.store.getState().setSpec({ ...spec, layers: spec.layers.slice(0, -1) });
    invalid.store.getState().prepareTraining();
    // A stack that cannot train gets no warm-up step; the backend still starts.
    expect(invalid.trainer.sent).toEqual([{ type: 'prepare', runId: 0, backend: 'auto' }]);

    const { store, trainer } = setup();
    store.getState().prepareTraining();
    expect(trainer.sent).toEqual([{ type: 'prepare', runId: 0, backend: 'auto', spec: store.getState().spec }]);
    // Its answer shows the backend before any run.
    const backend = { name: 'wasm' as const, notes: [], threads: 1 };
    trainer.emit({ type: 'prepared', runId: 0, backend });
    expect(store.getState().run).toMatchObject({ status: 'idle', backend });
    store.getState().start();
    store.getState().prepareTraining();
    expect(trainer.sent.map((m) => m.type)).toEqual(['prepare', 'start']);
    // A late answer does not touch the run that has started.
    trainer.emit({ type: 'prepared', runId: 1, backend });
    expect(store.getState().run).toMatchObject({ status: 'loading-data', backend: null });
  });

  it('starts the newly chosen backend before any run, without a warm-up step, and not once a run exists', () => {
    const { store, trainer } = setup();
    const wasm = { name: 'wasm' as const, notes: [] };
    trainer.emit({ type: 'prepared', runId: 0, backend: wasm });
    // Choosing what already runs changes nothing.
    store.getState().setBackendChoice('wasm');
    expect(trainer.sent).toEqual([]);
    store.getState().setBackendChoice('cpu');
    expect(trainer.sent).toEqual([{ type: 'prepare', runId: 0, backend: 'cpu' }]);
    // Until the worker answers, the panel names no backend rather than the old one.
    expect(store.getState().run.backend).toBeNull();
    trainer.emit({ type: 'prepared', runId: 0, backend: { name: 'cpu', notes: [] } });
    expect(store.getState().run.backend?.name).toBe('cpu');
    store.getState().start();
    store.getState().setBackendChoice('wasm');
    expect(trainer.sent.map((m) => m.type)).toEqual(['prepare', 'start']);
  });

  it('shows a chosen backend that cannot start before any run, will not train on it, and clears it when another is chosen', () => {
    const { store, trainer } = setup();
    store.getState().setBackendChoice('webgpu');
    const reason = 'No backend could start. webgpu: not available in this browser';
    trainer.emit({ type: 'backend-failed', runId: 0, backend: 'webgpu', message: reason });
    expect(store.getState().run).toMatchObject({ status: 'idle', backend: null, error: reason, unavailableBackend: 'webgpu' });
    expect(backendUnavailable(store.getState().run, 'webgpu')).toBe(true);
    expect(backendUnavailable(store.getState().run, 'wasm')).toBe(false);
    // Train would only fail the same way: nothing is sent.
    store.getState().start();
    expect(trainer.sent.map((m) => m.type)).toEqual(['prepare']);
    expect(store.getState().run.status).toBe('idle');
    store.getState().setBackendChoice('auto');
    expect(store.getState().run.error).toBeNull();
    expect(backendUnavailable(store.getState().run, 'webgpu')).toBe(false);
    trainer.emit({ type: 'prepared', runId: 0, backend: { name: 'wasm', notes: [] } });
    expect(store.getState().run).toMatchObject({ status: 'idle', backend: { name: 'wasm' }, error: null });
    // Once a run has started, a late failure of the warm-up does not touch it.
    store.getState().start();
    trainer.emit({ type: 'backend-failed', runId: 1, backend: 'webgpu', message: reason });
    expect(store.getState().run).toMatchObject({ status: 'loading-data', error: null });
  });

  it('appends progress deltas in order and drops messages from stale runs', () => {
    const { store, trainer } = setup();
    store.getState().start();
    store.getState().start();
    trainer.emit({ type: 'status', runId: 2, phase: 'training', backend: { name: 'wasm', threads: 2, simd: true, notes: [] } });
    trainer.emit(progress(1, [point(1)]));
    trainer.emit(progress(2, [point(1), point(2)]));
    trainer.emit(progress(2, [point(3)]));
    const run = store.getState().run;
    expect(run.batches.map((b) => b.step)).toEqual([1, 2, 3]);
    expect(run.backend?.threads).toBe(2);
    expect(run.progress?.examplesPerSecond).toBe(500);
  });

  it('pause, resume, stop and evaluate send commands only when they make sense', () => {
    const { store, trainer } = setup();
    const s = () => store.getState();
    s().pause();
    expect(trainer.sent).toHaveLength(0);
    s().start();
    trainer.emit({ type: 'status', runId: 1, phase: 'training' });
    s().resume();
    s().pause();
    trainer.emit({ type: 'status', runId: 1, phase: 'paused' });
    s().evaluate();
    s().resume();
    s().stop();
    expect(trainer.sent.map((m) => m.type)).toEqual(['start', 'pause', 'evaluate', 'resume', 'stop']);
  });

  it('an edit during training pauses the run and marks it stale', () => {
    const { store, trainer } = setup();
    store.getState().start();
    trainer.emit({ type: 'status', runId: 1, phase: 'training' });
    expect(store.getState().updateTraining({ epochs: 3 })).toEqual([]);
    expect(store.getState().spec.training.epochs).toBe(3);
    expect(store.getState().run.stale).toBe(true);
    expect(trainer.sent.at(-1)).toEqual({ type: 'pause', runId: 1 });
  });

  it('rejects invalid training settings with a message and keeps the old value', () => {
    const { store } = setup();
    const before: NetworkSpec = store.getState().spec;
    const errors = store.getState().updateTraining({ batchSize: 0 });
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0].path).toBe('training.batchSize');
    expect(store.getState().spec).toBe(before);
  });

  it('an error message stops the run and shows the reason', () => {
    const { store, trainer } = setup();
    store.getState().start();
    trainer.emit({ type: 'error', runId: 1, message: 'Training diverged' });
    trainer.emit({ type: 'status', runId: 1, phase: 'training' });
    expect(store.getState().run.status).toBe('error');
    expect(store.getState().run.error).toBe('Training diverged');
  });

  it('does not start an invalid stack', () => {
    const { store, trainer } = setup();
    const spec = store.getState().spec;
    store.getState().setSpec({ ...spec, layers: spec.layers.slice(0, -1) });
    expect(store.getState().analysis.valid).toBe(false);
    store.getState().start();
    expect(trainer.sent).toHaveLength(0);
  });
});
