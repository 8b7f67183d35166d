/**
 * The app's form controls in the look of the run panel and the training settings: buttons (with
 * `.primary` for a section's main action), number and text inputs, selects and fieldsets. For
 * views whose controls would otherwise be the browser's defaults (Generations), so one page does
 * not mix two looks. A view's own rules, listed after these, still win.
 */
import { css } from 'lit';

export const controlStyles = css`
  button { font: inherit; padding: 5px 12px; border-radius: 6px; border: 1px solid var(--cnn-border, #ccd);
    background: var(--cnn-surface, #fff); color: inherit; cursor: pointer; }
  button.primary { background: var(--cnn-accent, #3b5bdb); border-color: var(--cnn-accent, #3b5bdb); color: #fff; font-weight: 600; }
  button:disabled { opacity: 0.45; cursor: default; }
  input[type='number'], input[type='text'], select { font: inherit; padding: 4px 6px; border: 1px solid var(--cnn-border, #ccd);
    border-radius: 6px; background: var(--cnn-surface, #fff); color: inherit; }
  input[type='range'] { accent-color: var(--cnn-accent, #3b5bdb); }
  fieldset { border: 1px solid var(--cnn-border, #ccd); border-radius: 8px; min-width: 0; }
  legend { padding: 0 4px; font-weight: 600; font-size: 12px; }
`;
