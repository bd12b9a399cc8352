import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import type { Express } from 'express';
import type TestAgent from 'supertest/lib/agent.js';
import { AuditEvent } from '../../src/audit/audit-event.model.js';
import { Enrolment } from '../../src/progress/enrolment.model.js';
import { addMembers, createRound } from '../../src/rounds/rounds.service.js';
import { User } from '../../src/users/user.model.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { enrolIn, makeCourse } from '../helpers/courses.js';
import {
  completeFirstRun,
  loginAgent,
  makeCoordinator,
  makeMember,
  makeTrainer,
  type TestUser,
} from '../helpers/factories.js';
import { roundDetails } from '../helpers/rounds.js';

/** The export as a header and rows of cells, byte-order mark removed. */
async function exported(agent: TestAgent): Promise<{ header: string[]; rows: string[][] }> {
  const res = await agent.get('/admin/users/export.csv').buffer(true);
  expect(res.status).to.equal(200);
  expect(res.headers['content-disposition']).to.match(
    /^attachment; filename="people-\d{4}-\d{2}-\d{2}\.csv"$/,
  );
  const [header, ...rows] = parse(String(res.text).replace(/^\uFEFF/, ''));
  return { header: header!, rows };
}

describe('people export: rounds, course columns, every account', () => {
  let app: Express;
  let admin: TestUser;
  let staff: TestAgent;

  beforeEach(async () => {
    app = await buildTestApp();
    admin = await completeFirstRun();
    staff = await loginAgent(app, await makeCoordinator());
  });

  it('has as many course columns as the person with most courses, and every row is as wide as the header', async () => {
    const trainer = await makeTrainer();
    const [law, basics, ethics] = await Promise.all(
      ['tip-law', 'advocacy-basics', 'ethics'].map(
        async (slug) => (await makeCourse({ authors: [trainer.id], slug })).course,
      ),
    );
    const many = await makeMember();
    const one = await makeMember();
    for (const course of [law!, basics!, ethics!]) await enrolIn(many.id, course);
    await enrolIn(one.id, basics!);

    const { header, rows } = await exported(staff);
    expect(header).to.deep.equal([
      'email',
      'firstname',
      'lastname',
      'localname',
      'organisation',
      'province',
      'roles',
      'status',
      'round',
      'course1',
      'course2',
      'course3',
    ]);
    for (const row of rows) expect(row).to.have.length(header.length);
    const byEmail = new Map(rows.map((r) => [r[0], r]));
    expect(byEmail.get(many.email)!.slice(9)).to.deep.equal(['tip-law', 'advocacy-basics', 'ethics']);
    expect(byEmail.get(one.email)!.slice(9)).to.deep.equal(['advocacy-basics', '', '']);
    expect(byEmail.get(trainer.email)!.slice(9)).to.deep.equal(['', '', '']);
  });

  it('a withdrawn enrolment is not a course of the person', async () => {
    const member = await makeMember();
    const { course } = await makeCourse({ authors: [(await makeTrainer()).id], slug: 'tip-law' });
    await enrolIn(member.id, course);
    await Enrolment.updateOne({ userId: member.id }, { $set: { status: 'withdrawn' } });
    const { header, rows } = await exported(staff);
    expect(header).not.to.include('course1');
    expect(rows.find((r) => r[0] === member.email)).to.have.length(9);
  });

  it('every round of a person, oldest first, in one cell joined by "; "; disabled accounts are listed with their status', async () => {
    const member = await makeMember();
    const later = await createRound(
      roundDetails({ name: 'Round 3, Herat', startDate: '2026-09-01', endDate: '2026-09-03' }),
      admin.id,
    );
    const earlier = await createRound(
      roundDetails({ name: 'Round 1', startDate: '2026-01-10', endDate: '2026-01-12' }),
      admin.id,
    );
    await addMembers(later, [member.id], admin.id);
    await addMembers(earlier, [member.id], admin.id);
    await User.updateOne({ _id: member.id }, { $set: { status: 'disabled', roles: ['member', 'trainer'] } });

    const { rows } = await exported(staff);
    const row = rows.find((r) => r[0] === member.email)!;
    expect(row.slice(6, 9)).to.deep.equal(['member trainer', 'disabled', 'Round 1; Round 3, Herat']);
  });

  it('lists every account oldest first, and the audit event records how many rows went out', async () => {
    const people = [await makeMember(), await makeMember(), await makeMember()];
    const { rows } = await exported(staff);
    const emails = rows.map((r) => r[0]);
    expect(emails).to.have.length(await User.countDocuments({}));
    expect(emails.slice(-3)).to.deep.equal(people.map((p) => p.email));
    expect(emails[0]).to.equal(admin.email);
    const events = await AuditEvent.find({ action: 'people.export' }).lean();
    expect(events.map((e) => [e.targetType, e.targetId, e.details as unknown])).to.deep.equal([
      ['people', 'all', { rows: emails.length }],
    ]);
  });
});
