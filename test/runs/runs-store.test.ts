import { describe, expect, it } from 'vitest';
import { DEFAULT_PRESET_ID, getPreset } from '../../src/model/presets';
import { createAppStore } from '../../src/store/app-store';
import { createMemoryRunsRepository, type RunsRepository } from '../../src/store/runs-repository';
import type { RunRecord } from '../../src/runs/record';
import { fakeTrainer } from '../store/fake-trainer';
import { checkpoint, flush, progress, report } from './fixtures';

function setup(repo: RunsRepository & { quotaBytes: number } = createMemoryRunsRepository()) {
  const trainer = fakeTrainer();
  let clock = 1_700_000_000_000;
  const store = createAppStore({ trainer, initialSpec: getPreset(DEFAULT_PRESET_ID)!, runs: repo, now: () => (clock += 1000) });
  // A known rate, so the auto names below do not follow the preset's tuning.
  store.getState().updateTraining({ learningRate: 0.001 });
  return { trainer, store, repo, s: () => store.getState() };
}

/** Plays a whole run in the fake worker: progress, epoch, report, checkpoint and the end. */
function playRun(trainer: ReturnType<typeof fakeTrainer>, runId: number, opts: { steps: number; end: 'done' | 'stopped'; accuracy?: number; model?: boolean }) {
  trainer.emit({ type: 'status', runId, phase: 'training', backend: { name: 'wasm', threads: 2, simd: true, notes: [] } });
  trainer.emit(progress(runId, 1, opts.steps));
  trainer.emit({ type: 'epoch', runId, point: { epoch: 1, examplesSeen: opts.steps * 64, elapsedMs: 100, trainLoss: 0.5, trainAccuracy: 0.8, valLoss: 0.4, valAccuracy: 0.85 } });
  trainer.emit({ type: 'status', runId, phase: 'evaluating' });
  trainer.emit({ type: 'report', runId, report: report(opts.accuracy ?? 0.989) });
  if (opts.model !== false) trainer.emit({ type: 'checkpoint', runId, checkpoint: checkpoint(opts.steps) });
  trainer.emit({ type: 'status', runId, phase: opts.end });
}

