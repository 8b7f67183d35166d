import { describe, expect, it } from 'vitest';
import { DEFAULT_PRESET_ID, getPreset } from '../../src/model/presets';
import { createAppStore } from '../../src/store/app-store';
import { GALLERY_LIMIT, HEALTH_HISTORY, REPROBE_INTERVAL_MS } from '../../src/store/inspect-slice';
import type { FromWorker, HealthSnapshot, ProbeResult, TestReport, ToWorker } from '../../src/train/protocol';
import { fakeTrainer } from './fake-trainer';

function setup() {
  const trainer = fakeTrainer();
  let clock = 0;
  const store = createAppStore({ trainer, initialSpec: getPreset(DEFAULT_PRESET_ID)!, now: () => clock });
  const s = () => store.getState();
  return { trainer, store, s, tick: (ms: number) => (clock += ms) };
}

type ProbeRequest = Extract<ToWorker, { type: 'probe' }>;
const probes = (sent: ToWorker[]) => sent.filter((m): m is ProbeRequest => m.type === 'probe');

function result(requestId: number): ProbeResult {
  return { requestId, pixels: new Uint8Array(784), label: 3, testIndex: 7, probabilities: new Array(10).fill(0.1), activations: [], saliency: null };
}

const progress = (runId: number): FromWorker => ({
  type: 'progress', runId, epoch: 1, batch: 1, batchesPerEpoch: 10, examplesSeen: 64, elapsedMs: 10, examplesPerSecond: 500, tensors: 20, points: [],
});

function health(step: number): HealthSnapshot {
  return { step, examplesSeen: step * 64, layers: [] };
}

/** A report over 8 test images: labels, predictions and confidences per image. */
function report(): TestReport {
  return {
    examples: 8, loss: 1, accuracy: 0.5, confusion: new Array(100).fill(0), perClassAccuracy: [], samples: [], mistakes: [],
    labels: Uint8Array.from([4, 4, 1, 4, 4, 9, 4, 4]),
    predictions: Uint8Array.from([9, 4, 1, 9, 9, 9, 9, 4]),
    confidences: Float32Array.from([0.6, 0.9, 0.8, 0.95, 0.5, 0.7, 0.6, 0.99]),
  };
}

