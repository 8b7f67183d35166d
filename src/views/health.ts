/**
 * Layer health over training (pure): per-layer series from health snapshots, sparkline paths
 * (activation quantile bands, dead-unit fraction, log-scale weight and gradient norms) and the
 * plain-language warnings with their thresholds.
 */
import { area, extent, line, median, scaleLinear, scaleLog } from 'd3';
import type { HealthSnapshot } from '../train/protocol';

/** One layer at one snapshot. */
export interface HealthPoint {
  examplesSeen: number;
  step: number;
  /** 5th, 25th, 50th, 75th, 95th percentiles of the layer's outputs. */
  quantiles: number[];
  dead: number | null;
  weightNorm: number | null;
  gradNorm: number | null;
}

/** Pixel size of one sparkline, with `pad` pixels kept free on every side for the strokes. */
export interface ChartSize {
  width: number;
  height: number;
  pad?: number;
}

/** Paths of the activation chart: 5-95% band, 25-75% band and median line, and the y domain. */
export interface BandPaths {
  outer: string;
  inner: string;
  median: string;
  domain: [number, number];
}

/** Paths of the norm chart (log scale) and its domain; empty strings when a series has no positive value. */
export interface NormPaths {
  weight: string;
  grad: string;
  domain: [number, number];
}

/** A layer that needs attention, in words a person can act on. */
export interface HealthWarning {
  index: number;
  kind: 'dead' | 'vanishing' | 'exploding';
  message: string;
}

/** More than half the units never firing means the layer wastes most of its capacity. */
export const DEAD_LIMIT = 0.5;
/**
 * Gradient norm below a millionth of the weight norm: one Adam or SGD step (learning rate
 * ~1e-3) then moves the weights by ~1e-9 of their size, so the layer has stopped learning.
 */
export const VANISHING_RATIO = 1e-6;
/** Gradient norm above ten times the weight norm: one step at learning rate 0.1 would double the weights. */
export const EXPLODING_RATIO = 10;
/** Gradient norm a hundred times its median over the earlier snapshots: a blow-up under way. */
export const GROWTH_FACTOR = 100;
/** Earlier snapshots needed before growth is judged, so the first noisy steps are not a "median". */
export const GROWTH_MIN_HISTORY = 5;

/** The series of one spec layer (by its index) across the history; snapshots without it are skipped. */
export function layerSeries(history: readonly HealthSnapshot[], index: number): HealthPoint[] {
  const points: HealthPoint[] = [];
  for (const snapshot of history) {
    const layer = snapshot.layers.find((l) => l.index === index);
    if (!layer) continue;
    points.push({
      examplesSeen: snapshot.examplesSeen, step: snapshot.step, quantiles: layer.quantiles,
      dead: layer.deadFraction, weightNorm: layer.weightNorm, gradNorm: layer.gradNorm,
    });
  }
  return points;
}

/**
 * At most `max` points, evenly strided, first and last kept: a 120-pixel sparkline gains nothing
 * from 300 snapshots, and path building is the main cost of a health update.
 */
export function thinPoints<P>(points: readonly P[], max: number): readonly P[] {
  const n = points.length;
  if (n <= max || max < 2) return points;
  return Array.from({ length: max }, (_, i) => points[Math.round((i * (n - 1)) / (max - 1))]);
}

/** The examples-seen span of a history, shared by every layer's charts so they line up. */
export function historyDomain(history: readonly HealthSnapshot[]): [number, number] {
  const [lo, hi] = extent(history, (s) => s.examplesSeen);
  if (lo === undefined || hi === undefined) return [0, 1];
  return hi > lo ? [lo, hi] : [lo, lo + 1];
}

function xScale(domain: [number, number], size: ChartSize) {
  const pad = size.pad ?? 2;
  return scaleLinear().domain(domain).range([pad, size.width - pad]);
}

function yRange(size: ChartSize): [number, number] {
  const pad = size.pad ?? 2;
  return [size.height - pad, pad];
}

/** A domain that always has width: a flat series gets ±10% of its value (or ±1 around 0). */
function widen([lo, hi]: [number, number]): [number, number] {
  if (hi > lo) return [lo, hi];
  const d = Math.abs(lo) * 0.1 || 1;
  return [lo - d, hi + d];
}

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** Quantile bands of one layer's activations: d3 area generators for 5-95% and 25-75%, a line for the median. */
export function bandPaths(points: readonly HealthPoint[], xDomain: [number, number], size: ChartSize): BandPaths {
  const all = points.flatMap((p) => [p.quantiles[0], p.quantiles[4]]).filter(finite);
  const domain = widen(all.length ? [Math.min(...all), Math.max(...all)] : [0, 1]);
  const x = xScale(xDomain, size);
  const y = scaleLinear().domain(domain).range(yRange(size));
  const ok = (p: HealthPoint) => p.quantiles.length === 5 && p.quantiles.every(finite);
  const band = (a: number, b: number) =>
    area<HealthPoint>().defined(ok).x((p) => x(p.examplesSeen)).y0((p) => y(p.quantiles[a])).y1((p) => y(p.quantiles[b]))(points) ?? '';
  const mid = line<HealthPoint>().defined(ok).x((p) => x(p.examplesSeen)).y((p) => y(p.quantiles[2]))(points) ?? '';
  return { outer: band(0, 4), inner: band(1, 3), median: mid, domain };
}

