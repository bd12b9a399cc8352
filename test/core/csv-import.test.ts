import { expect } from 'chai';
import { CsvFileError, readCsvTable, sniffDelimiter, type CsvTable } from '../../src/core/csv-import.js';

/** The message key and values a refused file gets, or the table it was read as. */
async function read(bytes: Uint8Array, maxRecords = 100): Promise<CsvTable | [string, object]> {
  try {
    return await readCsvTable(bytes, { maxRecords });
  } catch (err) {
    if (err instanceof CsvFileError) return [err.key, err.params];
    throw err;
  }
}

const utf16 = (text: string, endian: 'le' | 'be') => {
  const body = Buffer.from(text, 'utf16le');
  return endian === 'le'
    ? Buffer.concat([Buffer.from([0xff, 0xfe]), body])
    : Buffer.concat([Buffer.from([0xfe, 0xff]), body.swap16()]);
};

describe('reading a CSV file saved from a spreadsheet', () => {
  describe('encodings', () => {
    it('Excel’s "Unicode text" (UTF-16 with a byte-order mark, tabs between cells) is read, either byte order', async () => {
      const text = 'email\tfirstname\tlocalname\r\nnadia@example.org\tNadia\tنادیه احمدی\r\n';
      for (const endian of ['le', 'be'] as const) {
        expect(await read(utf16(text, endian)), endian).to.deep.equal({
          header: ['email', 'firstname', 'localname'],
          records: [{ row: 2, cells: ['nadia@example.org', 'Nadia', 'نادیه احمدی'] }],
          delimiter: '\t',
        });
      }
    });

    it('an old Excel workbook (.xls, an OLE file) is called a spreadsheet, not a broken CSV', async () => {
      const xls = Buffer.concat([
        Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
        Buffer.alloc(600),
      ]);
      expect(await read(xls)).to.deep.equal(['csvImport.spreadsheet', { type: 'cfb' }]);
    });

    it('another kind of file is named by what it looks like; text with NUL bytes is called binary', async () => {
      expect(await read(Buffer.from('%PDF-1.4\n1 0 obj\n'))).to.deep.equal([
        'csvImport.notCsv',
        { type: 'pdf' },
      ]);
      expect(await read(Buffer.from('email,first\u0000name\na@x.org,A\n'))).to.deep.equal([
        'csvImport.notCsv',
        { type: 'binary' },
      ]);
    });

    it('a file of blanks, or only a byte-order mark, is empty', async () => {
      expect(await read(Buffer.from('  \r\n\t\n'))).to.deep.equal(['csvImport.empty', {}]);
      expect(await read(Buffer.from([0xef, 0xbb, 0xbf]))).to.deep.equal(['csvImport.empty', {}]);
      expect(await read(new Uint8Array(0))).to.deep.equal(['csvImport.empty', {}]);
    });
  });

  describe('the delimiter', () => {
    it('is the one used most in the first line, and separators inside quotes do not count', () => {
      expect(sniffDelimiter('"Balkh; Mazar; office",x,y\n1;2;3;4;5')).to.equal(',');
      expect(sniffDelimiter('"a,b,c";x;y\n1,2,3,4,5')).to.equal(';');
      expect(sniffDelimiter('email\tname\tnote, comma\n')).to.equal('\t');
    });
  });

  describe('rows and their numbers', () => {
    it('empty lines are skipped but keep their numbers, so a message names the row the spreadsheet shows', async () => {
      const table = await read(Buffer.from('email,firstname\na@x.org,A\n,\n\nb@x.org,B\n'));
      expect(table).to.deep.equal({
        header: ['email', 'firstname'],
        records: [
          { row: 2, cells: ['a@x.org', 'A'] },
          { row: 5, cells: ['b@x.org', 'B'] },
        ],
        delimiter: ',',
      });
    });

    it('a quoted cell over several lines is one row; column names are trimmed', async () => {
      const table = (await read(
        Buffer.from(' email , firstname \r\na@x.org,"Line one\r\nline two"\r\nb@x.org,B\r\n'),
      )) as CsvTable;
      expect(table.header).to.deep.equal(['email', 'firstname']);
      expect(table.records).to.deep.equal([
        { row: 2, cells: ['a@x.org', 'Line one\r\nline two'] },
        { row: 3, cells: ['b@x.org', 'B'] },
      ]);
    });

    it('a first row without any column name is refused', async () => {
      expect(await read(Buffer.from(',,\na@x.org,A,\n'))).to.deep.equal(['csvImport.noHeader', {}]);
    });

    it('a quote left open is refused with the line it was noticed on, and so is one cell of endless text', async () => {
      expect(await read(Buffer.from('email,firstname\na@x.org,A\nb@x.org,"Bo\nc@x.org,C\n'))).to.deep.equal([
        'csvImport.malformed',
        { line: 4 },
      ]);
      const endless = Buffer.from(`email,firstname\na@x.org,"${'x'.repeat(250_000)}"\n`);
      expect(await read(endless)).to.deep.equal(['csvImport.malformed', { line: 2 }]);
    });
  });
});
