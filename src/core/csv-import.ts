import { CsvError, parse } from 'csv-parse/sync';
import { fileTypeFromBuffer } from 'file-type';

/**
 * Reading a CSV file someone saved from a spreadsheet: the encoding checked (and explained when wrong),
 * the delimiter their locale uses found, and every record numbered as the spreadsheet numbers its rows,
 * so a message can say "row 14" and mean the row the person sees.
 */

/** Why a file cannot be read at all; `key` is a message key, `params` its values. */
export class CsvFileError extends Error {
  constructor(
    readonly key: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(key);
    this.name = 'CsvFileError';
  }
}

export interface CsvRecord {
  /** The row number a spreadsheet shows (the header is row 1). */
  row: number;
  cells: string[];
}

export interface CsvTable {
  header: string[];
  /** Data records, empty ones left out (their numbers are not reused). */
  records: CsvRecord[];
  delimiter: string;
}

export interface CsvReadOptions {
  /** More data records than this is refused (the file should be split). */
  maxRecords: number;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];
// Letters of the Arabic script (Dari and Pashto included), as a file saved in Windows-1256 decodes to.
const ARABIC_LETTERS = /[\u0621-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc\u0681-\u06c1]/g;
const SPREADSHEETS = new Set([
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/x-cfb',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/zip',
]);

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/**
 * The file's text. UTF-8 with or without a byte-order mark, and UTF-16 with one (Excel's "Unicode text"),
 * are read; anything else is refused with what it most likely is, so the person knows how to save it.
 */
export async function decodeCsvText(bytes: Uint8Array): Promise<string> {
  if (bytes.length === 0) throw new CsvFileError('csvImport.empty');
  if (startsWith(bytes, [0xff, 0xfe])) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (startsWith(bytes, [0xfe, 0xff])) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const sniffed = await fileTypeFromBuffer(bytes);
  if (sniffed)
    throw new CsvFileError(SPREADSHEETS.has(sniffed.mime) ? 'csvImport.spreadsheet' : 'csvImport.notCsv', {
      type: sniffed.ext,
    });
  const body = startsWith(bytes, UTF8_BOM) ? bytes.subarray(3) : bytes;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    // Not UTF-8. Excel on a Windows set to Dari or Pashto saves "CSV" in the Arabic code page.
    const arabic = new TextDecoder('windows-1256').decode(body).match(ARABIC_LETTERS)?.length ?? 0;
    throw new CsvFileError(arabic > 0 ? 'csvImport.windows1256' : 'csvImport.notUtf8');
  }
  // eslint-disable-next-line no-control-regex
  if (/\u0000/.test(text)) throw new CsvFileError('csvImport.notCsv', { type: 'binary' });
  if (text.trim() === '') throw new CsvFileError('csvImport.empty');
  return text;
}

/**
 * The delimiter of the header line: a comma, or the semicolon that spreadsheets in locales writing decimals
 * with a comma use, or a tab (Excel's "Unicode text"); whichever occurs most outside quotes.
 */
export function sniffDelimiter(text: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ',';
  for (const [d, n] of counts) if (n > counts.get(best)!) best = d;
  return best;
}

/** Reads a whole CSV file into a header and numbered records, or throws CsvFileError. */
export async function readCsvTable(bytes: Uint8Array, options: CsvReadOptions): Promise<CsvTable> {
  const text = await decodeCsvText(bytes);
  const delimiter = sniffDelimiter(text);
  let all: string[][];
  try {
    all = parse(text, {
      delimiter,
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      // A bound on one record, so a file of one endless quoted cell cannot hold the process.
      max_record_size: 200_000,
    });
  } catch (err) {
    if (err instanceof CsvError)
      throw new CsvFileError('csvImport.malformed', {
        line: (err as CsvError & { lines?: number }).lines ?? 0,
      });
    throw err;
  }
  const [header, ...rest] = all;
  if (!header || header.every((c) => c.trim() === '')) throw new CsvFileError('csvImport.noHeader');
  const records = rest
    .map((cells, i) => ({ row: i + 2, cells }))
    .filter((r) => r.cells.some((c) => c.trim() !== ''));
  if (records.length === 0) throw new CsvFileError('csvImport.noRows');
  if (records.length > options.maxRecords)
    throw new CsvFileError('csvImport.tooManyRows', { max: options.maxRecords });
  return { header: header.map((h) => h.trim()), records, delimiter };
}
