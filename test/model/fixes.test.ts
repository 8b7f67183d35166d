import { describe, expect, it } from 'vitest';
import { updateLayer } from '../../src/model/edit';
import { findFix, fieldLabel, suggestFixes, type Fix } from '../../src/model/fixes';
import { defaultLayer } from '../../src/model/layers';
import { DEFAULT_PRESET_ID, getPreset } from '../../src/model/presets';
import { analyze } from '../../src/model/shapes';
import type { LayerSpec } from '../../src/model/spec';

const seed = (): LayerSpec[] => getPreset(DEFAULT_PRESET_ID)!.layers;
const conv = (patch: Partial<LayerSpec> = {}): LayerSpec => ({ ...defaultLayer('conv2d'), ...patch }) as LayerSpec;
const flatten = (): LayerSpec => defaultLayer('flatten');
const head = (): LayerSpec => ({ kind: 'dense', units: 10, activation: 'softmax' });
const dense = (units: number): LayerSpec => ({ kind: 'dense', units, activation: 'relu' });
const reshape = (height: number, width: number, channels: number): LayerSpec => ({ kind: 'reshape', height, width, channels });
const without = (layers: LayerSpec[], i: number) => layers.filter((_, j) => j !== i);

interface Case {
  name: string;
  layers: LayerSpec[];
  /** Fix id -> whether the whole stack is valid afterwards. */
  fixes: Record<string, boolean>;
  label?: string;
}

const CASES: Case[] = [
  { name: 'a kernel larger than its 13x13 input', layers: updateLayer(seed(), 2, { kernelSize: 14 }), fixes: { 'padding-same@2': true, 'fit-window@2': false }, label: 'use padding: same' },
  { name: 'a pool larger than its 26x26 input', layers: [conv(), { kind: 'maxPool2d', poolSize: 27, stride: 2, padding: 'valid' }, flatten(), head()], fixes: { 'padding-same@1': true, 'fit-window@1': true }, label: 'use a 26x26 pool' },
  { name: 'Dense on an image-shaped tensor', layers: without(seed(), 4), fixes: { 'insert-flatten@4': true }, label: 'insert Flatten before this layer' },
  { name: 'Conv2D on a flat tensor', layers: [flatten(), conv(), head()], fixes: { 'move-before@1': true, 'remove@1': true }, label: 'move it before Flatten' },
  { name: 'MaxPool on a flat tensor', layers: [conv(), flatten(), defaultLayer('maxPool2d'), head()], fixes: { 'move-before@2': true, 'remove@2': true }, label: 'remove this MaxPool' },
  { name: 'GlobalAvgPool after Flatten (moving it would only break Flatten)', layers: [conv(), flatten(), defaultLayer('globalAvgPool2d'), head()], fixes: { 'remove@2': true } },
  { name: 'Flatten on a flat tensor', layers: [conv(), flatten(), flatten(), head()], fixes: { 'remove@2': true }, label: 'remove this Flatten' },
  { name: 'a Reshape that does not hold the Dense before it', layers: [flatten(), dense(100), reshape(7, 7, 4), flatten(), head()], fixes: { 'fit-reshape@2': true }, label: 'reshape to 5x5x4' },
  { name: 'a Reshape of the input to too few values', layers: [reshape(7, 7, 4), conv(), flatten(), head()], fixes: { 'fit-reshape@0': true }, label: 'reshape to 14x14x4' },
  { name: 'UpSampling right after a Dense', layers: [flatten(), dense(196), defaultLayer('upSampling2d'), flatten(), head()], fixes: { 'insert-reshape@2': true, 'move-before@2': false }, label: 'insert Reshape 14x14x1 before this layer' },
  { name: 'Conv2DTranspose right after a Dense', layers: [flatten(), dense(49), defaultLayer('conv2dTranspose'), defaultLayer('globalAvgPool2d'), head()], fixes: { 'insert-reshape@2': true, 'move-before@2': false }, label: 'insert Reshape 7x7x1 before this layer' },
  { name: 'a last Dense with 64 ReLU units', layers: seed().slice(0, -1), fixes: { 'last-dense@5': true }, label: 'set the last Dense to 10 units with softmax' },
  { name: 'a last Dense 10 without softmax', layers: updateLayer(seed(), 6, { activation: 'linear' }), fixes: { 'last-dense@6': true } },
  { name: 'a last Activation on 10 values', layers: [conv(), flatten(), { kind: 'dense', units: 10, activation: 'linear' }, { kind: 'activation', activation: 'relu' }], fixes: { 'softmax@3': true, 'append-head': true }, label: 'use softmax' },
  { name: 'a stack ending in Dropout', layers: [...seed(), { kind: 'dropout', rate: 0.5 }], fixes: { 'append-head': true }, label: 'add Dense 10 softmax at the end' },
  { name: 'a stack ending in an image', layers: [conv()], fixes: { 'append-head': true }, label: 'add Flatten and Dense 10 softmax at the end' },
  { name: 'an empty stack', layers: [], fixes: { 'default-stack': true, 'append-head': true }, label: 'use the Seed CNN layers' },
  { name: 'zero filters', layers: updateLayer(seed(), 0, { filters: 0 }), fixes: { 'repair@0': true }, label: 'set filters to 1' },
  { name: 'a kernel past the cap', layers: updateLayer(seed(), 2, { kernelSize: 40, stride: 0 }), fixes: { 'repair@2': false }, label: 'set kernel size to 13 and stride to 1' },
  { name: 'a dropout rate of 1 and a made-up activation', layers: [conv(), flatten(), { kind: 'dropout', rate: 1 }, { kind: 'dense', units: 10, activation: 'magic' as 'relu' }], fixes: { 'repair@2': false }, label: 'set rate to 0.25' },
  { name: 'a NaN unit count', layers: updateLayer(seed(), 5, { units: NaN }), fixes: { 'repair@5': true }, label: 'set units to 64' },
];

