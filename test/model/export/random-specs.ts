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

/** Random layer generators (also used by test/train/build-model.test.ts), kept small so hundreds of models build in seconds. */
export function generators(rand: () => number) {
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
      () => ({ kind: 'upSampling2d', size: int(1, 3) }),
      () => ({ kind: 'conv2dTranspose', filters: int(1, 6), kernelSize: int(1, 5), stride: int(1, 3), padding: pick(PADDINGS), activation: act() }),
    ])();
  /** A 3-D target for a Reshape: height, width and channels, and how many values it holds. */
  const target = (): { height: number; width: number; channels: number; count: number } => {
    const [height, width, channels] = [int(1, 8), int(1, 8), int(1, 4)];
    return { height, width, channels, count: height * width * channels };
  };
  /** A decoder block (Dense -> Reshape -> image layers -> Flatten or GlobalAvgPool), spliced in after flat layers. */
  const decoder = (): Json[] => {
    const { count, ...shape } = target();
    return [
      { kind: 'dense', units: count, activation: act() }, { kind: 'reshape', ...shape },
      ...Array.from({ length: int(0, 2) }, image), { kind: pick(['flatten', 'globalAvgPool2d']) },
    ];
  };
  /** A Reshape of the 28x28x1 input (784 values) into another image, put first. */
  const inputReshape = (): Json => pick([[14, 14, 4], [7, 7, 16], [28, 28, 1], [4, 49, 4], [2, 2, 196]].map(([height, width, channels]) => ({ kind: 'reshape', height, width, channels })));
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
  return { int, pick, image, flat, end, decoder, inputReshape };
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

/** `count` random valid specs (a Reshape, image layers, Flatten or GlobalAvgPool, flat layers, a decoder block, a 10-way softmax). */
export function randomValidSpecs(count: number, seed: number): NetworkSpec[] {
  const rand = makeRandom(seed);
  const g = generators(rand);
  const specs: NetworkSpec[] = [];
  for (let tries = 0; specs.length < count && tries < count * 20; tries++) {
    const layers = [
      ...(rand() < 0.2 ? [g.inputReshape()] : []),
      ...Array.from({ length: g.int(0, 4) }, g.image),
      { kind: g.pick(['flatten', 'flatten', 'globalAvgPool2d']) },
      ...Array.from({ length: g.int(0, 2) }, g.flat),
      // A decoder block: Dense -> Reshape -> image layers (upsampling ones among them) -> Flatten.
      ...(rand() < 0.3 ? g.decoder() : []),
      ...g.end(),
    ];
    const name = HOSTILE_NAMES[specs.length % HOSTILE_NAMES.length];
    const result = parseSpec({ version: 1, name, description: `${name}\n"""end`, layers, training: randomTraining(rand) });
    if (result.ok) specs.push(result.spec);
  }
  return specs;
}
