/**
 * Share links, pure: a NetworkSpec <-> the hash part of a URL. A link is untrusted input from a
 * stranger, so decoding caps every stage (hash length, unpacked size, nesting) before the next
 * one runs, never throws, and ends in `parseSpec` like every other input.
 *
 * Format 1: `#s=v1.<base64url(deflate-raw(JSON of the whole NetworkSpec))>`, or `#preset=<id>`.
 * The version is a visible prefix rather than a byte inside the payload so a later format may
 * change the encoding itself and an old page can still say "newer version" instead of "damaged".
 */
import type { NetworkSpec } from '../model/spec';
import { parseSpec } from '../model/validate';
import { PRESET_IDS, getPreset } from '../model/presets';
import { formatNumber, showValue } from '../model/limits';

/** Version of the link container (compression + encoding); the spec inside carries its own. */
export const LINK_FORMAT = 1;
/** Longest hash decoded: the largest valid spec encodes to well under 4 KB, so 16 KB is generous. */
export const MAX_HASH_LENGTH = 16 * 1024;
/** Most bytes a link may unpack to: 10x the largest valid spec, far below what a bomb would allocate. */
export const MAX_JSON_BYTES = 256 * 1024;
/** Deepest bracket nesting accepted; a valid spec nests 3 levels (spec > layers > layer). */
export const MAX_JSON_DEPTH = 16;

/** The outcome of reading a link or stored text: a parsed spec, or a sentence saying what is wrong. */
export type LinkResult = { ok: true; spec: NetworkSpec } | { ok: false; message: string };

const SHARE_KEY = 's=';
const PRESET_KEY = 'preset=';
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const DAMAGED = 'This link is damaged:';

const fail = (message: string): LinkResult => ({ ok: false, message });

/** Encodes a spec as the payload of a share link (`v1.` plus base64url of deflated JSON). */
export async function encodeSpec(spec: NetworkSpec): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(spec));
  const packed = await pipe(json, new CompressionStream('deflate-raw'), Infinity);
  // Compression has no cap and its input is our own JSON, so neither failure can happen.
  if (packed === 'too large' || packed === null) throw new Error('could not compress the spec');
  return `v${LINK_FORMAT}.${toBase64Url(packed)}`;
}

/** The hash (with `#`) of a share link for a spec. */
export async function specHash(spec: NetworkSpec): Promise<string> {
  return `#${SHARE_KEY}${await encodeSpec(spec)}`;
}

/** The hash (with `#`) that opens a named preset. */
export function presetHash(id: string): string {
  return `#${PRESET_KEY}${id}`;
}

/** Reads a URL hash (with or without `#`); null when it holds no link at all (empty hash). */
export async function decodeHash(hash: string): Promise<LinkResult | null> {
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  if (body === '') return null;
  // Checked first, so a megabyte of junk costs one comparison.
  if (body.length > MAX_HASH_LENGTH) {
    return fail(`This link is too long to be a CNN Playground link (${formatNumber(body.length)} characters; at most ${formatNumber(MAX_HASH_LENGTH)}).`);
  }
  if (body.startsWith(SHARE_KEY)) return decodeSpec(body.slice(SHARE_KEY.length));
  if (body.startsWith(PRESET_KEY)) return decodePreset(body.slice(PRESET_KEY.length));
  return fail(`This address does not hold a CNN Playground link: it should contain #${SHARE_KEY}… or #${PRESET_KEY}… after the page address.`);
}

/** Decodes a share-link payload (`v1.…`) into a spec, or says what is wrong with it. */
export async function decodeSpec(payload: string): Promise<LinkResult> {
  try {
    const version = /^v(\d{1,6})\./.exec(payload);
    if (!version) {
      return fail(payload === '' ? 'This link is empty: it holds no network.' : `${DAMAGED} it does not start with a format version such as "v1.".`);
    }
    const format = Number(version[1]);
    if (format > LINK_FORMAT) {
      return fail(`This link was made by a newer version of CNN Playground (format ${format}); this version reads format ${LINK_FORMAT}. Reload the page to update.`);
    }
    if (format !== LINK_FORMAT) return fail(`This link uses format ${format}, which CNN Playground never wrote; this version reads format ${LINK_FORMAT}.`);
    return await decodeData(payload.slice(version[0].length));
  } catch {
    // Every expected failure is handled above; this only keeps a surprise from crashing boot.
    return fail(`${DAMAGED} it could not be read.`);
  }
}

