import { describe, expect, it } from 'vitest';
import { getPreset, PRESETS } from '../../src/model/presets';
import type { NetworkSpec } from '../../src/model/spec';
import { diffSpecs, onlySeedDiffers } from '../../src/runs/spec-diff';

const base = getPreset(PRESETS[0]!.id)!;

describe('spec diff', () => {
  it('finds nothing changed between a network and itself', () => {
    const diff = diffSpecs(base, structuredClone(base));
    expect(diff.changes).toBe(0);
    expect(diff.layers.every((r) => !r.changed && r.indexA === r.indexB)).toBe(true);
  });

  it('marks a changed field, an inserted layer and changed settings, aligning the rest', () => {
    const layers = structuredClone(base.layers);
    const convAt = layers.findIndex((l) => l.kind === 'conv2d');
    const conv = layers[convAt]!;
    if (conv.kind === 'conv2d') conv.filters = conv.filters * 2;
    layers.splice(convAt + 1, 0, { kind: 'batchNorm' });
    const other: NetworkSpec = { ...base, layers, training: { ...base.training, seed: base.training.seed + 1, augment: { shift: 2, rotation: 0 } } };
    const diff = diffSpecs(base, other);
    const changedRows = diff.layers.filter((r) => r.changed);
    expect(changedRows.map((r) => [r.indexA, r.indexB])).toEqual([[convAt, convAt], [null, convAt + 1]]);
    expect(changedRows[0]!.fields.filter((f) => f.changed)).toEqual([{ field: 'filters', a: String(conv.kind === 'conv2d' ? conv.filters / 2 : 0), b: String(conv.kind === 'conv2d' ? conv.filters : 0), changed: true }]);
    // Every later layer still lines up with its twin.
    expect(diff.layers.length).toBe(base.layers.length + 1);
    expect(diff.training.filter((f) => f.changed).map((f) => f.field)).toEqual(['seed', 'augment.shift']);
    expect(diff.changes).toBe(1 + 1 + 2);
  });

  it('tells runs that differ only in their seed from runs that differ in more', () => {
    const reseeded: NetworkSpec = { ...base, training: { ...base.training, seed: base.training.seed + 1 } };
    expect(onlySeedDiffers(base, reseeded)).toBe(true);
    // The same seed is no difference at all, so not "only the seed".
    expect(onlySeedDiffers(base, structuredClone(base))).toBe(false);
    expect(onlySeedDiffers(base, { ...reseeded, training: { ...reseeded.training, batchSize: base.training.batchSize * 2 } })).toBe(false);
    const layers = structuredClone(base.layers);
    layers.splice(1, 0, { kind: 'batchNorm' });
    expect(onlySeedDiffers(base, { ...reseeded, layers })).toBe(false);
  });
});
