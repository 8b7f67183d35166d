import { quantile } from 'd3';
import { describe, expect, it } from 'vitest';
import type { BatchPoint, EpochPoint } from '../../src/train/protocol';
import {
  accuracyDomain,
  curveGeometry,
  decimate,
  decimateMean,
  emaSmooth,
  finiteQuantile,
  lossDomain,
  type XY,
} from '../../src/views/curves';

const batch = (step: number, loss: number, accuracy = 0.5): BatchPoint => ({
  step,
  examplesSeen: step * 100,
  loss,
  accuracy,
  elapsedMs: step * 10,
});
const epoch = (n: number, examplesSeen: number, valLoss: number, valAccuracy = 0.9): EpochPoint => ({
  epoch: n,
  examplesSeen,
  elapsedMs: 0,
  trainLoss: valLoss,
  trainAccuracy: valAccuracy,
  valLoss,
  valAccuracy,
});
const MARGIN = { top: 10, right: 10, bottom: 30, left: 40 };

describe('emaSmooth', () => {
  it('keeps a constant series constant from the first point (debiased)', () => {
    const out = emaSmooth([2, 2, 2, 2, 2], 0.9);
    for (const v of out) expect(v).toBeCloseTo(2, 12);
  });

  it('is the identity for alpha 0', () => {
    expect(emaSmooth([3, 1, 4, 1, 5], 0)).toEqual([3, 1, 4, 1, 5]);
  });

  it('debiases: second value is the weighted mean of the first two', () => {
    // Plain EMA from 0 would give 0.5*0 + 0.5*10 = 5 for the first point; debiased gives 10.
    const [a, b] = emaSmooth([10, 20], 0.5);
    expect(a).toBeCloseTo(10, 12);
    // last = 0.5*5 + 0.5*20 = 12.5, debias 1 - 0.25 = 0.75 -> 16.666...
    expect(b).toBeCloseTo(50 / 3, 12);
  });

  it('skips NaN without poisoning later values', () => {
    const out = emaSmooth([1, NaN, 1], 0.6);
    expect(out[0]).toBeCloseTo(1, 12);
    expect(out[1]).toBeNaN();
    expect(out[2]).toBeCloseTo(1, 12);
  });

  it('clamps alpha 1 so values stay finite', () => {
    expect(emaSmooth([1, 2, 3], 1).every(Number.isFinite)).toBe(true);
  });
});

describe('decimate', () => {
  const series = (n: number): XY[] => Array.from({ length: n }, (_, i) => ({ x: i, y: Math.sin(i / 50) }));

  it('returns short series unchanged', () => {
    const pts = series(10);
    expect(decimate(pts, 100)).toBe(pts);
  });

  it('bounds the length and keeps first and last points', () => {
    const pts = series(10_000);
    const out = decimate(pts, 300);
    expect(out.length).toBeLessThanOrEqual(300);
    expect(out.length).toBeGreaterThan(200);
    expect(out[0]).toBe(pts[0]);
    expect(out.at(-1)).toBe(pts.at(-1));
  });

  it('keeps extremes, including a one-point spike, in x order', () => {
    const pts = series(10_000);
    pts[4321] = { x: 4321, y: 99 };
    pts[7777] = { x: 7777, y: -99 };
    const out = decimate(pts, 200);
    expect(out).toContain(pts[4321]);
    expect(out).toContain(pts[7777]);
    for (let i = 1; i < out.length; i++) expect(out[i].x).toBeGreaterThan(out[i - 1].x);
  });

  it('keeps a gap where a whole bucket is NaN', () => {
    const pts = Array.from({ length: 1000 }, (_, i) => ({ x: i, y: i >= 500 && i < 700 ? NaN : 1 }));
    expect(decimate(pts, 50).some((p) => Number.isNaN(p.y))).toBe(true);
  });

  it('never returns more than 4 points when asked for fewer', () => {
    expect(decimate(series(100), 1).length).toBeLessThanOrEqual(4);
  });
});

describe('decimateMean', () => {
  it('averages buckets, keeps first and last, bounds the length', () => {
    const pts = Array.from({ length: 1002 }, (_, i) => ({ x: i, y: i % 2 }));
    const out = decimateMean(pts, 12);
    expect(out).toHaveLength(12);
    expect(out[0]).toBe(pts[0]);
    expect(out.at(-1)).toBe(pts.at(-1));
    // Each inner bucket holds 100 alternating 0/1 values.
    for (const p of out.slice(1, -1)) expect(p.y).toBeCloseTo(0.5, 12);
    expect(out[1].x).toBeCloseTo(50.5, 12);
  });

  it('keeps a NaN point for an all-NaN bucket and returns short series unchanged', () => {
    const pts = Array.from({ length: 102 }, (_, i) => ({ x: i, y: i > 50 ? NaN : 1 }));
    expect(decimateMean(pts, 12).at(-2)?.y).toBeNaN();
    expect(decimateMean(pts, 500)).toBe(pts);
  });
});

