import { describe, it, expect } from 'vitest';
import { DEFAULT_TRAINING, parseSpec } from '../../src/model/validate';
import { DEFAULT_PRESET_ID, PRESETS, PRESET_IDS, getPreset } from '../../src/model/presets';
import type { SpecError } from '../../src/model/spec';

type Json = Record<string, unknown>;
const conv = (filters: number, kernelSize = 3, padding = 'valid'): Json =>
  ({ kind: 'conv2d', filters, kernelSize, stride: 1, padding, activation: 'relu' });
const pool = (poolSize = 2, stride = poolSize): Json => ({ kind: 'maxPool2d', poolSize, stride, padding: 'valid' });
const dense = (units: number, activation = 'relu'): Json => ({ kind: 'dense', units, activation });
const flatten = { kind: 'flatten' };
const dropout = { kind: 'dropout', rate: 0.1 };
const head = [flatten, dense(10, 'softmax')];
const doc = (layers: unknown, extra: Json = {}): Json => ({ version: 1, name: 'n', description: '', layers, ...extra });
const errorsOf = (input: unknown): SpecError[] => {
  const r = parseSpec(input);
  return r.ok ? [] : r.errors;
};
const KINDS = 'conv2d, maxPool2d, avgPool2d, dense, flatten, dropout, batchNorm, activation, globalAvgPool2d, reshape, upSampling2d, conv2dTranspose';
const END = 'the network must end with 10 softmax outputs, one per digit, but it ends with';

