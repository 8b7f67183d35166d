import { describe, expect, it } from 'vitest';
import { DEFAULT_AUGMENT, DEFAULT_TRAINING, parseSpec } from '../../src/model/validate';
import { PRESETS } from '../../src/model/presets';

const head = [{ kind: 'flatten' }, { kind: 'dense', units: 10, activation: 'softmax' }];
const doc = (training?: unknown) => ({ version: 1, name: 'n', description: '', layers: head, ...(training === undefined ? {} : { training }) });

describe('training.augment', () => {
  it('defaults to off, so specs and links made before it existed keep training as they did', () => {
    expect(DEFAULT_AUGMENT).toEqual({ shift: 0, rotation: 0 });
    expect(DEFAULT_TRAINING.augment).toEqual({ shift: 0, rotation: 0 });
    const old = { optimizer: 'sgd', learningRate: 0.01, batchSize: 32, epochs: 2, validationSplit: 0, trainExamples: 1000, seed: 4 };
    const result = parseSpec(doc(old));
    expect(result.ok && result.spec.training).toEqual({ ...old, lrSchedule: 'constant', augment: { shift: 0, rotation: 0 } });
  });

  it('fills a missing shift or rotation with 0 and keeps the given one', () => {
    const a = parseSpec(doc({ augment: { rotation: 12.5 } }));
    const b = parseSpec(doc({ augment: { shift: 3 } }));
    expect(a.ok && a.spec.training.augment).toEqual({ shift: 0, rotation: 12.5 });
    expect(b.ok && b.spec.training.augment).toEqual({ shift: 3, rotation: 0 });
  });

  it('accepts the bounds and ignores unknown fields', () => {
    const result = parseSpec(doc({ augment: { shift: 4, rotation: 30, scale: 2 } }));
    expect(result.ok && result.spec.training.augment).toEqual({ shift: 4, rotation: 30 });
  });

  it('builds a fresh augment object, never the frozen default', () => {
    for (const input of [doc(), doc({}), doc({ augment: { shift: 1 } })]) {
      const result = parseSpec(input);
      if (!result.ok) throw new Error('expected ok');
      expect(result.spec.training.augment).not.toBe(DEFAULT_AUGMENT);
      expect(Object.isFrozen(result.spec.training.augment)).toBe(false);
    }
  });

  it('round-trips through JSON for every preset', () => {
    for (const preset of PRESETS) {
      const again = parseSpec(JSON.parse(JSON.stringify(preset.spec)));
      expect(again.ok && again.spec).toEqual(preset.spec);
    }
  });
});
