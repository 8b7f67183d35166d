import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../../../src/train/build-model';
import { specFromTopology, topologyFromSpec } from '../../../src/model/export/tfjs-topology';
import { analyze } from '../../../src/model/shapes';
import { PRESETS } from '../../../src/model/presets';
import { LAYER_KINDS } from '../../../src/model/layers';
import { ACTIVATIONS } from '../../../src/model/spec';
import type { NetworkSpec } from '../../../src/model/spec';
import { randomValidSpecs } from './random-specs';

/** tfjs is used here only: the module under test is pure and never imports it. */
beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SPECS: Array<[string, NetworkSpec]> = [
  ...PRESETS.map((p) => [`preset ${p.id}`, p.spec] as [string, NetworkSpec]),
  ...randomValidSpecs(40, 4242).map((s, i) => [`random ${i}`, s] as [string, NetworkSpec]),
];

type JsonDict = Record<string, unknown>;
const withoutName = (t: JsonDict): JsonDict => ({ ...t, config: { ...(t.config as JsonDict), name: '-' } });
const outputShapes = (m: tf.LayersModel): unknown[] => m.layers.map((l) => l.outputShape);

async function fromJson(topology: unknown): Promise<tf.LayersModel> {
  return tf.models.modelFromJSON({ modelTopology: topology } as unknown as tf.io.ModelJSON);
}

describe('spec <-> tfjs topology, both ways', () => {
  it('covers every layer kind and activation', () => {
    const layers = SPECS.flatMap(([, s]) => s.layers);
    // A kind added to the table must be added to the generator too, or this names it.
    expect([...new Set(layers.map((l) => l.kind))].sort()).toEqual([...LAYER_KINDS].sort());
    expect([...new Set(layers.flatMap((l) => ('activation' in l ? [l.activation] : [])))].sort()).toEqual([...ACTIVATIONS].sort());
  });

  it.each(SPECS)('%s', async (_label, spec) => {
    const before = tf.memory().numTensors;
    const { model } = buildModel(spec.layers, spec.training.seed);
    const json = model.toJSON(null, false) as unknown as JsonDict;
    // The model tfjs built reads back as the very same stack, with its weights named and shaped.
    const back = specFromTopology(json);
    if (!back.ok) throw new Error(back.message);
    expect(back.layers).toEqual(spec.layers);
    expect(back.notes).toEqual([]);
    // Layer by layer, as model.save lists them (model.weights puts non-trainable ones last).
    expect(back.weights.map((w) => [w.name, w.shape])).toEqual(model.layers.flatMap((l) => l.weights).map((w) => [w.originalName, w.shape]));
    expect(back.weights.every((w) => w.name === w.specName)).toBe(true);
    // Written without tfjs, the topology is what tfjs itself writes (but for the model's name).
    const written = topologyFromSpec(spec);
    expect(withoutName(JSON.parse(JSON.stringify(written)))).toEqual(withoutName(json));
    // And tfjs loads it into the same model.
    const loaded = await fromJson(written);
    expect(outputShapes(loaded)).toEqual(outputShapes(model));
    expect(loaded.countParams()).toBe(model.countParams());
    expect(loaded.countParams()).toBe(analyze(spec.layers).totalParams);
    model.dispose();
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reads the artifacts model.save writes, wrapped as a model.json', async () => {
    const spec = PRESETS[0]!.spec;
    const { model } = buildModel(spec.layers, 1);
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const modelJson = { modelTopology: artifacts!.modelTopology, format: 'layers-model', weightsManifest: [{ paths: ['./model.weights.bin'], weights: artifacts!.weightSpecs }] };
    const back = specFromTopology(JSON.parse(JSON.stringify(modelJson)));
    expect(back.ok && back.layers).toEqual(spec.layers);
    model.dispose();
  });
});

/** Builds a model the way someone outside the app would, with tfjs default names. */
function foreignFunctional(): tf.LayersModel {
  const input = tf.input({ shape: [784], name: 'pixels' });
  let x = tf.layers.dense({ units: 16, name: 'hidden' }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.leakyReLU({ name: 'hidden_leaky' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ axis: 1, name: 'norm' }).apply(x) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: 10, name: 'logits' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits });
}