describe('parseSpec: error paths and messages', () => {
  const cases: [string, unknown, SpecError[]][] = [
    ['3x3 valid conv on a 2x2 input', doc([conv(8, 26), pool(2, 1), conv(16), ...head]), [
      { path: 'layers[2].kernelSize', message: '3 is larger than the 2x2 input; use padding "same" or a smaller kernel' }]],
    ['a Reshape that does not hold its input', doc([flatten, dense(64), { kind: 'reshape', height: 7, width: 7, channels: 2 }, ...head]), [
      { path: 'layers[2]', message: 'Reshape to 7x7x2 needs 98 values, but its input has 64; choose a height, width and channels that multiply to 64, e.g. 4x8x2' }]],
    ['a Reshape with a fractional side', doc([{ kind: 'reshape', height: 2.5, width: 28, channels: 1 }, ...head]), [
      { path: 'layers[0].height', message: 'must be a whole number from 1 to 4,096, not 2.5' }]],
    ['an UpSampling factor given as text', doc([{ kind: 'upSampling2d', size: '2' }, ...head]), [
      { path: 'layers[0].size', message: 'must be a whole number from 1 to 8, not "2"' }]],
    ['a Conv2DTranspose with an unknown padding', doc([{ kind: 'conv2dTranspose', padding: 'full' }, ...head]), [
      { path: 'layers[0].padding', message: 'must be one of "valid", "same", not "full"' }]],
    ['Dense before Flatten', doc([conv(32), pool(), dense(64), flatten, dense(10, 'softmax')]), [
      { path: 'layers[2]', message: 'Dense needs a flat input, but its input is 13x13x32; insert Flatten (or GlobalAvgPool) before it' }]],
    ['last layer not 10 units', doc([flatten, dense(64), dense(5, 'softmax')]), [
      { path: 'layers[2]', message: `${END} 5 values; set the last Dense to 10 units with softmax` }]],
    ['1e6 filters', doc([conv(1e6), ...head]), [{ path: 'layers[0].filters',
      message: 'must be a whole number from 1 to 512, not 1,000,000 (more filters make one layer too big for a browser tab)' }]],
    ['1e9 units', doc([flatten, dense(1e9), dense(10, 'softmax')]), [{ path: 'layers[1].units',
      message: 'must be a whole number from 1 to 4,096, not 1,000,000,000 (more units make one layer too big for a browser tab)' }]],
    ['kernel bigger than the image', doc([conv(4, 29), ...head]), [{ path: 'layers[0].kernelSize',
      message: 'must be a whole number from 1 to 28, not 29 (a window larger than the 28x28 image covers nothing more)' }]],
    ['41 layers', doc(Array(41).fill(dropout)), [
      { path: 'layers', message: 'the network has 41 layers, more than the 40 the editor can show; remove some layers' }]],
    ['too many parameters', doc([flatten, dense(4096), dense(4096), dense(10, 'softmax')]), [{ path: 'layers',
      message: 'the network has 20,037,642 parameters, more than the 5,000,000 a browser tab can train; use fewer filters or units, or pool before Flatten' }]],
    ['too much activation memory', doc([conv(128, 3, 'same'), ...Array(20).fill(dropout), ...head]), [{ path: 'layers',
      message: 'each example needs 8.4 MB of layer outputs, more than the 8.0 MB a browser tab can hold per example; use fewer filters, or pool or stride earlier' }]],
    ['too many FLOPs', doc([conv(256, 3, 'same'), conv(256, 3, 'same'), ...head]), [{ path: 'layers',
      message: 'each example needs 933,273,620 FLOPs, more than the 300,000,000 that keep training responsive in a browser tab; use fewer filters, smaller kernels, or pool earlier' }]],
    ['batch too big for memory', doc([conv(64, 3, 'same'), dropout, dropout, ...head], { training: { batchSize: 1024 } }), [{ path: 'training.batchSize',
      message: 'a batch of 1024 needs 784.0 MB of layer outputs, more than the 512.0 MB a browser tab can hold; use a batch size of at most 668' }]],
    ['unknown kind', doc([flatten, { kind: 'conv3d' }]), [{ path: 'layers[1].kind', message: `"conv3d" is not a layer kind; use one of ${KINDS}` }]],
    ['inherited name as kind', doc([{ kind: 'toString' }, { kind: '__proto__' }]), [
      { path: 'layers[0].kind', message: `"toString" is not a layer kind; use one of ${KINDS}` },
      { path: 'layers[1].kind', message: `"__proto__" is not a layer kind; use one of ${KINDS}` }]],
    ['missing kind', doc([{ units: 10 }]), [{ path: 'layers[0].kind', message: `missing; use one of ${KINDS}` }]],
    ['layer not an object', doc([42, null]), [
      { path: 'layers[0]', message: 'must be a layer object such as {"kind": "dense", "units": 10}, not 42' },
      { path: 'layers[1]', message: 'must be a layer object such as {"kind": "dense", "units": 10}, not null' }]],
    ['newer version', { ...doc(head), version: 2 }, [{ path: 'version',
      message: '2 means this spec was made by a newer version of CNN Playground, which this page cannot read; reload the page to update' }]],
    ['version as text', { ...doc(head), version: '1' }, [{ path: 'version', message: 'must be 1, not "1"' }]],
    ['missing version', { layers: head }, [{ path: 'version', message: 'missing; add "version": 1' }]],
    ['no layers', { version: 1 }, [{ path: 'layers', message: 'missing; add a list of layers' }]],
    ['empty layers', doc([]), [{ path: 'layers', message: 'the network has no layers; add at least Flatten and a Dense layer with 10 units and softmax' }]],
    ['layers as text', doc('x'), [{ path: 'layers', message: 'must be a list of layers, not "x"' }]],
    ['NaN, Infinity, text and null numbers', doc([conv(NaN), { ...conv(8), stride: Infinity }, dense(Number('x')), { kind: 'dropout', rate: '0.5' }, { ...dense(10), units: null }]), [
      { path: 'layers[0].filters', message: 'must be a whole number from 1 to 512, not NaN' },
      { path: 'layers[1].stride', message: 'must be a whole number from 1 to 28, not Infinity' },
      { path: 'layers[2].units', message: 'must be a whole number from 1 to 4,096, not NaN' },
      { path: 'layers[3].rate', message: 'must be a number at least 0 and less than 1, not "0.5"' },
      { path: 'layers[4].units', message: 'must be a whole number from 1 to 4,096, not null' }]],
    ['bad enum values', doc([{ ...conv(8), padding: 'full', activation: 'gelu' }, ...head]), [
      { path: 'layers[0].padding', message: 'must be one of "valid", "same", not "full"' },
      { path: 'layers[0].activation', message: 'must be one of "relu", "tanh", "sigmoid", "elu", "leakyRelu", "softmax", "linear", not "gelu"' }]],
    ['dropout rate 1', doc([flatten, { kind: 'dropout', rate: 1 }, dense(10, 'softmax')]), [
      { path: 'layers[1].rate', message: 'must be a number at least 0 and less than 1, not 1 (a rate of 1 would drop every input)' }]],
    ['bad training settings', doc(head, { training: { optimizer: 'adamw', learningRate: 0, batchSize: 2.5, epochs: 1000, validationSplit: 0.6, trainExamples: 50, seed: -1 } }), [
      { path: 'training.optimizer', message: 'must be one of "adam", "sgd", "rmsprop", not "adamw"' },
      { path: 'training.learningRate', message: 'must be a number greater than 0 and at most 10, not 0' },
      { path: 'training.batchSize', message: 'must be a whole number from 1 to 1,024, not 2.5' },
      { path: 'training.epochs', message: 'must be a whole number from 1 to 100, not 1,000 (more epochs would run for hours in a tab)' },
      { path: 'training.validationSplit', message: 'must be a number at least 0 and at most 0.5, not 0.6 (at least half must stay for training)' },
      { path: 'training.trainExamples', message: 'must be a whole number from 100 to 60,000, not 50' },
      { path: 'training.seed', message: 'must be a whole number from 0 to 2,147,483,647, not -1' }]],
    ['training not an object', doc(head, { training: [1] }), [{ path: 'training', message: 'must be an object of training settings, not a list' }]],
    ['bad augmentation', doc(head, { training: { augment: { shift: 5, rotation: 45 } } }), [
      { path: 'training.augment.shift', message: 'must be a whole number from 0 to 4, not 5 (larger shifts push strokes off the 28x28 image)' },
      { path: 'training.augment.rotation', message: 'must be a number at least 0 and at most 30, not 45 (larger turns make a 6 look like a 9)' }]],
    ['augmentation below range or not numbers', doc(head, { training: { augment: { shift: 1.5, rotation: -1 } } }), [
      { path: 'training.augment.shift', message: 'must be a whole number from 0 to 4, not 1.5' },
      { path: 'training.augment.rotation', message: 'must be a number at least 0 and at most 30, not -1' }]],
    ['augmentation as text', doc(head, { training: { augment: { shift: '2', rotation: null } } }), [
      { path: 'training.augment.shift', message: 'must be a whole number from 0 to 4, not "2"' },
      { path: 'training.augment.rotation', message: 'must be a number at least 0 and at most 30, not null' }]],
    ['augmentation not an object', doc(head, { training: { augment: true } }), [
      { path: 'training.augment', message: 'must be an object such as {"shift": 2, "rotation": 10}, not true' }]],
    ['name not text', doc(head, { name: 42, description: {} }), [
      { path: 'name', message: 'must be text, not 42' }, { path: 'description', message: 'must be text, not an object' }]],
  ];

  it.each(cases)('%s', (_name, input, errors) => {
    expect(errorsOf(input)).toEqual(errors);
  });
});

