import { describe, expect, it } from 'vitest';
import { DEFAULT_PRESET_ID, getPreset } from '../../src/model/presets';
import { createAppStore } from '../../src/store/app-store';
import { COALESCE_MS, HISTORY_LIMIT } from '../../src/store/history';
import { fakeTrainer } from './fake-trainer';

function setup() {
  const trainer = fakeTrainer();
  const clock = { t: 0 };
  const store = createAppStore({ trainer, initialSpec: getPreset(DEFAULT_PRESET_ID)!, now: () => clock.t });
  const s = () => store.getState();
  const kinds = () => s().spec.layers.map((l) => l.kind);
  return { trainer, store, s, kinds, clock };
}

// Seed CNN: 320 + 18,496 + 102,464 + 650 parameters.
const SEED_PARAMS = 121930;

describe('store editing actions', () => {
  it('adds a layer and re-derives the analysis (Conv2D 32 3x3 after the first conv: +9,248)', () => {
    const { s, kinds } = setup();
    s().addLayer('conv2d', 1);
    expect(kinds().slice(0, 3)).toEqual(['conv2d', 'conv2d', 'maxPool2d']);
    // 3*3*32*32 + 32 = 9,248; then 24 -> pool 12 -> conv 10 -> pool 5, so the Dense still sees 5x5x64.
    expect(s().analysis.layers[1]!.params).toBe(9248);
    expect(s().analysis.layers[3]!.outputShape).toEqual([10, 10, 64]);
    expect(s().analysis.totalParams).toBe(SEED_PARAMS + 9248);
    expect(s().canUndo).toBe(true);
  });

  it('removes, duplicates and moves layers, each one undo step', () => {
    const { s, kinds } = setup();
    const original = s().spec;
    s().removeLayer(1);
    s().duplicateLayer(0);
    s().moveLayer(0, 5);
    expect(kinds()).toEqual(['conv2d', 'conv2d', 'maxPool2d', 'flatten', 'dense', 'conv2d', 'dense']);
    expect(s().history.past).toHaveLength(3);
    s().undo();
    s().undo();
    s().undo();
    expect(s().spec).toBe(original);
    expect(s().canUndo).toBe(false);
    expect(s().canRedo).toBe(true);
    expect(s().undo()).toBe(false);
  });

  it('keeps an invalid field value, marks it in the analysis, and never starts it', () => {
    const { s, trainer } = setup();
    s().updateLayer(2, { kernelSize: 14 });
    expect(s().spec.layers[2]).toMatchObject({ kernelSize: 14 });
    expect(s().analysis.valid).toBe(false);
    expect(s().analysis.layers[2]!.errors[0]!.path).toBe('layers[2].kernelSize');
    s().updateLayer(0, { filters: 0 });
    expect(s().analysis.layers[0]!.errors[0]!.message).toMatch(/^must be a whole number from 1 to 512, not 0/);
    s().start();
    expect(trainer.sent).toHaveLength(0);
  });

  it('applies a fix by id or object, re-deriving it from the current stack', () => {
    const { s } = setup();
    s().updateLayer(2, { kernelSize: 14 });
    expect(s().applyFix('no-such-fix')).toBe(false);
    expect(s().applyFix({ id: 'padding-same@2', label: '', path: '', layerIndex: 2, layers: [] })).toBe(true);
    expect(s().spec.layers[2]).toMatchObject({ kernelSize: 14, padding: 'same' });
    expect(s().analysis.valid).toBe(true);
    // 14*14*32*64 + 64 = 401,472 for the conv; 6x6x64 = 2,304 into Dense 64 = 147,520.
    expect(s().analysis.totalParams).toBe(320 + 401472 + 147520 + 650);
    s().undo();
    expect(s().spec.layers[2]).toMatchObject({ padding: 'valid' });
    expect(s().applyFix('padding-same@3')).toBe(false);
  });

  it('merges keystrokes into one field into one undo step, and splits after a pause or another field', () => {
    const { s, clock } = setup();
    for (const units of [1, 12, 128]) {
      clock.t += 200;
      s().updateLayer(5, { units });
    }
    clock.t += 200;
    s().updateLayer(5, { activation: 'tanh' });
    clock.t += COALESCE_MS + 1;
    s().updateLayer(5, { activation: 'elu' });
    expect(s().history.past).toHaveLength(3);
    s().undo();
    s().undo();
    expect(s().spec.layers[5]).toMatchObject({ units: 128, activation: 'relu' });
    s().undo();
    expect(s().spec.layers[5]).toMatchObject({ units: 64 });
    expect(s().analysis.totalParams).toBe(SEED_PARAMS);
  });

  it('makes presets, setSpec and training settings undoable; a new edit clears redo', () => {
    const { s } = setup();
    s().loadPreset('lenet-5');
    expect(s().updateTraining({ epochs: 3 })).toEqual([]);
    s().undo();
    expect(s().spec.training.epochs).toBe(1);
    expect(s().canRedo).toBe(true);
    s().setSpec({ ...s().spec, name: 'mine' });
    expect(s().canRedo).toBe(false);
    s().undo();
    s().undo();
    expect(s().spec.name).toBe('Seed CNN');
    expect(s().redo()).toBe(true);
    expect(s().spec.name).not.toBe('Seed CNN');
  });

  it('still applies training settings while the stack is invalid', () => {
    const { s } = setup();
    s().removeLayer(6);
    expect(s().updateTraining({ epochs: 2 })).toEqual([]);
    expect(s().spec.training.epochs).toBe(2);
    expect(s().updateTraining({ epochs: 0 })[0]!.path).toBe('training.epochs');
  });

  it(`keeps at most ${HISTORY_LIMIT} steps`, () => {
    const { s, clock } = setup();
    for (let i = 0; i < HISTORY_LIMIT + 20; i++) {
      clock.t += COALESCE_MS + 1;
      s().updateLayer(5, { units: i % 2 ? 32 : 48 });
    }
    let undone = 0;
    while (s().undo()) undone++;
    expect(undone).toBe(HISTORY_LIMIT);
  });

  it('an edit, undo or redo during training pauses the run; undoing back to the trained spec clears stale', () => {
    const { s, trainer } = setup();
    s().start();
    trainer.emit({ type: 'status', runId: 1, phase: 'training' });
    s().addLayer('dropout', 6);
    expect(trainer.sent.at(-1)).toEqual({ type: 'pause', runId: 1 });
    expect(s().run.stale).toBe(true);
    trainer.emit({ type: 'status', runId: 1, phase: 'paused' });
    s().undo();
    expect(s().run.stale).toBe(false);
    s().redo();
    expect(s().run.stale).toBe(true);
    expect(trainer.sent.filter((m) => m.type === 'pause')).toHaveLength(1);
  });

  it('ignores no-op edits (no history entry, no pause)', () => {
    const { s } = setup();
    s().updateLayer(0, { filters: 32 });
    s().moveLayer(0, 0);
    s().removeLayer(42);
    s().setSpec(s().spec);
    expect(s().updateTraining({ epochs: 1 })).toEqual([]);
    expect(s().canUndo).toBe(false);
  });
});
