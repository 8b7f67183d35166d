import { describe, expect, it } from 'vitest';
import type { GenAnalysis } from '../../src/model/generative/analyze';
import type { GanAnalysis, GanSpec } from '../../src/model/generative/gan-spec';
import { GAN_PRESETS } from '../../src/model/generative/presets';
import type { GenerativeSpec } from '../../src/model/generative/spec';
import { createGenerationsStore, type GenerationsState } from '../../src/store/generations-store';
import type { FromGenWorker, ToGenWorker } from '../../src/train/generative/gen-protocol';

function fakePort() {
  const sent: ToGenWorker[] = [];
  let listener: (m: FromGenWorker) => void = () => {};
  return { sent, port: { post: (m: ToGenWorker) => sent.push(m), listen: (l: (m: FromGenWorker) => void) => (listener = l) }, emit: (m: FromGenWorker) => listener(m) };
}

/** The store's spec and analysis as the kind a test expects (the store holds either). */
const vae = (s: GenerationsState) => ({ spec: s.spec as GenerativeSpec, analysis: s.analysis as GenAnalysis });
const gan = (s: GenerationsState) => ({ spec: s.spec as GanSpec, analysis: s.analysis as GanAnalysis });

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

  it('field edits are checked: a bad value keeps the spec and says why', () => {
    const { port } = fakePort();
    const store = createGenerationsStore({ trainer: port });
    const before = store.getState().analysis.totalParams;
    store.getState().setField('latentSize', 0);
    expect(store.getState().spec.latentSize).toBe(2);
    expect(store.getState().fieldErrors[0]).toEqual({ path: 'latentSize', message: 'must be a whole number from 1 to 64, not 0' });
    store.getState().setField('latentSize', 8);
    expect(store.getState().fieldErrors).toEqual([]);
    expect(store.getState().presetId).toBeNull();
    expect(store.getState().analysis.totalParams).toBeGreaterThan(before);
    store.getState().loadPreset('vae-2d');
    expect(store.getState().presetId).toBe('vae-2d');
    expect(store.getState().spec.kind).toBe('vae');
  });

  it('edits either network in place, with fixes and one undo history', () => {
    const { port } = fakePort();
    let clock = 0;
    const store = createGenerationsStore({ trainer: port, now: () => (clock += 5000) });
    const s = () => store.getState();
    const before = vae(s()).analysis.decoder.body.totalParams;
    s().updateLayer('decoder', 0, { units: 128 });
    expect(vae(s()).spec.decoder[0]).toEqual({ kind: 'dense', units: 128, activation: 'relu' });
    expect(vae(s()).analysis.decoder.body.totalParams).toBeLessThan(before);
    expect(vae(s()).spec.encoder).toBe(vae(store.getInitialState()).spec.encoder);
    // A decoder that no longer ends in 784 values is marked, refused for training, and fixed in one click.
    s().removeLayer('decoder', 1);
    expect(s().trainBlock).toMatch(/^Fix the networks before training: decoder\[0\]: the decoder must end with 784 values/);
    s().start();
    expect(s().startError).toBe(s().trainBlock);
    expect(s().run.runId).toBe(0);
    expect(s().applyFix('decoder', 'last-dense@0')).toBe(true);
    expect(vae(s()).spec.decoder).toEqual([{ kind: 'dense', units: 784, activation: 'linear' }]);
    expect(s().trainBlock).toBeNull();
    s().addLayer('encoder', 'dropout', 1);
    expect(vae(s()).spec.encoder.map((l) => l.kind)).toEqual(['dense', 'dropout']);
    // Undo walks back through both networks' edits to the preset, which is current again.
    for (let i = 0; i < 4; i++) expect(s().undo()).toBe(true);
    expect(s().spec).toBe(store.getInitialState().spec);
    expect(s().presetId).toBe('cvae-dense');
    expect(s().redo()).toBe(true);
    expect(vae(s()).spec.decoder[0]).toMatchObject({ units: 128 });
  });

  it('runs: start posts the spec and judge, progress and grids arrive, stale runs are dropped, edits wait', () => {
    const { sent, port, emit } = fakePort();
    const store = createGenerationsStore({ trainer: port });
    store.getState().start();
    expect(sent[0]).toMatchObject({ type: 'start', runId: 1, judge: 'quick', backend: 'auto' });
    emit({ type: 'phase', runId: 1, phase: 'training' });
    // An edit while training pauses the run and marks it stale; undoing it makes the run current again.
    store.getState().setField('latentSize', 3);
    expect(store.getState().spec.latentSize).toBe(3);
    expect(sent.at(-1)).toEqual({ type: 'pause', runId: 1 });
    expect(store.getState().run.stale).toBe(true);
    store.getState().undo();
    expect(store.getState().run.stale).toBe(false);
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

  it('holds the conditional DCGAN: its two networks are edited with fixes and undo, and Train sends the GAN spec', () => {
    const { sent, port, emit } = fakePort();
    let clock = 0;
    const store = createGenerationsStore({ trainer: port, now: () => (clock += 5000) });
    const s = () => store.getState();
    s().loadPreset('cgan-dcgan');
    const preset = GAN_PRESETS[0]!.spec;
    expect(s().presetId).toBe('cgan-dcgan');
    expect(s().spec).toBe(preset);
    const a = gan(s()).analysis;
    expect(a.generator.body.totalParams + a.discriminator.body.totalParams).toBe(a.totalParams);
    expect(s().trainBlock).toBeNull();
    // A VAE network's edit does nothing to a GAN (an editor on its way out may still call it).
    const history = s().history;
    s().updateLayer('encoder', 0, { units: 3 });
    expect(s().spec).toBe(preset);
    expect(s().history).toBe(history);
    // A generator ending in a linear layer cannot draw pixels: refused, then fixed in one click.
    s().updateLayer('generator', 5, { activation: 'linear' });
    expect(gan(s()).spec.generator[5]).toMatchObject({ kind: 'conv2dTranspose', activation: 'linear' });
    expect(s().trainBlock).toMatch(/^Fix the networks before training: generator\[5\]\.activation: the generator's last layer draws pixels/);
    s().start();
    expect(s().startError).toBe(s().trainBlock);
    expect(sent).toEqual([]);
    expect(s().applyFix('generator', 'tanh@5')).toBe(true);
    expect(s().trainBlock).toBeNull();
    // Without its last layer the generator ends at 14x14x32; the offered fix adds a stride-2 transposed convolution.
    s().removeLayer('generator', 5);
    expect(s().trainBlock).toMatch(/generator\[4\]: the generator must end with 784 values/);
    expect(s().applyFix('generator', 'append-conv-t')).toBe(true);
    expect(gan(s()).spec.generator[5]).toMatchObject({ kind: 'conv2dTranspose', filters: 1, stride: 2, activation: 'tanh' });
    expect(s().trainBlock).toBeNull();
    const before = gan(s()).analysis.discriminator.body.totalParams;
    s().updateLayer('discriminator', 2, { filters: 16 });
    expect(gan(s()).analysis.discriminator.body.totalParams).toBeLessThan(before);
    expect(gan(s()).spec.generator).not.toBe(preset.generator);
    // Undo walks back through both networks' edits to the preset.
    for (let i = 0; i < 5; i++) expect(s().undo()).toBe(true);
    expect(s().spec).toBe(preset);
    expect(s().presetId).toBe('cgan-dcgan');
    // One step further is the VAE the store started with: switching presets is undoable too.
    expect(s().undo()).toBe(true);
    expect(s().presetId).toBe('cvae-dense');
    expect(s().redo()).toBe(true);
    expect(s().spec).toBe(preset);
    s().start();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ type: 'start', runId: 1, judge: 'quick', backend: 'auto', spec: { kind: 'cgan', latentSize: preset.latentSize } });
    expect(s().run.spec).toBe(preset);
    emit({ type: 'phase', runId: 1, phase: 'training' });
    const g = { step: 1, examplesSeen: 64, reconstruction: Number.NaN, kl: Number.NaN, discriminator: 1.3, generator: 0.8 };
    emit({ type: 'progress', runId: 1, epoch: 1, batch: 1, batchesPerEpoch: 938, examplesSeen: 64, examplesPerSecond: 120, elapsedMs: 500, tensors: 80, points: [g] });
    expect(s().run.batches).toEqual([g]);
    // An edit while a GAN trains pauses it and marks it stale, as for a VAE.
    s().setField('learningRate', 0.001);
    expect(sent.at(-1)).toEqual({ type: 'pause', runId: 1 });
    expect(s().run.stale).toBe(true);
    expect(s().presetId).toBeNull();
    s().loadPreset('cvae-dense');
    expect(s().spec.kind).toBe('cvae');
    expect(vae(s()).analysis.encoder.body.totalParams).toBeGreaterThan(0);
  });
});
