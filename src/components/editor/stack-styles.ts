/** Styles of the stack editor, kept apart so the element file stays about behaviour. */
import { css } from 'lit';

/** The `cnn-layer-stack` stylesheet: a compact ledger table in the app's card style. */
export const stackStyles = css`
  :host { display: block; font-size: 13px; container-type: inline-size; }
  .toolbar { display: flex; gap: 8px; align-items: center; justify-content: space-between; flex-wrap: wrap; }
  .description { color: var(--cnn-muted, #667); margin: 6px 0 10px; }
  table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; margin-top: 6px; }
  th, td { text-align: left; padding: 4px 4px; border-bottom: 1px solid var(--cnn-border, #e3e5ee); }
  th { font-weight: 600; color: var(--cnn-muted, #667); font-size: 11px; white-space: nowrap; }
  .num { text-align: right; white-space: nowrap; }
  tbody .shape { display: block; }
  .shape, .out { white-space: nowrap; font-size: 12px; color: var(--cnn-muted, #667); font-weight: 400; }
  .flops, .memory { color: var(--cnn-muted, #667); font-size: 12px; }
  tr.input td { color: var(--cnn-muted, #667); }
  tr.layer, tr.input { cursor: default; }
  tr.layer:focus-visible, tr.input:focus-visible { outline: 2px solid var(--cnn-accent, #3b5bdb); outline-offset: -2px; }
  tr.selected td { background: color-mix(in srgb, var(--cnn-accent, #3b5bdb) 7%, transparent); }
  tr.invalid td { background: color-mix(in srgb, var(--cnn-bad, #d33) 10%, transparent); }
  tr.invalid .desc { color: var(--cnn-bad, #c22); font-weight: 600; }
  tr.drop-before td { box-shadow: inset 0 2px 0 var(--cnn-accent, #3b5bdb); }
  tr.drop-after td { box-shadow: inset 0 -2px 0 var(--cnn-accent, #3b5bdb); }
  .idx { white-space: nowrap; color: var(--cnn-muted, #667); }
  .handle { cursor: grab; margin-right: 3px; opacity: 0.45; }
  tr.layer:hover .handle { opacity: 1; }
  .actions { white-space: nowrap; text-align: right; padding-left: 0; }
  button.icon svg { display: block; }
  button.icon { font: inherit; font-size: 12px; line-height: 1; padding: 3px 4px; vertical-align: middle; border: 1px solid transparent; border-radius: 5px;
    background: transparent; color: var(--cnn-muted, #667); cursor: pointer; }
  button.icon:hover:not(:disabled), button.icon:focus-visible { border-color: var(--cnn-border, #ccd); color: var(--cnn-fg, #1d2130); }
  button.icon:disabled { opacity: 0.35; cursor: default; }
  .fields-row td { background: color-mix(in srgb, var(--cnn-accent, #3b5bdb) 4%, transparent); }
  .editor { display: flex; gap: 8px; align-items: end; justify-content: space-between; padding: 2px 0 4px; }
  .moves { display: inline-flex; gap: 2px; }
  .error-row td, .error { color: var(--cnn-bad, #c22); font-size: 12px; }
  .fixes { display: inline-flex; flex-wrap: wrap; gap: 4px; margin-left: 6px; vertical-align: middle; }
  p + .fixes, .error + .fixes { margin: 0 0 6px; }
  button.fix { font: inherit; font-size: 12px; padding: 2px 8px; border-radius: 999px; cursor: pointer;
    border: 1px solid var(--cnn-accent, #3b5bdb); background: var(--cnn-surface, #fff); color: var(--cnn-accent, #3b5bdb); }
  button.fix:hover { background: var(--cnn-accent, #3b5bdb); color: #fff; }
  tfoot td { font-weight: 700; border-bottom: none; }
  .hint { color: var(--cnn-muted, #667); font-size: 11px; margin: 8px 0 0; }
  /* In a phone-width editor the FLOPs and memory columns pushed each row's copy and delete
     buttons out of the card: they give way there, and the parameters stay. */
  @container (max-width: 380px) { .flops, .memory { display: none; } }
  .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
