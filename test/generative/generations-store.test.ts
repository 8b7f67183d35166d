import { describe, expect, it } from 'vitest';
import { createGenerationsStore } from '../../src/store/generations-store';
import type { FromGenWorker, ToGenWorker } from '../../src/train/generative/gen-protocol';

function fakePort() {
  const sent: ToGenWorker[] = [];
  let listener: (m: FromGenWorker) => void = () => {};
  return { sent, port: { post: (m: ToGenWorker) => sent.push(m), listen: (l: (m: FromGenWorker) => void) => (listener = l) }, emit: (m: FromGenWorker) => listener(m) };
}

const point = (step: number) => ({ step, examplesSeen: step * 100, reconstruction: 200 - step, kl: 5 });

describe('generations store', () => {
  it('starts with the default preset, its ledger, and no worker traffic', () => {
    const { sent, port } = fakePort();
    const store = createGenerationsStore({ trainer: port });
    const s = store.getState();
    expect(s.presetId).toBe('cvae-dense');
    expect(s.analysis.totalParams).toBeGreaterThan(0);
    expect(s.run.status).toBe('idle');
    expect(sent).toEqual([]);
  });

  it('edits go through the parser: a bad value keeps the spec and says why', () => {
    const { port } = fakePort();
    const store = createGenerationsStore({ trainer: port });
    const before = store.getState().analysis.totalParams;
    store.getState().setField('latentSize', 0);
    expect(store.getState().spec.latentSize).toBe(2);
    expect(store.getState().fieldErrors[0]).toEqual({ path: 'latentSize', message: 'must be a whole number from 1 to 64, not 0' });
    store.getState().setField('hiddenSize', 100);
    expect(store.getState().fieldErrors).toEqual([]);
    expect(store.getState().presetId).toBeNull();
    expect(store.getState().analysis.totalParams).toBeLessThan(before);
    store.getState().loadPreset('vae-2d');
    expect(store.getState().spec.latentSize).toBe(2);
  });

  it('runs: start posts the spec and judge, progress and grids arrive, stale runs are dropped, edits wait', () => {
    const { sent, port, emit } = fakePort();
    const store = createGenerationsStore({ trainer: port });
    store.getState().start();
    expect(sent[0]).toMatchObject({ type: 'start', runId: 1, judge: 'quick', backend: 'auto' });
    emit({ type: 'phase', runId: 1, phase: 'training' });
    store.getState().setField('latentSize', 3);
    expect(store.getState().spec.latentSize).toBe(2);
    emit({ type: 'progress', runId: 1, epoch: 1, batch: 2, batchesPerEpoch: 600, examplesSeen: 200, examplesPerSecond: 900, elapsedMs: 300, tensors: 40, points: [point(1), point(2)] });
    emit({ type: 'progress', runId: 0, epoch: 1, batch: 9, batchesPerEpoch: 600, examplesSeen: 900, examplesPerSecond: 1, elapsedMs: 1, tensors: 1, points: [point(9)] });
    expect(store.getState().run.batches).toHaveLength(2);
    expect(store.getState().run.progress?.examplesSeen).toBe(200);
    const grid = { type: 'grid' as const, runId: 1, examplesSeen: 200, pixels: new Uint8Array(78400), judged: null };
    emit(grid);
    emit({ ...grid, examplesSeen: 400 });
    expect(store.getState().run.grid?.version).toBe(2);
    store.getState().pause();
    expect(sent.at(-1)).toEqual({ type: 'pause', runId: 1 });
    emit({ type: 'error', runId: 1, message: 'Training diverged' });
    expect(store.getState().run.status).toBe('error');
    store.getState().start();
    expect(sent.at(-1)).toMatchObject({ type: 'start', runId: 2 });
    expect(store.getState().run.batches).toEqual([]);
  });

  it('explore answers: the newest decode wins, errors do not end the run', () => {
    const { port, emit } = fakePort();
    const store = createGenerationsStore({ trainer: port });
    store.getState().start();
    emit({ type: 'phase', runId: 1, phase: 'done' });
    emit({ type: 'decoded', runId: 1, requestId: 5, pixels: new Uint8Array(784).fill(5) });
    emit({ type: 'decoded', runId: 1, requestId: 4, pixels: new Uint8Array(784).fill(4) });
    expect(store.getState().explore.decoded?.requestId).toBe(5);
    emit({ type: 'explore-error', runId: 1, requestId: 6, message: 'The latent map needs a 2-D latent code' });
    expect(store.getState().explore.error).toMatch(/2-D/);
    expect(store.getState().run.status).toBe('done');
  });
});