describe('inspect slice', () => {
  it('inspectInput posts a probe for the current run and shows its result', () => {
    const { trainer, s } = setup();
    s().inspectInput({ source: 'test', index: 7 });
    expect(trainer.sent).toEqual([{ type: 'probe', runId: 0, requestId: 1, input: { source: 'test', index: 7 }, saliencyClass: null, smoothGrad: false }]);
    expect(s().inspect).toMatchObject({ input: { source: 'test', index: 7 }, probing: true, probe: null });
    trainer.emit({ type: 'probe', runId: 0, result: result(1) });
    expect(s().inspect).toMatchObject({ probing: false, probeError: null });
    expect(s().inspect.probe?.requestId).toBe(1);
  });

  it('shows a probe error in plain words, and a later result clears it', () => {
    const { trainer, s } = setup();
    s().inspectInput({ source: 'test', index: 0 });
    trainer.emit({ type: 'probe-error', runId: 0, requestId: 1, message: 'Train the model first: there is no model to look inside yet.' });
    expect(s().inspect).toMatchObject({ probing: false, probeError: 'Train the model first: there is no model to look inside yet.' });
    s().setSaliency(3, true);
    expect(probes(trainer.sent).at(-1)).toMatchObject({ requestId: 2, saliencyClass: 3, smoothGrad: true });
    trainer.emit({ type: 'probe', runId: 0, result: result(2) });
    expect(s().inspect).toMatchObject({ probeError: null, saliencyClass: 3, smoothGrad: true });
  });

  it('keeps one probe in flight: later requests wait and go out with the newest input', () => {
    const { trainer, s } = setup();
    s().inspectInput({ source: 'test', index: 1 });
    s().inspectInput({ source: 'test', index: 2 });
    s().inspectInput({ source: 'test', index: 3 });
    expect(probes(trainer.sent)).toHaveLength(1);
    trainer.emit({ type: 'probe', runId: 0, result: result(1) });
    expect(s().inspect.probing).toBe(true);
    expect(probes(trainer.sent).map((p) => [p.requestId, p.input])).toEqual([[1, { source: 'test', index: 1 }], [2, { source: 'test', index: 3 }]]);
    // An answer to anything but the request in flight is stale.
    trainer.emit({ type: 'probe', runId: 0, result: result(1) });
    trainer.emit({ type: 'probe-error', runId: 0, requestId: 1, message: 'old' });
    expect(s().inspect.probe?.requestId).toBe(1);
    expect(s().inspect.probeError).toBeNull();
    trainer.emit({ type: 'probe', runId: 0, result: result(2) });
    expect(s().inspect).toMatchObject({ probing: false, probe: { requestId: 2 } });
  });

  it('re-probes after progress at most once a second and once when the report arrives', () => {
    const { trainer, s, tick } = setup();
    s().start();
    s().inspectInput({ source: 'test', index: 0 });
    trainer.emit(progress(1));
    expect(probes(trainer.sent)).toHaveLength(1);
    trainer.emit({ type: 'probe', runId: 1, result: result(1) });
    tick(REPROBE_INTERVAL_MS - 1);
    trainer.emit(progress(1));
    expect(probes(trainer.sent)).toHaveLength(1);
    tick(1);
    trainer.emit(progress(1));
    expect(probes(trainer.sent)).toHaveLength(2);
    tick(5000);
    trainer.emit(progress(1));
    expect(probes(trainer.sent)).toHaveLength(2);
    trainer.emit({ type: 'report', runId: 1, report: report() });
    trainer.emit({ type: 'probe', runId: 1, result: result(2) });
    expect(probes(trainer.sent).map((p) => [p.requestId, p.runId])).toEqual([[1, 1], [2, 1], [3, 1]]);
  });

  it('does not probe before an input is chosen', () => {
    const { trainer, s, tick } = setup();
    s().start();
    tick(5000);
    trainer.emit(progress(1));
    trainer.emit({ type: 'report', runId: 1, report: report() });
    expect(probes(trainer.sent)).toHaveLength(0);
  });

  it('keeps the latest filters and a bounded health history, dropping other runs\' messages', () => {
    const { trainer, s } = setup();
    s().start();
    for (let step = 1; step <= HEALTH_HISTORY + 5; step++) trainer.emit({ type: 'health', runId: 1, snapshot: health(step) });
    trainer.emit({ type: 'health', runId: 0, snapshot: health(999) });
    const health1 = s().inspect.health;
    expect(health1).toHaveLength(HEALTH_HISTORY);
    expect([health1[0]!.step, health1.at(-1)!.step]).toEqual([6, HEALTH_HISTORY + 5]);
    trainer.emit({ type: 'filters', runId: 1, snapshot: { step: 3, examplesSeen: 192, layers: [] } });
    expect(s().inspect.filters?.step).toBe(3);
    trainer.emit({ type: 'error', runId: 1, message: 'diverged' });
    trainer.emit({ type: 'filters', runId: 1, snapshot: { step: 4, examplesSeen: 256, layers: [] } });
    expect(s().inspect.filters?.step).toBe(4);
  });

  it('showConfusion asks for one cell\'s images, most confident first, and fills the gallery', () => {
    const { trainer, s } = setup();
    s().start();
    trainer.emit({ type: 'report', runId: 1, report: report() });
    s().showConfusion(4, 9);
    const ask = trainer.sent.at(-1)!;
    expect(ask).toMatchObject({ type: 'test-images', runId: 1, indices: [3, 0, 6, 4] });
    if (ask.type !== 'test-images') throw new Error('unreachable');
    const image = (index: number) => ({ index, label: 4, pixels: new Uint8Array(784) });
    trainer.emit({ type: 'test-images', runId: 1, requestId: ask.requestId + 1, images: [image(1)] });
    expect(s().inspect.gallery).toBeNull();
    trainer.emit({ type: 'test-images', runId: 1, requestId: ask.requestId, images: [image(0), image(3), image(4), image(6)] });
    const gallery = s().inspect.gallery!;
    expect([gallery.trueClass, gallery.predicted]).toEqual([4, 9]);
    expect(gallery.images.map((i) => i.index)).toEqual([3, 0, 6, 4]);
    expect(gallery.images.map((i) => i.confidence)).toEqual([0.95, 0.6, 0.6, 0.5].map((c) => Math.fround(c)));
    s().showConfusion(2, 7);
    expect(s().inspect.gallery).toEqual({ trueClass: 2, predicted: 7, images: [] });
    expect(GALLERY_LIMIT).toBeGreaterThanOrEqual(60);
  });

  it('a new run resets results, filters, health and gallery but keeps the input and saliency choices', () => {
    const { trainer, s } = setup();
    s().start();
    s().inspectInput({ source: 'random-test', digit: 5, seed: 2 });
    s().setSaliency(5, true);
    trainer.emit({ type: 'probe', runId: 1, result: result(1) });
    trainer.emit({ type: 'health', runId: 1, snapshot: health(1) });
    trainer.emit({ type: 'filters', runId: 1, snapshot: { step: 1, examplesSeen: 64, layers: [] } });
    trainer.emit({ type: 'report', runId: 1, report: report() });
    s().showConfusion(1, 1);
    trainer.emit({ type: 'test-images', runId: 1, requestId: (trainer.sent.at(-1) as { requestId: number }).requestId, images: [] });
    expect(s().inspect.gallery).not.toBeNull();
    s().start();
    expect(s().inspect).toEqual({
      input: { source: 'random-test', digit: 5, seed: 2 }, saliencyClass: 5, smoothGrad: true,
      probe: null, probeError: null, probing: false, filters: null, health: [], gallery: null,
    });
    // The old run's answers are dropped; the new run probes on its first progress tick.
    const before = probes(trainer.sent).length;
    trainer.emit({ type: 'probe', runId: 1, result: result(9) });
    expect(s().inspect.probe).toBeNull();
    trainer.emit(progress(2));
    expect(probes(trainer.sent).slice(before).map((p) => [p.runId, p.input])).toEqual([[2, { source: 'random-test', digit: 5, seed: 2 }]]);
  });
});