describe('specFromTopology on models from elsewhere', () => {
  it('maps a functional chain with flat input, LeakyReLU, positive BN axis and logits, and its weights give the same predictions', () => {
    const foreign = foreignFunctional();
    const back = specFromTopology(foreign.toJSON(null, false));
    if (!back.ok) throw new Error(back.message);
    expect(back.layers).toEqual([
      { kind: 'flatten' }, { kind: 'dense', units: 16, activation: 'leakyRelu' }, { kind: 'batchNorm' },
      { kind: 'dense', units: 10, activation: 'linear' }, { kind: 'activation', activation: 'softmax' },
    ]);
    expect(back.notes.join(' | ')).toMatch(/784 flat values.*logits/);
    // Move the foreign weights onto the app's model by the names the import gives.
    const ours = buildModel(back.layers, 1).model;
    const byName = new Map(foreign.weights.map((w) => [w.originalName, w.read()]));
    const bySpecName = new Map(back.weights.map((w) => [w.specName, byName.get(w.name)!]));
    expect(back.weights.map((w) => w.name).sort()).toEqual([...byName.keys()].sort());
    ours.setWeights(ours.weights.map((w) => bySpecName.get(w.originalName)!));
    tf.tidy(() => {
      const x = tf.randomUniform([5, 28, 28, 1], 0, 1, 'float32', 7);
      const want = tf.softmax(foreign.predict(x.reshape([5, 784])) as tf.Tensor);
      const got = ours.predict(x) as tf.Tensor;
      expect(Math.max(...(got.sub(want).abs().dataSync() as Float32Array))).toBeLessThan(1e-5);
    });
    foreign.dispose();
    ours.dispose();
  });

  it('reads a Keras 3 functional model_config (InputLayer with batch_shape, keras_history links)', () => {
    const link = (name: string): unknown => [{ args: [{ class_name: '__keras_tensor__', config: { shape: [null], dtype: 'float32', keras_history: [name, 0, 0] } }], kwargs: {} }];
    const modelJson = {
      modelTopology: {
        model_config: {
          class_name: 'Functional',
          config: {
            name: 'functional', input_layers: ['in', 0, 0], output_layers: ['out', 0, 0],
            layers: [
              { class_name: 'InputLayer', name: 'in', config: { batch_shape: [null, 28, 28, 1], name: 'in' }, inbound_nodes: [] },
              { class_name: 'Conv2D', name: 'c', config: { name: 'c', filters: 8, kernel_size: [3, 3], strides: [1, 1], padding: 'same', activation: 'relu', use_bias: true, dilation_rate: [1, 1], groups: 1, data_format: 'channels_last' }, inbound_nodes: link('in') },
              { class_name: 'GlobalAveragePooling2D', name: 'g', config: { name: 'g', keepdims: false }, inbound_nodes: link('c') },
              { class_name: 'Dense', name: 'out', config: { name: 'out', units: 10, activation: 'softmax' }, inbound_nodes: link('g') },
            ],
          },
        },
      },
    };
    const back = specFromTopology(modelJson);
    if (!back.ok) throw new Error(back.message);
    expect(back.layers).toEqual([
      { kind: 'conv2d', filters: 8, kernelSize: 3, stride: 1, padding: 'same', activation: 'relu' },
      { kind: 'globalAvgPool2d' }, { kind: 'dense', units: 10, activation: 'softmax' },
    ]);
    expect(back.weights.map((w) => `${w.name}->${w.specName} ${w.shape.join('x')}`)).toEqual([
      'c/kernel->s0_conv2d/kernel 3x3x1x8', 'c/bias->s0_conv2d/bias 8', 'out/kernel->s2_dense/kernel 8x10', 'out/bias->s2_dense/bias 10',
    ]);
  });
});