describe('parseSpec: garbage never throws', () => {
  const root = (what: string): SpecError[] => [{ path: '', message: `expected a network spec: an object with "version", "layers" and "training", not ${what}` }];

  it.each([
    [null, 'null'], [42, '42'], ['x', '"x"'], [[], 'a list'], [true, 'true'], [undefined, 'undefined'], [NaN, 'NaN'],
  ])('%j', (input, what) => {
    expect(errorsOf(input)).toEqual(root(what));
  });

  it('survives getters that throw', () => {
    const hostile = new Proxy({}, { get: () => { throw new Error('boom'); }, getOwnPropertyDescriptor: () => { throw new Error('boom'); } });
    expect(errorsOf(hostile)).toEqual([{ path: '', message: 'could not read this input; paste a network spec as JSON' }]);
  });

  it('rejects a million layers without walking them', () => {
    const started = performance.now();
    const errors = errorsOf(doc(new Array(1_000_000).fill(flatten)));
    expect(performance.now() - started).toBeLessThan(50);
    expect(errors).toEqual([{ path: 'layers', message: 'the network has 1,000,000 layers, more than the 40 the editor can show; remove some layers' }]);
  });

  it('ignores deeply nested unknown fields', () => {
    let nested: Json = {};
    for (let i = 0; i < 100_000; i++) nested = { a: nested };
    const result = parseSpec(doc(head, { extra: nested }));
    expect(result.ok && Object.keys(result.spec)).toEqual(['version', 'name', 'description', 'layers', 'training']);
  });

  it('never lets __proto__ keys pollute or leak', () => {
    const text = '{"version":1,"__proto__":{"polluted":1},"layers":[{"kind":"flatten","__proto__":{"units":5}},' +
      '{"kind":"dense","units":10,"activation":"softmax","constructor":{"prototype":{"polluted":2}}}],"training":{"__proto__":{"seed":9}}}';
    const result = parseSpec(JSON.parse(text));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(({} as Json).polluted).toBeUndefined();
    expect(result.spec.layers).toEqual([{ kind: 'flatten' }, { kind: 'dense', units: 10, activation: 'softmax' }]);
    expect(Object.getPrototypeOf(result.spec.layers[0])).toBe(Object.prototype);
    expect(result.spec.training).toEqual(DEFAULT_TRAINING);
  });
});

