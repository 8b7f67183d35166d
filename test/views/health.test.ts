import { describe, expect, it } from 'vitest';
import type { HealthSnapshot, LayerHealth } from '../../src/train/protocol';
import {
  bandPaths, deadPath, healthWarnings, historyDomain, layerName, layerSeries, normPaths, thinPoints,
} from '../../src/views/health';

const layer = (index: number, patch: Partial<LayerHealth> = {}): LayerHealth => ({
  index, quantiles: [0, 0.5, 1, 1.5, 2], deadFraction: 0.1, weightNorm: 2, gradNorm: 0.01, ...patch,
});
const snap = (step: number, layers: LayerHealth[]): HealthSnapshot => ({ step, examplesSeen: step * 100, layers });
const names = ['Conv2D 32 3x3 ReLU', 'MaxPool 2x2', 'Conv2D 64 3x3 ReLU', 'Flatten', 'Dense 10 softmax'];

describe('health series', () => {
  it('picks one layer out of every snapshot', () => {
    const history = [snap(1, [layer(0), layer(2, { deadFraction: 0.3 })]), snap(2, [layer(0)])];
    expect(layerSeries(history, 2)).toEqual([
      { examplesSeen: 100, step: 1, quantiles: [0, 0.5, 1, 1.5, 2], dead: 0.3, weightNorm: 2, gradNorm: 0.01 },
    ]);
    expect(layerSeries(history, 0)).toHaveLength(2);
    expect(historyDomain(history)).toEqual([100, 200]);
    expect(historyDomain([history[0]])).toEqual([100, 101]);
    expect(historyDomain([])).toEqual([0, 1]);
  });
});

describe('thinning', () => {
  it('keeps first and last and strides evenly', () => {
    const points = Array.from({ length: 300 }, (_, i) => i);
    const thin = thinPoints(points, 4);
    expect(thin).toEqual([0, 100, 199, 299]);
    expect(thinPoints(points, 400)).toBe(points);
    expect(thinPoints(points, 120)).toHaveLength(120);
  });
});

describe('sparkline paths', () => {
  const size = { width: 104, height: 44, pad: 2 };
  const history = [
    snap(0, [layer(0, { quantiles: [-1, 0, 1, 2, 3] })]),
    snap(1, [layer(0, { quantiles: [-1, 0, 0, 1, 3], deadFraction: 0.5, gradNorm: 0.02 })]),
  ];
  const points = layerSeries(history, 0);

  it('draws the 5-95% and 25-75% bands as areas and the median as a line', () => {
    const bands = bandPaths(points, [0, 100], size);
    expect(bands.domain).toEqual([-1, 3]);
    // x: 0 -> 2, 100 -> 102; y: -1 -> 42 (bottom), 3 -> 2 (top), 1 -> 22, 0 -> 32.
    expect(bands.outer).toBe('M2,2L102,2L102,42L2,42Z');
    expect(bands.inner).toBe('M2,12L102,22L102,32L2,32Z');
    expect(bands.median).toBe('M2,22L102,32');
  });

  it('draws the dead fraction on a 0..1 axis and leaves layers without ReLU empty', () => {
    expect(deadPath(points, [0, 100], size)).toBe('M2,38L102,22');
    expect(deadPath(layerSeries([snap(0, [layer(0, { deadFraction: null })])], 0), [0, 1], size)).toBe('');
  });

  it('puts weight and gradient norms on one log scale', () => {
    const norms = normPaths(points, [0, 100], size);
    expect(norms.domain).toEqual([0.01, 2]);
    expect(norms.weight).toBe('M2,2L102,2');
    const y = (v: number) => 42 - (40 * Math.log(v / 0.01)) / Math.log(200);
    expect(norms.grad).toBe(`M2,42L102,${+y(0.02).toFixed(3)}`); // d3 paths keep 3 decimals
    const none = normPaths(layerSeries([snap(0, [layer(1, { weightNorm: null, gradNorm: null })])], 1), [0, 1], size);
    expect(none).toMatchObject({ weight: '', grad: '' });
  });
});

describe('health warnings', () => {
  it('is quiet for a healthy network', () => {
    expect(healthWarnings([snap(1, [layer(0), layer(2)])], names)).toEqual([]);
    expect(healthWarnings([], names)).toEqual([]);
  });

  it('warns when more than half the units are dead', () => {
    const warnings = healthWarnings([snap(1, [layer(2, { deadFraction: 0.72 })])], names);
    expect(warnings).toEqual([{
      index: 2, kind: 'dead',
      message: 'Layer 3 (Conv2D 64 3x3 ReLU): 72% of its units never activate on the probe batch; try a lower learning rate or leakyRelu',
    }]);
    expect(healthWarnings([snap(1, [layer(2, { deadFraction: 0.5 })])], names)).toEqual([]);
  });

  it('warns when the gradient norm falls below 1e-6 of the weight norm', () => {
    const [w] = healthWarnings([snap(1, [layer(0, { weightNorm: 4, gradNorm: 1e-7 })])], names);
    expect(w.kind).toBe('vanishing');
    expect(w.message).toMatch(/^Layer 1 \(Conv2D 32 3x3 ReLU\): gradients are vanishing \(gradient norm 2\.5e-8 of the weight norm\)/);
    expect(healthWarnings([snap(1, [layer(0, { weightNorm: 1, gradNorm: 2e-6 })])], names)).toEqual([]);
  });

  it('warns when the gradient norm exceeds 10x the weight norm, or is not finite', () => {
    const [w] = healthWarnings([snap(1, [layer(4, { weightNorm: 2, gradNorm: 50 })])], names);
    expect(w).toMatchObject({ index: 4, kind: 'exploding' });
    expect(w.message).toContain('Layer 5 (Dense 10 softmax): gradients are exploding (gradient norm 25× the weight norm)');
    const [nan] = healthWarnings([snap(1, [layer(4, { gradNorm: NaN })])], names);
    expect(nan.kind).toBe('exploding');
    expect(healthWarnings([snap(1, [layer(4, { weightNorm: 2, gradNorm: 19 })])], names)).toEqual([]);
  });

  it('warns when the gradient norm grows 100x over its median so far, once there is enough history', () => {
    const calm = [1, 2, 3, 4, 5].map((s) => snap(s, [layer(0, { weightNorm: 10, gradNorm: 0.001 })]));
    const spike = snap(6, [layer(0, { weightNorm: 10, gradNorm: 0.2 })]);
    const [w] = healthWarnings([...calm, spike], names);
    expect(w.message).toContain('gradient norm grew 200× over the run');
    expect(healthWarnings([...calm.slice(1), spike], names)).toEqual([]); // 4 earlier snapshots: too few
    expect(healthWarnings([...calm, snap(6, [layer(0, { weightNorm: 10, gradNorm: 0.09 })])], names)).toEqual([]);
  });

  it('numbers layers from 1 as the editor does', () => {
    expect(layerName(0, 'Dense 64 ReLU')).toBe('Layer 1 (Dense 64 ReLU)');
  });
});
