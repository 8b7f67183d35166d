/**
 * The gate for untrusted conditional-GAN specs (`kind: "cgan"`): known fields only, each checked,
 * both bodies read with the per-kind table's bounds and then analysed (gan-spec.ts). Never throws.
 */
import { MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH, checkField, showValue } from '../limits';
import { analyzeGan, type GanSpec, type GenModelSpec } from './gan-spec';
import { readBody } from './read-layers';
import type { GenSpecError } from './spec';
import { DEFAULT_GEN_TRAINING, GEN_FIELDS, GEN_TRAINING_FIELDS, checkBatchMemory, parseGenerativeSpec } from './validate';

type Dict = Readonly<Record<string, unknown>>;
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (obj: Dict, key: string): unknown => (Object.hasOwn(obj, key) ? obj[key] : undefined);

function text(raw: Dict, key: string, max: number, errors: GenSpecError[]): string {
  const value = own(raw, key);
  if (value === undefined) return '';
  if (typeof value === 'string') return value.slice(0, max);
  errors.push({ path: key, message: `must be text, not ${showValue(value)}` });
  return '';
}

function training(raw: unknown, errors: GenSpecError[]): GanSpec['training'] {
  const out = { ...DEFAULT_GEN_TRAINING };
  if (raw === undefined) return out;
  if (!isDict(raw)) {
    errors.push({ path: 'training', message: `must be an object such as {"learningRate": 0.0002}, not ${showValue(raw)}` });
    return out;
  }
  for (const key of Object.keys(GEN_TRAINING_FIELDS) as (keyof GanSpec['training'])[]) {
    const value = own(raw, key);
    if (value === undefined) continue;
    const message = checkField(GEN_TRAINING_FIELDS[key], value);
    if (message === null) out[key] = value as number;
    else errors.push({ path: `training.${key}`, message });
  }
  return out;
}

/** Parses an untrusted conditional-GAN spec; a fresh normalised spec, or every error found. */
export function parseGanSpec(raw: unknown): { ok: true; spec: GanSpec } | { ok: false; errors: GenSpecError[] } {
  try {
    if (!isDict(raw)) return { ok: false, errors: [{ path: '', message: `must be a GAN model object, not ${showValue(raw)}` }] };
    const errors: GenSpecError[] = [];
    if (own(raw, 'version') !== 2) errors.push({ path: 'version', message: `must be 2, not ${showValue(own(raw, 'version'))}` });
    if (own(raw, 'kind') !== 'cgan') errors.push({ path: 'kind', message: `must be "cgan", not ${showValue(own(raw, 'kind'))}` });
    const latent = own(raw, 'latentSize') ?? 16;
    const latentError = checkField(GEN_FIELDS.latentSize, latent);
    if (latentError) errors.push({ path: 'latentSize', message: latentError });
    const slow = own(raw, 'slow') ?? false;
    if (typeof slow !== 'boolean') errors.push({ path: 'slow', message: `must be true or false, not ${showValue(slow)}` });
    const spec: GanSpec = {
      version: 2, kind: 'cgan',
      name: text(raw, 'name', MAX_NAME_LENGTH, errors) || 'Untitled GAN',
      description: text(raw, 'description', MAX_DESCRIPTION_LENGTH, errors),
      slow: slow === true,
      latentSize: latentError ? 16 : (latent as number),
      generator: readBody(own(raw, 'generator'), 'generator', errors),
      discriminator: readBody(own(raw, 'discriminator'), 'discriminator', errors),
      training: training(own(raw, 'training'), errors),
    };
    if (errors.length) return { ok: false, errors };
    const analysis = analyzeGan(spec);
    if (!analysis.valid) return { ok: false, errors: analysis.errors };
    // A training step holds both networks' layer outputs for a batch (the generator's twice: real and fake pass D).
    const bytes = analysis.generator.body.totalActivationBytes + 2 * analysis.discriminator.body.totalActivationBytes;
    const memory = checkBatchMemory(bytes, spec.training.batchSize);
    return memory.length ? { ok: false, errors: memory } : { ok: true, spec };
  } catch {
    return { ok: false, errors: [{ path: '', message: 'could not read this input; paste a GAN model spec as JSON' }] };
  }
}

/**
 * Parses an untrusted spec of either kind the Generations section trains: `kind: "cgan"` goes to
 * `parseGanSpec`, everything else (VAEs, version-1 documents) to `parseGenerativeSpec`.
 */
export function parseGenModelSpec(raw: unknown): { ok: true; spec: GenModelSpec } | { ok: false; errors: GenSpecError[] } {
  const kind = isDict(raw) ? own(raw, 'kind') : undefined;
  return kind === 'cgan' ? parseGanSpec(raw) : parseGenerativeSpec(raw);
}
