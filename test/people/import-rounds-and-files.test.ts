import { expect } from 'chai';
import type { Express } from 'express';
import type TestAgent from 'supertest/lib/agent.js';
import { PendingImport } from '../../src/people/people-import.model.js';
import { confirmImport, previewImport } from '../../src/people/people-import.service.js';
import { Enrolment } from '../../src/progress/enrolment.model.js';
import { createRound, findRound, linkCourse } from '../../src/rounds/rounds.service.js';
import { User } from '../../src/users/user.model.js';
import type { SessionUser } from '../../src/users/users.service.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { makeCourse } from '../helpers/courses.js';
import {
  completeFirstRun,
  loginAgent,
  makeCoordinator,
  makeTrainer,
  postForm,
  tokenFor,
} from '../helpers/factories.js';
import { roundDetails } from '../helpers/rounds.js';
import { makeZip } from '../helpers/zip.js';
import { counts, expectNothingWritten, problemsIn, upload } from './import-helpers.js';

const csv = (...lines: string[]) => Buffer.from(lines.join('\n'));

describe('people import: rounds by name, courses through rounds', () => {
  let actor: SessionUser;
  let rounds: { a: string; b: string; semicolon: string };
  let courses: { basics: string; law: string };

  beforeEach(async () => {
    await buildTestApp();
    actor = await completeFirstRun();
    const trainer = await makeTrainer();
    courses = {
      basics: String((await makeCourse({ authors: [trainer.id], slug: 'advocacy-basics' })).course._id),
      law: String((await makeCourse({ authors: [trainer.id], slug: 'tip-law' })).course._id),
    };
    rounds = {
      a: await createRound(roundDetails({ name: 'Round A' }), actor.id),
      b: await createRound(
        roundDetails({ name: 'Round B', startDate: '2026-05-01', endDate: '2026-05-02' }),
        actor.id,
      ),
      semicolon: await createRound(roundDetails({ name: 'Herat; spring' }), actor.id),
    };
    await linkCourse(rounds.a, courses.basics);
    await createRound(roundDetails({ name: 'Kabul round' }), actor.id);
    await createRound(
      roundDetails({ name: 'Kabul round', startDate: '2026-06-01', endDate: '2026-06-02' }),
      actor.id,
    );
  });

  const enrolledIn = async (email: string) => {
    const user = await User.findOne({ email }).lean();
    return (await Enrolment.find({ userId: user!._id }).lean()).map((e) => String(e.courseId)).sort();
  };

  it('rounds listed with "; " (as exported) are each joined; a course a round already gives is one enrolment', async () => {
    const preview = await previewImport(
      csv(
        'email,firstname,round,course1,course2',
        'nadia@example.org,Nadia,Round A; Round B,advocacy-basics,tip-law',
        'gul@example.org,Gul,Herat; spring,,',
      ),
      'rounds.csv',
      actor,
    );
    expect(preview.problems).to.deep.equal([]);
    expect(preview.summary).to.deep.equal({ people: 2, memberships: 3, enrolments: 2 });
    expect(await confirmImport(preview.id!, actor)).to.deep.equal({ ok: true });

    const nadia = String((await User.findOne({ email: 'nadia@example.org' }).lean())!._id);
    const gul = String((await User.findOne({ email: 'gul@example.org' }).lean())!._id);
    expect((await findRound(rounds.a))!.memberIds.map(String)).to.deep.equal([nadia]);
    expect((await findRound(rounds.b))!.memberIds.map(String)).to.deep.equal([nadia]);
    // A round whose name holds a semicolon is found by its whole name, not split.
    expect((await findRound(rounds.semicolon))!.memberIds.map(String)).to.deep.equal([gul]);
    expect(await enrolledIn('nadia@example.org')).to.deep.equal([courses.basics, courses.law].sort());
    expect(await Enrolment.countDocuments({})).to.equal(2);
  });

  it('a name two rounds share, or one unknown name in a list, is refused naming that name; nothing is kept', async () => {
    const before = await counts();
    const preview = await previewImport(
      csv(
        'email,firstname,round',
        'a@example.org,A,Kabul round',
        'b@example.org,B,Round A;No such round',
        'c@example.org,C,round a',
      ),
      'rounds.csv',
      actor,
    );
    expect(preview.id).to.equal(undefined);
    expect(preview.problems).to.deep.equal([
      {
        row: 2,
        column: 'round',
        key: 'users.import.errors.roundAmbiguous',
        params: { value: 'Kabul round' },
      },
      {
        row: 3,
        column: 'round',
        key: 'users.import.errors.unknownRound',
        params: { value: 'No such round' },
      },
      { row: 4, column: 'round', key: 'users.import.errors.unknownRound', params: { value: 'round a' } },
    ]);
    await expectNothingWritten(before);
  });

  it('more rows than an import takes is refused as a whole file before any row is checked', async () => {
    const rows = Array.from({ length: 10_001 }, (_, i) => `p${i}@example.org,P`);
    const preview = await previewImport(csv('email,firstname', ...rows), 'big.csv', actor);
    expect(preview.problems).to.deep.equal([
      { row: null, column: '', key: 'csvImport.tooManyRows', params: { max: 10_000 } },
    ]);
    expect(await PendingImport.countDocuments({})).to.equal(0);
  });
});

