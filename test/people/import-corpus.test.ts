import { expect } from 'chai';
import type { Express } from 'express';
import type TestAgent from 'supertest/lib/agent.js';
import { createRound, linkCourse } from '../../src/rounds/rounds.service.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { makeCourse } from '../helpers/courses.js';
import {
  completeFirstRun,
  loginAgent,
  makeCoordinator,
  makeTrainer,
  makeUser,
  tokenFor,
} from '../helpers/factories.js';
import { counts, expectNothingWritten, fixture, problemsIn, upload, type Counts } from './import-helpers.js';

/**
 * The corpus of broken files (test/fixtures/people-import): each gives exactly the problems a person
 * needs to fix it, by row as the spreadsheet numbers it and column, and nothing at all is written.
 */
describe('people import: a corpus of broken files', () => {
  let app: Express;
  let coordinator: TestAgent;
  let before: Counts;

  beforeEach(async () => {
    app = await buildTestApp();
    await completeFirstRun();
    const trainer = await makeTrainer();
    const { course } = await makeCourse({ authors: [trainer.id], slug: 'tip-law' });
    await makeCourse({ authors: [trainer.id], slug: 'draft-course', status: 'draft' });
    const roundId = await createRound(
      {
        name: 'Advocacy training, round 2',
        startDate: '2026-04-24',
        endDate: '2026-04-27',
        venue: '',
        province: 'Herat',
        partners: [],
      },
      trainer.id,
    );
    await linkCourse(roundId, String(course._id));
    await makeUser({ email: 'existing@example.org', displayName: 'Already Here' });
    coordinator = await loginAgent(app, await makeCoordinator());
    before = await counts();
  });

  async function refused(file: string, status = 422): Promise<string> {
    const res = await upload(coordinator, fixture(file), file);
    expect(res.status, file).to.equal(status);
    await expectNothingWritten(before);
    return res.text;
  }

  const wholeFile = (message: string) => [['whole file', '—', message]];

  it('a Windows-1256 file is recognised and the way to save it as UTF-8 is given', async () => {
    const html = await refused('windows-1256.csv');
    expect(problemsIn(html)).to.deep.equal(
      wholeFile(
        'The file is saved as Windows Arabic (1256), so its Dari and Pashto letters would be garbled. In Excel choose Save As → CSV UTF-8 and upload that file.',
      ),
    );
  });

  it('a file in another encoding without Arabic letters is refused as not UTF-8', async () => {
    expect(problemsIn(await refused('latin1.csv'))).to.deep.equal(
      wholeFile(
        'The file is not in UTF-8, so its letters cannot be read reliably. In Excel choose Save As → CSV UTF-8.',
      ),
    );
  });

  it('missing required columns are named; an unknown column is only a warning', async () => {
    const html = await refused('missing-columns.csv');
    expect(problemsIn(html)).to.deep.equal([
      ['1', 'email', 'The required column email is missing from the first row.'],
      ['1', 'firstname', 'The required column firstname is missing from the first row.'],
    ]);
    expect(html).to.contain('Column not known; its cells are ignored (<bdi dir="ltr">E-mail</bdi>)');
  });

  it('a duplicate email in the file names both rows (whatever its case); one already in the database is refused', async () => {
    expect(problemsIn(await refused('duplicates.csv'))).to.deep.equal([
      ['2', 'email', 'This email is also in row 4.'],
      ['4', 'email', 'This email is also in row 2.'],
      ['5', 'email', 'An account with this email already exists.'],
    ]);
  });

  it('cells that would run as formulas are refused; one neutralised by an apostrophe is not', async () => {
    const formula = 'This cell starts with =, +, - or @ and would run as a formula in a spreadsheet.';
    expect(problemsIn(await refused('formulas.csv'))).to.deep.equal([
      ['2', 'firstname', formula],
      ['3', 'lastname', formula],
      ['4', 'organisation', formula],
      ['5', 'province', formula],
    ]);
  });

  it('unknown rounds, courses and roles, roles a coordinator may not give and unpublished courses are named', async () => {
    const html = await refused('unknown-refs.csv');
    expect(problemsIn(html)).to.deep.equal([
      ['2', 'round', 'There is no training round named “No such round” (the name must match exactly).'],
      ['3', 'course1', 'There is no course with the short name “no-such-course”.'],
      ['4', 'roles', 'Unknown role “superhero”: use member, trainer, coordinator or admin.'],
      ['5', 'roles', 'You may not give the role “admin”.'],
      ['6', 'course1', 'The course “draft-course” is not published, so nobody can be enrolled in it.'],
    ]);
    expect(html).to.contain('(<bdi dir="ltr">shoe size</bdi>)');
  });

  it('a huge cell is refused on its row, and the good row after it is not imported either', async () => {
    expect(problemsIn(await refused('huge-cell.csv'))).to.deep.equal([
      ['2', 'firstname', 'This is too long.'],
    ]);
  });

  it('invalid values: each on its row and column; an empty line keeps the numbering; a row wider than the header', async () => {
    expect(problemsIn(await refused('bad-values.csv'))).to.deep.equal([
      ['2', 'email', 'Enter an email address like name@example.org.'],
      ['3', 'firstname', 'Please fill in this field.'],
      [
        '4',
        'firstname',
        'This contains characters that cannot be shown, such as control or text-direction characters. Please type it again.',
      ],
      ['5', 'status', 'Unknown status “retired”: use active or disabled.'],
      [
        '7',
        '—',
        'This row has more cells than the first row has columns; a comma inside a name may have split it.',
      ],
    ]);
  });

  it('an empty file, a file of column names only, and a picture named .csv', async () => {
    expect(problemsIn(await refused('empty.csv'))).to.deep.equal(wholeFile('The file is empty.'));
    expect(problemsIn(await refused('header-only.csv'))).to.deep.equal(
      wholeFile('The file has column names but no people.'),
    );
    expect(problemsIn(await refused('picture.csv'))).to.deep.equal(
      wholeFile('This is not a CSV file (it looks like png).'),
    );
  });

  it('an upload without a file is a 400, and one over 5 MB a 413; nothing is kept', async () => {
    const token = await tokenFor(coordinator, '/admin/users/import');
    const none = await coordinator.post(`/admin/users/import?_csrf=${token}`).field('x', '1');
    expect(none.status).to.equal(400);
    expect(none.text).to.contain('Choose a CSV file to check.');
    const big = Buffer.alloc(5 * 2 ** 20 + 10, 'a');
    const tooLarge = await coordinator
      .post(`/admin/users/import?_csrf=${token}`)
      .attach('file', big, 'big.csv');
    expect(tooLarge.status).to.equal(413);
    await expectNothingWritten(before);
  });

  it('a Dari reader gets the explanation in Dari', async () => {
    const dari = await loginAgent(app, await makeUser({ roles: ['coordinator'], locale: 'fa-AF' }));
    const res = await upload(dari, fixture('windows-1256.csv'));
    expect(res.status).to.equal(422);
    expect(problemsIn(res.text)[0]![2]).to.contain('عربی ویندوز (1256)');
  });
});