describe('kept runs in the store', () => {
  it('saves a finished run with its model and an auto name, and lists it after a reload', async () => {
    const { store, trainer, repo, s } = setup();
    s().start();
    playRun(trainer, 1, { steps: 10, end: 'done' });
    await flush();
    expect(s().runs.list).toHaveLength(1);
    const entry = s().runs.list[0]!;
    expect(entry).toMatchObject({ name: 'Seed CNN · 122k params · adam 1e-3 · 98.9%', end: 'done', testAccuracy: 0.989, examplesSeen: 640, durationMs: 100, hasModel: true, backend: 'wasm', resumable: false });
    // At least the two 784-pixel images of the report; weights and history add more.
    expect(entry.bytes).toBeGreaterThan(2 * 784);
    expect(s().runs.storage?.usage).toBe(entry.bytes);
    const stored = (await repo.get(entry.id)) as RunRecord;
    expect(stored.spec).toEqual(store.getState().spec);
    expect(stored.batches.map((b) => b.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(stored.report?.predictions).toEqual(new Uint8Array([1, 2, 3, 4]));
    expect(await repo.getModel(entry.id)).toEqual(checkpoint(10));

    // A reload: a new store over the same storage.
    const again = setup(repo);
    await flush();
    expect(again.s().runs.list.map((r) => r.name)).toEqual(['Seed CNN · 122k params · adam 1e-3 · 98.9%']);
  });

  it('opens a kept run: spec through the commit path, curves, report, and its model restored in the worker', async () => {
    const first = setup();
    first.s().updateTraining({ learningRate: 0.005, seed: 3 });
    first.s().start();
    playRun(first.trainer, 1, { steps: 6, end: 'stopped', accuracy: 0.9 });
    await flush();
    const trainedSpec = first.s().spec;

    const { trainer, s } = setup(first.repo);
    await flush();
    expect(s().spec.training.seed).toBe(1);
    const id = s().runs.list[0]!.id;
    expect(s().runs.list[0]!.resumable).toBe(true); // stopped after 6 of 10 steps, with its model
    expect(await s().openRun(id)).toBe(true);
    expect(s().spec).toEqual(trainedSpec);
    expect(s().canUndo).toBe(true);
    expect(s().run.batches).toHaveLength(6);
    expect(s().run.epochs).toHaveLength(1);
    expect(s().run.report?.accuracy).toBe(0.9);
    expect(s().run.recordId).toBe(id);
    const restore = trainer.sent.at(-1)!;
    expect(restore.type).toBe('restore');
    if (restore.type !== 'restore') return;
    expect(restore.phase).toBe('stopped');
    expect(restore.spec).toBe(s().spec);
    expect(restore.checkpoint).toEqual(checkpoint(6));
    // The worker rebuilds it; the statuses do not save the run again.
    for (const phase of ['loading-data', 'building', 'stopped'] as const) trainer.emit({ type: 'status', runId: restore.runId, phase });
    await flush();
    expect(s().run.status).toBe('stopped');
    expect(s().runs.list).toHaveLength(1);
  });

  it('continues a stopped run and updates the same record', async () => {
    const { trainer, s, repo } = setup();
    s().start();
    playRun(trainer, 1, { steps: 4, end: 'stopped' });
    await flush();
    const id = s().runs.list[0]!.id;
    expect(s().runs.list[0]!.resumable).toBe(true);
    s().continueRun();
    expect(trainer.sent.at(-1)).toEqual({ type: 'continue', runId: 1 });
    trainer.emit({ type: 'status', runId: 1, phase: 'training' });
    trainer.emit(progress(1, 5, 10));
    trainer.emit({ type: 'report', runId: 1, report: report(0.95) });
    trainer.emit({ type: 'checkpoint', runId: 1, checkpoint: checkpoint(10) });
    trainer.emit({ type: 'status', runId: 1, phase: 'done' });
    await flush();
    expect(s().runs.list.map((r) => [r.id, r.end, r.testAccuracy, r.resumable])).toEqual([[id, 'done', 0.95, false]]);
    expect(((await repo.get(id)) as RunRecord).batches.map((b) => b.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await repo.getModel(id)).toEqual(checkpoint(10));
  });

  it('a full quota keeps the run in memory with a message; Retry saves it once there is room', async () => {
    const { trainer, s, repo } = setup(createMemoryRunsRepository({ quotaBytes: 1000 }));
    s().start();
    playRun(trainer, 1, { steps: 10, end: 'done' });
    await flush();
    expect(s().runs.list).toHaveLength(0);
    expect(s().runs.message).toMatch(/^The browser's storage is full, so the run “Seed CNN · 122k params · adam 1e-3 · 98\.9%” was not saved\. It stays in this tab: delete or prune old runs, then press Retry\.$/);
    expect(s().runs.unsaved?.extras.model).toEqual(checkpoint(10));
    // The run itself is untouched.
    expect(s().run.status).toBe('done');
    expect(s().run.report?.accuracy).toBe(0.989);
    await s().retrySave();
    expect(s().runs.message).toMatch(/storage is full/);
    repo.quotaBytes = Infinity;
    await s().retrySave();
    expect(s().runs.message).toBeNull();
    expect(s().runs.unsaved).toBeNull();
    expect(s().runs.list.map((r) => r.hasModel)).toEqual([true]);
  });

  it('renames, deletes, prunes the oldest and clears', async () => {
    const { trainer, s } = setup();
    for (let runId = 1; runId <= 4; runId++) {
      s().start();
      playRun(trainer, runId, { steps: 10, end: 'done', accuracy: (90 + runId) / 100 });
      await flush();
    }
    expect(s().runs.list.map((r) => r.testAccuracy)).toEqual([0.94, 0.93, 0.92, 0.91]);
    const [newest, , , oldest] = s().runs.list;
    await s().renameRun(newest!.id, '  best so far  ');
    expect(s().runs.list[0]!.name).toBe('best so far');
    // A renamed run keeps its name when it is saved again (here: an evaluation after the end).
    trainer.emit({ type: 'report', runId: 4, report: report(0.97) });
    trainer.emit({ type: 'status', runId: 4, phase: 'done' });
    await flush();
    expect(s().runs.list[0]).toMatchObject({ name: 'best so far', testAccuracy: 0.97, hasModel: true });
    await s().deleteRun(oldest!.id);
    expect(s().runs.list).toHaveLength(3);
    await s().pruneRuns(1);
    expect(s().runs.list.map((r) => r.name)).toEqual(['best so far']);
    await s().clearRuns();
    expect(s().runs.list).toEqual([]);
  });

  it('keeps a run that failed after training, not one that failed before, and a replaced run as stopped', async () => {
    const { trainer, s } = setup();
    s().start();
    trainer.emit({ type: 'error', runId: 1, message: 'MNIST could not be loaded' });
    await flush();
    expect(s().runs.list).toHaveLength(0);
    s().start();
    trainer.emit(progress(2, 1, 3));
    trainer.emit({ type: 'error', runId: 2, message: 'Training diverged at epoch 1, batch 3' });
    await flush();
    expect(s().runs.list.map((r) => [r.end, r.name, r.hasModel])).toEqual([['error', 'Seed CNN · 122k params · adam 1e-3 · failed', false]]);
    s().start();
    trainer.emit({ type: 'status', runId: 3, phase: 'training' });
    trainer.emit(progress(3, 1, 2));
    s().start();
    await flush();
    expect(s().runs.list.map((r) => [r.end, r.examplesSeen])).toEqual([['stopped', 128], ['error', 192]]);
  });

  it('refuses to open a damaged record or to open while training, keeping the current work', async () => {
    const { trainer, s, repo } = setup();
    s().start();
    playRun(trainer, 1, { steps: 10, end: 'done' });
    await flush();
    const id = s().runs.list[0]!.id;
    const good = (await repo.get(id)) as RunRecord;
    await repo.put({ ...good, spec: { ...good.spec, layers: [] } });
    s().updateTraining({ seed: 42 });
    const before = s().spec;
    expect(await s().openRun(id)).toBe(false);
    expect(s().runs.message).toMatch(/^The stored run cannot be read: its network is not valid: layers: /);
    expect(s().spec).toBe(before);
    await repo.put(good);
    s().start();
    trainer.emit({ type: 'status', runId: 2, phase: 'training' });
    expect(await s().openRun(id)).toBe(false);
    expect(s().runs.message).toBe('Stop the current run before opening another one.');
    expect(s().spec).toBe(before);
  });
});

describe('comparing kept runs', () => {
  it('picks at most four runs, forgets deleted ones, and loads their whole records', async () => {
    const { trainer, s } = setup();
    for (let runId = 1; runId <= 5; runId++) {
      s().start();
      playRun(trainer, runId, { steps: 10, end: 'done', accuracy: (90 + runId) / 100 });
      await flush();
    }
    const ids = s().runs.list.map((r) => r.id);
    for (const id of ids) s().toggleCompare(id);
    expect(s().runs.compare).toEqual(ids.slice(1));
    s().toggleCompare(ids[2]!);
    expect(s().runs.compare).toEqual([ids[1], ids[3], ids[4]]);
    await s().deleteRun(ids[3]!);
    expect(s().runs.compare).toEqual([ids[1], ids[4]]);
    const records = await s().loadRunRecords(s().runs.compare);
    expect(records.map((r) => r.report?.accuracy)).toEqual([0.94, 0.91]);
    expect(records[0]!.batches).toHaveLength(10);
  });

  it('repeats the network with seeds 1-3 one run after another, and a stop ends the queue', async () => {
    const { trainer, s } = setup();
    s().updateTraining({ seed: 9 });
    s().repeatWithSeeds([1, 2, 3]);
    const starts = () => trainer.sent.filter((m) => m.type === 'start').map((m) => (m.type === 'start' ? [m.runId, m.spec.training.seed] : []));
    expect(starts()).toEqual([[1, 1]]);
    expect(s().runs.queue).toEqual([2, 3]);
    playRun(trainer, 1, { steps: 10, end: 'done' });
    expect(starts()).toEqual([[1, 1], [2, 2]]);
    playRun(trainer, 2, { steps: 10, end: 'done' });
    expect(starts()).toEqual([[1, 1], [2, 2], [3, 3]]);
    playRun(trainer, 3, { steps: 10, end: 'done' });
    await flush();
    expect(starts()).toHaveLength(3);
    expect(s().runs.list.map((r) => r.spec.training.seed)).toEqual([3, 2, 1]);
    // The seed edits are ordinary undoable edits.
    expect(s().canUndo).toBe(true);

    s().repeatWithSeeds([4, 5]);
    playRun(trainer, 4, { steps: 3, end: 'stopped' });
    await flush();
    expect(starts().map(([, seed]) => seed)).toEqual([1, 2, 3, 4]);
    expect(s().runs.queue).toEqual([]);
  });
});

describe('the time-lapse of a run', () => {
  const kernel = (step: number) => ({ shape: [3, 3, 1, 2], values: Float32Array.from({ length: 18 }, (_, i) => Math.sin(i * step)) });
  const filters = (runId: number, step: number) => ({ type: 'filters' as const, runId, snapshot: { step, examplesSeen: step * 64, layers: [{ index: 0, kernel: kernel(step) }] } });
  const probeAnswer = (runId: number, requestId: number) => ({
    type: 'probe' as const, runId,
    result: { requestId, pixels: new Uint8Array(784), label: 7, testIndex: 0, probabilities: new Array(10).fill(0.1), saliency: null,
      activations: [{ shape: [26, 26, 2], values: new Float32Array(26 * 26 * 2).fill(0.5) }, { shape: [10], values: new Float32Array(10) }] },
  });

  it('pairs filter snapshots with probes of the fixed digit, keeps it with the run and restores it on open', async () => {
    const { trainer, s, repo } = setup();
    s().inspectInput({ source: 'test', index: 5 });
    s().start();
    trainer.emit({ type: 'status', runId: 1, phase: 'training' });
    trainer.emit(filters(1, 3));
    const probe = trainer.sent.at(-1)!;
    expect(probe).toMatchObject({ type: 'probe', runId: 1, input: { source: 'test', index: 0 }, saliencyClass: null });
    if (probe.type !== 'probe') return;
    // A second snapshot while the probe is out is skipped: one in flight at most.
    trainer.emit(filters(1, 4));
    expect(trainer.sent.filter((m) => m.type === 'probe')).toHaveLength(2); // the inspector's own, and ours
    trainer.emit(probeAnswer(1, probe.requestId));
    expect(s().run.timelapse?.frames.map((f) => [f.step, f.filters[0]!.kernel.shape, f.maps[0]!.map.shape])).toEqual([[3, [3, 3, 1, 2], [26, 26, 2]]]);
    // The inspector never saw our answer.
    expect(s().inspect.probe).toBeNull();
    trainer.emit(filters(1, 9));
    const second = trainer.sent.at(-1)!;
    if (second.type !== 'probe') throw new Error('no probe');
    trainer.emit(probeAnswer(1, second.requestId));
    expect(s().run.timelapse?.frames.map((f) => f.step)).toEqual([3, 9]);
    playRun(trainer, 1, { steps: 10, end: 'done' });
    await flush();
    const id = s().runs.list[0]!.id;
    expect(((await repo.getTimelapse(id)) as { frames: unknown[] }).frames).toHaveLength(2);

    const again = setup(repo);
    await flush();
    await again.s().openRun(id);
    expect(again.s().run.timelapse?.frames.map((f) => f.step)).toEqual([3, 9]);
  });
});