describe('parseSpec: normalisation', () => {
  it('fills defaults and drops unknown fields', () => {
    const result = parseSpec({ version: 1, layers: [{ kind: 'conv2d' }, { kind: 'maxPool2d', colour: 'red' }, flatten, { ...dense(10, 'softmax'), extra: 1 }], foo: 1 });
    expect(result).toEqual({
      ok: true,
      spec: {
        version: 1, name: '', description: '',
        layers: [
          { kind: 'conv2d', filters: 32, kernelSize: 3, stride: 1, padding: 'valid', activation: 'relu' },
          { kind: 'maxPool2d', poolSize: 2, stride: 2, padding: 'valid' },
          { kind: 'flatten' },
          { kind: 'dense', units: 10, activation: 'softmax' },
        ],
        training: DEFAULT_TRAINING,
      },
    });
  });

  it('fills missing training settings one by one', () => {
    const result = parseSpec(doc(head, { training: { epochs: 3, optimizer: 'sgd' } }));
    expect(result.ok && result.spec.training).toEqual({ ...DEFAULT_TRAINING, epochs: 3, optimizer: 'sgd' });
  });

  it('cuts long names and descriptions', () => {
    const result = parseSpec(doc(head, { name: 'n'.repeat(300), description: 'd'.repeat(5000) }));
    expect(result.ok && [result.spec.name.length, result.spec.description.length]).toEqual([200, 1000]);
  });

  it('builds fresh objects that share nothing with the input or the defaults', () => {
    const input = doc([flatten, dense(10, 'softmax')]);
    const result = parseSpec(input);
    if (!result.ok) throw new Error('expected ok');
    expect(result.spec.layers[1]).not.toBe((input.layers as Json[])[1]);
    expect(result.spec.training).not.toBe(DEFAULT_TRAINING);
  });
});

describe('presets', () => {
  it('lists the shipped presets, default first', () => {
    expect(PRESET_IDS).toEqual(['seed-cnn', 'lenet-5', 'dense-baseline', 'deep-bn-cnn', 'tiny-cnn']);
    expect(DEFAULT_PRESET_ID).toBe(PRESET_IDS[0]);
  });

  it.each(PRESETS.map((p) => [p.id, p.spec] as const))('%s parses and round-trips', (_id, spec) => {
    expect(parseSpec(JSON.parse(JSON.stringify(spec)))).toEqual({ ok: true, spec });
  });

  it('hands out editable copies', () => {
    const copy = getPreset('seed-cnn')!;
    copy.layers.pop();
    expect(getPreset('seed-cnn')!.layers).toHaveLength(7);
    expect(getPreset('nope')).toBeUndefined();
  });
});
