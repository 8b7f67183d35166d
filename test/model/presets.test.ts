import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRESETS, PRESET_IDS } from '../../src/model/presets';
import { analyze } from '../../src/model/shapes';
import { parseSpec } from '../../src/model/validate';

const DIR = join(__dirname, '..', '..', 'presets');
const params = (id: string) => analyze(PRESETS.find((p) => p.id === id)!.spec.layers).totalParams;
const kinds = (id: string) => PRESETS.find((p) => p.id === id)!.spec.layers.map((l) => l.kind);

describe('shipped presets', () => {
  it('loads every spec file in presets/ (measurements.json is not a spec)', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.json') && f !== 'measurements.json').map((f) => f.replace(/\.json$/, ''));
    expect([...PRESET_IDS].sort()).toEqual(files.sort());
  });

  it('parses each file as it is on disk, with no errors', () => {
    for (const id of PRESET_IDS) {
      const result = parseSpec(JSON.parse(readFileSync(join(DIR, `${id}.json`), 'utf8')));
      expect(result.ok ? [] : result.errors).toEqual([]);
    }
  });

  it('includes the seed CNN, LeNet-5, a dense baseline, a deep CNN with batch norm and dropout, and a tiny CNN', () => {
    expect(PRESET_IDS).toEqual(expect.arrayContaining(['seed-cnn', 'lenet-5', 'dense-baseline', 'deep-bn-cnn', 'tiny-cnn']));
    expect(kinds('dense-baseline')).not.toContain('conv2d');
    expect(kinds('deep-bn-cnn')).toEqual(expect.arrayContaining(['batchNorm', 'dropout']));
    expect(kinds('deep-bn-cnn').filter((k) => k === 'conv2d').length).toBeGreaterThan(kinds('seed-cnn').filter((k) => k === 'conv2d').length);
    expect(params('tiny-cnn')).toBeLessThan(5000);
  });

  it('gives every preset a name, a one-sentence description and its own valid training settings', () => {
    for (const { id, spec } of PRESETS) {
      expect(spec.name, id).not.toBe('');
      expect(spec.description.length, id).toBeGreaterThan(20);
      expect(spec.description.length, id).toBeLessThanOrEqual(160);
      expect(spec.training.augment.shift, id).toBeLessThanOrEqual(4);
    }
  });

  it('still parses a spec written before augmentation existed', () => {
    const old = JSON.parse(readFileSync(join(DIR, 'seed-cnn.json'), 'utf8'));
    delete old.training.augment;
    const result = parseSpec(old);
    expect(result.ok && result.spec.training.augment).toEqual({ shift: 0, rotation: 0 });
  });
});
