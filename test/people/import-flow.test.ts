import { expect } from 'chai';
import type { Types } from 'mongoose';
import type { Express } from 'express';
import type TestAgent from 'supertest/lib/agent.js';
import { AuditEvent } from '../../src/audit/audit-event.model.js';
import { PendingImport } from '../../src/people/people-import.model.js';
import { confirmImport, previewImport } from '../../src/people/people-import.service.js';
import { Enrolment } from '../../src/progress/enrolment.model.js';
import { Round } from '../../src/rounds/round.model.js';
import { createRound, findRound, linkCourse } from '../../src/rounds/rounds.service.js';
import { User } from '../../src/users/user.model.js';
import { verifyPassword } from '../../src/users/passwords.js';
import { createUser, type SessionUser } from '../../src/users/users.service.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { makeCourse } from '../helpers/courses.js';
import {
  completeFirstRun,
  loginAgent,
  makeCoordinator,
  makeTrainer,
  postForm,
  type TestUser,
} from '../helpers/factories.js';
import { counts, expectNothingWritten, fixture, problemsIn, upload } from './import-helpers.js';

const ROUND = 'Advocacy training, round 2';
/** The people of good-bom.csv. */
const IMPORTED = /^(nadia|zarghona|gul|ahmad)\./;

describe('people import: preview, confirm, all or nothing', () => {
  let app: Express;
  let coordinatorUser: TestUser;
  let coordinator: TestAgent;
  let roundId: string;
  let ids: { tipLaw: string; basics: string };

  beforeEach(async () => {
    app = await buildTestApp();
    await completeFirstRun();
    const trainer = await makeTrainer();
    const tipLaw = (await makeCourse({ authors: [trainer.id], slug: 'tip-law' })).course;
    const basics = (await makeCourse({ authors: [trainer.id], slug: 'advocacy-basics' })).course;
    ids = { tipLaw: String(tipLaw._id), basics: String(basics._id) };
    roundId = await createRound(
      { name: ROUND, startDate: '2026-04-24', endDate: '2026-04-27', venue: '', province: '', partners: [] },
      trainer.id,
    );
    await linkCourse(roundId, ids.basics);
    coordinatorUser = await makeCoordinator();
    coordinator = await loginAgent(app, coordinatorUser);
  });

  async function previewAndConfirm(file: string): Promise<string> {
    const before = await counts();
    const preview = await upload(coordinator, fixture(file), file);
    expect(preview.status, problemsIn(preview.text).join('\n')).to.equal(303);
    const page = await coordinator.get(preview.headers.location!);
    expect(page.status).to.equal(200);
    // The preview wrote nothing but the kept import.
    expect(await counts()).to.deep.equal({ ...before, pending: before.pending + 1 });
    const confirmed = await postForm(coordinator, preview.headers.location!, {}, preview.headers.location);
    expect(confirmed.status).to.equal(303);
    return page.text;
  }

  it('a good file with Dari and Pashto names: a preview that writes nothing, then every account, round and course', async () => {
    const page = await previewAndConfirm('good-bom.csv');
    expect(page).to.contain('4 people to create');
    expect(page).to.contain('1 training round membership');
    // Nadia through the round (advocacy-basics), Zarghona tip-law, Gul both.
    expect(page).to.contain('4 course enrolments');

    const imported = await User.find({ email: IMPORTED }).sort({ email: 1 }).lean();
    expect(
      imported.map((p) => [p.email, p.displayName, p.localName, p.organisation, p.province, p.roles]),
    ).to.deep.equal([
      ['ahmad.safi@example.org', 'Ahmad Shabir Safi', 'احمد شبیر صافی', '=Independent', 'Kabul', ['member']],
      ['gul.popal@example.org', 'Gul Rahman Popal', 'ګل رحمان پوپل', '', 'Nangarhar', ['member', 'trainer']],
      [
        'nadia.ahmadi@example.org',
        'Nadia Ahmadi',
        'نادیه احمدی',
        "Afghan Women's Network",
        'Herat',
        ['member'],
      ],
      [
        'zarghona.wardak@example.org',
        'Zarghona Wardak',
        'زرغونه وردګ',
        'Kandahar Youth Council',
        'کندهار',
        ['member'],
      ],
    ]);
    // No usable password: nobody knows the secret behind the one hash they share.
    expect(new Set(imported.map((p) => p.passwordHash)).size).to.equal(1);
    expect(await verifyPassword(imported[0]!.passwordHash, '')).to.equal(false);

    const nadia = imported.find((p) => p.email.startsWith('nadia'))!;
    const gul = imported.find((p) => p.email.startsWith('gul'))!;
    expect((await findRound(roundId))!.memberIds.map(String)).to.deep.equal([String(nadia._id)]);
    const enrolled = async (id: Types.ObjectId) =>
      (await Enrolment.find({ userId: id }).lean()).map((e) => String(e.courseId)).sort();
    expect(await enrolled(nadia._id)).to.deep.equal([ids.basics]);
    expect(await enrolled(gul._id)).to.deep.equal([ids.basics, ids.tipLaw].sort());

    const audit = await AuditEvent.find({ action: 'people.import' }).lean();
    expect(audit).to.have.length(1);
    expect(String(audit[0]!.actorId)).to.equal(coordinatorUser.id);
    expect(audit[0]!.details).to.include({ people: 4, memberships: 1, enrolments: 4, file: 'good-bom.csv' });
    expect((await PendingImport.findOne({}).lean())!.status).to.equal('done');
  });

  it('without a byte-order mark and with semicolons the same file reads the same', async () => {
    expect(await previewAndConfirm('good-no-bom.csv')).to.contain('4 people to create');
    expect(await previewAndConfirm('semicolons.csv')).to.contain('2 people to create');
    const farid = await User.findOne({ email: 'farid.rahimi@example.org' }).lean();
    expect([farid!.organisation, farid!.localName, farid!.roles]).to.deep.equal([
      'Balkh, Mazar office',
      'فرید رحیمی',
      ['trainer'],
    ]);
  });

  it('export → import gives back the same people, rounds and courses (apostrophes off, rounds by name)', async () => {
    await previewAndConfirm('good-bom.csv');
    const exported = await coordinator.get('/admin/users/export.csv').buffer(true);
    const text = String(exported.text);
    expect(text).to.contain(`"${ROUND}"`);
    // The same file into an organisation without these people: keep only their lines, then remove them.
    const keep = text.split('\r\n').filter((l, i) => i === 0 || IMPORTED.test(l));
    const snapshot = await User.find(
      { email: IMPORTED },
      { _id: 0, email: 1, displayName: 1, localName: 1, organisation: 1, province: 1, roles: 1 },
    )
      .sort({ email: 1 })
      .lean();
    await User.deleteMany({ email: IMPORTED });
    await Enrolment.deleteMany({});
    const res = await upload(coordinator, Buffer.from(keep.join('\r\n'), 'utf8'), 'exported.csv');
    expect(res.status, problemsIn(res.text).join('\n')).to.equal(303);
    const page = await coordinator.get(res.headers.location!);
    expect(page.text).to.contain('4 people to create');
    expect(page.text).to.contain('1 training round membership');
    expect(page.text).to.contain('4 course enrolments');
    await postForm(coordinator, res.headers.location!, {}, res.headers.location);
    const again = await User.find(
      { email: IMPORTED },
      { _id: 0, email: 1, displayName: 1, localName: 1, organisation: 1, province: 1, roles: 1 },
    )
      .sort({ email: 1 })
      .lean();
    expect(again).to.deep.equal(snapshot);
  });

  it('the confirmation checks again: an email taken since the preview refuses the whole import', async () => {
    const preview = await upload(coordinator, fixture('good-bom.csv'));
    await createUser({ email: 'gul.popal@example.org', displayName: 'Gul', roles: ['member'] });
    const before = await counts();
    const res = await postForm(coordinator, preview.headers.location!, {}, preview.headers.location);
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('something changed since the file was checked');
    expect(problemsIn(res.text)).to.deep.equal([
      ['4', 'email', 'An account with this email already exists.'],
    ]);
    await expectNothingWritten(before);
  });

  it('only its owner sees or confirms an import; confirming twice makes the accounts once', async () => {
    const preview = await upload(coordinator, fixture('good-bom.csv'));
    const other = await loginAgent(app, await makeCoordinator());
    expect((await other.get(preview.headers.location!)).status).to.equal(404);
    expect((await postForm(other, preview.headers.location!, {}, '/admin/users')).status).to.equal(404);
    const [a, b] = await Promise.all([
      postForm(coordinator, preview.headers.location!, {}, '/admin/users'),
      postForm(coordinator, preview.headers.location!, {}, '/admin/users'),
    ]);
    expect([a.status, b.status]).to.deep.equal([303, 303]);
    expect(await User.countDocuments({ email: IMPORTED })).to.equal(4);
    expect(await AuditEvent.countDocuments({ action: 'people.import' })).to.equal(1);
    expect((await coordinator.get(preview.headers.location!)).text).to.contain('4 people created');
  });

  it('interrupted after its accounts were made, a second confirmation finishes the memberships and adds nothing twice', async () => {
    const preview = await upload(coordinator, fixture('good-bom.csv'));
    const where = preview.headers.location!;
    await postForm(coordinator, where, {}, where);
    // As if the process had stopped right after the commit, before the memberships.
    await PendingImport.updateOne({}, { $set: { status: 'committed' } });
    await Round.updateOne({ _id: roundId }, { $set: { memberIds: [] } });
    await Enrolment.deleteMany({});
    expect((await coordinator.get(where)).text).to.contain('did not finish');

    expect((await postForm(coordinator, where, {}, where)).status).to.equal(303);
    expect(await User.countDocuments({ email: IMPORTED })).to.equal(4);
    expect((await findRound(roundId))!.memberIds).to.have.length(1);
    expect(await Enrolment.countDocuments({})).to.equal(4);
    expect(await AuditEvent.countDocuments({ action: 'people.import' })).to.equal(1);
    expect((await coordinator.get(where)).text).not.to.contain('did not finish');
  });

  it('members and trainers cannot reach the import', async () => {
    const trainer = await loginAgent(app, await makeTrainer());
    expect((await trainer.get('/admin/users/import')).status).to.equal(403);
  });
});

