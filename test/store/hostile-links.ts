/**
 * A corpus of malformed and hostile share links: each must decode to `ok: false` with a message
 * containing `expected`, quickly. Links are built here with the real deflate-raw + base64url so
 * a case can carry any JSON (or bytes) a stranger could craft.
 */

/** One hostile link and a fragment of the message it must produce. */
export interface HostileLink {
  name: string;
  hash: string;
  expected: string | RegExp;
}

type Json = Record<string, unknown>;

/** deflate-raw + base64url of raw bytes: what a tampering stranger would produce. */
export async function packBytes(bytes: Uint8Array): Promise<string> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  const packed = new Uint8Array(await new Response(stream).arrayBuffer());
  let binary = '';
  for (let i = 0; i < packed.length; i += 0x8000) binary += String.fromCharCode(...packed.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A `#s=v1.` link carrying arbitrary text. */
export async function linkOfText(text: string): Promise<string> {
  return `#s=v1.${await packBytes(new TextEncoder().encode(text))}`;
}

/** A small valid spec as plain JSON, to be broken one field at a time. */
export function validJson(): Json {
  return {
    version: 1,
    name: 'Tiny',
    description: '',
    layers: [
      { kind: 'conv2d', filters: 4, kernelSize: 3, stride: 1, padding: 'valid', activation: 'relu' },
      { kind: 'maxPool2d', poolSize: 2, stride: 2, padding: 'valid' },
      { kind: 'flatten' },
      { kind: 'dense', units: 10, activation: 'softmax' },
    ],
    training: { optimizer: 'adam', learningRate: 0.001, batchSize: 64, epochs: 1, validationSplit: 0.1, trainExamples: 60000, seed: 1 },
  };
}

const withTop = (patch: Json): Json => ({ ...validJson(), ...patch });
const withLayer = (index: number, patch: Json): Json => {
  const spec = validJson();
  const layers = spec.layers as Json[];
  layers[index] = { ...layers[index], ...patch };
  return spec;
};
const withTraining = (patch: Json): Json => {
  const spec = validJson();
  return { ...spec, training: { ...(spec.training as Json), ...patch } };
};

const DAMAGED = 'This link is damaged';
const INVALID = "This link's network is invalid";
const TOO_LARGE = "This link's network is too large";
const NESTED = 'nested too deeply';
const NOT_A_LINK = 'does not hold a CNN Playground link';
const CHARS = 'characters that never appear in a share link';
const NOT_JSON = 'is not valid JSON';
const UNKNOWN_PRESET = /^Unknown preset .*; available: seed-cnn, /;

/** Cases whose hash is written out literally. */
function literalCases(): HostileLink[] {
  return [
    { name: 'empty share payload', hash: '#s=', expected: 'This link is empty' },
    { name: 'version prefix without data', hash: '#s=v1.', expected: 'This link is empty' },
    { name: 'no version prefix', hash: '#s=hello', expected: 'does not start with a format version' },
    { name: 'newer format', hash: '#s=v7.AAAA', expected: 'newer version of CNN Playground (format 7); this version reads format 1' },
    { name: 'far-future format', hash: '#s=v999999.AAAA', expected: '(format 999999)' },
    { name: 'format 0', hash: '#s=v0.AAAA', expected: 'format 0, which CNN Playground never wrote' },
    { name: 'negative format', hash: '#s=v-1.AAAA', expected: 'does not start with a format version' },
    { name: 'exponent format', hash: '#s=v1e3.AAAA', expected: 'does not start with a format version' },
    { name: 'punctuation', hash: '#s=v1.!!!!', expected: CHARS },
    { name: 'standard base64 alphabet', hash: '#s=v1.ab+/', expected: CHARS },
    { name: 'base64 padding', hash: '#s=v1.abc=', expected: CHARS },
    { name: 'percent-encoded markup', hash: '#s=v1.%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E', expected: CHARS },
    { name: 'raw markup', hash: '#s=v1.<img src=x onerror=alert(1)>', expected: CHARS },
    { name: 'non-ASCII letters', hash: '#s=v1.ÄÖÜß', expected: CHARS },
    { name: 'space inside', hash: '#s=v1.AAAA AAAA', expected: CHARS },
    { name: 'NUL byte', hash: '#s=v1.AA\u0000A', expected: CHARS },
    { name: 'impossible base64 length', hash: '#s=v1.A', expected: 'not valid base64url' },
    { name: 'zero bytes (truncated stored block)', hash: '#s=v1.AAAA', expected: 'could not be decompressed' },
    { name: 'invalid deflate block type', hash: '#s=v1.____', expected: 'could not be decompressed' },
    { name: 'random base64url', hash: '#s=v1.SGVsbG8sIHdvcmxkIQ', expected: DAMAGED },
    { name: 'hash over 16 KB', hash: `#s=v1.${'A'.repeat(20_000)}`, expected: 'too long to be a CNN Playground link' },
    { name: 'a megabyte of junk', hash: `#${'%'.repeat(1_000_000)}`, expected: 'too long' },
    { name: 'unknown preset', hash: '#preset=nope', expected: UNKNOWN_PRESET },
    { name: 'empty preset name', hash: '#preset=', expected: 'Unknown preset ""' },
    { name: 'markup as preset name', hash: '#preset=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E', expected: 'Unknown preset "<img src=x onerror=alert(1)>"' },
    { name: 'malformed percent escape in preset', hash: '#preset=%E0%A4%A', expected: UNKNOWN_PRESET },
    { name: '__proto__ as preset', hash: '#preset=__proto__', expected: UNKNOWN_PRESET },
    { name: 'constructor as preset', hash: '#preset=constructor', expected: UNKNOWN_PRESET },
    { name: 'very long preset name', hash: `#preset=${'x'.repeat(5000)}`, expected: UNKNOWN_PRESET },
    { name: 'unrelated fragment', hash: '#section-2', expected: NOT_A_LINK },
    { name: 'percent-encoded key', hash: '#s%3Dv1.AAAA', expected: NOT_A_LINK },
    { name: 'control characters', hash: '#%00%01%02', expected: NOT_A_LINK },
  ];
}

/** Cases that carry crafted text through real compression. */
async function textCases(): Promise<HostileLink[]> {
  const json = (value: unknown) => JSON.stringify(value);
  const deepArrays = '['.repeat(10_000) + ']'.repeat(10_000);
  const deepObjects = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
  const millionLayers = json({ version: 1, layers: Array.from({ length: 1_000_000 }, () => ({})) });
  const texts: Array<[string, string, string | RegExp]> = [
    ['empty JSON text', '', NOT_JSON],
    ['not JSON', 'not json at all', NOT_JSON],
    ['truncated JSON', '{"version":1,"layers":[', NOT_JSON],
    ['NaN literal', '{"version":1,"layers":[{"kind":"dense","units":NaN}]}', NOT_JSON],
    ['null', 'null', 'expected a network spec'],
    ['a number', '42', 'expected a network spec'],
    ['a string', '"<script>alert(1)</script>"', 'expected a network spec'],
    ['a list', '[]', 'expected a network spec'],
    ['empty object', '{}', 'version: missing'],
    ['newer spec version', json(withTop({ version: 2 })), 'made by a newer version of CNN Playground'],
    ['version as text', json(withTop({ version: '1' })), 'version: must be 1'],
    ['layers missing', json(withTop({ layers: undefined })), 'layers: missing'],
    ['layers not a list', json(withTop({ layers: 'abc' })), 'layers: must be a list of layers'],
    ['no layers', json(withTop({ layers: [] })), 'the network has no layers'],
    ['41 layers', json(withTop({ layers: Array.from({ length: 41 }, () => ({ kind: 'flatten' })) })), 'more than the 40'],
    ['a million layers (unpacks past the cap)', millionLayers, TOO_LARGE],
    ['null layer', json(withTop({ layers: [null] })), 'layers[0]: must be a layer object'],
    ['nested list as layer', json(withTop({ layers: [[[1]]] })), 'layers[0]: must be a layer object'],
    ['unknown layer kind', json(withLayer(0, { kind: 'transformer' })), '"transformer" is not a layer kind'],
    ['markup as layer kind', json(withLayer(0, { kind: '<img src=x onerror=alert(1)>' })), 'is not a layer kind'],
    ['__proto__ as layer kind', json(withLayer(0, { kind: '__proto__' })), '"__proto__" is not a layer kind'],
    ['constructor as layer kind', json(withLayer(0, { kind: 'constructor' })), '"constructor" is not a layer kind'],
    ['toString as layer kind', json(withLayer(0, { kind: 'toString' })), '"toString" is not a layer kind'],
    ['layer kind missing', json(withTop({ layers: [{ units: 10 }] })), 'layers[0].kind: missing'],
    ['a million filters', json(withLayer(0, { filters: 1_000_000 })), 'layers[0].filters: must be a whole number from 1 to 512'],
    ['a 10^9-unit Dense', json(withLayer(3, { units: 1e9 })), 'layers[3].units: must be a whole number from 1 to 4,096'],
    ['filters as "NaN" text', json(withLayer(0, { filters: 'NaN' })), 'not "NaN"'],
    ['filters overflow to Infinity', '{"version":1,"layers":[{"kind":"conv2d","filters":1e309}]}', 'not Infinity'],
    ['negative filters', json(withLayer(0, { filters: -5 })), 'layers[0].filters'],
    ['fractional filters', json(withLayer(0, { filters: 3.5 })), 'not 3.5'],
    ['zero kernel', json(withLayer(0, { kernelSize: 0 })), 'layers[0].kernelSize'],
    ['unknown padding', json(withLayer(0, { padding: 'mirror' })), 'layers[0].padding'],
    ['unknown activation', json(withLayer(3, { activation: 'gelu' })), 'layers[3].activation'],
    ['huge learning rate', json(withTraining({ learningRate: 1e9 })), 'training.learningRate'],
    ['huge batch size', json(withTraining({ batchSize: 1e9 })), 'training.batchSize'],
    ['a million epochs', json(withTraining({ epochs: 1e6 })), 'training.epochs'],
    ['negative seed', json(withTraining({ seed: -1 })), 'training.seed'],
    ['__proto__ as optimizer', json(withTraining({ optimizer: '__proto__' })), 'training.optimizer'],
    ['training as text', json(withTop({ training: 'fast' })), 'training: must be an object'],
    ['name as a number', json(withTop({ name: 5 })), 'name: must be text'],
    ['too many parameters', json(withTop({ layers: [{ kind: 'flatten' }, { kind: 'dense', units: 4096, activation: 'relu' }, { kind: 'dense', units: 4096, activation: 'relu' }, { kind: 'dense', units: 10, activation: 'softmax' }] })), INVALID],
    ['no softmax at the end', json(withLayer(3, { activation: 'relu' })), 'must end with 10 softmax outputs'],
    ['spec hidden under __proto__', `{"__proto__":${json(validJson())}}`, 'version: missing'],
    ['constructor.prototype pollution attempt', `{"constructor":{"prototype":{"polluted":true}},"__proto__":{"polluted":true},"version":1,"layers":"x"}`, 'layers: must be a list'],
    ['10,000-deep arrays', deepArrays, NESTED],
    ['10,000-deep objects', deepObjects, NESTED],
    ['deep nesting inside a layer', json(withLayer(0, { extra: JSON.parse('['.repeat(40) + ']'.repeat(40)) })), NESTED],
    ['decompression bomb of spaces', ' '.repeat(8_000_000), TOO_LARGE],
  ];
  const out: HostileLink[] = [];
  for (const [name, text, expected] of texts) out.push({ name, hash: await linkOfText(text), expected });
  return out;
}

/** Cases built from bytes or by cutting and tampering with a real link. */
async function byteCases(): Promise<HostileLink[]> {
  const good = await linkOfText(JSON.stringify(validJson()));
  const data = good.slice('#s=v1.'.length);
  const flipped = data.slice(0, 10) + (data[10] === 'A' ? 'B' : 'A') + data.slice(11);
  return [
    { name: 'truncated to half', hash: `#s=v1.${data.slice(0, Math.floor(data.length / 2))}`, expected: DAMAGED },
    { name: 'last character cut', hash: `#s=v1.${data.slice(0, -1)}`, expected: DAMAGED },
    { name: 'last 4 characters cut', hash: `#s=v1.${data.slice(0, -4)}`, expected: DAMAGED },
    { name: 'one character tampered', hash: `#s=v1.${flipped}`, expected: /damaged|invalid/ },
    { name: 'invalid UTF-8 inside', hash: `#s=v1.${await packBytes(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))}`, expected: 'not valid text' },
    { name: 'decompression bomb of zeros (12 MB)', hash: `#s=v1.${await packBytes(new Uint8Array(12_000_000))}`, expected: TOO_LARGE },
    { name: 'valid link with junk appended', hash: `${good}!`, expected: CHARS },
  ];
}

/** The whole corpus (built once; compression makes it async). */
export async function hostileLinks(): Promise<HostileLink[]> {
  return [...literalCases(), ...(await textCases()), ...(await byteCases())];
}
