/**
 * A Lit element directive that keeps a number input showing the store's value without fighting
 * the person typing: while the typed text already means that value ("0.50" for 0.5, "0." for 0)
 * or the focused field is empty mid-edit, the text is left alone; otherwise it is replaced (after
 * undo, or when the row now shows another layer).
 */
import { noChange } from 'lit';
import { Directive, PartType, directive, type ElementPart, type PartInfo } from 'lit/directive.js';

class FieldValueDirective extends Directive {
  constructor(info: PartInfo) {
    super(info);
    if (info.type !== PartType.ELEMENT) throw new Error('fieldValue() goes on an <input> element');
  }

  render(_value: number): unknown {
    return noChange;
  }

  override update(part: ElementPart, [value]: [number]): unknown {
    const input = part.element as HTMLInputElement;
    const typed = input.value;
    const means = typed.trim() !== '' && Number(typed) === value;
    // The root node is the shadow root the input lives in, whose activeElement is the focused input.
    const focused = (input.getRootNode() as Document | ShadowRoot).activeElement === input;
    if (!means && !(focused && typed === '')) input.value = String(value);
    return noChange;
  }
}

/** Binds a number input's text to `value`, leaving equivalent text the person is typing alone. */
export const fieldValue = directive(FieldValueDirective);
