import { describe, expect, it } from 'vitest';
import { COLOR_STEPS } from '../../src/views/color';
import {
  DIVERGING_LUT, FRAME_RGBA, SEQUENTIAL_LUT, channelStats, colorDomain, columnsFor, describeOutput, extractChannel,
  formatValue, lutFor, lutIndex, paintBars, paintTiles, robustSymmetricDomain, symmetricDomain, tileAt, tileLayout, tileOrigin, topIndices, valueRange,
} from '../../src/views/feature-maps';

const rgbaAt = (rgba: Uint8ClampedArray, width: number, x: number, y: number) => Array.from(rgba.subarray((y * width + x) * 4, (y * width + x) * 4 + 4));
const lutColor = (lut: Uint8ClampedArray, k: number) => Array.from(lut.subarray(k * 4, k * 4 + 4));

describe('value range and colour scale choice', () => {
  it('finds the finite range and skips NaN', () => {
    expect(valueRange(new Float32Array([0.5, NaN, -2, 3]))).toEqual({ min: -2, max: 3 });
    expect(valueRange([])).toEqual({ min: 0, max: 0 });
    expect(valueRange([NaN])).toEqual({ min: 0, max: 0 });
  });

  it('uses a sequential 0..max scale for non-negative outputs (ReLU, pooling)', () => {
    expect(colorDomain({ min: 0, max: 2.31 })).toEqual({ kind: 'sequential', lo: 0, hi: 2.31 });
    // Rounding noise below 1e-3 of the maximum does not make a layer signed.
    expect(colorDomain({ min: -1e-6, max: 2 })).toEqual({ kind: 'sequential', lo: 0, hi: 2 });
    // An all-zero layer still gets a usable domain.
    expect(colorDomain({ min: 0, max: 0 })).toEqual({ kind: 'sequential', lo: 0, hi: 1 });
  });

  it('uses a diverging scale centred on 0 for signed outputs (tanh, linear, batch norm)', () => {
    expect(colorDomain({ min: -0.5, max: 2 })).toEqual({ kind: 'diverging', lo: -2, hi: 2 });
    expect(colorDomain({ min: -3, max: 1 })).toEqual({ kind: 'diverging', lo: -3, hi: 3 });
    expect(symmetricDomain({ min: 0.1, max: 0.4 })).toEqual({ kind: 'diverging', lo: -0.4, hi: 0.4 });
    expect(symmetricDomain({ min: 0, max: 0 })).toEqual({ kind: 'diverging', lo: -1, hi: 1 });
  });

  it('spans kernels by the 99th percentile of |w|, so one outlier does not wash the rest out', () => {
    const weights = Array.from({ length: 101 }, (_, i) => (i % 2 ? -i : i) / 100); // |w| = 0..1
    weights[100] = 50;
    expect(robustSymmetricDomain(weights)).toEqual({ kind: 'diverging', lo: -0.99, hi: 0.99 });
    expect(robustSymmetricDomain(new Float32Array(1000).fill(0))).toEqual({ kind: 'diverging', lo: -1, hi: 1 });
    // Large kernels are sampled with a stride: every 10th value of 0..99,999.
    const big = Float32Array.from({ length: 100_000 }, (_, i) => i);
    expect(robustSymmetricDomain(big, 1, 10_000).hi).toBe(99_990);
  });

  it('maps values to lookup-table positions: 0 is the middle of a diverging scale, the bottom of a sequential one', () => {
    const div = { kind: 'diverging', lo: -2, hi: 2 } as const;
    expect(lutIndex(div, -2)).toBe(0);
    expect(lutIndex(div, 0)).toBe(Math.round((COLOR_STEPS - 1) / 2));
    expect(lutIndex(div, 5)).toBe(COLOR_STEPS - 1);
    expect(lutIndex(div, NaN)).toBe(32);
    const seq = { kind: 'sequential', lo: 0, hi: 4 } as const;
    expect(lutIndex(seq, 0)).toBe(0);
    expect(lutIndex(seq, 2)).toBe(32);
    expect(lutIndex(seq, -1)).toBe(0);
    expect(lutIndex(seq, NaN)).toBe(0);
  });

  it('shares colours: the sequential scale is the positive half of the diverging one (blue < 0 < red)', () => {
    expect(lutFor('diverging')).toBe(DIVERGING_LUT);
    expect(lutFor('sequential')).toBe(SEQUENTIAL_LUT);
    const [r0, , b0] = lutColor(DIVERGING_LUT, 0);
    const [r1, , b1] = lutColor(DIVERGING_LUT, COLOR_STEPS - 1);
    expect(b0).toBeGreaterThan(r0); // most negative: blue
    expect(r1).toBeGreaterThan(b1); // most positive: red
    expect(lutColor(SEQUENTIAL_LUT, COLOR_STEPS - 1)).toEqual(lutColor(DIVERGING_LUT, COLOR_STEPS - 1));
    const pale = lutColor(SEQUENTIAL_LUT, 0);
    expect(Math.min(...pale.slice(0, 3))).toBeGreaterThan(230); // 0 is near white
  });
});

