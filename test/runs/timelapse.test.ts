import { describe, expect, it } from 'vitest';
import { addFrame, dequantize, emptyTimelapse, frameBytes, quantize, timelapseBytes, TIMELAPSE_CAP_BYTES, type TimelapseFrame } from '../../src/runs/timelapse';

/** A frame the size of the default preset's: kernels 3x3x1x32 and 3x3x32x64, maps 26x26x32 and 11x11x64. */
function frame(step: number): TimelapseFrame {
  const q = (shape: number[]) => quantize(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i + step)), shape);
  return {
    step, examplesSeen: step * 64,
    filters: [{ index: 0, kernel: q([3, 3, 1, 32]) }, { index: 2, kernel: q([3, 3, 32, 64]) }],
    maps: [{ index: 0, map: q([26, 26, 32]) }, { index: 2, map: q([11, 11, 64]) }],
  };
}

describe('time-lapse recorder', () => {
  it('stores values as 8-bit levels within half a level of the originals', () => {
    const values = Float32Array.from([-0.5, 0, 0.25, 1.5, NaN]);
    const q = quantize(values, [5]);
    expect([q.min, q.max]).toEqual([-0.5, 1.5]);
    const back = dequantize(q);
    for (let i = 0; i < 4; i++) expect(Math.abs(back[i]! - values[i]!)).toBeLessThanOrEqual(2 / 255 / 2 + 1e-7);
    expect(quantize(new Float32Array(3).fill(2), [3]).levels).toEqual(new Uint8Array(3));
  });

  it('never holds more than its cap over a long run, keeping frames spread from start to end', () => {
    const size = frameBytes(frame(1));
    expect(size).toBeGreaterThan(48_000);
    expect(size).toBeLessThan(50_000);
    let t = emptyTimelapse();
    let peak = 0;
    // 10,000 steps with a snapshot offered every 5 steps (about 50 minutes at one a second).
    for (let step = 5; step <= 10_000; step += 5) {
      t = addFrame(t, frame(step));
      peak = Math.max(peak, timelapseBytes(t));
    }
    expect(peak).toBeLessThanOrEqual(TIMELAPSE_CAP_BYTES);
    expect(t.frames.length).toBeGreaterThan(TIMELAPSE_CAP_BYTES / size / 2 - 1);
    expect(t.frames[0]!.step).toBe(5);
    expect(t.frames.at(-1)!.step).toBeGreaterThan(9_000);
    // Frames stay in order and roughly evenly spaced.
    const steps = t.frames.map((f) => f.step);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(t.stepGap).toBeGreaterThan(5);
  });

  it('skips frames closer than the gap and frames larger than the cap', () => {
    let t = emptyTimelapse(200_000);
    t = addFrame(t, frame(10));
    expect(addFrame(t, frame(10))).toBe(t);
    t = addFrame(t, frame(11));
    expect(t.frames.map((f) => f.step)).toEqual([10, 11]);
    const tiny = emptyTimelapse(1000);
    expect(addFrame(tiny, frame(1))).toBe(tiny);
  });
});
