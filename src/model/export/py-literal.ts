/**
 * Safe Python literals for generated scripts. A spec's name and description are untrusted text:
 * written raw, a newline or a quote could end a comment or string and inject code. Every
 * character outside printable ASCII is escaped, so the literal is one line of plain ASCII that
 * Python reads back as exactly the original text. Pure.
 */

/** A Python string literal (double quotes, ASCII only) that evaluates to `text`. */
export function pyString(text: string): string {
  let out = '"';
  // for..of walks code points, so an emoji becomes one \U escape, not two lone surrogates.
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (code >= 0x20 && code < 0x7f) out += ch;
    else if (code < 0x100) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** A Python number literal for a finite number (`1e-3`, `0.25`, `64`); throws on NaN or infinity. */
export function pyNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  // JavaScript's shortest round-trip form (1e-7, 0.001, 64) is also valid Python.
  return String(value);
}

/** A Python float literal: like pyNumber, but whole numbers get `.0` so Python sees a float. */
export function pyFloat(value: number): string {
  const text = pyNumber(value);
  return /^-?\d+$/.test(text) ? `${text}.0` : text;
}
