import { describe, expect, it } from 'vitest';
import { csvField, metricHistoryCsv, toCsv, METRIC_COLUMNS } from '../../../src/model/export/csv';
import type { BatchPoint, EpochPoint } from '../../../src/train/protocol';

/** A small RFC 4180 reader, written independently of the writer, to read the output back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += c;
  }
  expect(field === '' && row.length === 0, 'the text ends with CRLF').toBe(true);
  return rows;
}

const batch = (step: number, examplesSeen: number, loss: number): BatchPoint => ({ step, examplesSeen, loss, accuracy: 0.5, elapsedMs: step * 10 });
const epoch = (n: number, examplesSeen: number, valLoss: number): EpochPoint => ({
  epoch: n, examplesSeen, elapsedMs: n * 100, trainLoss: 0.3, trainAccuracy: 0.9, valLoss, valAccuracy: Number.isNaN(valLoss) ? NaN : 0.95,
});

describe('csvField', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=1+1', "'=1+1"],
    ['+SUM(A1)', "'+SUM(A1)"],
    ['-2', "'-2"],
    ['@cmd', "'@cmd"],
    ['\t=x', "'\t=x"],
    ['=HYPERLINK("http://x","y")', '"\'=HYPERLINK(""http://x"",""y"")"'],
    ['a=b', 'a=b'],
  ])('%j -> %j', (input, output) => {
    expect(csvField(input)).toBe(output);
  });

  it('writes numbers in full and leaves non-finite ones and null empty', () => {
    expect([0.1234567890123, -3, 1e-7, NaN, Infinity, -Infinity, null].map(csvField)).toEqual(['0.1234567890123', '-3', '1e-7', '', '', '', '']);
  });
});

describe('metricHistoryCsv', () => {
  const history = {
    batches: [batch(1, 64, 2.3), batch(2, 128, 1.9), batch(3, 150, 1.5), batch(4, 214, 1.2)],
    epochs: [epoch(1, 150, 1.4), epoch(2, 214, NaN)],
  };

  it('writes a header and one row per point, in the order they happened', () => {
    const rows = parseCsv(metricHistoryCsv(history, 'seed-cnn · adam'));
    expect(rows[0]).toEqual([...METRIC_COLUMNS]);
    expect(rows.slice(1).map((r) => `${r[1]}:${r[2] || r[3]}`)).toEqual(['batch:1', 'batch:2', 'batch:3', 'epoch:1', 'batch:4', 'epoch:2']);
    expect(rows.every((r) => r.length === METRIC_COLUMNS.length)).toBe(true);
  });

  it('round-trips every figure', () => {
    const rows = parseCsv(metricHistoryCsv(history, 'r'));
    const byKind = (kind: string) => rows.filter((r) => r[1] === kind).map((r) => r.map((v) => (v === '' ? null : Number.isNaN(Number(v)) ? v : Number(v))));
    expect(byKind('batch')).toEqual(history.batches.map((b) => ['r', 'batch', b.step, null, b.examplesSeen, b.elapsedMs, b.loss, b.accuracy, null, null]));
    expect(byKind('epoch')).toEqual([
      ['r', 'epoch', null, 1, 150, 100, 0.3, 0.9, 1.4, 0.95],
      ['r', 'epoch', null, 2, 214, 200, 0.3, 0.9, null, null],
    ]);
  });

  it('keeps a hostile run name as one inert text cell', () => {
    const name = '=cmd|\' /C calc\'!A0,"\r\nnext';
    const rows = parseCsv(metricHistoryCsv({ batches: [batch(1, 1, 1)], epochs: [] }, name));
    expect(rows).toHaveLength(2);
    expect(rows[1]![0]).toBe(`'${name}`);
  });

  it('writes just the header for an empty history', () => {
    expect(metricHistoryCsv({ batches: [], epochs: [] })).toBe(`${METRIC_COLUMNS.join(',')}\r\n`);
  });

  it('toCsv ends every line with CRLF', () => {
    expect(toCsv(['a', 'b'], [[1, 'x'], [null, 'y,z']])).toBe('a,b\r\n1,x\r\n,"y,z"\r\n');
  });
});
