/**
 * `<cnn-gen-loss>`: a generative run's loss curves, one chart per term, drawn by the classifier's
 * curve element: reconstruction and KL for a VAE, discriminator and generator for a GAN (the
 * worker sends NaN for the terms a kind does not have). A sentence under the charts says the
 * latest values, as their text alternative.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { GenBatchPoint, GenEpochPoint } from '../../train/generative/gen-protocol';
import type { BatchPoint, EpochPoint } from '../../train/protocol';
import '../train/cnn-training-curves';

type BatchKey = 'reconstruction' | 'kl' | 'discriminator' | 'generator';
type EpochKey = 'testReconstruction' | 'testKl' | 'testDiscriminator' | 'testGenerator';

interface Term {
  id: string;
  batch: BatchKey;
  epoch: EpochKey;
  title: string;
  /** Short name in the text alternative. */
  name: string;
  digits: number;
}

const VAE_TERMS: readonly Term[] = [
  { id: 'recon', batch: 'reconstruction', epoch: 'testReconstruction', title: 'Reconstruction loss (binary cross-entropy per image; dashed: test images)', name: 'reconstruction', digits: 1 },
  { id: 'kl', batch: 'kl', epoch: 'testKl', title: 'KL divergence from the prior (per image; dashed: test images)', name: 'KL', digits: 2 },
];

const GAN_TERMS: readonly Term[] = [
  {
    id: 'disc', batch: 'discriminator', epoch: 'testDiscriminator', name: 'discriminator (D)', digits: 3,
    title: 'Discriminator loss (D: real/fake cross-entropy on a real and a fake batch; 2 ln 2 = 1.39 when it cannot tell them apart; dashed: test digits)',
  },
  {
    id: 'gen', batch: 'generator', epoch: 'testGenerator', name: 'generator (G)', digits: 3,
    title: 'Generator loss (G: how surely D calls its digits fake; ln 2 = 0.69 at balance; dashed: test digits)',
  },
];

const value = (v: number | undefined): number => (typeof v === 'number' ? v : Number.NaN);

/** Loss curves of a generative run, per term. */
@customElement('cnn-gen-loss')
export class CnnGenLoss extends LitElement {
  @property({ attribute: false }) batches: readonly GenBatchPoint[] = [];
  @property({ attribute: false }) epochs: readonly GenEpochPoint[] = [];
  /** Whether the run is a GAN's (discriminator and generator terms) rather than a VAE's. */
  @property({ type: Boolean }) gan = false;

  static override styles = css`
    :host { display: block; }
    figure { margin: 0; }
    h3 { font-size: 13px; margin: 8px 0 4px; }
  `;

  #cache: { batches: readonly GenBatchPoint[]; epochs: number; gan: boolean; curves: { batches: BatchPoint[]; epochs: EpochPoint[] }[] } | null = null;

  /** Each term's points in the curve element's form, recomputed only when points arrive. */
  #curves(terms: readonly Term[]) {
    const c = this.#cache;
    if (c && c.batches === this.batches && c.epochs === this.epochs.length && c.gan === this.gan) return c.curves;
    const curves = terms.map((t) => ({
      batches: this.batches.map((b) => ({ step: b.step, examplesSeen: b.examplesSeen, loss: value(b[t.batch]), accuracy: Number.NaN, elapsedMs: 0 })),
      epochs: this.epochs.map((e) => ({
        epoch: e.epoch, examplesSeen: e.examplesSeen, elapsedMs: e.elapsedMs, trainLoss: Number.NaN, trainAccuracy: Number.NaN, valLoss: value(e[t.epoch]), valAccuracy: Number.NaN,
      })),
    }));
    this.#cache = { batches: this.batches, epochs: this.epochs.length, gan: this.gan, curves };
    return curves;
  }

  /** The latest values in words: the charts' text alternative. */
  #text(terms: readonly Term[]): string {
    const last = this.batches.at(-1);
    if (!last) return 'No loss figures yet.';
    const test = this.epochs.at(-1);
    const list = (pick: (t: Term) => number) => terms.map((t) => `${t.name} ${pick(t).toFixed(t.digits)}`).join(', ');
    const unit = this.gan ? '' : ' per image';
    const held = test ? `; test images after epoch ${test.epoch}: ${list((t) => value(test[t.epoch]))}` : '';
    return `Latest batch: ${list((t) => value(last[t.batch]))}${unit}${held}.`;
  }

  override render() {
    const terms = this.gan ? GAN_TERMS : VAE_TERMS;
    const curves = this.#curves(terms);
    return html`
      ${terms.map((t, i) => html`
        <figure role="group" aria-labelledby="${t.id}-h">
          <h3 id="${t.id}-h">${t.title}</h3>
          <cnn-training-curves metric="loss" .height=${200} .batches=${curves[i]!.batches} .epochs=${curves[i]!.epochs}></cnn-training-curves>
        </figure>`)}
      <p data-testid="gen-loss-text">${this.#text(terms)}</p>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-gen-loss': CnnGenLoss;
  }
}
