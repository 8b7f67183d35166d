/**
 * `<cnn-gen-network-stack>`: the classifier's layer editor (CnnLayerStack, unchanged) under its
 * own tag, for a network of a generative model. Only the tag differs, so the page keeps exactly
 * one `<cnn-layer-stack>`, the classifier's, and anything that looks for it finds that one.
 */
import { customElement } from 'lit/decorators.js';
import { CnnLayerStack } from '../editor/cnn-layer-stack';

/** The layer editor, editing the StackSource it is given (see gen-stack-source.ts). */
@customElement('cnn-gen-network-stack')
export class CnnGenNetworkStack extends CnnLayerStack {}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-gen-network-stack': CnnGenNetworkStack;
  }
}