/** Base64url -> inflate (capped) -> text -> JSON (guarded) -> parseSpec. */
async function decodeData(data: string): Promise<LinkResult> {
  if (data === '') return fail('This link is empty: it holds no network.');
  if (!BASE64URL.test(data)) return fail(`${DAMAGED} it contains characters that never appear in a share link.`);
  const packed = fromBase64Url(data);
  if (!packed) return fail(`${DAMAGED} its data is not valid base64url (it may have been cut short).`);
  const unpacked = await pipe(packed, new DecompressionStream('deflate-raw'), MAX_JSON_BYTES);
  if (unpacked === null) return fail(`${DAMAGED} its data could not be decompressed.`);
  if (unpacked === 'too large') return fail(`This link's network is too large: it unpacks to more than ${MAX_JSON_BYTES / 1024} KB, and no real network needs that much.`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(unpacked);
  } catch {
    return fail(`${DAMAGED} its data is not valid text.`);
  }
  return readSpecJson(text, "This link's network");
}

/**
 * Parses JSON text of a spec through the same guards as a link (size, nesting, syntax) and then
 * `parseSpec`; `what` starts the error sentence (e.g. "This link's network", "The saved work").
 */
export function readSpecJson(text: string, what: string): LinkResult {
  if (text.length > MAX_JSON_BYTES) return fail(`${what} is too large to be a network (more than ${MAX_JSON_BYTES / 1024} KB).`);
  if (nestingDepth(text) > MAX_JSON_DEPTH) return fail(`${what} is nested too deeply to be a network (more than ${MAX_JSON_DEPTH} levels).`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail(`${what} is damaged: it is not valid JSON.`);
  }
  const result = parseSpec(value);
  if (result.ok) return result;
  const shown = result.errors.slice(0, 3).map((e) => (e.path ? `${e.path}: ${e.message}` : e.message));
  const more = result.errors.length > 3 ? ` (and ${result.errors.length - 3} more problems)` : '';
  return fail(`${what} is invalid: ${shown.join('; ')}${more}.`);
}

/** Opens a named preset; an unknown name lists the ones there are. */
function decodePreset(raw: string): LinkResult {
  const id = safeDecodeURIComponent(raw);
  const spec = PRESET_IDS.includes(id) ? getPreset(id) : undefined;
  if (spec) return { ok: true, spec };
  return fail(`Unknown preset ${showValue(id)}; available: ${PRESET_IDS.join(', ')}.`);
}

/** decodeURIComponent without the URIError a malformed `%E0%A4%A` would throw. */
function safeDecodeURIComponent(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * Deepest bracket nesting in JSON text, found in one pass without recursion, so a 10,000-deep
 * `[[[…]]]` is refused before JSON.parse or parseSpec ever walk it. Brackets inside strings
 * do not count.
 */
export function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/**
 * Runs bytes through a (de)compression stream, reading at most `cap` bytes of output: past it
 * the stream is cancelled, so a decompression bomb stops after a few 16 KB chunks. Returns null
 * when the stream reports corrupt or truncated data.
 */
async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream, cap: number): Promise<Uint8Array | 'too large' | null> {
  const writer = stream.writable.getWriter();
  // The writer's promises reject when the data is corrupt or the reader cancels; the reader reports that.
  writer.write(bytes as Uint8Array<ArrayBuffer>).catch(() => {});
  writer.close().catch(() => {});
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > cap) {
        reader.cancel().catch(() => {});
        return 'too large';
      }
      chunks.push(value);
    }
  } catch {
    return null;
  }
  return concat(chunks, size);
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/** Bytes to base64url without padding (btoa works on a binary string). */
function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Base64url (alphabet already checked) to bytes; null for an impossible length. */
function fromBase64Url(data: string): Uint8Array | null {
  if (data.length % 4 === 1) return null;
  try {
    const binary = atob(data.replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}
