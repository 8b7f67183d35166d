/**
 * The shipped example networks. Each preset JSON goes through `parseSpec` like any other input;
 * a broken preset is a programmer error, so it throws when this module loads (and in tests).
 */
import type { NetworkSpec } from './spec';
import { parseSpec } from './validate';
import seedCnn from '../../presets/seed-cnn.json';
import lenet5 from '../../presets/lenet-5.json';
import denseBaseline from '../../presets/dense-baseline.json';
import deepBnCnn from '../../presets/deep-bn-cnn.json';
import tinyCnn from '../../presets/tiny-cnn.json';

/** A named preset. */
export interface Preset {
  id: string;
  spec: NetworkSpec;
}

/** Id of the preset a fresh page starts with. */
export const DEFAULT_PRESET_ID = 'seed-cnn';

const SOURCES: ReadonlyArray<readonly [string, unknown]> = [
  ['seed-cnn', seedCnn],
  ['lenet-5', lenet5],
  ['dense-baseline', denseBaseline],
  ['deep-bn-cnn', deepBnCnn],
  ['tiny-cnn', tinyCnn],
];

function load(id: string, json: unknown): Preset {
  const result = parseSpec(json);
  if (!result.ok) {
    const detail = result.errors.map((e) => `${e.path}: ${e.message}`).join('; ');
    throw new Error(`preset "${id}" is invalid: ${detail}`);
  }
  return Object.freeze({ id, spec: deepFreeze(result.spec) });
}

/** Freezes the shared copies so no caller can edit a preset in place. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Every shipped preset, default first; the specs are frozen (use getPreset for an editable copy). */
export const PRESETS: readonly Preset[] = Object.freeze(SOURCES.map(([id, json]) => load(id, json)));

/** Ids of the shipped presets, in menu order. */
export const PRESET_IDS: readonly string[] = PRESETS.map((p) => p.id);

/** An editable deep copy of a preset's spec, or undefined for an unknown id. */
export function getPreset(id: string): NetworkSpec | undefined {
  const preset = PRESETS.find((p) => p.id === id);
  return preset ? structuredClone(preset.spec) : undefined;
}
