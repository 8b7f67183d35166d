import { describe, expect, it } from 'vitest';
import { DIGIT_DIM, HEAT_LUT, absPercentile, heatOnInk, normalizeSaliency, saliencyOverlay } from '../../src/views/saliency';

describe('saliency normalisation', () => {
  it('takes percentiles of absolute values (R-7 interpolation)', () => {
    const values = Array.from({ length: 101 }, (_, i) => (i % 2 ? -i : i)); // |v| = 0..100
    expect(absPercentile(values, 0.99)).toBe(99);
    expect(absPercentile(values, 0.5)).toBe(50);
    expect(absPercentile([NaN, -3, Infinity], 1)).toBe(3);
    expect(absPercentile([], 0.99)).toBe(0);
  });

  it('divides |gradient| by its 99th percentile and clamps the outliers to 1', () => {
    const values = Array.from({ length: 101 }, (_, i) => -i);
    values[100] = -1e6; // one extreme pixel must not turn every other pixel black
    const norm = normalizeSaliency(values);
    expect(norm[0]).toBe(0);
    expect(norm[50]).toBeCloseTo(50 / 99, 6);
    expect(norm[99]).toBeCloseTo(1, 6);
    expect(norm[100]).toBe(1);
  });

  it('falls back to the maximum for sparse maps and gives zeros for empty ones', () => {
    const sparse = new Float32Array(784);
    sparse[3] = -0.2;
    sparse[4] = 0.1;
    const norm = normalizeSaliency(sparse);
    expect(norm[3]).toBeCloseTo(1, 6);
    expect(norm[4]).toBeCloseTo(0.5, 6);
    expect(Array.from(normalizeSaliency(new Float32Array(4)))).toEqual([0, 0, 0, 0]);
    expect(Array.from(normalizeSaliency([NaN, 1]))).toEqual([0, 1]);
  });
});

describe('saliency overlay', () => {
  it('shows the dimmed digit where there is no heat and the heat colour where it is strongest', () => {
    const rgba = saliencyOverlay([200, 200, 0], [0, 1, 0.5]);
    const grey = Math.round(200 * DIGIT_DIM);
    expect(Array.from(rgba.subarray(0, 4))).toEqual([grey, grey, grey, 255]);
    expect(Array.from(rgba.subarray(4, 8))).toEqual(Array.from(HEAT_LUT.subarray(63 * 4, 64 * 4)));
    // Half heat on black: half the heat colour at t = 0.5.
    const k = Math.round(0.5 * 63) * 4;
    expect(Array.from(rgba.subarray(8, 11))).toEqual([0, 1, 2].map((c) => Math.round(HEAT_LUT[k + c] * 0.5)));
  });

  it('measures how much of the heat lies on the strokes', () => {
    expect(heatOnInk([255, 255, 0, 0], [1, 0.5, 0.5, 0])).toBeCloseTo(0.75, 6);
    expect(heatOnInk([255, 0], [0, 0])).toBe(0);
  });
});
