/**
 * Quantised colour scales (pure, d3 interpolators).
 * Quantising to a fixed number of steps means one precomputed list of colour strings serves every
 * cell, so a 10x10 matrix or a feature map never calls an interpolator per cell per render.
 */
import { interpolateBlues, interpolateOrRd, quantize } from 'd3';

/** Number of distinct colours in a quantised scale. */
export const COLOR_STEPS = 64;

/** A colour scale over 0..1 that returns one of a fixed list of CSS colours. */
export interface QuantizedScale {
  (t: number): string;
  /** The precomputed colours, lightest (t = 0) first. */
  readonly colors: readonly string[];
}

/**
 * Builds a quantised scale from a d3 interpolator; `floor` skips the palest part of the ramp so
 * small non-zero values stay visible on both light and dark backgrounds.
 */
export function quantizedScale(
  interpolator: (t: number) => string,
  steps = COLOR_STEPS,
  floor = 0,
): QuantizedScale {
  const colors = quantize((t: number) => interpolator(floor + (1 - floor) * t), steps);
  const scale = (t: number): string => {
    const clamped = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
    return colors[Math.round(clamped * (steps - 1))];
  };
  return Object.assign(scale, { colors });
}

/** Colour of correct predictions (the confusion matrix diagonal) by row-normalised rate. */
export const diagonalColor = quantizedScale(interpolateBlues, COLOR_STEPS, 0.15);

/** Colour of mistakes (off-diagonal cells) by relative intensity 0..1. */
export const errorColor = quantizedScale(interpolateOrRd, COLOR_STEPS, 0.12);

/** Text colour that stays readable on a scale colour at position t (dark ramps end dark). */
export function inkFor(t: number): string {
  return t > 0.55 ? '#fff' : '#1b1b1f';
}
