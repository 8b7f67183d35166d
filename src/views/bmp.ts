/**
 * Grey-level images as BMP files (pure, no DOM). A grid of digits shown as one image, each cell a
 * CSS background slice of it, costs the page far less than a canvas per digit: Chrome gives every
 * 2-D canvas its own compositor layer and copies its pixels at every commit that follows a
 * change (measured at the test report: 40 digit canvases and the 39 layers stacked over them made
 * 15-47 ms commits). An image is decoded once, off the main thread, and painted with its parent.
 * BMP because it is trivial to write synchronously: an 8-bit palette of greys, rows top-down.
 */

const FILE_HEADER = 14;
const INFO_HEADER = 40;
const PALETTE = 256 * 4;

/** An 8-bit grey BMP of `width` x `height` pixels, row-major, 0 = black .. 255 = white. */
export function greyBmp(pixels: ArrayLike<number>, width: number, height: number): Uint8Array<ArrayBuffer> {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`greyBmp: bad size ${width}x${height}`);
  }
  if (pixels.length < width * height) throw new Error(`greyBmp: expected ${width * height} pixels, got ${pixels.length}`);
  const rowBytes = Math.ceil(width / 4) * 4; // rows are padded to 4 bytes
  const offset = FILE_HEADER + INFO_HEADER + PALETTE;
  const size = offset + rowBytes * height;
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  bytes[0] = 0x42; // 'B'
  bytes[1] = 0x4d; // 'M'
  view.setUint32(2, size, true);
  view.setUint32(10, offset, true);
  view.setUint32(14, INFO_HEADER, true);
  view.setInt32(18, width, true);
  view.setInt32(22, -height, true); // negative: rows stored top-down
  view.setUint16(26, 1, true); // planes
  view.setUint16(28, 8, true); // bits per pixel
  view.setUint32(34, rowBytes * height, true);
  view.setUint32(46, 256, true); // palette entries
  for (let g = 0; g < 256; g++) {
    const at = FILE_HEADER + INFO_HEADER + g * 4;
    bytes[at] = g; // blue
    bytes[at + 1] = g; // green
    bytes[at + 2] = g; // red
  }
  for (let y = 0; y < height; y++) {
    const row = offset + y * rowBytes;
    for (let x = 0; x < width; x++) bytes[row + x] = pixels[y * width + x]!;
  }
  return bytes;
}

/** 28x28 digits side by side in one row, as the pixels of a (28 * n) x 28 image. */
export function digitStrip(digits: readonly ArrayLike<number>[], side = 28): Uint8Array {
  const width = side * digits.length;
  const out = new Uint8Array(width * side);
  digits.forEach((digit, i) => {
    if (digit.length < side * side) throw new Error(`digitStrip: digit ${i} has ${digit.length} pixels, expected ${side * side}`);
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) out[y * width + i * side + x] = digit[y * side + x]!;
    }
  });
  return out;
}
