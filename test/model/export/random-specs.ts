/**
 * Seeded random specs that parseSpec accepts, for the export tests: every layer kind and
 * activation, odd training settings, and names full of quotes, newlines and emoji.
 */
import { ACTIVATIONS, LR_SCHEDULES, OPTIMIZERS, PADDINGS, type NetworkSpec } from '../../../src/model/spec';
import { parseSpec } from '../../../src/model/validate';

/** Small deterministic PRNG (mulberry32), so a failing random spec is reproducible. */
export function makeRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = Record<string, unknown>;

/** Names that would break out of a Python comment or string if written raw. */
export const HOSTILE_NAMES = [
  'plain',
  'quote " and \' and """ triple',
  'new\nline\nimport os; os.system("echo pwned")',
  'back\\slash\\" \\n',
  'carriage\rreturn\u2028sep\u2029para\u0085nel',
  'nul\u0000byte\u0007bell\u001bescape',
  'emoji 🧠 and ünïcödé and 数字',
  '# comment """ \'\'\' ${x} {braces} %s',
  '\ud800 lone surrogate',
];

function generators(rand: () => number) {
  const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  const act = (): string => pick(ACTIVATIONS);
  const image = (): Json =>
    pick<() => Json>([
      () => ({ kind: 'conv2d', filters: int(1, 6), kernelSize: int(1, 5), stride: int(1, 3), padding: pick(PADDINGS), activation: act() }),
      () => ({ kind: pick(['maxPool2d', 'avgPool2d']), poolSize: int(1, 3), stride: int(1, 3), padding: pick(PADDINGS) }),
      () => ({ kind: 'batchNorm' }),
      () => ({ kind: 'dropout', rate: Math.round(rand() * 90) / 100 }),
      () => ({ kind: 'activation', activation: act() }),
    ])();
  const flat = (): Json =>
    pick<() => Json>([
      () => ({ kind: 'dense', units: int(1, 12), activation: act() }),
      () => ({ kind: 'batchNorm' }),
      () => ({ kind: 'dropout', rate: 0.5 }),
      () => ({ kind: 'activation', activation: act() }),
    ])();
  const end = (): Json[] =>
    rand() < 0.7
      ? [{ kind: 'dense', units: 10, activation: 'softmax' }]
      : [{ kind: 'dense', units: 10, activation: act() }, { kind: 'activation', activation: 'softmax' }];
  return { int, pick, image, flat, end };
}

function randomTraining(rand: () => number): Json {
  const g = generators(rand);
  return {
    optimizer: g.pick(OPTIMIZERS),
    learningRate: g.pick([1e-4, 0.001, 0.003, 0.01, 0.1, 1, 2.5e-5]),
    lrSchedule: g.pick(LR_SCHEDULES),
    batchSize: g.int(1, 512),
    epochs: g.int(1, 12),
    validationSplit: g.pick([0, 0.05, 0.1, 0.25, 0.5]),
    trainExamples: g.int(100, 60000),
    seed: g.int(0, 2 ** 31 - 1),
    augment: { shift: g.int(0, 4), rotation: g.pick([0, 0, 5, 12.5, 30]) },
  };
}

/** `count` random valid specs (image layers, Flatten or GlobalAvgPool, flat layers, a 10-way softmax). */
export function randomValidSpecs(count: number, seed: number): NetworkSpec[] {
  const rand = makeRandom(seed);
  const g = generators(rand);
  const specs: NetworkSpec[] = [];
  for (let tries = 0; specs.length < count && tries < count * 20; tries++) {
    const layers = [
      ...Array.from({ length: g.int(0, 4) }, g.image),
      { kind: g.pick(['flatten', 'flatten', 'globalAvgPool2d']) },
      ...Array.from({ length: g.int(0, 2) }, g.flat),
      ...g.end(),
    ];
    const name = HOSTILE_NAMES[specs.length % HOSTILE_NAMES.length];
    const result = parseSpec({ version: 1, name, description: `${name}\n"""end`, layers, training: randomTraining(rand) });
    if (result.ok) specs.push(result.spec);
  }
  return specs;
}