describe('people import: files from spreadsheet programs, and broken forms', () => {
  let app: Express;
  let coordinator: TestAgent;

  beforeEach(async () => {
    app = await buildTestApp();
    await completeFirstRun();
    coordinator = await loginAgent(app, await makeCoordinator());
  });

  it('Excel’s "Unicode text" (UTF-16, tabs) is imported with its Dari names intact', async () => {
    const text = 'email\tfirstname\tlastname\tlocalname\r\nnadia@example.org\tNadia\tAhmadi\tنادیه احمدی\r\n';
    const file = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const res = await upload(coordinator, file, 'people.txt');
    expect(res.status, problemsIn(res.text).join('\n')).to.equal(303);
    expect((await coordinator.get(res.headers.location!)).text).to.contain('1 person to create');
    expect((await postForm(coordinator, res.headers.location!, {}, res.headers.location)).status).to.equal(
      303,
    );
    const nadia = await User.findOne({ email: 'nadia@example.org' }).lean();
    expect([nadia!.displayName, nadia!.localName]).to.deep.equal(['Nadia Ahmadi', 'نادیه احمدی']);
  });

  it('a workbook, a quote left open and a column named twice each get the message that says what to fix', async () => {
    const workbook = makeZip([{ name: '[Content_Types].xml', data: '<Types/>' }]);
    const xlsx = await upload(coordinator, workbook, 'people.xlsx');
    expect(xlsx.status).to.equal(422);
    expect(problemsIn(xlsx.text)).to.deep.equal([
      [
        'whole file',
        '—',
        'This is a spreadsheet workbook, not a CSV file. In Excel choose Save As → CSV UTF-8.',
      ],
    ]);
    const open = await upload(coordinator, csv('email,firstname', 'a@x.org,A', 'b@x.org,"Bo', 'c@x.org,C'));
    expect(problemsIn(open.text)).to.deep.equal([
      ['whole file', '—', 'The file cannot be read as CSV near line 4 (a quote may be left open).'],
    ]);
    const twice = await upload(coordinator, csv('email,firstname,EMAIL', 'a@x.org,A,b@x.org'));
    expect(problemsIn(twice.text)).to.deep.equal([
      ['1', 'EMAIL', 'This column appears twice in the first row.'],
    ]);
    expect(await User.countDocuments({})).to.equal(2);
  });

  it('a thousand problems are listed and the rest counted, so the page stays readable', async () => {
    const rows = Array.from({ length: 1_200 }, (_, i) => `not-an-email-${i},P`);
    const res = await upload(coordinator, csv('email,firstname', ...rows));
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('1,200 problems');
    expect(problemsIn(res.text)).to.have.length(1_000);
    expect(res.text).to.contain('…and 200 more. Correct these first.');
  });

  it('a form cut short, or a file sent under another name, is a 400 with a readable message; nothing is kept', async () => {
    const token = await tokenFor(coordinator, '/admin/users/import');
    const cut = await coordinator
      .post(`/admin/users/import?_csrf=${encodeURIComponent(token)}`)
      .set('Content-Type', 'multipart/form-data; boundary=XyZ')
      .send(
        '--XyZ\r\nContent-Disposition: form-data; name="file"; filename="p.csv"\r\n\r\nemail,firstname\na@x.org',
      );
    expect(cut.status).to.equal(400);
    expect(cut.text).to.contain('The request could not be understood.');
    const wrongField = await coordinator
      .post(`/admin/users/import?_csrf=${encodeURIComponent(token)}`)
      .attach('upload', csv('email,firstname', 'a@x.org,A'), 'p.csv');
    expect(wrongField.status).to.equal(400);
    expect(await PendingImport.countDocuments({})).to.equal(0);
  });

  it('an import id that is malformed or no import’s is a 404, to see and to confirm', async () => {
    for (const id of ['x', 'A'.repeat(24), '../../admin/settings']) {
      expect((await coordinator.get(`/admin/users/import/${encodeURIComponent(id)}`)).status, id).to.equal(
        404,
      );
      const confirm = await postForm(
        coordinator,
        `/admin/users/import/${encodeURIComponent(id)}`,
        {},
        '/admin/users',
      );
      expect(confirm.status, id).to.equal(404);
    }
  });
});
