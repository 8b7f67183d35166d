/**
 * A side-by-side diff of two networks: their layer stacks aligned (a longest common subsequence
 * of layer kinds, so an inserted layer does not shift every row after it) with each field marked
 * when it differs, and the training settings field by field. Pure.
 */
import type { LayerSpec, NetworkSpec } from '../model/spec';

/** One field on both sides. */
export interface FieldDiff {
  field: string;
  a: string;
  b: string;
  changed: boolean;
}

/** One aligned row: a layer of each stack (null where one side has none). */
export interface LayerDiffRow {
  a: LayerSpec | null;
  b: LayerSpec | null;
  /** 0-based positions in each stack, or null. */
  indexA: number | null;
  indexB: number | null;
  fields: FieldDiff[];
  changed: boolean;
}

/** The whole diff. */
export interface SpecDiff {
  layers: LayerDiffRow[];
  training: FieldDiff[];
  /** Number of changed fields (a layer only on one side counts as one). */
  changes: number;
}

const show = (v: unknown): string => (v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));

function fieldsOf(a: object | null, b: object | null): FieldDiff[] {
  const ra = (a ?? {}) as Record<string, unknown>;
  const rb = (b ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(ra), ...Object.keys(rb)])];
  return keys.map((field) => {
    const va = show(ra[field]);
    const vb = show(rb[field]);
    return { field, a: va, b: vb, changed: va !== vb };
  });
}

/** Pairs of indices of a longest common subsequence of the two kind lists. */
function alignByKind(a: readonly LayerSpec[], b: readonly LayerSpec[]): [number | null, number | null][] {
  const n = a.length;
  const m = b.length;
  // lcs[i][j]: length of the LCS of a[i..] and b[j..].
  const lcs = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[i]!.kind === b[j]!.kind ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const pairs: [number | null, number | null][] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i]!.kind === b[j]!.kind) pairs.push([i++, j++]);
    else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) pairs.push([i++, null]);
    else pairs.push([null, j++]);
  }
  while (i < n) pairs.push([i++, null]);
  while (j < m) pairs.push([null, j++]);
  return pairs;
}

/** Flattens settings one level deep (augment.shift, augment.rotation). */
function flatSettings(t: NetworkSpec['training']): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(t)) {
    if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out[`${key}.${k}`] = v;
    else out[key] = value;
  }
  return out;
}

/** Diffs network `a` against network `b`. */
export function diffSpecs(a: NetworkSpec, b: NetworkSpec): SpecDiff {
  const layers = alignByKind(a.layers, b.layers).map(([ia, ib]): LayerDiffRow => {
    const la = ia === null ? null : a.layers[ia]!;
    const lb = ib === null ? null : b.layers[ib]!;
    const fields = fieldsOf(la, lb);
    return { a: la, b: lb, indexA: ia, indexB: ib, fields, changed: la === null || lb === null || fields.some((f) => f.changed) };
  });
  const training = fieldsOf(flatSettings(a.training), flatSettings(b.training));
  const changes =
    layers.reduce((sum, row) => sum + (row.a === null || row.b === null ? 1 : row.fields.filter((f) => f.changed).length), 0) +
    training.filter((f) => f.changed).length;
  return { layers, training, changes };
}

/** True when two specs differ in their training seed and nothing else (as "Repeat with seeds" makes them). */
export function onlySeedDiffers(a: NetworkSpec, b: NetworkSpec): boolean {
  const diff = diffSpecs(a, b);
  return diff.changes === 1 && diff.training.some((f) => f.field === 'seed' && f.changed);
}
