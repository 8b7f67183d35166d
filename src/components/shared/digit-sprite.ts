/**
 * Many small digits as one image: a BMP strip (views/bmp.ts explains why not a canvas each)
 * behind an object URL, which each cell shows a slice of as its CSS background.
 */
import { digitStrip, greyBmp } from '../../views/bmp';

/** Shown size of one digit, in CSS pixels. */
export const DIGIT_CSS = 56;

/** One strip image at a time; building a new one releases the old URL. */
export class DigitSprite {
  #url: string | null = null;
  #digits: readonly ArrayLike<number>[] = [];

  /** The strip of `digits` (28x28 each), rebuilt only when the list or one of its arrays changes. */
  url(digits: readonly ArrayLike<number>[]): string | null {
    const same = digits.length === this.#digits.length && digits.every((d, i) => d === this.#digits[i]);
    if (same && (this.#url || !digits.length)) return this.#url;
    this.release();
    this.#digits = digits;
    if (!digits.length) return null;
    const bmp = greyBmp(digitStrip(digits), 28 * digits.length, 28);
    this.#url = URL.createObjectURL(new Blob([bmp], { type: 'image/bmp' }));
    return this.#url;
  }

  /** Frees the current image (the element is leaving the page). */
  release(): void {
    if (this.#url) URL.revokeObjectURL(this.#url);
    this.#url = null;
    this.#digits = [];
  }
}

/** Inline style showing digit `pos` of a strip of `count` digits at DIGIT_CSS pixels. */
export function spriteStyle(url: string, pos: number, count: number): string {
  return `background-image:url(${url});background-size:${count * DIGIT_CSS}px ${DIGIT_CSS}px;background-position:${-pos * DIGIT_CSS}px 0`;
}
