import { describe, expect, it } from 'vitest';
import { MEASUREMENTS, measurementOf, readMeasurements, specFingerprint, type Measurement } from '../../src/data/preset-measurements';
import { PRESETS, PRESET_IDS, getPreset } from '../../src/model/presets';
import shipped from '../../presets/measurements.json';

const seed = getPreset('seed-cnn')!;
const entry = (patch: Partial<Measurement> = {}): Measurement => ({
  preset: 'seed-cnn', testAccuracy: 0.99, trainingSeconds: 120, epochs: 1, batchSize: 64, backend: 'wasm', threads: 2,
  measuredAt: '2025-01-02T03:04:05.000Z', machine: 'test', fingerprint: specFingerprint(seed), ...patch,
});

describe('specFingerprint', () => {
  it('is 8 hex digits, stable, and changes with any layer or setting', () => {
    expect(specFingerprint(seed)).toMatch(/^[0-9a-f]{8}$/);
    expect(specFingerprint(getPreset('seed-cnn')!)).toBe(specFingerprint(seed));
    expect(specFingerprint({ ...seed, training: { ...seed.training, epochs: 2 } })).not.toBe(specFingerprint(seed));
    expect(specFingerprint({ ...seed, training: { ...seed.training, augment: { shift: 1, rotation: 0 } } })).not.toBe(specFingerprint(seed));
    expect(specFingerprint({ ...seed, layers: seed.layers.slice(1) })).not.toBe(specFingerprint(seed));
    // The name and description are not part of what is measured.
    expect(specFingerprint({ ...seed, name: 'other', description: 'x' } as typeof seed)).toBe(specFingerprint(seed));
  });
});

describe('measurements', () => {
  it('keeps well-formed entries and drops the rest without throwing', () => {
    const good = entry();
    expect(readMeasurements([good, { ...good, testAccuracy: 1.5 }, { ...good, threads: '2' }, null, 3, { preset: 'x' }])).toEqual([good]);
    expect(readMeasurements({ preset: 'x' })).toEqual([]);
  });

  it('shows the newest figure measured on the spec as it is, flags older specs, and says when there is none', () => {
    const older = entry({ testAccuracy: 0.98, measuredAt: '2024-01-01T00:00:00.000Z' });
    const newer = entry({ testAccuracy: 0.991, measuredAt: '2025-06-01T00:00:00.000Z' });
    expect(measurementOf('seed-cnn', seed, [older, newer])).toEqual({ kind: 'measured', measurement: newer });
    const changed = entry({ fingerprint: '00000000' });
    expect(measurementOf('seed-cnn', seed, [changed])).toEqual({ kind: 'outdated', measurement: changed });
    expect(measurementOf('lenet-5', getPreset('lenet-5')!, [newer])).toEqual({ kind: 'none' });
  });

  it('ships only entries that are well formed, name a preset and match it as it is now (re-run the bench after editing a preset)', () => {
    expect(MEASUREMENTS).toHaveLength((shipped as unknown[]).length);
    for (const m of MEASUREMENTS) {
      expect(PRESET_IDS).toContain(m.preset);
      const preset = PRESETS.find((p) => p.id === m.preset)!;
      expect({ preset: m.preset, fingerprint: m.fingerprint }).toEqual({ preset: m.preset, fingerprint: specFingerprint(preset.spec) });
      expect([m.epochs, m.batchSize]).toEqual([preset.spec.training.epochs, preset.spec.training.batchSize]);
    }
  });
});
