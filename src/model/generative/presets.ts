/**
 * The shipped generative presets. Each JSON file goes through `parseGenerativeSpec` like any
 * other input; a broken preset is a programmer error, so this module throws when it loads.
 */
import type { GenerativeSpec } from './spec';
import { parseGenerativeSpec } from './validate';
import cvaeDense from '../../../presets/generative/cvae-dense.json';
import vae2d from '../../../presets/generative/vae-2d.json';
import cvaeConv from '../../../presets/generative/cvae-conv.json';
import cganDcgan from '../../../presets/generative/cgan-dcgan.json';
import type { GanSpec, GenModelSpec } from './gan-spec';
import { parseGanSpec } from './gan-validate';

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
  const { spec } = result;
  // Frozen deep enough that no edit can reach a preset: edits make new arrays and layers.
  const frozen = (layers: GenerativeSpec['encoder']) => Object.freeze(layers.map((l) => Object.freeze({ ...l }))) as GenerativeSpec['encoder'];
  return Object.freeze({
    id,
    spec: Object.freeze({ ...spec, encoder: frozen(spec.encoder), decoder: frozen(spec.decoder), training: Object.freeze({ ...spec.training }) }),
  });
}

/** Every generative preset, in menu order. */
export const GEN_PRESETS: readonly GenPreset[] = Object.freeze([load('cvae-dense', cvaeDense), load('vae-2d', vae2d), load('cvae-conv', cvaeConv)]);

/** The preset with `id`, or undefined. */
export function genPresetById(id: string): GenPreset | undefined {
  return GEN_PRESETS.find((p) => p.id === id);
}

/** A named conditional-GAN preset (in the Generations menu after the VAEs: see GEN_MENU). */
export interface GanPreset {
  id: string;
  spec: GanSpec;
}

function loadGan(id: string, json: unknown): GanPreset {
  const result = parseGanSpec(json);
  if (!result.ok) throw new Error(`GAN preset "${id}" is invalid: ${result.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  const { spec } = result;
  // Frozen like the VAE presets, so no edit can reach one.
  const frozen = (layers: GanSpec['generator']) => Object.freeze(layers.map((l) => Object.freeze({ ...l }))) as GanSpec['generator'];
  return Object.freeze({
    id,
    spec: Object.freeze({ ...spec, generator: frozen(spec.generator), discriminator: frozen(spec.discriminator), training: Object.freeze({ ...spec.training }) }),
  });
}

/** Every conditional-GAN preset. */
export const GAN_PRESETS: readonly GanPreset[] = Object.freeze([loadGan('cgan-dcgan', cganDcgan)]);

/** A preset of either kind, as the Generations menu lists it. */
export interface GenMenuPreset {
  id: string;
  spec: GenModelSpec;
}

/** The Generations menu: the VAE presets, then the GAN presets (marked slow). */
export const GEN_MENU: readonly GenMenuPreset[] = Object.freeze([...GEN_PRESETS, ...GAN_PRESETS]);

/** The menu preset with `id`, or undefined. */
export function genMenuPresetById(id: string): GenMenuPreset | undefined {
  return GEN_MENU.find((p) => p.id === id);
}