/** A Sequential topology (tfjs form) from layer entries; the first one gets the input shape. */
function seq(layers: Array<[string, Record<string, unknown>]>, input: unknown[] = [null, 28, 28, 1]): unknown {
  return {
    modelTopology: {
      class_name: 'Sequential',
      config: { name: 's', layers: layers.map(([c, cfg], i) => ({ class_name: c, config: { name: `l${i}`, ...(i === 0 ? { batch_input_shape: input } : {}), ...cfg } })) },
    },
  };
}
const tail: Array<[string, Record<string, unknown>]> = [['Flatten', {}], ['Dense', { units: 10, activation: 'softmax' }]];

describe('specFromTopology refuses what it cannot map, naming the layer', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['not an object', 'hello', /expected a tfjs Layers model\.json.*not "hello"/],
    ['a graph model', { format: 'graph-model', modelTopology: { node: [] } }, /graph model/],
    ['an unknown class', seq([['Conv2D', { filters: 2, kernel_size: 3 }], ['LSTM', { units: 4 }], ...tail]), /^layer 2 "l1" \(LSTM\) has no counterpart in CNN Playground$/],
    ['a non-square kernel', seq([['Conv2D', { filters: 2, kernel_size: [3, 5] }], ...tail]), /layer 1 "l0" \(Conv2D\) has a kernel of 3x5/],
    ['a dilated convolution', seq([['Conv2D', { filters: 2, kernel_size: 3, dilation_rate: [2, 2] }], ...tail]), /dilation rate of 2/],
    ['channels first', seq([['Conv2D', { filters: 2, kernel_size: 3, data_format: 'channels_first' }], ...tail]), /data_format "channels_first"/],
    ['no bias', seq([['Flatten', {}], ['Dense', { units: 10, activation: 'softmax', use_bias: false }]]), /layer 2 "l1" \(Dense\) has no bias/],
    ['an unknown activation', seq([['Conv2D', { filters: 2, kernel_size: 3, activation: 'selu' }], ...tail]), /activation "selu", which CNN Playground does not have/],
    ['another LeakyReLU slope', seq([['LeakyReLU', { alpha: 0.1 }], ...tail]), /slope of 0\.1/],
    ['another input shape', seq(tail, [null, 32, 32, 3]), /inputs of shape 32x32x3/],
    ['no input shape', seq(tail, null as unknown as unknown[]), /does not say its input shape/],
    ['5 classes', seq([['Flatten', {}], ['Dense', { units: 5, activation: 'softmax' }]]), /layer 2 "l1" \(Dense\): the network must end with 10 softmax outputs/],
    ['a field out of range', seq([['Conv2D', { filters: 100000, kernel_size: 3 }], ...tail]), /layer 1 "l0" \(Conv2D\) filters: must be a whole number from 1 to 512/],
    ['a kernel too large', seq([['Conv2D', { filters: 2, kernel_size: 29 }], ...tail]), /kernel_size: must be a whole number from 1 to 28/],
    ['Dense on an image', seq([['Dense', { units: 10, activation: 'softmax' }]]), /layer 1 "l0" \(Dense\): Dense needs a flat input/],
    ['a wrong BN axis', seq([['BatchNormalization', { axis: 1 }], ...tail]), /normalises over axis 1, but the last axis of its input is 3/],
    ['a branching functional model', {
      modelTopology: { class_name: 'Model', config: { layers: [
        { class_name: 'InputLayer', name: 'in', config: { batch_input_shape: [null, 28, 28, 1] }, inbound_nodes: [] },
        { class_name: 'Flatten', name: 'f', config: {}, inbound_nodes: [[['in', 0, 0, {}]]] },
        { class_name: 'Dense', name: 'a', config: { units: 10 }, inbound_nodes: [[['f', 0, 0, {}]]] },
        { class_name: 'Add', name: 'sum', config: {}, inbound_nodes: [[['a', 0, 0, {}], ['f', 0, 0, {}]]] },
      ], output_layers: [['sum', 0, 0]] } },
    }, /layer 4 "sum" \(Add\) takes its input from "a" and "f"; CNN Playground needs one straight chain/],
    ['a Reshape with an inferred axis', seq([['Reshape', { target_shape: [-1, 28, 1] }], ...tail]), /layer 1 "l0" \(Reshape\) leaves an axis of its target shape to be inferred \(-1\)/],
    ['a Reshape to two axes', seq([['Reshape', { target_shape: [28, 28] }], ...tail]), /\(Reshape\) reshapes to 2 axes; CNN Playground's Reshape makes height x width x channels images/],
    ['a Reshape that does not hold its input', seq([['Reshape', { target_shape: [7, 7, 8] }], ...tail]), /layer 1 "l0" \(Reshape\): Reshape to 7x7x8 needs 392 values, but its input has 784/],
    ['a bilinear UpSampling2D', seq([['UpSampling2D', { size: [2, 2], interpolation: 'bilinear' }], ...tail]), /\(UpSampling2D\) upsamples with "bilinear" interpolation/],
    ['an uneven UpSampling2D', seq([['UpSampling2D', { size: [2, 3] }], ...tail]), /\(UpSampling2D\) has a size of 2x3/],
    ['a Conv2DTranspose with output padding', seq([['Conv2DTranspose', { filters: 2, kernel_size: 3, strides: 2, output_padding: [1, 1] }], ...tail]), /\(Conv2DTranspose\) sets output_padding/],
    ['a Conv2DTranspose too wide', seq([['Conv2DTranspose', { filters: 600, kernel_size: 3 }], ...tail]), /layer 1 "l0" \(Conv2DTranspose\) filters: must be a whole number from 1 to 512/],
    ['a Conv2D without kernel_size', seq([['Conv2D', { filters: 2 }], ...tail]), /layer 1 "l0" \(Conv2D\) has no kernel_size in its config/],
    ['a Dense without units', seq([['Flatten', {}], ['Dense', { activation: 'softmax' }]]), /layer 2 "l1" \(Dense\) has no units/],
    ['a nested model', seq([['Sequential', { layers: [] }], ...tail]), /\(Sequential\) has no counterpart/],
    ['a prototype key as class', seq([['__proto__', {}], ...tail]), /\(__proto__\) has no counterpart/],
    ['too many layers', seq(Array.from({ length: 500 }, () => ['Dropout', { rate: 0.1 }] as [string, Record<string, unknown>])), /lists 500 layers, more than the 200/],
    ['41 mapped layers', seq([...Array.from({ length: 40 }, () => ['Dropout', { rate: 0.1 }] as [string, Record<string, unknown>]), ...tail]), /42 layers, more than the 40/],
  ];
  it.each(cases)('%s', (_label, json, message) => {
    const result = specFromTopology(json);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it('maps Keras 3 style Reshape, UpSampling2D and Conv2DTranspose configs (tuples as lists, output_padding None)', () => {
    const back = specFromTopology(seq([
      ['Reshape', { target_shape: [14, 14, 4] }], ['UpSampling2D', { size: [3, 3], interpolation: 'nearest', data_format: 'channels_last' }],
      ['Conv2DTranspose', { filters: 2, kernel_size: [4, 4], strides: [2, 2], padding: 'valid', output_padding: null, dilation_rate: [1, 1], activation: 'sigmoid' }],
      ...tail,
    ]));
    if (!back.ok) throw new Error(back.message);
    expect(back.layers.slice(0, 3)).toEqual([
      { kind: 'reshape', height: 14, width: 14, channels: 4 }, { kind: 'upSampling2d', size: 3 },
      { kind: 'conv2dTranspose', filters: 2, kernelSize: 4, stride: 2, padding: 'valid', activation: 'sigmoid' },
    ]);
    // 42 * 2 + max(4 - 2, 0) = 86; the kernel is stored outputs before inputs: 4x4x2x4.
    expect(back.weights.map((w) => `${w.name} ${w.shape.join('x')}`).slice(0, 2)).toEqual(['l2/kernel 4x4x2x4', 'l2/bias 2']);
    expect(analyze(back.layers).layers[2]!.outputShape).toEqual([86, 86, 2]);
  });

  it('accepts the same models once the problem is gone', () => {
    expect(specFromTopology(seq([['Conv2D', { filters: 2, kernel_size: [3, 3] }], ['LeakyReLU', { alpha: 0.3 }], ...tail])).ok).toBe(true);
    expect(specFromTopology(seq([['BatchNormalization', { axis: 3 }], ...tail])).ok).toBe(true);
  });
});