describe('tile layout', () => {
  it('lays N tiles out in rows with a 1-pixel frame', () => {
    const layout = tileLayout(32, 26, 26, 8);
    expect(layout).toMatchObject({ columns: 8, rows: 4, width: 8 * 27 + 1, height: 4 * 27 + 1 });
    expect(tileOrigin(layout, 0)).toEqual({ x: 1, y: 1 });
    expect(tileOrigin(layout, 9)).toEqual({ x: 28, y: 28 });
    expect(tileLayout(5, 3, 3, 16)).toMatchObject({ columns: 5, rows: 1 });
    expect(tileLayout(0, 3, 3, 4)).toMatchObject({ columns: 1, rows: 1 });
  });

  it('fits columns to the width and evens the last row', () => {
    expect(columnsFor(32, 54, 700)).toBe(11); // 12 fit; 3 rows of 11, 11, 10
    expect(columnsFor(64, 54, 700)).toBe(11); // 12 fit; 6 rows: 11 x 5 + 9
    expect(columnsFor(4, 54, 700)).toBe(4);
    expect(columnsFor(10, 54, 20)).toBe(1);
  });

  it('finds the tile under a pixel, and none over frames or empty cells', () => {
    const layout = tileLayout(5, 4, 4, 3); // 3 + 2 tiles, 4x4 with 1-pixel frames
    expect(tileAt(layout, 1, 1)).toBe(0);
    expect(tileAt(layout, 4, 4)).toBe(0);
    expect(tileAt(layout, 5, 1)).toBe(-1); // the frame between tile 0 and 1
    expect(tileAt(layout, 6, 1)).toBe(1);
    expect(tileAt(layout, 7, 7)).toBe(4);
    expect(tileAt(layout, 12, 7)).toBe(-1); // the empty sixth cell
    expect(tileAt(layout, 0, 0)).toBe(-1);
  });
});

describe('channels of HWC tensors', () => {
  // 2x2 image with 3 channels: value = 100 * channel + pixel.
  const hwc = new Float32Array([0, 100, 200, 1, 101, 201, 2, 102, 202, 3, 103, 203]);

  it('extracts one channel', () => {
    expect(Array.from(extractChannel(hwc, [2, 2, 3], 1))).toEqual([100, 101, 102, 103]);
    expect(Array.from(extractChannel(hwc, [2, 2, 3], 2))).toEqual([200, 201, 202, 203]);
  });

  it('computes per-channel min, max and mean in one pass', () => {
    const stats = channelStats(hwc, 3);
    expect(Array.from(stats.min)).toEqual([0, 100, 200]);
    expect(Array.from(stats.max)).toEqual([3, 103, 203]);
    expect(Array.from(stats.mean)).toEqual([1.5, 101.5, 201.5]);
  });

  it('paints each channel into its tile with frames around it', () => {
    const values = new Float32Array([0, 4, 4, 0, 2, -4, 0, 0]); // 2x2x2
    const layout = tileLayout(2, 2, 2, 2);
    const domain = { kind: 'diverging', lo: -4, hi: 4 } as const;
    const rgba = paintTiles(values, 2, 2, 2, layout, domain);
    expect(rgba.length).toBe(layout.width * layout.height * 4);
    expect(rgbaAt(rgba, layout.width, 0, 0)).toEqual([...FRAME_RGBA]);
    expect(rgbaAt(rgba, layout.width, 1, 1)).toEqual(lutColor(DIVERGING_LUT, 32)); // ch0 (0,0) = 0
    expect(rgbaAt(rgba, layout.width, 2, 1)).toEqual(lutColor(DIVERGING_LUT, 63)); // ch0 (0,1) = 4
    expect(rgbaAt(rgba, layout.width, 4, 1)).toEqual(lutColor(DIVERGING_LUT, 63)); // ch1 (0,0) = 4
    expect(rgbaAt(rgba, layout.width, 4, 2)).toEqual(lutColor(DIVERGING_LUT, 0)); // ch1 (1,0) = -4
  });

  it('leaves empty cells of the last row transparent', () => {
    const layout = tileLayout(3, 1, 1, 2);
    const rgba = paintTiles(new Float32Array([1, 1, 1]), 1, 1, 3, layout, { kind: 'sequential', lo: 0, hi: 1 });
    expect(rgbaAt(rgba, layout.width, 3, 3)).toEqual([0, 0, 0, 0]);
    expect(rgbaAt(rgba, layout.width, 1, 3)).toEqual(lutColor(SEQUENTIAL_LUT, 63));
  });
});