/** The error a fix targets, as the analysis before it reports it. */
const targetError = (layers: LayerSpec[], fix: Fix) => analyze(layers).errors.find((e) => e.path === fix.path)!;

describe('one-click fixes', () => {
  it.each(CASES)('$name: each fix clears its error', ({ layers, fixes, label }) => {
    const before = analyze(layers);
    expect(before.valid).toBe(false);
    const offered = suggestFixes(layers, before);
    expect(Object.fromEntries(offered.map((f) => [f.id, analyze(f.layers).valid]))).toEqual(fixes);
    for (const fix of offered) {
      const error = targetError(layers, fix);
      expect(error).toBeDefined();
      const after = analyze(fix.layers);
      expect(after.errors.map((e) => e.message)).not.toContain(error.message);
      expect(findFix(layers, fix.id)).toEqual(fix);
    }
    if (label) expect(offered.map((f) => f.label)).toContain(label);
    // The input stack is never changed in place.
    expect(analyze(layers)).toEqual(before);
  });

  it('shows fixes on the blamed layer, or on none for the whole stack', () => {
    expect(suggestFixes(without(seed(), 4)).map((f) => [f.layerIndex, f.path])).toEqual([[4, 'layers[4]']]);
    expect(suggestFixes(updateLayer(seed(), 2, { kernelSize: 14 }))[0]!.path).toBe('layers[2].kernelSize');
    expect(suggestFixes([]).every((f) => f.layerIndex === null && f.path === 'layers')).toBe(true);
  });

  it('offers nothing for a valid stack, for budget errors, or where no single fix clears the layer', () => {
    expect(suggestFixes(seed())).toEqual([]);
    const wide = conv({ filters: 512, padding: 'same' } as Partial<LayerSpec>);
    const huge = [wide, wide, flatten(), head()];
    expect(analyze(huge).valid).toBe(false);
    expect(suggestFixes(huge)).toEqual([]);
    // Zero filters after Flatten: repairing the field still leaves a Conv2D on a flat tensor.
    expect(suggestFixes([flatten(), conv({ filters: 0 } as Partial<LayerSpec>), head()])).toEqual([]);
    expect(findFix(seed(), 'remove@0')).toBeUndefined();
  });

  it('writes field names in words', () => {
    expect(['kernelSize', 'poolSize', 'filters'].map(fieldLabel)).toEqual(['kernel size', 'pool size', 'filters']);
  });
});