describe('people import: 5,000 rows', () => {
  const rows = (n: number, extra = '') =>
    Buffer.from(
      [
        'email,firstname,lastname,localname,organisation,province,roles,round',
        ...Array.from(
          { length: n },
          (_, i) =>
            `person${i}@example.org,Person,Number ${i},نادیه ${i},Network ${i % 7},Herat,member,Round 5`,
        ),
        extra,
      ].join('\n'),
    );

  let actor: SessionUser;
  let roundId: string;
  beforeEach(async () => {
    await buildTestApp();
    actor = await completeFirstRun();
    roundId = await createRound(
      {
        name: 'Round 5',
        startDate: '2026-05-01',
        endDate: '2026-05-02',
        venue: '',
        province: '',
        partners: [],
      },
      actor.id,
    );
  });

  it('are all imported, each in the round', async () => {
    const preview = await previewImport(rows(5000), 'big.csv', actor);
    expect(preview.problems).to.deep.equal([]);
    expect(await confirmImport(preview.id!, actor)).to.deep.equal({ ok: true });
    expect(await User.countDocuments({ email: /^person\d+@/ })).to.equal(5000);
    expect((await findRound(roundId))!.memberIds).to.have.length(5000);
  });

  it('one bad row at the very end and none of the 5,000 is written', async () => {
    const before = await counts();
    const preview = await previewImport(rows(5000, 'last@example.org,=1+1,x'), 'big.csv', actor);
    expect(preview.problems).to.deep.equal([
      { row: 5002, column: 'firstname', key: 'users.import.errors.formula' },
    ]);
    expect(preview.id).to.equal(undefined);
    await expectNothingWritten(before);
  });
});
