/**
 * What the inspector's canvas views (feature maps, filter grid) share: the width they lay out
 * for, followed with a ResizeObserver, and a frame painter that paints each canvas once per image,
 * spread over frames. Its paint tasks draw on screen too, so the training workers step aside for
 * them as for a view's turn.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { FramePainter, PAINT_BUDGET_MS } from './frame-painter';
import { frameTurns } from './frame-turns';
import { isOnScreen } from './on-screen';

/** Width changes up to this many CSS pixels keep the layout: a new width repaints every canvas. */
const WIDTH_SLACK = 8;

export class CanvasPaintController implements ReactiveController {
  /** The image each canvas shows or has queued (any object that changes when the image does). */
  #drawn = new WeakMap<HTMLCanvasElement, object>();
  #painter: FramePainter;
  #resize?: ResizeObserver;

  /** `onWidth` gets the host's content width when it moves more than the slack from `width()`. */
  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly width: () => number,
    private readonly onWidth: (width: number) => void,
  ) {
    this.#painter = new FramePainter(PAINT_BUDGET_MS, () => frameTurns.drawing(isOnScreen(host)));
    host.addController(this);
  }

  hostConnected(): void {
    this.#resize = new ResizeObserver(([entry]) => {
      const width = Math.floor(entry!.contentRect.width);
      if (width > 0 && Math.abs(width - this.width()) > WIDTH_SLACK) this.onWidth(width);
    });
    this.#resize.observe(this.host);
    // Back on the page: queue again the paints that were dropped when it left.
    this.host.requestUpdate();
  }

  hostDisconnected(): void {
    this.#resize?.disconnect();
    this.#painter.cancel();
    this.#drawn = new WeakMap();
  }

  /** True when `canvas` already shows (or has queued) `image`; otherwise notes that it will. */
  shows(canvas: HTMLCanvasElement, image: object): boolean {
    if (this.#drawn.get(canvas) === image) return true;
    this.#drawn.set(canvas, image);
    return false;
  }

  /** Queues `paint` on the frame painter unless `canvas` already shows `image`. */
  queue(canvas: HTMLCanvasElement, image: object, paint: () => void): void {
    if (!this.shows(canvas, image)) this.#painter.paint(canvas, paint);
  }
}
