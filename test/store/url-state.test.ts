import { beforeAll, describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/model/presets';
import { ACTIVATIONS, OPTIMIZERS, PADDINGS } from '../../src/model/spec';
import { parseSpec } from '../../src/model/validate';
import type { NetworkSpec } from '../../src/model/spec';
import { MAX_DESCRIPTION_LENGTH, MAX_LAYERS, MAX_NAME_LENGTH } from '../../src/model/limits';
import {
  MAX_HASH_LENGTH, decodeHash, decodeSpec, encodeSpec, nestingDepth, presetHash, readSpecJson, specHash,
} from '../../src/store/url-state';
import { hostileLinks, linkOfText, validJson, type HostileLink } from './hostile-links';

/** Small deterministic PRNG (mulberry32), so a failing random spec can be reproduced. */
function makeRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random specs that parseSpec accepts: image layers, a bridge, flat layers, a softmax head, random settings. */
function randomSpecs(count: number, seed: number): NetworkSpec[] {
  const rand = makeRandom(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  const image = () => pick([
    () => ({ kind: 'conv2d', filters: int(1, 64), kernelSize: int(1, 5), stride: int(1, 2), padding: pick(PADDINGS), activation: pick(ACTIVATIONS) }),
    () => ({ kind: pick(['maxPool2d', 'avgPool2d']), poolSize: int(1, 3), stride: int(1, 3), padding: pick(PADDINGS) }),
    () => ({ kind: pick(['batchNorm', 'dropout', 'activation']), rate: int(0, 90) / 100, activation: pick(ACTIVATIONS) }),
  ])();
  const flat = () => ({ kind: 'dense', units: int(1, 256), activation: pick(ACTIVATIONS) });
  const specs: NetworkSpec[] = [];
  for (let tries = 0; specs.length < count && tries < count * 20; tries++) {
    const layers = [
      ...Array.from({ length: int(0, 5) }, image), { kind: pick(['flatten', 'globalAvgPool2d']) },
      ...Array.from({ length: int(0, 3) }, flat), { kind: 'dense', units: 10, activation: 'softmax' },
    ];
    const training = {
      optimizer: pick(OPTIMIZERS), learningRate: Number((rand() * 0.1 + 1e-5).toPrecision(3)), batchSize: int(1, 256),
      epochs: int(1, 100), validationSplit: int(0, 50) / 100, trainExamples: int(100, 60000), seed: int(0, 2 ** 31 - 1),
      augment: { shift: int(0, 4), rotation: int(0, 300) / 10 },
    };
    const name = String.fromCharCode(...Array.from({ length: int(0, 30) }, () => int(32, 0x2fff)));
    const result = parseSpec({ version: 1, name, description: `random ${tries} ✓ "quoted" <b>`, layers, training });
    if (result.ok) specs.push(result.spec);
  }
  return specs;
}

async function roundTrip(spec: NetworkSpec): Promise<NetworkSpec> {
  const result = await decodeHash(await specHash(spec));
  if (!result?.ok) throw new Error(`round trip failed: ${result?.message}`);
  return result.spec;
}

describe('share links round-trip', () => {
  it.each(PRESETS.map((p) => [p.id, p.spec] as const))('preset %s', async (_id, spec) => {
    expect(await roundTrip(structuredClone(spec))).toEqual(spec);
  });

  it('200 random valid specs with random settings and names', async () => {
    const specs = randomSpecs(200, 20240607);
    expect(specs.length).toBe(200);
    for (const spec of specs) expect(await roundTrip(spec)).toEqual(spec);
  });

  it('keeps the format readable: #s=v1. then base64url only', async () => {
    const hash = await specHash(PRESETS[0]!.spec);
    expect(hash).toMatch(/^#s=v1\.[A-Za-z0-9_-]+$/);
    expect(await encodeSpec(PRESETS[0]!.spec)).toBe(hash.slice(3));
  });

  it('fits the largest valid spec (40 layers, longest incompressible name and description) well under the hash cap', async () => {
    const rand = makeRandom(7);
    const text = (n: number) => String.fromCharCode(...Array.from({ length: n }, () => 0x4e00 + Math.floor(rand() * 20000)));
    const layers = [
      { kind: 'flatten' },
      ...Array.from({ length: MAX_LAYERS - 2 }, () => ({ kind: 'dropout', rate: 0.123456789 })),
      { kind: 'dense', units: 10, activation: 'softmax' },
    ];
    const result = parseSpec({ version: 1, name: text(MAX_NAME_LENGTH), description: text(MAX_DESCRIPTION_LENGTH), layers });
    expect(result.ok).toBe(true);
    const spec = (result as { spec: NetworkSpec }).spec;
    const hash = await specHash(spec);
    expect(hash.length).toBeLessThan(MAX_HASH_LENGTH / 2);
    expect(await roundTrip(spec)).toEqual(spec);
  });

  it('opens a named preset, with or without the #', async () => {
    for (const { id, spec } of PRESETS) expect(await decodeHash(presetHash(id))).toEqual({ ok: true, spec });
    expect(await decodeHash('preset=tiny-cnn')).toMatchObject({ ok: true, spec: { name: 'Tiny CNN' } });
  });

  it('returns null for an empty hash (no link at all)', async () => {
    expect(await decodeHash('')).toBeNull();
    expect(await decodeHash('#')).toBeNull();
  });

  it('carries markup in the name as plain text, and prototype keys never pollute', async () => {
    const json = { ...validJson(), name: '<img src=x onerror=alert(1)>' };
    const text = JSON.stringify(json).replace('{', '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},');
    const result = await decodeHash(await linkOfText(text));
    expect(result).toMatchObject({ ok: true, spec: { name: '<img src=x onerror=alert(1)>' } });
    const spec = (result as { spec: NetworkSpec }).spec;
    expect(Object.keys(spec).sort()).toEqual(['description', 'layers', 'name', 'training', 'version']);
    expect(Object.getPrototypeOf(spec)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('hostile links', () => {
  let corpus: HostileLink[];
  beforeAll(async () => {
    corpus = await hostileLinks();
    await decodeSpec('v1.AAAA'); // warm up the streams so the first case is timed fairly
  });

  it('has at least 50 cases with unique names', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(50);
    expect(new Set(corpus.map((c) => c.name)).size).toBe(corpus.length);
  });

  it('decodes every case to a clear error, each within 50 ms', async () => {
    const failures: string[] = [];
    let slowest = 0;
    for (const c of corpus) {
      const start = performance.now();
      const result = await decodeHash(c.hash);
      const ms = performance.now() - start;
      slowest = Math.max(slowest, ms);
      if (!result || result.ok) failures.push(`${c.name}: decoded ${result ? 'ok' : 'to null'}`);
      else if (!(typeof c.expected === 'string' ? result.message.includes(c.expected) : c.expected.test(result.message))) {
        failures.push(`${c.name}: ${JSON.stringify(result.message)} lacks ${String(c.expected)}`);
      } else if (!/^[A-Z].*[.)]$/s.test(result.message)) failures.push(`${c.name}: not a sentence: ${result.message}`);
      if (ms > 50) failures.push(`${c.name}: took ${ms.toFixed(1)} ms`);
    }
    expect(failures).toEqual([]);
    expect(slowest).toBeLessThan(50);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps every message short enough to read', async () => {
    for (const c of corpus) {
      const result = await decodeHash(c.hash);
      expect(result && !result.ok && result.message.length).toBeLessThan(600);
    }
  });
});

describe('nestingDepth and readSpecJson', () => {
  it('counts brackets outside strings only', () => {
    expect(nestingDepth('{"a":[1,{"b":2}]}')).toBe(3);
    expect(nestingDepth('{"a":"[[[[{{{{\\"]]]"}')).toBe(1);
    expect(nestingDepth('[[[' + ']]]')).toBe(3);
  });

  it('reads stored text through the same guards', () => {
    expect(readSpecJson(JSON.stringify(PRESETS[0]!.spec), 'The saved network')).toEqual({ ok: true, spec: PRESETS[0]!.spec });
    expect(readSpecJson('{', 'The saved network')).toEqual({ ok: false, message: 'The saved network is damaged: it is not valid JSON.' });
    expect(readSpecJson('x'.repeat(300_000), 'The saved network')).toMatchObject({ ok: false, message: expect.stringContaining('too large') });
  });
});
