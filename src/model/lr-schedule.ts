/**
 * The learning rate at each step of a run, from the training settings. Pure, so the trainer uses
 * it and tests check it without tfjs.
 *
 * `cosine` is the schedule that wins short runs: a linear warm-up keeps Adam's first, noisy
 * moment estimates from throwing the fresh weights around, and the decay to zero lets the last
 * steps settle into a minimum instead of bouncing around it at full rate. On the default preset
 * it is what lifts one epoch from about 98.0% to over 98.5% test accuracy (bench figures in
 * presets/measurements.json).
 */
import type { LrScheduleName } from './spec';

/** Share of the run spent warming up, and its cap in steps (long runs need no longer warm-up). */
const WARMUP_SHARE = 0.03;
const MAX_WARMUP_STEPS = 200;

/** Number of warm-up steps for a run of `totalSteps`. */
export function warmupSteps(totalSteps: number): number {
  return Math.min(MAX_WARMUP_STEPS, Math.floor(totalSteps * WARMUP_SHARE));
}

/**
 * The rate for step `step` (1-based, as the trainer counts) of `totalSteps`: `peak` throughout
 * for `constant`; for `cosine`, rising linearly to `peak` over the warm-up, then falling along a
 * half cosine to zero after the last step. Steps past the end (a resumed run) keep the last rate.
 */
export function learningRateAt(schedule: LrScheduleName, peak: number, step: number, totalSteps: number): number {
  if (schedule === 'constant' || totalSteps <= 1) return peak;
  const s = Math.min(Math.max(step, 1), totalSteps);
  const warm = warmupSteps(totalSteps);
  if (s <= warm) return (peak * s) / warm;
  const progress = (s - warm) / (totalSteps - warm + 1);
  return peak * 0.5 * (1 + Math.cos(Math.PI * progress));
}
