/**
 * Plain helpers for the stack editor's ledger: which row an error belongs to, error sentences in
 * plain words, byte counts, and the preset a stack still matches. No DOM, no store.
 */
import { fieldLabel } from '../../model/fixes';
import { PRESETS } from '../../model/presets';
import type { NetworkSpec, SpecError } from '../../model/spec';
import { formatCompact } from '../../views/format';

/** The layer index an error path points at (`layers[2].kernelSize` -> 2), or null for the whole stack. */
export function layerIndexOf(path: string): number | null {
  const match = /^layers\[(\d+)\]/.exec(path);
  return match ? Number(match[1]) : null;
}

/** Splits errors into those shown on a layer row and those about the whole stack. */
export function groupErrors(errors: readonly SpecError[]): { byLayer: Map<number, SpecError[]>; stack: SpecError[] } {
  const byLayer = new Map<number, SpecError[]>();
  const stack: SpecError[] = [];
  for (const error of errors) {
    const index = layerIndexOf(error.path);
    if (index === null) stack.push(error);
    else byLayer.set(index, [...(byLayer.get(index) ?? []), error]);
  }
  return { byLayer, stack };
}

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** An error as a sentence for people: `Kernel size: 14 is larger than the 13x13 input; ...`. */
export function plainMessage(error: SpecError): string {
  const field = /\.(\w+)$/.exec(error.path)?.[1];
  return field ? `${capitalise(fieldLabel(field))}: ${error.message}` : capitalise(error.message);
}

/** A byte count with an SI prefix, e.g. 86528 -> `86.5 kB`. */
export function formatBytes(bytes: number): string {
  const text = formatCompact(bytes);
  return /\d$/.test(text) ? `${text} B` : `${text.slice(0, -1)} ${text.slice(-1)}B`;
}

/** The id of the preset whose layers and settings the spec still has exactly, or '' once edited. */
export function matchingPreset(spec: NetworkSpec): string {
  const key = JSON.stringify([spec.layers, spec.training]);
  return PRESETS.find((p) => p.spec.name === spec.name && JSON.stringify([p.spec.layers, p.spec.training]) === key)?.id ?? '';
}