/** The dead-unit fraction (0..1 on the y axis) as a line; empty when the layer has no ReLU. */
export function deadPath(points: readonly HealthPoint[], xDomain: [number, number], size: ChartSize): string {
  const x = xScale(xDomain, size);
  const y = scaleLinear().domain([0, 1]).range(yRange(size));
  return line<HealthPoint>().defined((p) => finite(p.dead)).x((p) => x(p.examplesSeen)).y((p) => y(p.dead!))(points) ?? '';
}

/** Weight and gradient norms on one log scale spanning both, so their ratio reads as a distance. */
export function normPaths(points: readonly HealthPoint[], xDomain: [number, number], size: ChartSize): NormPaths {
  const positive = (v: number | null): v is number => finite(v) && v > 0;
  const all = points.flatMap((p) => [p.weightNorm, p.gradNorm]).filter(positive);
  let domain: [number, number] = all.length ? [Math.min(...all), Math.max(...all)] : [1e-3, 1];
  if (!(domain[1] > domain[0])) domain = [domain[0] / 3, domain[1] * 3];
  const x = xScale(xDomain, size);
  const y = scaleLog().domain(domain).range(yRange(size));
  const path = (pick: (p: HealthPoint) => number | null) =>
    line<HealthPoint>().defined((p) => positive(pick(p))).x((p) => x(p.examplesSeen)).y((p) => y(pick(p)!))(points) ?? '';
  return { weight: path((p) => p.weightNorm), grad: path((p) => p.gradNorm), domain };
}

/** "Layer 3 (Conv2D 64 3x3 ReLU)": 1-based, as the editor numbers layers. */
export function layerName(index: number, description: string): string {
  return `Layer ${index + 1} (${description})`;
}

/** The warnings of the latest snapshot; `descriptions[i]` names spec layer i (e.g. describeLayer). */
export function healthWarnings(history: readonly HealthSnapshot[], descriptions: readonly string[]): HealthWarning[] {
  const latest = history[history.length - 1];
  if (!latest) return [];
  const warnings: HealthWarning[] = [];
  for (const layer of latest.layers) {
    const name = layerName(layer.index, descriptions[layer.index] ?? 'layer');
    const add = (kind: HealthWarning['kind'], text: string) => warnings.push({ index: layer.index, kind, message: `${name}: ${text}` });
    if (finite(layer.deadFraction) && layer.deadFraction > DEAD_LIMIT) {
      add('dead', `${Math.round(layer.deadFraction * 100)}% of its units never activate on the probe batch; try a lower learning rate or leakyRelu`);
    }
    const gradient = gradientProblem(history, layer.index, layer.weightNorm, layer.gradNorm);
    if (gradient) add(gradient.kind, gradient.text);
  }
  return warnings;
}

function gradientProblem(
  history: readonly HealthSnapshot[], index: number, weight: number | null, grad: number | null,
): { kind: 'vanishing' | 'exploding'; text: string } | null {
  if (weight === null || grad === null) return null;
  const fixExploding = 'try a lower learning rate, batch norm, or fewer layers';
  if (!Number.isFinite(weight) || !Number.isFinite(grad)) {
    return { kind: 'exploding', text: `its weights or gradients are no longer finite numbers; ${fixExploding}` };
  }
  const ratio = weight > 0 ? grad / weight : NaN;
  if (ratio < VANISHING_RATIO) {
    return { kind: 'vanishing', text: `gradients are vanishing (gradient norm ${ratio.toExponential(1)} of the weight norm), so it barely learns; try ReLU instead of sigmoid or tanh, batch norm, or a higher learning rate` };
  }
  if (ratio > EXPLODING_RATIO) {
    return { kind: 'exploding', text: `gradients are exploding (gradient norm ${Math.round(ratio)}× the weight norm); ${fixExploding}` };
  }
  const earlier = layerSeries(history.slice(0, -1), index).map((p) => p.gradNorm).filter((g): g is number => finite(g) && g > 0);
  const typical = earlier.length >= GROWTH_MIN_HISTORY ? median(earlier) : undefined;
  if (typical !== undefined && grad > GROWTH_FACTOR * typical) {
    return { kind: 'exploding', text: `gradients are exploding (gradient norm grew ${Math.round(grad / typical)}× over the run); ${fixExploding}` };
  }
  return null;
}
