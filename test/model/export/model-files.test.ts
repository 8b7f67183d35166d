import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../../../src/train/build-model';
import { checkModelFiles, weightsMatchSpec, type CheckedModelFiles } from '../../../src/model/export/model-files';
import { specFromTopology } from '../../../src/model/export/tfjs-topology';
import { getPreset, PRESETS } from '../../../src/model/presets';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** What tfjs writes for a model: model.json text and one weights buffer. */
async function saved(layersFrom = 'seed-cnn'): Promise<{ json: Record<string, unknown>; data: ArrayBuffer }> {
  const { model } = buildModel(getPreset(layersFrom)!.layers, 1);
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => {
    artifacts = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  model.dispose();
  const data = artifacts!.weightData as ArrayBuffer;
  const json = { modelTopology: artifacts!.modelTopology, format: 'layers-model', generatedBy: 'test', weightsManifest: [{ paths: ['./model.weights.bin'], weights: artifacts!.weightSpecs }] };
  return { json, data };
}

const mustCheck = (text: string, files: Array<{ name: string; byteLength: number }>): CheckedModelFiles => {
  const result = checkModelFiles(text, files);
  if (!result.ok) throw new Error(result.message);
  return result.files;
};

describe('checkModelFiles accepts what tfjs writes', () => {
  it.each(PRESETS.map((p) => p.id))('preset %s, and its weights match the spec', async (id) => {
    const { json, data } = await saved(id);
    const files = mustCheck(JSON.stringify(json), [{ name: 'model.weights.bin', byteLength: data.byteLength }]);
    expect(files.totalBytes).toBe(data.byteLength);
    expect(weightsMatchSpec(files, getPreset(id)!.layers)).toEqual({ ok: true });
  });

  it('accepts weights split over two shards at an odd byte, and tfjs loads the same files', async () => {
    const { json, data } = await saved();
    const cut = 12345;
    (json.weightsManifest as Array<{ paths: string[] }>)[0]!.paths = ['shard1.bin', 'sub/shard2.bin'];
    const files = mustCheck(JSON.stringify(json), [{ name: 'shard1.bin', byteLength: cut }, { name: 'shard2.bin', byteLength: data.byteLength - cut }]);
    expect(files.groups[0]!.files).toEqual(['shard1.bin', 'shard2.bin']);
    const back = specFromTopology(files.modelJson);
    if (!back.ok) throw new Error(back.message);
    expect(weightsMatchSpec(files, back.layers, back.layerNames)).toEqual({ ok: true });
    const model = await tf.loadLayersModel(tf.io.fromMemory({
      modelTopology: json.modelTopology as object, weightSpecs: files.weights as tf.io.WeightsManifestEntry[], weightData: data,
    }));
    expect(model.countParams()).toBe(data.byteLength / 4);
    model.dispose();
  });
});

/** A manifest of one group with these weights, as model.json text. */
const manifest = (weights: unknown[], paths: unknown = ['w.bin'], extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ modelTopology: { class_name: 'Sequential', config: { layers: [] } }, weightsManifest: [{ paths, weights }], ...extra });
const w = (name: string, shape: unknown, dtype = 'float32', more: Record<string, unknown> = {}): unknown => ({ name, shape, dtype, ...more });
const bin = (byteLength: number, name = 'w.bin'): Array<{ name: string; byteLength: number }> => [{ name, byteLength }];

