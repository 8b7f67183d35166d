/**
 * Training-curve geometry (pure): smoothing, decimation, scales, ticks and SVG path strings.
 * Everything is in SVG user units of a `width` x `height` viewport, margins included, so a view
 * only has to draw the returned strings and numbers.
 */
import { format, line, max, min, scaleLinear } from 'd3';
import type { BatchPoint, EpochPoint } from '../train/protocol';
import { decimate, decimateMean, finiteQuantile, type XY } from './series';

// Re-exported so callers find every curve helper in one module.
export { decimate, decimateMean, finiteQuantile, type XY };

/** Which metric a curve shows. */
export type CurveMetric = 'loss' | 'accuracy';

/** Space around the plot area for axes and labels, in pixels. */
export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** An axis tick: its data value, pixel position and label. */
export interface XTick {
  value: number;
  x: number;
  label: string;
}

/** A y-axis tick: its data value, pixel position and label. */
export interface YTick {
  value: number;
  y: number;
  label: string;
}

/** A validation point at an epoch end, in pixels, with its value for titles. */
export interface ValPoint extends XY {
  epoch: number;
  value: number;
}

/** Inputs of `curveGeometry`. */
export interface CurveInput {
  batches: readonly BatchPoint[];
  epochs: readonly EpochPoint[];
  metric: CurveMetric;
  width: number;
  height: number;
  margin?: Margin;
  /** EMA weight 0..0.99 (0 = raw). */
  smoothing?: number;
  /** Most points of the raw line (the smoothed one gets half); defaults to two per pixel. */
  maxPoints?: number;
}

/** What a chart draws. */
export interface CurveGeometry {
  trainRawPath: string;
  trainSmoothPath: string;
  valPath: string;
  valPoints: ValPoint[];
  xTicks: XTick[];
  yTicks: YTick[];
  xLabel: string;
  yLabel: string;
  /** Last smoothed training value (raw when smoothing is 0) and last validation value. */
  latest: { train?: number; val?: number };
  /** The plot area in pixels. */
  plot: { left: number; top: number; right: number; bottom: number };
  yDomain: [number, number];
}

// SI labels ("20k", "1.2M") fit narrow charts; x.tickFormat would fix the prefix and print "0k".
const siFormat = format('~s');

/** Margins that fit 4-character y labels and one line of x labels plus a title. */
export const DEFAULT_MARGIN: Margin = { top: 10, right: 14, bottom: 36, left: 46 };

/**
 * Debiased exponential moving average as TensorBoard smooths scalars: dividing by 1 - alpha^n
 * removes the pull toward the zero start. Non-finite values stay NaN and do not enter the average.
 */
export function emaSmooth(values: readonly number[], alpha: number): number[] {
  // alpha = 1 would never move and would divide by zero in the debias term.
  const a = Math.min(Math.max(alpha, 0), 0.999);
  const out = new Array<number>(values.length);
  let last = 0;
  let power = 1; // alpha^n as a running product: Math.pow per point costs more than the rest
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      out[i] = NaN;
      continue;
    }
    power *= a;
    last = last * a + (1 - a) * v;
    out[i] = last / (1 - power);
  }
  return out;
}

/**
 * Loss axis from 0 to the 98th percentile of batch losses (or the largest validation loss if
 * higher), so the first batches' ~2.3 does not squash a later 0.05 against the floor.
 */
export function lossDomain(train: readonly number[], val: readonly number[]): [number, number] {
  const robust = finiteQuantile(train, 0.98);
  const top = Math.max(Number.isFinite(robust) ? robust : 0, max(val.filter(Number.isFinite)) ?? 0);
  if (!(top > 0)) return [0, 1];
  return scaleLinear().domain([0, top * 1.05]).nice().domain() as [number, number];
}

/**
 * Accuracy axis: the full 0..1 while the model is still learning, so progress from chance reads
 * honestly; once 98% of values (and every validation point) are at least 50%, it zooms to
 * [floor to 10%, 1] so 97% vs 99% gets the chart's height.
 */
export function accuracyDomain(train: readonly number[], val: readonly number[]): [number, number] {
  const lowTrain = finiteQuantile(train, 0.02);
  const lowVal = min(val.filter(Number.isFinite));
  if (Number.isNaN(lowTrain) && lowVal === undefined) return [0, 1];
  const low = Math.min(Number.isNaN(lowTrain) ? 1 : lowTrain, lowVal ?? 1);
  return low >= 0.5 ? [Math.floor(low * 10) / 10, 1] : [0, 1];
}

/** Computes scales, ticks and paths of one metric's training curves. */
export function curveGeometry(input: CurveInput): CurveGeometry {
  const { batches, epochs, metric, width, height, margin = DEFAULT_MARGIN } = input;
  const plot = {
    left: margin.left,
    top: margin.top,
    right: Math.max(margin.left + 1, width - margin.right),
    bottom: Math.max(margin.top + 1, height - margin.bottom),
  };
  const raw = batches.map((b) => (metric === 'loss' ? b.loss : b.accuracy));
  const smooth = emaSmooth(raw, input.smoothing ?? 0.6);
  const val = epochs.map((e) => (metric === 'loss' ? e.valLoss : e.valAccuracy));
  const xMax = Math.max(1, max(batches, (b) => b.examplesSeen) ?? 0, max(epochs, (e) => e.examplesSeen) ?? 0);
  const x = scaleLinear().domain([0, xMax]).range([plot.left, plot.right]);
  const yDomain = metric === 'loss' ? lossDomain(raw, val) : accuracyDomain(raw, val);
  // Clamp so values above the robust max run along the top edge instead of leaving the chart.
  const y = scaleLinear().domain(yDomain).range([plot.bottom, plot.top]).clamp(true);
  const path = line<XY>()
    .defined((p) => Number.isFinite(p.y))
    .x((p) => x(p.x))
    .y((p) => y(p.y));
  // Raw: min/max envelope at two points per pixel keeps spikes; smoothed: one mean per pixel,
  // because min/max of a still-noisy smoothed series would draw a thick band, not a trend.
  const budget = input.maxPoints ?? Math.round((plot.right - plot.left) * 2);
  const series = (values: number[]): XY[] => batches.map((b, i) => ({ x: b.examplesSeen, y: values[i] }));
  const valData = epochs.map((e, i) => ({ x: e.examplesSeen, y: val[i], epoch: e.epoch }));
  const xCount = Math.max(2, Math.round((plot.right - plot.left) / 90));
  const yFormat = metric === 'loss' ? y.tickFormat(5) : y.tickFormat(5, '%');
  return {
    trainRawPath: path(decimate(series(raw), budget) as XY[]) ?? '',
    trainSmoothPath: path(decimateMean(series(smooth), budget / 2) as XY[]) ?? '',
    valPath: path(valData) ?? '',
    valPoints: valData
      .filter((p) => Number.isFinite(p.y))
      .map((p) => ({ x: x(p.x), y: y(p.y), epoch: p.epoch, value: p.y })),
    // Examples are whole numbers; without the filter an empty 0..1 axis would read "200m".
    xTicks: x.ticks(xCount).filter(Number.isInteger).map((value) => ({ value, x: x(value), label: siFormat(value) })),
    yTicks: y.ticks(5).map((value) => ({ value, y: y(value), label: yFormat(value) })),
    xLabel: 'examples seen',
    yLabel: metric,
    latest: { train: lastFinite(smooth), val: lastFinite(val) },
    plot,
    yDomain,
  };
}

function lastFinite(values: readonly number[]): number | undefined {
  for (let i = values.length - 1; i >= 0; i--) if (Number.isFinite(values[i])) return values[i];
  return undefined;
}
