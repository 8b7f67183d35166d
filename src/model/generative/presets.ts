/**
 * The shipped generative presets. Each JSON file goes through `parseGenerativeSpec` like any
 * other input; a broken preset is a programmer error, so this module throws when it loads.
 */
import type { GenerativeSpec } from './spec';
import { parseGenerativeSpec } from './validate';
import cvaeDense from '../../../presets/generative/cvae-dense.json';
import vae2d from '../../../presets/generative/vae-2d.json';
import cvaeConv from '../../../presets/generative/cvae-conv.json';

/** A named generative preset. */
export interface GenPreset {
  id: string;
  spec: GenerativeSpec;
}

/** Id of the preset the Generations section starts with. */
export const DEFAULT_GEN_PRESET_ID = 'cvae-dense';

function load(id: string, json: unknown): GenPreset {
  const result = parseGenerativeSpec(json);
  if (!result.ok) throw new Error(`generative preset "${id}" is invalid: ${result.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  return Object.freeze({ id, spec: Object.freeze({ ...result.spec, training: Object.freeze({ ...result.spec.training }) }) });
}

/** Every generative preset, in menu order. */
export const GEN_PRESETS: readonly GenPreset[] = Object.freeze([load('cvae-dense', cvaeDense), load('vae-2d', vae2d), load('cvae-conv', cvaeConv)]);

/** The preset with `id`, or undefined. */
export function genPresetById(id: string): GenPreset | undefined {
  return GEN_PRESETS.find((p) => p.id === id);
}