describe('checkModelFiles refuses hostile files with a specific message', () => {
  const cases: Array<[string, string, Array<{ name: string; byteLength: number }>, RegExp]> = [
    ['not JSON', '{"modelTopology": ', [], /^model\.json is not JSON \(/],
    ['JSON but a list', '[1, 2]', [], /must hold an object with modelTopology and weightsManifest, not a list/],
    ['no modelTopology', JSON.stringify({ weightsManifest: [] }), [], /has no modelTopology, so it is not a tfjs Layers model/],
    ['no weightsManifest', JSON.stringify({ modelTopology: {} }), [], /has no weightsManifest list/],
    ['a graph model', JSON.stringify({ format: 'graph-model', modelTopology: { node: [] }, weightsManifest: [] }), [], /graph model/],
    ['a manifest path with no file', manifest([w('a/kernel', [2])], ['./missing.bin']), bin(8), /needs the weight file "missing\.bin", which was not chosen/],
    ['a file the manifest does not name', manifest([w('a/kernel', [2])]), [...bin(8), ...bin(3, 'other.bin')], /the file "other\.bin" is not named in model\.json/],
    ['two files with one name', manifest([w('a/kernel', [2])]), [...bin(8), ...bin(8)], /two weight files are both called "w\.bin"/],
    ['too few bytes', manifest([w('a/kernel', [3, 3, 1, 8]), w('a/bias', [8])]), bin(300), /weight "a\/bias" \(8 float32, 32 bytes\) needs bytes 288 to 320 of "w\.bin", but they hold only 300 bytes/],
    ['an empty weights file', manifest([w('a/kernel', [2])]), bin(0), /needs bytes 0 to 8 .* but they are empty/],
    ['too many bytes', manifest([w('a/kernel', [2])]), bin(12), /declares 8 bytes of weights, but its files hold 12 bytes/],
    ['a negative size', manifest([w('a/kernel', [3, -1])]), bin(0), /weight "a\/kernel" has the size -1 in its shape/],
    ['a fractional size', manifest([w('a/kernel', [2.5])]), bin(10), /has the size 2\.5 in its shape/],
    ['a size as text', manifest([w('a/kernel', ['10'])]), bin(40), /has the size "10" in its shape/],
    ['a 2 GB declared weight', manifest([w('a/kernel', [536870912])]), bin(2 ** 31), /declares a shape of \[536870912\], more than the 64\.0 MB/],
    ['a size whose product overflows', manifest([w('a/kernel', [1e300, 1e300, 1e300])]), bin(8), /declares a shape of \[1e\+300, /],
    ['a total over the cap', manifest(Array.from({ length: 20 }, (_, i) => w(`l${i}/kernel`, [1024, 1024]))), bin(20 * 4 * 2 ** 20), /declares more than 64\.0 MB of weights/],
    ['int32 weights', manifest([w('a/kernel', [2], 'int32')]), bin(8), /has dtype "int32"; CNN Playground reads float32 weights only/],
    ['string weights', manifest([w('a/kernel', [2], 'string')]), bin(8), /has dtype "string"/],
    ['an odd quantization', manifest([w('a/kernel', [2], 'float32', { quantization: { dtype: 'int4' } })]), bin(1), /quantized as "int4"/],
    ['a duplicate weight name', manifest([w('a/kernel', [2]), w('a/kernel', [2])]), bin(16), /"a\/kernel" is listed twice/],
    ['a shape with 100 axes', manifest([w('a/kernel', Array.from({ length: 100 }, () => 1))]), bin(4), /has 100 axes/],
    ['no shape', manifest([w('a/kernel', null)]), bin(4), /has no shape list/],
    ['a weight that is not an object', manifest([42]), bin(4), /must be an object with name, shape and dtype, not 42/],
    ['paths that are not names', manifest([w('a/kernel', [1])], [7]), bin(4), /paths must be a list of file names/],
    ['a huge model.json', ' '.repeat(5 * 1024 * 1024), [], /model\.json is 5\.0 MB, more than the 4\.0 MB/],
    ['a file with a negative size', manifest([w('a/kernel', [1])]), bin(-4), /has no readable size/],
  ];

  it('has a corpus of at least 12 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(12);
  });

  it.each(cases)('%s', (_label, text, files, message) => {
    const result = checkModelFiles(text, files);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it('accepts uint8-quantized weights, counting one byte each', () => {
    const files = mustCheck(manifest([w('a/kernel', [3], 'float32', { quantization: { dtype: 'uint8', min: 0, scale: 1 } })]), bin(3));
    expect(files.totalBytes).toBe(3);
  });
});

describe('weightsMatchSpec', () => {
  const layers = getPreset('tiny-cnn')!.layers;

  async function files(edit: (weights: Array<{ name: string; shape: number[] }>) => void): Promise<CheckedModelFiles> {
    const { json } = await saved('tiny-cnn');
    const weights = (json.weightsManifest as Array<{ weights: Array<{ name: string; shape: number[] }> }>)[0]!.weights;
    edit(weights);
    const total = weights.reduce((n, x) => n + 4 * x.shape.reduce((a, b) => a * b, 1), 0);
    return mustCheck(JSON.stringify(json), [{ name: 'model.weights.bin', byteLength: total }]);
  }

  it('names a missing weight and the layer that needs it', async () => {
    const f = await files((ws) => void ws.splice(1, 1));
    expect(weightsMatchSpec(f, layers)).toEqual({ ok: false, message: 'the weight files have no "s0_conv2d/bias", which layer 1 needs (shape 8)' });
  });

  it('names a weight of the wrong shape', async () => {
    const f = await files((ws) => void (ws[1]!.shape = [9]));
    expect(weightsMatchSpec(f, layers)).toEqual({ ok: false, message: 'weight "s0_conv2d/bias" has shape 9, but layer 1 needs 8' });
  });

  it('names a weight no layer uses', async () => {
    const f = await files((ws) => void ws.push({ name: 'stray/kernel', shape: [2], dtype: 'float32' } as never));
    expect(weightsMatchSpec(f, layers)).toEqual({ ok: false, message: 'the weight files hold "stray/kernel", which no layer of the model uses' });
  });
});
