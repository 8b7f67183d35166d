import { describe, expect, it } from 'vitest';
import type { BatchPoint, EpochPoint } from '../../src/train/protocol';
import { accuracySpread, overlayGeometry, RUN_COLORS, scatterGeometry } from '../../src/views/runs-compare';
import { kernelTiles } from '../../src/views/runs-timelapse';
import { quantize } from '../../src/runs/timelapse';

const batches = (n: number, msPerStep: number): BatchPoint[] =>
  Array.from({ length: n }, (_, i) => ({ step: i + 1, examplesSeen: (i + 1) * 64, loss: 2 / (i + 1), accuracy: Math.min(0.99, 0.1 + i * 0.02), elapsedMs: (i + 1) * msPerStep }));
const epoch = (examplesSeen: number, elapsedMs: number): EpochPoint => ({ epoch: 1, examplesSeen, elapsedMs, trainLoss: 0.3, trainAccuracy: 0.9, valLoss: 0.35, valAccuracy: 0.88 });

/** x coordinates of an SVG path's points. */
const xs = (d: string) => [...d.matchAll(/[ML]([\d.]+),/g)].map((m) => Number(m[1]));

describe('comparison geometry', () => {
  it('overlays runs on one shared x axis, by examples or by training time', () => {
    const slow = { id: 'a', batches: batches(100, 50), epochs: [epoch(6400, 5000)] };
    const fast = { id: 'b', batches: batches(50, 10), epochs: [epoch(3200, 500)] };
    const byExamples = overlayGeometry([slow, fast], 'loss', 'examples', 400, 200);
    expect(byExamples.lines.map((l) => [l.id, l.color])).toEqual([['a', RUN_COLORS[0]], ['b', RUN_COLORS[1]]]);
    const right = byExamples.plot.right;
    // The longer run reaches the right edge; the shorter one, half as many examples, ends near the middle.
    expect(Math.max(...xs(byExamples.lines[0]!.trainPath))).toBeCloseTo(right, 0);
    const mid = (byExamples.plot.left + right) / 2;
    expect(Math.abs(Math.max(...xs(byExamples.lines[1]!.trainPath)) - mid)).toBeLessThan(6);
    expect(byExamples.xLabel).toBe('examples seen');
    // By time the fast run (0.5 s) is squeezed against the left edge of the slow run's 5 s.
    const byTime = overlayGeometry([slow, fast], 'loss', 'time', 400, 200);
    expect(byTime.xLabel).toBe('training time (s)');
    expect(Math.max(...xs(byTime.lines[1]!.trainPath))).toBeLessThan(byTime.plot.left + (right - byTime.plot.left) * 0.11);
    expect(byTime.lines[0]!.valPoints).toHaveLength(1);
  });

  it('places runs by parameters (log scale) and accuracy', () => {
    const g = scatterGeometry([{ id: 'small', params: 4_000, accuracy: 0.97 }, { id: 'big', params: 400_000, accuracy: 0.99 }, { id: 'mid', params: 40_000, accuracy: 0.98 }], 400, 200);
    const [small, big, mid] = g.dots;
    expect(small!.cx).toBeLessThan(mid!.cx);
    expect(mid!.cx).toBeLessThan(big!.cx);
    // Equal ratios are equal distances on a log axis.
    expect(mid!.cx - small!.cx).toBeCloseTo(big!.cx - mid!.cx, 5);
    expect(big!.cy).toBeLessThan(small!.cy);
  });

  it('averages a kernel over its input channels for the time-lapse picture', () => {
    // [1, 1, 2, 3]: one pixel, two input channels, three filters.
    const k = kernelTiles(quantize(Float32Array.from([0, 1, 0.5, 1, 0, 0.5]), [1, 1, 2, 3]));
    expect([k.h, k.w, k.channels]).toEqual([1, 1, 3]);
    expect(Array.from(k.values).map((v) => Math.round(v * 100) / 100)).toEqual([0.5, 0.5, 0.5]);
  });

  it('gives the range of the compared test accuracies, skipping runs without a report', () => {
    expect(accuracySpread([0.8179, 0.8432, 0.8309])).toEqual({ low: 0.8179, high: 0.8432 });
    expect(accuracySpread([0.9, null, 0.95, Number.NaN])).toEqual({ low: 0.9, high: 0.95 });
    expect(accuracySpread([0.9, null])).toBeNull();
    expect(accuracySpread([])).toBeNull();
  });
});
