import { describe, expect, it } from 'vitest';
import { duplicateLayer, insertLayer, moveLayer, removeLayer, updateLayer, updateLayerField } from '../../src/model/edit';
import { defaultLayer, LAYER_KINDS } from '../../src/model/layers';
import { MAX_LAYERS } from '../../src/model/limits';
import { DEFAULT_PRESET_ID, getPreset } from '../../src/model/presets';
import type { LayerSpec } from '../../src/model/spec';

const seed = (): LayerSpec[] => getPreset(DEFAULT_PRESET_ID)!.layers;
const kinds = (layers: LayerSpec[]) => layers.map((l) => l.kind);

describe('stack operations', () => {
  it('inserts a default layer of every kind at any index, clamping the index', () => {
    for (const kind of LAYER_KINDS) {
      const before = seed();
      const after = insertLayer(before, kind, 2);
      expect(after).not.toBe(before);
      expect(after[2]).toEqual(defaultLayer(kind));
      expect(after).toHaveLength(before.length + 1);
      expect(before).toHaveLength(7);
    }
    expect(insertLayer(seed(), 'dropout', -5)[0]!.kind).toBe('dropout');
    expect(insertLayer(seed(), 'dropout', 99)[7]!.kind).toBe('dropout');
    expect(insertLayer([], 'flatten', 0)).toEqual([{ kind: 'flatten' }]);
  });

  it('refuses to grow past MAX_LAYERS (same array back)', () => {
    const full = Array.from({ length: MAX_LAYERS }, () => defaultLayer('dropout') as LayerSpec);
    expect(insertLayer(full, 'dense', 0)).toBe(full);
    expect(duplicateLayer(full, 0)).toBe(full);
  });

  it('removes a layer; an index out of range changes nothing', () => {
    const before = seed();
    expect(kinds(removeLayer(before, 1))).toEqual(['conv2d', 'conv2d', 'maxPool2d', 'flatten', 'dense', 'dense']);
    expect(removeLayer(before, 7)).toBe(before);
    expect(removeLayer(before, -1)).toBe(before);
    expect(removeLayer(before, 1.5)).toBe(before);
  });

  it('duplicates a layer as a separate copy right after it', () => {
    const before = seed();
    const after = duplicateLayer(before, 0);
    expect(kinds(after).slice(0, 3)).toEqual(['conv2d', 'conv2d', 'maxPool2d']);
    expect(after[1]).toEqual(after[0]);
    expect(after[1]).not.toBe(after[0]);
  });

  it('moves a layer so that it ends up at the target index, both ways', () => {
    const before = seed();
    expect(kinds(moveLayer(before, 0, 2)).slice(0, 3)).toEqual(['maxPool2d', 'conv2d', 'conv2d']);
    expect(kinds(moveLayer(before, 4, 0)).slice(0, 2)).toEqual(['flatten', 'conv2d']);
    expect(kinds(moveLayer(before, 0, 6)).at(-1)).toBe('conv2d');
    expect(moveLayer(before, 0, 0)).toBe(before);
    expect(moveLayer(before, 0, 7)).toBe(before);
    expect(kinds(before)[0]).toBe('conv2d');
  });

  it('updates fields without touching other layers, keeping out-of-range values', () => {
    const before = seed();
    const after = updateLayer(before, 0, { filters: 0, kernelSize: 9 });
    expect(after[0]).toEqual({ ...before[0], filters: 0, kernelSize: 9 });
    expect(after[1]).toBe(before[1]);
    expect(before[0]).toMatchObject({ filters: 32, kernelSize: 3 });
    expect(updateLayerField(before, 5, 'activation', 'tanh')[5]).toEqual({ kind: 'dense', units: 64, activation: 'tanh' });
  });

  it('ignores unknown fields, `kind`, prototype keys, wrong types and no-op values', () => {
    const before = seed();
    expect(updateLayer(before, 0, { filters: 32 })).toBe(before);
    expect(updateLayer(before, 0, { units: 5 })).toBe(before);
    expect(updateLayer(before, 0, { kind: 'dense' })).toBe(before);
    expect(updateLayer(before, 0, { filters: '64' })).toBe(before);
    expect(updateLayer(before, 0, { padding: 3 })).toBe(before);
    expect(updateLayer(before, 0, JSON.parse('{"__proto__": 3, "toString": 4}'))).toBe(before);
    expect(updateLayer(before, 9, { filters: 3 })).toBe(before);
  });
});
