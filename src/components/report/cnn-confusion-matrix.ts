/**
 * `<cnn-confusion-matrix>`: a 10x10 table of test counts (row = true class, column = predicted),
 * coloured by row-normalised rate, with per-class accuracy and the top confusions as text.
 * Cells are buttons with one tab stop for the whole grid (arrow keys move), as in the ARIA grid pattern.
 */
import { css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { classAccuracy, confusionCells, matrixSize, topConfusions, type ConfusionCell, type TopConfusion } from '../../views/confusion';
import { formatNumber, formatPercent } from '../../views/format';
import { TurnTakingElement } from '../shared/frame-turns';

/** Detail of `cnn-confusion-select`: the cell the user picked. */
export interface ConfusionSelectDetail {
  trueClass: number;
  predicted: number;
}

const MOVES: Record<string, [number, number]> = {
  ArrowUp: [-1, 0],
  ArrowDown: [1, 0],
  ArrowLeft: [0, -1],
  ArrowRight: [0, 1],
};

/** A keyboard-navigable confusion matrix; clicking a cell fires `cnn-confusion-select`. */
@customElement('cnn-confusion-matrix')
export class CnnConfusionMatrix extends TurnTakingElement {
  /** Row-major counts, row = true class, column = predicted class (100 numbers for MNIST). */
  @property({ attribute: false }) confusion: readonly number[] = [];
  /** The highlighted cell, if any (e.g. the one whose mistakes are shown elsewhere). */
  @property({ attribute: false }) selected: ConfusionSelectDetail | null = null;

  /** Row-major index of the cell that holds the grid's single tab stop. */
  @state() private focusIndex = 0;
  #cells: ConfusionCell[] = [];
  #accuracy: number[] = [];
  #top: TopConfusion[] = [];
  #size = 0;

  static override styles = css`
    :host { display: block; font: 12px/1.3 system-ui, sans-serif; color: var(--cnn-fg, #1f2328); }
    /* On a phone the table is wider than the card: it scrolls sideways rather than being cut off. */
    .scroll { overflow-x: auto; max-width: 100%; }
    table { border-collapse: separate; border-spacing: 2px; font-variant-numeric: tabular-nums; }
    th { font-weight: 500; color: var(--cnn-muted, #6b7280); font-size: 11px; padding: 0 4px; }
    thead th { height: 18px; }
    .axis { font-size: 11px; letter-spacing: 0.04em; text-transform: uppercase; font-weight: 600; }
    .axis-true { writing-mode: vertical-rl; transform: rotate(180deg); padding: 0 2px; }
    td { padding: 0; }
    /* Block, not grid, centring one line of text: with a hundred grid buttons a new matrix took 10 ms of style and layout, 6 ms with blocks (median of 30, 2-core machine). */
    button { all: unset; box-sizing: border-box; display: block; text-align: center; line-height: 30px; width: 34px; height: 30px;
      border-radius: 4px; font-size: 11px; cursor: pointer; color: var(--cnn-fg, #1f2328);
      box-shadow: inset 0 0 0 1px color-mix(in srgb, var(--cnn-muted, #6b7280) 18%, transparent); }
    button.diagonal { font-weight: 650; box-shadow: inset 0 0 0 1px color-mix(in srgb, var(--cnn-accent, #2563eb) 55%, transparent); }
    button:hover { filter: brightness(0.93); }
    button:focus-visible, button[aria-pressed='true'] { outline: 2px solid var(--cnn-accent, #2563eb); outline-offset: 1px; }
    .acc { text-align: right; padding-left: 6px; min-width: 44px; font-size: 11px; }
    .acc.low { color: var(--cnn-bad, #dc2626); font-weight: 600; }
    .top { margin: 8px 0 0; color: var(--cnn-muted, #6b7280); }
    .top strong { color: var(--cnn-fg, #1f2328); font-weight: 600; }
    ol { display: inline; padding: 0; margin: 0; list-style: none; }
    ol li { display: inline; }
    ol li + li::before { content: ' · '; }
  `;

  protected override willUpdate(changed: PropertyValues): void {
    if (!changed.has('confusion')) return;
    this.#size = this.confusion.length ? matrixSize(this.confusion) : 0;
    this.#cells = confusionCells(this.confusion);
    this.#accuracy = classAccuracy(this.confusion);
    this.#top = topConfusions(this.confusion, 3);
    if (this.focusIndex >= this.#cells.length) this.focusIndex = 0;
  }

  #title(cell: ConfusionCell): string {
    return `true ${cell.trueClass} → predicted ${cell.predicted}: ${formatNumber(cell.count)} (${formatPercent(cell.rate)})`;
  }

  #handleClick(cell: ConfusionCell): void {
    this.focusIndex = cell.trueClass * this.#size + cell.predicted;
    this.dispatchEvent(
      new CustomEvent<ConfusionSelectDetail>('cnn-confusion-select', {
        detail: { trueClass: cell.trueClass, predicted: cell.predicted },
        bubbles: true,
        composed: true,
      }),
    );
  }

  #handleKeydown(event: KeyboardEvent): void {
    const n = this.#size;
    let row = Math.floor(this.focusIndex / n);
    let col = this.focusIndex % n;
    const move = MOVES[event.key];
    if (move) {
      row = Math.min(n - 1, Math.max(0, row + move[0]));
      col = Math.min(n - 1, Math.max(0, col + move[1]));
    } else if (event.key === 'Home') col = 0;
    else if (event.key === 'End') col = n - 1;
    else return;
    event.preventDefault();
    this.focusIndex = row * n + col;
    // Move focus after Lit has moved the tab stop to the new cell.
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLButtonElement>(`button[data-index="${this.focusIndex}"]`)?.focus(),
    );
  }

  #cell(cell: ConfusionCell, index: number) {
    const pressed = this.selected?.trueClass === cell.trueClass && this.selected?.predicted === cell.predicted;
    return html`<td>
      <button
        class=${cell.diagonal ? 'diagonal' : ''}
        data-index=${index}
        tabindex=${index === this.focusIndex ? 0 : -1}
        aria-pressed=${pressed ? 'true' : 'false'}
        aria-label=${`true ${cell.trueClass}, predicted ${cell.predicted}: ${formatNumber(cell.count)} images, ${formatPercent(cell.rate)} of class ${cell.trueClass}`}
        title=${this.#title(cell)}
        style=${`background:${cell.fill};${cell.ink ? `color:${cell.ink}` : ''}`}
        @click=${() => this.#handleClick(cell)}
      >${cell.count > 0 ? formatNumber(cell.count) : ''}</button>
    </td>`;
  }

  #row(r: number) {
    const n = this.#size;
    const acc = this.#accuracy[r];
    // Flag only the weakest class: a fixed threshold would paint the whole column red early on.
    const low = acc === Math.min(...this.#accuracy.filter(Number.isFinite));
    return html`<tr>
      ${r === 0 ? html`<th class="axis axis-true" rowspan=${n} scope="rowgroup">true</th>` : nothing}
      <th scope="row">${r}</th>
      ${this.#cells.slice(r * n, r * n + n).map((c, i) => this.#cell(c, r * n + i))}
      <td class="acc ${low ? 'low' : ''}" title="accuracy of class ${r}">${formatPercent(acc)}</td>
    </tr>`;
  }

  #topText() {
    if (!this.#top.length) return html`<div class="top">No mistakes.</div>`;
    // A div, not a p: a p cannot contain a list.
    return html`<div class="top">Most common confusions:
      <ol>${this.#top.map((t) => html`<li><strong>${t.trueClass} → ${t.predicted}</strong> ×${formatNumber(t.count)} (${formatPercent(t.rate)})</li>`)}</ol>
    </div>`;
  }

  protected override render() {
    const n = this.#size;
    if (!n) return html`<p class="top" role="note">No confusion matrix yet.</p>`;
    const classes = Array.from({ length: n }, (_, i) => i);
    return html`<div class="scroll"><table aria-label="Confusion matrix: rows are true classes, columns are predicted classes" @keydown=${this.#handleKeydown}>
        <thead>
          <tr><th></th><th></th><th class="axis" colspan=${n} scope="colgroup">predicted</th><th></th></tr>
          <tr><th></th><th></th>${classes.map((c) => html`<th scope="col">${c}</th>`)}<th scope="col" class="acc">acc.</th></tr>
        </thead>
        <tbody>${classes.map((r) => this.#row(r))}</tbody>
      </table></div>
      ${this.#topText()}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-confusion-matrix': CnnConfusionMatrix;
  }
}