describe('finiteQuantile', () => {
  it('matches d3.quantile on finite values and ignores NaN', () => {
    const values = Array.from({ length: 1001 }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1);
    for (const p of [0, 0.02, 0.5, 0.98, 1]) {
      expect(finiteQuantile([...values, NaN, Infinity], p)).toBeCloseTo(quantile(values, p)!, 12);
    }
    expect(finiteQuantile([3, NaN, 1, 2], 0.5)).toBe(2);
    expect(finiteQuantile([NaN], 0.5)).toBeNaN();
  });
});

describe('axis domains', () => {
  it('loss max ignores an early spike (98th percentile)', () => {
    const losses = [50, ...Array.from({ length: 199 }, () => 0.3)];
    const [lo, hi] = lossDomain(losses, []);
    expect(lo).toBe(0);
    expect(hi).toBeGreaterThanOrEqual(0.3);
    expect(hi).toBeLessThan(1);
  });

  it('loss max includes validation points', () => {
    expect(lossDomain([0.1, 0.1], [0.8])[1]).toBeGreaterThanOrEqual(0.8);
  });

  it('loss domain falls back to 0..1 with no data', () => {
    expect(lossDomain([], [NaN])).toEqual([0, 1]);
  });

  it('accuracy shows 0..1 while learning and zooms once everything is high', () => {
    expect(accuracyDomain([0.1, 0.5, 0.9], [])).toEqual([0, 1]);
    expect(accuracyDomain(Array(100).fill(0.97), [0.985])).toEqual([0.9, 1]);
    expect(accuracyDomain(Array(100).fill(0.97), [0.4])).toEqual([0, 1]);
  });
});

describe('curveGeometry', () => {
  const batches = Array.from({ length: 600 }, (_, i) => batch(i + 1, i === 0 ? 40 : 1 / (1 + i / 50), 0.5));
  const epochs = [epoch(1, 30_000, 0.4), epoch(2, 60_000, NaN), epoch(3, 60_000, 0.2)];
  const geo = curveGeometry({ batches, epochs, metric: 'loss', width: 400, height: 200, margin: MARGIN, smoothing: 0.6 });

  it('draws non-empty paths inside the plot area', () => {
    // First batch at 100 examples; its loss of 40 is clamped to the top edge (y = 10).
    expect(geo.trainRawPath).toMatch(/^M40\.583,10L/);
    expect(geo.trainSmoothPath.startsWith('M')).toBe(true);
    expect(geo.valPath.startsWith('M')).toBe(true);
    expect(geo.plot).toEqual({ left: 40, top: 10, right: 390, bottom: 170 });
  });

  it('skips NaN validation values in points and breaks the path', () => {
    expect(geo.valPoints.map((p) => p.epoch)).toEqual([1, 3]);
    expect(geo.valPoints[0].x).toBeCloseTo(40 + (30_000 / 60_000) * 350, 9);
    // A gap starts a new subpath: two "M" commands.
    expect(geo.valPath.match(/M/g)?.length).toBe(2);
  });

  it('uses a robust y max, not the first-batch spike of 40', () => {
    expect(geo.yDomain[0]).toBe(0);
    expect(geo.yDomain[1]).toBeLessThan(2);
  });

  it('puts x ticks from 0 with SI labels and y ticks at their pixels', () => {
    expect(geo.xTicks[0]).toEqual({ value: 0, x: 40, label: '0' });
    expect(geo.xTicks.map((t) => t.label)).toContain('20k');
    const zero = geo.yTicks.find((t) => t.value === 0);
    expect(zero?.y).toBe(170);
    expect(geo.xLabel).toBe('examples seen');
    expect(geo.yLabel).toBe('loss');
  });

  it('reports the latest smoothed train and last finite validation values', () => {
    expect(geo.latest.val).toBe(0.2);
    expect(geo.latest.train).toBeGreaterThan(batches.at(-1)!.loss - 0.01);
    expect(geo.latest.train).toBeLessThan(batches.at(-1)!.loss + 0.01);
  });

  it('formats accuracy ticks as percentages', () => {
    const acc = curveGeometry({ batches, epochs, metric: 'accuracy', width: 400, height: 200 });
    expect(acc.yTicks.at(-1)?.label).toBe('100%');
    expect(acc.yLabel).toBe('accuracy');
  });

  it('decimates long series to about two points per pixel', () => {
    const long = Array.from({ length: 20_000 }, (_, i) => batch(i + 1, Math.random()));
    const g = curveGeometry({ batches: long, epochs: [], metric: 'loss', width: 400, height: 200, margin: MARGIN });
    const vertices = g.trainRawPath.split(/[ML]/).filter(Boolean).length;
    expect(vertices).toBeLessThanOrEqual(700);
    expect(g.valPath).toBe('');
    expect(g.latest.val).toBeUndefined();
  });

  it('gives empty paths and a 0..1 axis when there is no data', () => {
    const g = curveGeometry({ batches: [], epochs: [], metric: 'loss', width: 300, height: 150 });
    expect(g.trainRawPath).toBe('');
    expect(g.yDomain).toEqual([0, 1]);
    expect(g.xTicks.map((t) => t.label)).toEqual(['0', '1']);
  });
});
