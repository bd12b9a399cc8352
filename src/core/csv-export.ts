import type { Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';

/**
 * CSV files for spreadsheet programs: UTF-8 with a byte-order mark (without it Excel shows Dari and Pashto
 * as mojibake), and every cell a spreadsheet would read as a formula neutralised (OWASP's CSV injection
 * advice: a leading = + - @ tab or carriage return gets a leading apostrophe, so the cell is read as text
 * and never run).
 */
const FORMULA_START = /^[=+\-@\t\r]/;
// A plain number, negative ones included: a spreadsheet reads "-10.5" as minus ten and a half, never as a
// formula, and an apostrophe would turn a figure into text (OWASP leaves such cells alone too).
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

export function neutralise(cell: string): string {
  return FORMULA_START.test(cell) && !PLAIN_NUMBER.test(cell) ? `'${cell}` : cell;
}

/**
 * Streams rows as a CSV download; rows come one at a time, so memory does not grow with their number. A
 * client that goes away ends the stream (and the rows' source with it) instead of leaving it waiting.
 */
export async function sendCsv(
  res: Response,
  filename: string,
  header: string[],
  rows: AsyncIterable<string[]> | Iterable<string[]>,
): Promise<void> {
  res.type('text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  res.setHeader('Cache-Control', 'no-store');
  async function* all() {
    yield header.map(neutralise);
    for await (const row of rows) yield row.map(neutralise);
  }
  try {
    await pipeline(Readable.from(all()), stringify({ bom: true, record_delimiter: 'windows' }), res);
  } catch (err) {
    // The reader hung up part way: nothing more to send, and nobody to tell.
    if ((err as { code?: string }).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw err;
  }
}
