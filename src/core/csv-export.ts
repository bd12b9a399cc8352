import type { Response } from 'express';
import { stringify } from 'csv-stringify';

/**
 * CSV files for spreadsheet programs: UTF-8 with a byte-order mark (without it Excel shows Dari and Pashto
 * as mojibake), and every cell a spreadsheet would read as a formula neutralised (OWASP's CSV injection
 * advice: a leading = + - @ tab or carriage return gets a leading apostrophe, shown by nobody and
 * executed by nothing).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralise(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** Streams rows as a CSV download; rows come one at a time, so memory does not grow with their number. */
export async function sendCsv(
  res: Response,
  filename: string,
  header: string[],
  rows: AsyncIterable<string[]> | Iterable<string[]>,
): Promise<void> {
  res.type('text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  res.setHeader('Cache-Control', 'no-store');
  const csv = stringify({ bom: true, record_delimiter: 'windows' });
  csv.pipe(res);
  const write = async (row: string[]) => {
    if (!csv.write(row.map(neutralise))) await new Promise((resolve) => csv.once('drain', resolve));
  };
  await write(header);
  for await (const row of rows) {
    if (res.destroyed) break;
    await write(row);
  }
  csv.end();
}
