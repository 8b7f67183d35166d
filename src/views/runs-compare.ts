/**
 * Geometry for comparing runs (pure d3): several runs' training curves overlaid on shared axes
 * (x by examples seen or by training time), and a scatter of parameter count against test
 * accuracy over all kept runs. Returns path strings, positions and ticks for a view to draw.
 */
import { format, line, max, scaleLinear, scaleLog, schemeTableau10 } from 'd3';
import type { BatchPoint, EpochPoint } from '../train/protocol';
import { accuracyDomain, DEFAULT_MARGIN, emaSmooth, lossDomain, type CurveMetric, type Margin, type XTick, type YTick } from './curves';
import { decimateMean, type XY } from './series';

/** What the x axis measures. */
export type CompareAxis = 'examples' | 'time';

/** One run's history. */
export interface CompareSeries {
  id: string;
  batches: readonly BatchPoint[];
  epochs: readonly EpochPoint[];
}

/** One run drawn: its colour, smoothed training path, validation path and points. */
export interface OverlayLine {
  id: string;
  color: string;
  trainPath: string;
  valPath: string;
  valPoints: XY[];
}

/** What an overlay chart draws. */
export interface OverlayGeometry {
  lines: OverlayLine[];
  xTicks: XTick[];
  yTicks: YTick[];
  xLabel: string;
  plot: { left: number; top: number; right: number; bottom: number };
}

/** Colours of compared runs, in selection order. */
export const RUN_COLORS: readonly string[] = schemeTableau10.slice(0, 4);

const si = format('~s');

/** Overlays up to four runs' curves of one metric on shared scales. */
export function overlayGeometry(series: readonly CompareSeries[], metric: CurveMetric, axis: CompareAxis, width: number, height: number, margin: Margin = DEFAULT_MARGIN): OverlayGeometry {
  const plot = { left: margin.left, top: margin.top, right: Math.max(margin.left + 1, width - margin.right), bottom: Math.max(margin.top + 1, height - margin.bottom) };
  const xOf = (p: { examplesSeen: number; elapsedMs: number }) => (axis === 'examples' ? p.examplesSeen : p.elapsedMs / 1000);
  const value = (b: BatchPoint) => (metric === 'loss' ? b.loss : b.accuracy);
  const valOf = (e: EpochPoint) => (metric === 'loss' ? e.valLoss : e.valAccuracy);
  const allTrain = series.flatMap((s) => s.batches.map(value));
  const allVal = series.flatMap((s) => s.epochs.map(valOf));
  const xMax = Math.max(1e-9, max(series, (s) => Math.max(max(s.batches, xOf) ?? 0, max(s.epochs, xOf) ?? 0)) ?? 0);
  const x = scaleLinear().domain([0, xMax]).range([plot.left, plot.right]);
  const y = scaleLinear().domain(metric === 'loss' ? lossDomain(allTrain, allVal) : accuracyDomain(allTrain, allVal)).range([plot.bottom, plot.top]).clamp(true);
  const path = line<XY>().defined((p) => Number.isFinite(p.y)).x((p) => x(p.x)).y((p) => y(p.y));
  const budget = Math.round(plot.right - plot.left);
  const lines = series.map((s, i): OverlayLine => {
    const smooth = emaSmooth(s.batches.map(value), 0.6);
    const train = decimateMean(s.batches.map((b, k) => ({ x: xOf(b), y: smooth[k]! })), budget) as XY[];
    const val = s.epochs.map((e) => ({ x: xOf(e), y: valOf(e) }));
    return {
      id: s.id, color: RUN_COLORS[i % RUN_COLORS.length]!, trainPath: path(train) ?? '', valPath: path(val) ?? '',
      valPoints: val.filter((p) => Number.isFinite(p.y)).map((p) => ({ x: x(p.x), y: y(p.y) })),
    };
  });
  const yFormat = metric === 'loss' ? y.tickFormat(5) : y.tickFormat(5, '%');
  return {
    lines,
    xTicks: x.ticks(Math.max(2, Math.round((plot.right - plot.left) / 90))).map((v) => ({ value: v, x: x(v), label: axis === 'examples' ? si(v) : `${si(v)} s` })),
    yTicks: y.ticks(5).map((v) => ({ value: v, y: y(v), label: yFormat(v) })),
    xLabel: axis === 'examples' ? 'examples seen' : 'training time (s)',
    plot,
  };
}

/** A run in the scatter. */
export interface ScatterInput {
  id: string;
  params: number;
  accuracy: number;
}

/** What the scatter draws. */
export interface ScatterGeometry {
  dots: { id: string; cx: number; cy: number }[];
  xTicks: XTick[];
  yTicks: YTick[];
  plot: { left: number; top: number; right: number; bottom: number };
}

/** Parameters (log scale) against test accuracy; runs without an accuracy are left out by the caller. */
export function scatterGeometry(points: readonly ScatterInput[], width: number, height: number, margin: Margin = DEFAULT_MARGIN): ScatterGeometry {
  const plot = { left: margin.left, top: margin.top, right: Math.max(margin.left + 1, width - margin.right), bottom: Math.max(margin.top + 1, height - margin.bottom) };
  const params = points.map((p) => Math.max(1, p.params));
  const lo = Math.min(...params, 1000);
  const hi = Math.max(...params, lo * 10);
  const x = scaleLog().domain([lo / 1.5, hi * 1.5]).range([plot.left, plot.right]).nice();
  const y = scaleLinear().domain(accuracyDomain(points.map((p) => p.accuracy), [])).range([plot.bottom, plot.top]).nice();
  return {
    dots: points.map((p) => ({ id: p.id, cx: x(Math.max(1, p.params)), cy: y(p.accuracy) })),
    xTicks: x.ticks(4).filter((v) => Number.isInteger(Math.log10(v))).map((v) => ({ value: v, x: x(v), label: si(v) })),
    yTicks: y.ticks(5).map((v) => ({ value: v, y: y(v), label: format('.0%')(v) })),
    plot,
  };
}

/** The lowest and highest of the compared runs' test accuracies; null with fewer than two reports. */
export function accuracySpread(accuracies: readonly (number | null)[]): { low: number; high: number } | null {
  const known = accuracies.filter((a): a is number => a !== null && Number.isFinite(a));
  if (known.length < 2) return null;
  return { low: Math.min(...known), high: Math.max(...known) };
}
