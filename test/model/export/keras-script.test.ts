import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kerasScript, MAX_WARMUP_STEPS, WARMUP_SHARE, kerasLayerSeed } from '../../../src/model/export/keras-script';
import { pyString } from '../../../src/model/export/py-literal';
import { learningRateAt, warmupSteps } from '../../../src/model/lr-schedule';
import { PRESETS } from '../../../src/model/presets';
import { LAYER_KINDS } from '../../../src/model/layers';
import { ACTIVATIONS } from '../../../src/model/spec';
import type { Activation, LayerSpec, NetworkSpec } from '../../../src/model/spec';
import { HOSTILE_NAMES, randomValidSpecs } from './random-specs';

/**
 * Keras and TensorFlow cannot be installed here, so the scripts are checked two ways: Python
 * compiles them (py_compile), and Python imports them against a recording stand-in for
 * TensorFlow (py-stub/) so that build_model() and the schedule really execute; the layers it
 * records are mapped back to layer specs here, independently of the generator, and compared.
 */
const STUB = join(__dirname, 'py-stub');
const dir = mkdtempSync(join(tmpdir(), 'keras-script-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SPECS: Array<[string, NetworkSpec]> = [
  ...PRESETS.map((p) => [`preset ${p.id}`, p.spec] as [string, NetworkSpec]),
  ...randomValidSpecs(30, 8080).map((s, i) => [`random ${i}`, s] as [string, NetworkSpec]),
];
const files = SPECS.map(([, spec], i) => {
  const path = join(dir, `train_${i}.py`);
  writeFileSync(path, kerasScript(spec));
  return path;
});

interface Recorded {
  class: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  shape?: number[];
}
interface Inspected {
  settings: Record<string, unknown>;
  layers: Recorded[];
  rates: Record<string, number[]>;
}
const TOTALS = [1, 2, 10, 50, 1000, 9000];

/** Runs every script through the stub once (one Python process: two cores are shared). */
const inspected: Inspected[] = JSON.parse(
  execFileSync('python3', [join(STUB, 'inspect_scripts.py'), TOTALS.join(','), ...files], {
    env: { ...process.env, PYTHONPATH: STUB, PYTHONDONTWRITEBYTECODE: '1' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  }),
);

/** The activation a Keras argument stands for. */
const act = (value: unknown): Activation => value as Activation;
const initSeed = (r: Recorded): unknown => (r.kwargs.kernel_initializer as { seed: unknown }).seed;

/** Maps recorded Keras layers back to spec layers (a `<name>_leaky` LeakyReLU folds into the layer before). */
function specLayersFrom(recorded: Recorded[], seed: number): LayerSpec[] {
  const out: LayerSpec[] = [];
  for (const r of recorded) {
    const name = r.kwargs.name as string;
    const index = out.length;
    if (r.class === 'LeakyReLU' && name.endsWith('_leaky')) {
      const prev = out[out.length - 1]!;
      expect(name).toBe(`s${index - 1}_${prev.kind}_leaky`);
      expect(r.args).toEqual([0.3]);
      expect('activation' in prev && prev.activation).toBe('linear');
      (prev as { activation: Activation }).activation = 'leakyRelu';
      continue;
    }
    const layer = fromRecorded(r);
    expect(name).toBe(`s${index}_${layer.kind}`);
    if (layer.kind === 'conv2d' || layer.kind === 'conv2dTranspose' || layer.kind === 'dense') expect(initSeed(r)).toBe(seed * 1000 + index);
    if (layer.kind === 'dropout') expect(r.kwargs.seed).toBe(seed * 1000 + index);
    out.push(layer);
  }
  return out;
}

function fromRecorded(r: Recorded): LayerSpec {
  const k = r.kwargs;
  switch (r.class) {
    case 'Conv2D':
      return { kind: 'conv2d', filters: r.args[0] as number, kernelSize: r.args[1] as number, stride: k.strides as number, padding: k.padding as 'valid', activation: act(k.activation) };
    case 'MaxPooling2D':
    case 'AveragePooling2D':
      return { kind: r.class === 'MaxPooling2D' ? 'maxPool2d' : 'avgPool2d', poolSize: k.pool_size as number, stride: k.strides as number, padding: k.padding as 'valid' };
    case 'Dense':
      return { kind: 'dense', units: r.args[0] as number, activation: act(k.activation) };
    case 'Flatten':
      return { kind: 'flatten' };
    case 'Dropout':
      return { kind: 'dropout', rate: r.args[0] as number };
    case 'BatchNormalization':
      expect([k.momentum, k.epsilon]).toEqual([0.99, 0.001]);
      return { kind: 'batchNorm' };
    case 'Activation':
      return { kind: 'activation', activation: act(r.args[0]) };
    case 'LeakyReLU':
      expect(r.args).toEqual([0.3]);
      return { kind: 'activation', activation: 'leakyRelu' };
    case 'GlobalAveragePooling2D':
      return { kind: 'globalAvgPool2d' };
    case 'Reshape': {
      // Keras takes the target shape as one tuple; JSON brings it back as a list.
      const [height, width, channels] = r.args[0] as number[];
      expect(r.args).toHaveLength(1);
      return { kind: 'reshape', height: height!, width: width!, channels: channels! };
    }
    case 'UpSampling2D':
      expect(k.interpolation).toBe('nearest');
      return { kind: 'upSampling2d', size: k.size as number };
    case 'Conv2DTranspose':
      return { kind: 'conv2dTranspose', filters: r.args[0] as number, kernelSize: r.args[1] as number, stride: k.strides as number, padding: k.padding as 'valid', activation: act(k.activation) };
    default:
      throw new Error(`unexpected Keras layer ${r.class}`);
  }
}

describe('kerasScript', () => {
  it('covers every layer kind and activation across the specs', () => {
    const layers = SPECS.flatMap(([, s]) => s.layers);
    // A kind added to the table must be added to the generator too, or this names it.
    expect([...new Set(layers.map((l) => l.kind))].sort()).toEqual([...LAYER_KINDS].sort());
    expect([...new Set(layers.flatMap((l) => ('activation' in l ? [l.activation] : [])))].sort()).toEqual([...ACTIVATIONS].sort());
    expect(inspected).toHaveLength(SPECS.length);
  });

  it('compiles with python3 -m py_compile', () => {
    // Throws (failing the test) with Python's SyntaxError on the first script that does not compile.
    execFileSync('python3', ['-c', 'import py_compile, sys\nfor f in sys.argv[1:]: py_compile.compile(f, doraise=True, cfile=f + "c")', ...files]);
  });

  it.each(SPECS.map(([label, spec], i) => [label, spec, i] as const))('%s: builds exactly the spec\'s layers', (_label, spec, i) => {
    const { layers } = inspected[i]!;
    expect(layers[0]).toEqual({ class: 'Input', shape: [28, 28, 1] });
    expect(specLayersFrom(layers.slice(1), spec.training.seed)).toEqual(spec.layers);
  });

  it.each(SPECS.map(([label, spec], i) => [label, spec, i] as const))('%s: carries every training setting', (_label, spec, i) => {
    const t = spec.training;
    expect(inspected[i]!.settings).toEqual({
      NETWORK_NAME: spec.name, NETWORK_DESCRIPTION: spec.description, OPTIMIZER: t.optimizer, LEARNING_RATE: t.learningRate,
      LR_SCHEDULE: t.lrSchedule, BATCH_SIZE: t.batchSize, EPOCHS: t.epochs, VALIDATION_SPLIT: t.validationSplit,
      TRAIN_EXAMPLES: t.trainExamples, SEED: t.seed, AUGMENT_SHIFT: t.augment.shift, AUGMENT_ROTATION: t.augment.rotation,
    });
  });

  it('gives the app\'s learning rate at every step, for both schedules', () => {
    let checked = 0;
    SPECS.forEach(([, spec], i) => {
      for (const total of TOTALS) {
        // One expect per run of steps (not per step) keeps this fast; the worst step is reported.
        let worst = { step: 0, got: 0, want: 0, error: 0 };
        inspected[i]!.rates[String(total)]!.forEach((rate, s) => {
          const want = learningRateAt(spec.training.lrSchedule, spec.training.learningRate, s + 1, total);
          const error = Math.abs(rate - want) / spec.training.learningRate;
          if (error > worst.error) worst = { step: s + 1, got: rate, want, error };
          checked++;
        });
        expect(worst.error, `${spec.training.lrSchedule} over ${total} steps: ${JSON.stringify(worst)}`).toBeLessThan(1e-12);
      }
    });
    expect(checked).toBeGreaterThan(1000);
  });

  it('uses the same warm-up length as lr-schedule.ts', () => {
    for (const total of [0, 1, 2, 33, 34, 100, 6666, 6667, 6700, 100000]) {
      expect(Math.min(MAX_WARMUP_STEPS, Math.floor(total * WARMUP_SHARE))).toBe(warmupSteps(total));
    }
  });

  it('keeps hostile names inside one-line string literals', () => {
    for (const name of HOSTILE_NAMES) {
      const literal = pyString(name);
      expect(literal).toMatch(/^"[\x20-\x7e]*"$/);
      const script = kerasScript({ ...PRESETS[0]!.spec, name, description: name });
      // The name appears only as the literal: never raw, so nothing can break out of it.
      expect(script.split('\n').filter((l) => l.includes(literal))).toHaveLength(2);
      expect(script).toMatch(/^[\x20-\x7e\n]*$/);
    }
  });

  it('documents weight loading, the converter and tf.distribute', () => {
    const script = kerasScript(PRESETS[0]!.spec);
    expect(script).toContain('pip install tensorflowjs');
    expect(script).toContain('tensorflowjs_converter --input_format=tfjs_layers_model --output_format=keras model.json model.h5');
    expect(script).toContain('tfjs.converters.load_keras_model');
    expect(script).toContain('with strategy.scope():');
    expect(script).toContain('strategy.num_replicas_in_sync');
    expect(script).toContain('"--distribute"');
    expect(script).toContain('tf.keras.datasets.mnist.load_data()');
    expect(script).toContain('/ 255.0');
    expect(script).toContain('model.evaluate(');
  });

  it('seeds layer i with seed * 1000 + i, as the tfjs builder does', () => {
    expect(kerasLayerSeed(7, 3)).toBe(7003);
  });
});
