import { describe, expect, it } from 'vitest';
import { COLOR_STEPS, quantizedScale } from '../../src/views/color';
import { formatCompact, formatDuration, formatMetric, formatNumber, formatPercent, formatShape } from '../../src/views/format';
import { colorLut, digitToRgba, valuesToRgba } from '../../src/views/raster';

describe('digitToRgba', () => {
  const pixels = new Uint8Array(784);
  pixels[0] = 255;
  pixels[1] = 128;

  it('returns 4 bytes per pixel, grey levels as white-on-black, opaque', () => {
    const rgba = digitToRgba(pixels);
    expect(rgba).toBeInstanceOf(Uint8ClampedArray);
    expect(rgba.length).toBe(784 * 4);
    expect(Array.from(rgba.subarray(0, 12))).toEqual([255, 255, 255, 255, 128, 128, 128, 255, 0, 0, 0, 255]);
  });

  it('inverts on request', () => {
    expect(Array.from(digitToRgba(pixels, 28, 28, true).subarray(0, 4))).toEqual([0, 0, 0, 255]);
  });

  it('rejects too few pixels', () => {
    expect(() => digitToRgba(new Uint8Array(10))).toThrow(/784/);
  });
});

describe('colour lookup tables', () => {
  it('samples an interpolator and maps values with clamping', () => {
    const lut = colorLut((t) => `rgb(${Math.round(t * 255)}, 0, 0)`, 256);
    expect(Array.from(lut.subarray(0, 4))).toEqual([0, 0, 0, 255]);
    expect(Array.from(lut.subarray(255 * 4))).toEqual([255, 0, 0, 255]);
    const rgba = valuesToRgba([-1, 0.5, 2, NaN], lut, 0, 1);
    expect([rgba[0], rgba[4], rgba[8], rgba[12]]).toEqual([0, 128, 255, 0]);
  });

  it('quantises a scale to a fixed list of colours', () => {
    const scale = quantizedScale((t) => `rgb(${Math.round(t * 255)}, 0, 0)`);
    expect(scale.colors).toHaveLength(COLOR_STEPS);
    expect(scale(0)).toBe('rgb(0, 0, 0)');
    expect(scale(1)).toBe('rgb(255, 0, 0)');
    expect(scale(0.51)).toBe(scale(0.505));
    expect(scale(0.6)).not.toBe(scale(0.4));
    expect(scale(NaN)).toBe(scale(0));
  });
});

describe('formatting', () => {
  it('formats percentages, counts and metrics, with a dash for missing values', () => {
    expect(formatPercent(0.9921)).toBe('99.2%');
    expect(formatPercent(0.5, 0)).toBe('50%');
    expect(formatNumber(10000)).toBe('10,000');
    expect(formatMetric(0.21349)).toBe('0.213');
    expect(formatPercent(NaN)).toBe('–');
    expect(formatMetric(Infinity)).toBe('–');
  });
});

describe('shape, compact and duration formatting', () => {
  it('formats shapes, large counts and durations', () => {
    expect(formatShape([26, 26, 32])).toBe('26 × 26 × 32');
    expect(formatShape(null)).toBe('–');
    expect(formatCompact(432640)).toBe('433k');
    expect(formatCompact(999)).toBe('999');
    expect(formatDuration(12345)).toBe('12.3 s');
    expect(formatDuration(75300)).toBe('1:15');
  });
});
