/**
 * The training time-lapse: at a bounded rate, each conv layer's kernels and the feature maps of
 * one fixed probe digit, kept with the run so a slider can replay how they formed. Pure.
 *
 * The cap: values are stored as 8-bit levels between each tensor's min and max (the views draw
 * 64 colours, so nothing visible is lost), and a recording never holds more than `capBytes`
 * (TIMELAPSE_CAP_BYTES = 4 MB by default). When the next frame would not fit, every other
 * frame is dropped and the spacing between frames doubles, so a long run keeps frames spread over
 * its whole length instead of only its beginning. For the default preset a frame is about 48 kB
 * (kernels 288 + 18,432 values, maps 21,632 + 7,744 values), so 4 MB holds 40 to 80 frames.
 */

/** A tensor stored as 8-bit levels: value = min + level / 255 * (max - min). */
export interface QuantizedTensor {
  shape: number[];
  min: number;
  max: number;
  levels: Uint8Array;
}

/** One moment of training. */
export interface TimelapseFrame {
  step: number;
  examplesSeen: number;
  /** Per conv layer (spec index): its kernel [k, k, in, out]. */
  filters: { index: number; kernel: QuantizedTensor }[];
  /** Per conv layer (spec index): its output for the probe digit [h, w, channels]. */
  maps: { index: number; map: QuantizedTensor }[];
}

/** A recording. */
export interface Timelapse {
  /** Test-set index of the probe digit. */
  probeIndex: number;
  capBytes: number;
  /** Least steps between two frames (doubles each time the recording is thinned). */
  stepGap: number;
  frames: TimelapseFrame[];
}

/** Most bytes a run's time-lapse may hold. */
export const TIMELAPSE_CAP_BYTES = 4_000_000;
/** The probe digit: test image 0 (a 7), the same in every run so runs can be compared. */
export const TIMELAPSE_PROBE_INDEX = 0;

/** An empty recording. */
export function emptyTimelapse(capBytes = TIMELAPSE_CAP_BYTES): Timelapse {
  return { probeIndex: TIMELAPSE_PROBE_INDEX, capBytes, stepGap: 1, frames: [] };
}

/** Stores values as 8-bit levels of their own range (non-finite values become the minimum). */
export function quantize(values: ArrayLike<number>, shape: readonly number[]): QuantizedTensor {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!Number.isFinite(min) || !Number.isFinite(max)) min = max = 0;
  const span = max - min;
  const levels = new Uint8Array(values.length);
  if (span > 0) for (let i = 0; i < values.length; i++) levels[i] = Math.round(((values[i]! - min) / span) * 255) || 0;
  return { shape: shape.slice(), min, max, levels };
}

/** The values back (within half a level of the originals). */
export function dequantize(q: QuantizedTensor): Float32Array {
  const out = new Float32Array(q.levels.length);
  const step = (q.max - q.min) / 255;
  for (let i = 0; i < out.length; i++) out[i] = q.min + q.levels[i]! * step;
  return out;
}

/** Bytes a frame takes (levels plus a small allowance for shapes and numbers). */
export function frameBytes(frame: TimelapseFrame): number {
  const tensors = [...frame.filters.map((f) => f.kernel), ...frame.maps.map((m) => m.map)];
  return 64 + tensors.reduce((sum, t) => sum + t.levels.byteLength + 48, 0);
}

/** Bytes of a whole recording. */
export function timelapseBytes(t: Timelapse): number {
  return t.frames.reduce((sum, f) => sum + frameBytes(f), 0);
}

/**
 * Adds a frame if it is at least `stepGap` steps after the last one (the newest frame replaces
 * an older one of the same step), thinning the recording until it fits the cap. Returns the new
 * recording, or the same object when the frame was not taken. A frame larger than the whole cap
 * is never taken.
 */
export function addFrame(t: Timelapse, frame: TimelapseFrame): Timelapse {
  const size = frameBytes(frame);
  if (size > t.capBytes) return t;
  const last = t.frames[t.frames.length - 1];
  if (last && frame.step - last.step < t.stepGap) return t;
  let frames = [...t.frames, frame];
  let stepGap = t.stepGap;
  let bytes = timelapseBytes(t) + size;
  while (bytes > t.capBytes && frames.length > 1) {
    // Keep frames 0, 2, 4, ... and always the newest one.
    frames = frames.filter((_, i) => i % 2 === 0 || i === frames.length - 1);
    stepGap *= 2;
    bytes = frames.reduce((sum, f) => sum + frameBytes(f), 0);
  }
  return { ...t, stepGap, frames };
}