describe('1-D outputs as bars', () => {
  it('draws sequential bars from the bottom', () => {
    const rgba = paintBars([0, 2, 1], 2, 4, { kind: 'sequential', lo: 0, hi: 2 });
    const width = 6;
    expect(rgbaAt(rgba, width, 0, 3)[3]).toBe(0); // value 0: no bar
    expect(rgbaAt(rgba, width, 2, 0)).toEqual(lutColor(SEQUENTIAL_LUT, 63)); // full height
    expect(rgbaAt(rgba, width, 4, 1)[3]).toBe(0); // half height: top half empty
    expect(rgbaAt(rgba, width, 5, 2)).toEqual(lutColor(SEQUENTIAL_LUT, 32));
  });

  it('draws signed bars up and down from the middle', () => {
    const rgba = paintBars([2, -2], 1, 4, { kind: 'diverging', lo: -2, hi: 2 });
    expect(rgbaAt(rgba, 2, 0, 0)).toEqual(lutColor(DIVERGING_LUT, 63));
    expect(rgbaAt(rgba, 2, 0, 2)[3]).toBe(0);
    expect(rgbaAt(rgba, 2, 1, 3)).toEqual(lutColor(DIVERGING_LUT, 0));
    expect(rgbaAt(rgba, 2, 1, 1)[3]).toBe(0);
  });
});

describe('text', () => {
  it('formats values with three significant digits', () => {
    expect(formatValue(2.3145)).toBe('2.31');
    expect(formatValue(0)).toBe('0');
    expect(formatValue(-0.5)).toBe('−0.5');
    expect(formatValue(NaN)).toBe('–');
  });

  it('names a layer figure with its maps and value range', () => {
    expect(describeOutput('Layer 1 Conv2D 32 3x3 ReLU', [26, 26, 32], { min: 0, max: 2.3145 }))
      .toBe('Layer 1 Conv2D 32 3x3 ReLU: 32 feature maps of 26×26, values 0 to 2.31');
    expect(describeOutput('Layer 7 Dense 10 softmax', [10], { min: 0.001, max: 0.97 }))
      .toBe('Layer 7 Dense 10 softmax: 10 values, values 0.001 to 0.97');
  });

  it('ranks the largest values', () => {
    expect(topIndices([0.1, 3, NaN, 3, 2], 3)).toEqual([1, 3, 4]);
  });
});

describe('zoomed tiles', () => {
  it('paints each value as a zoom x zoom block with 1-pixel frames', () => {
    const layout = tileLayout(2, 4, 4, 2); // two 2x2 channels at zoom 2
    const values = new Float32Array([1, 0, 0, 0, 0, 0, 0, 1]); // ch0: 1 at (0,0); ch1: 1 at (1,1)
    const rgba = paintTiles(values, 2, 2, 2, layout, { kind: 'sequential', lo: 0, hi: 1 }, 2);
    const hot = lutColor(SEQUENTIAL_LUT, 63);
    const cold = lutColor(SEQUENTIAL_LUT, 0);
    expect([rgbaAt(rgba, layout.width, 1, 1), rgbaAt(rgba, layout.width, 2, 2)]).toEqual([hot, hot]);
    expect(rgbaAt(rgba, layout.width, 3, 1)).toEqual(cold);
    expect(rgbaAt(rgba, layout.width, 5, 1)).toEqual([...FRAME_RGBA]);
    expect(rgbaAt(rgba, layout.width, 6, 1)).toEqual(cold);
    expect([rgbaAt(rgba, layout.width, 8, 3), rgbaAt(rgba, layout.width, 9, 4)]).toEqual([hot, hot]);
  });
});

describe('topIndices', () => {
  it('matches a full sort on random data', () => {
    const values = Array.from({ length: 500 }, (_, i) => Math.round(Math.sin(i * 12.9898) * 1000) / 10);
    const sorted = values.map((v, i) => i).sort((a, b) => values[b] - values[a] || a - b);
    expect(topIndices(values, 5)).toEqual(sorted.slice(0, 5));
    expect(topIndices([1, 2], 5)).toEqual([1, 0]);
    expect(topIndices([], 3)).toEqual([]);
  });
});
