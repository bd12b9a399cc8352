import { expect } from 'chai';
import type { CsvTable } from '../../src/core/csv-import.js';
import { checkRow, mapColumns, type ImportRow } from '../../src/people/people-import-rows.js';

/** A table as the CSV reader gives it: data rows numbered from 2, as a spreadsheet shows them. */
function table(header: string[], ...rows: string[][]): CsvTable {
  return { header, records: rows.map((cells, i) => ({ row: i + 2, cells })), delimiter: ',' };
}

function onlyRow(header: string[], cells: string[]): ImportRow {
  const { rows, fileProblems } = mapColumns(table(header, cells));
  expect(fileProblems).to.deep.equal([]);
  return rows[0]!;
}

describe('people import: columns and rows checked on their own', () => {
  describe('the first row', () => {
    it('column names are matched in any case and spacing; Moodle’s "institution" is the organisation', () => {
      const row = onlyRow(
        ['EMAIL', 'First Name', 'last name', 'Institution', 'Province'],
        ['nadia@example.org', 'Nadia', 'Ahmadi', 'Herat Legal Aid', 'Herat'],
      );
      expect(row).to.include({
        email: 'nadia@example.org',
        firstname: 'Nadia',
        lastname: 'Ahmadi',
        organisation: 'Herat Legal Aid',
        province: 'Herat',
        roles: '',
        round: '',
      });
      expect(onlyRow(['email', 'firstname', 'organization'], ['a@x.org', 'A', 'Org']).organisation).to.equal(
        'Org',
      );
    });

    it('a column named twice is a problem of the first row, naming the column as written', () => {
      const { fileProblems } = mapColumns(
        table(['email', 'firstname', 'Email'], ['a@x.org', 'A', 'b@x.org']),
      );
      expect(fileProblems).to.deep.equal([
        { row: 1, column: 'Email', key: 'users.import.errors.columnTwice' },
      ]);
    });

    it('course columns are read in the order of their numbers, whatever order the file has them in', () => {
      const row = onlyRow(
        ['email', 'firstname', 'course10', 'Course2', 'course01'],
        ['a@x.org', 'A', 'tenth', 'second', 'first'],
      );
      expect(row.courses).to.deep.equal([
        { column: 'course1', slug: 'first' },
        { column: 'course2', slug: 'second' },
        { column: 'course10', slug: 'tenth' },
      ]);
    });
  });

  describe('one row', () => {
    const HEADER = ['email', 'firstname', 'lastname', 'localname', 'roles', 'status', 'course1', 'course2'];

    it('is normalised: email in lower case, roles in any case and separator once each, status in any case', () => {
      const row = onlyRow(HEADER, [
        ' Nadia.Ahmadi@Example.ORG ',
        ' Nadia ',
        'Ahmadi',
        'نادیه احمدی',
        'Trainer, member;TRAINER',
        ' Disabled ',
        'Tip-Law',
        'tip-law ',
      ]);
      expect(checkRow(row, ['member', 'trainer'])).to.deep.equal({
        problems: [],
        checked: {
          row: 2,
          email: 'nadia.ahmadi@example.org',
          displayName: 'Nadia Ahmadi',
          localName: 'نادیه احمدی',
          organisation: '',
          province: '',
          roles: ['member', 'trainer'],
          status: 'disabled',
          round: '',
          // The same course in two columns is one enrolment.
          courses: [{ column: 'course1', slug: 'tip-law' }],
        },
      });
    });

    it('without roles or status a person is an active member; a first name alone is the whole name', () => {
      const { checked } = checkRow(onlyRow(['email', 'firstname'], ['zarghona@example.org', 'Zarghona']), [
        'member',
      ]);
      expect(checked).to.include({ displayName: 'Zarghona', status: 'active' });
      expect(checked!.roles).to.deep.equal(['member']);
    });

    it('first and last names that are each allowed but too long together are refused on the last name', () => {
      const row = onlyRow(['email', 'firstname', 'lastname'], ['a@x.org', 'x'.repeat(80), 'y'.repeat(80)]);
      expect(checkRow(row, ['member'])).to.deep.equal({
        problems: [{ row: 2, column: 'lastname', key: 'users.import.errors.nameTooLong' }],
      });
    });

    it('every problem of a row is given at once, each on its column, and the row is not kept', () => {
      const row = onlyRow(['email', 'firstname', 'roles', 'status'], ['@x.org', '', 'admin, hero', 'gone']);
      expect(checkRow(row, ['member', 'trainer'])).to.deep.equal({
        problems: [
          { row: 2, column: 'email', key: 'users.import.errors.formula' },
          { row: 2, column: 'firstname', key: 'validation.required' },
          { row: 2, column: 'roles', key: 'users.import.errors.roleNotAllowed', params: { value: 'admin' } },
          { row: 2, column: 'roles', key: 'users.import.errors.unknownRole', params: { value: 'hero' } },
          { row: 2, column: 'status', key: 'users.import.errors.unknownStatus', params: { value: 'gone' } },
        ],
      });
    });

    it('an apostrophe that neutralised a formula comes off; a formula start after spaces is still refused', () => {
      const ok = checkRow(onlyRow(['email', 'firstname', 'lastname'], ['a@x.org', "'-Nadia", "'@home"]), [
        'member',
      ]);
      expect(ok.checked?.displayName).to.equal('-Nadia @home');
      const spaced = checkRow(onlyRow(['email', 'firstname', 'province'], ['a@x.org', 'A', '  =1+1']), [
        'member',
      ]);
      expect(spaced).to.deep.equal({
        problems: [{ row: 2, column: 'province', key: 'users.import.errors.formula' }],
      });
    });
  });
});
