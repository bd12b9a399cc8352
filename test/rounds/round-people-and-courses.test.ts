import { expect } from 'chai';
import type { Express } from 'express';
import { Types } from 'mongoose';
import { AuditEvent } from '../../src/audit/audit-event.model.js';
import { Enrolment } from '../../src/progress/enrolment.model.js';
import { Round, type RoundDoc } from '../../src/rounds/round.model.js';
import { addMembers, addTrainer, createRound, linkCourse } from '../../src/rounds/rounds.service.js';
import { User } from '../../src/users/user.model.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { makeCourse, type CourseFixture } from '../helpers/courses.js';
import {
  completeFirstRun,
  loginAgent,
  makeCoordinator,
  makeTrainer,
  postForm,
  type TestUser,
} from '../helpers/factories.js';
import { insertPeople } from '../helpers/people-rows.js';
import { roundDetails } from '../helpers/rounds.js';

/** Adding and taking out members and trainers, and linking and unlinking courses, from the round page. */
describe('rounds: people and courses of a round', () => {
  let app: Express;
  let coordinator: TestUser;
  let course: CourseFixture;
  let roundId: string;
  let base: string;

  beforeEach(async () => {
    app = await buildTestApp();
    await completeFirstRun();
    coordinator = await makeCoordinator();
    course = await makeCourse({ authors: [coordinator.id] });
    roundId = await createRound(roundDetails(), coordinator.id);
    base = `/coord/rounds/${roundId}`;
  });

  const round = async () => (await Round.findById(roundId).lean<RoundDoc>())!;
  const memberIds = async () => (await round()).memberIds.map(String).sort();
  const enrolled = async (userId: string) =>
    (await Enrolment.countDocuments({ userId, courseId: course.course._id, status: 'active' })) === 1;

  it('emails pasted with commas, semicolons, spaces and capitals add each person once, enrolled in the linked course; the audit counts only new members', async () => {
    await linkCourse(roundId, String(course.course._id));
    const [a, b, c, d] = await insertPeople(['Asma', 'Bilal', 'Chehra', 'Dawood']);
    const agent = await loginAgent(app, coordinator);
    const added = await postForm(agent, `${base}/members`, {
      emails: `${a!.email.toUpperCase()}, ${b!.email};${c!.email}\n\n  ${a!.email}`,
    });
    expect(added.status).to.equal(303);
    expect(added.headers.location).to.equal(`${base}?saved=members`);
    expect(await memberIds()).to.deep.equal([a!.id, b!.id, c!.id].sort());
    for (const p of [a!, b!, c!]) expect(await enrolled(p.id), p.displayName).to.equal(true);
    const page = await agent.get(added.headers.location!);
    expect(page.text).to.include('Members added; they are enrolled in the round&#39;s courses.');
    expect(page.text).to.include('(3)');

    expect((await postForm(agent, `${base}/members`, { emails: `${a!.email} ${d!.email}` })).status).to.equal(
      303,
    );
    const events = await AuditEvent.find({ action: 'round.addMembers', targetId: roundId })
      .sort({ _id: 1 })
      .lean();
    expect(events.map((e) => (e.details as { count: number }).count)).to.deep.equal([3, 1]);
  });

  it('an empty list, more than 1,000 emails or a disabled account is refused with 422 by the members field, the typing kept, and nobody is added', async () => {
    const [active, disabled] = await insertPeople(['Active one', 'Disabled one']);
    await User.updateOne({ _id: disabled!.id }, { $set: { status: 'disabled' } });
    const agent = await loginAgent(app, coordinator);

    const empty = await postForm(agent, `${base}/members`, { emails: ' \n , ; ' });
    expect(empty.status).to.equal(422);
    expect(empty.text).to.match(/id="f-members-error">Please fill in this field.</);

    const many = Array.from({ length: 1001 }, (_, i) => `p${i}@example.org`).join('\n');
    const tooMany = await postForm(agent, `${base}/members`, { emails: many });
    expect(tooMany.status).to.equal(422);
    expect(tooMany.text).to.include('At most 1,000 people at once.');

    const typed = `${active!.email}\n${disabled!.email}`;
    const refused = await postForm(agent, `${base}/members`, { emails: typed });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.include(`No active account has these emails: ${disabled!.email}`);
    expect(refused.text).to.include(`>${typed}</textarea>`);
    expect(await memberIds()).to.deep.equal([]);
    expect(await AuditEvent.countDocuments({ action: 'round.addMembers' })).to.equal(0);
  });

  it('a trainer taken off the round loses access to it; taking out someone who is not a member, or a malformed id, leaves the members as they were', async () => {
    const trainer = await makeTrainer();
    await addTrainer(roundId, trainer.id);
    const asTrainer = await loginAgent(app, trainer);
    expect((await asTrainer.get(base)).status).to.equal(200);

    const agent = await loginAgent(app, coordinator);
    const removed = await postForm(agent, `${base}/trainers/${trainer.id}/remove`, {}, base);
    expect(removed.status).to.equal(303);
    expect(removed.headers.location).to.equal(`${base}?saved=trainers`);
    expect((await round()).trainerIds).to.deep.equal([]);
    expect((await asTrainer.get(base)).status).to.equal(403);
    expect((await asTrainer.get(`${base}/attendance`)).status).to.equal(403);

    const [outsider] = await insertPeople(['Outsider']);
    await addMembers(roundId, [(await insertPeople(['Insider']))[0]!.id], coordinator.id);
    const before = await memberIds();
    expect((await postForm(agent, `${base}/members/${outsider!.id}/remove`, {}, base)).status).to.equal(303);
    expect(await memberIds()).to.deep.equal(before);
    // Nothing was removed, so nothing is recorded as removed.
    expect(await AuditEvent.countDocuments({ action: 'round.removeMember' })).to.equal(0);
    // Only the page's own notices are shown.
    for (const saved of ['__proto__', 'bogus', 'members&saved=trainers'])
      expect((await agent.get(`${base}?saved=${saved}`)).text, saved).not.to.match(
        /rounds\.saved|Members added/,
      );
    expect((await postForm(agent, `${base}/members/not-an-id/remove`, {}, base)).status).to.equal(404);
    expect((await postForm(agent, `${base}/trainers/not-an-id/remove`, {}, base)).status).to.equal(404);
    expect(await memberIds()).to.deep.equal(before);
  });

  it('taking out a member records who did it; their attendance and enrolment stay, and they leave the round page', async () => {
    await linkCourse(roundId, String(course.course._id));
    const [leaving] = await insertPeople(['Leaving member']);
    await addMembers(roundId, [leaving!.id], coordinator.id);
    await Round.updateOne(
      { _id: roundId },
      { $set: { 'attendance.2026-04-24': [new Types.ObjectId(leaving!.id)] } },
    );
    const agent = await loginAgent(app, coordinator);
    const res = await postForm(agent, `${base}/members/${leaving!.id}/remove`, {}, base);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`${base}?saved=memberRemoved`);
    expect(await memberIds()).to.deep.equal([]);
    expect((await round()).attendance['2026-04-24']!.map(String)).to.deep.equal([leaving!.id]);
    expect(await enrolled(leaving!.id)).to.equal(true);
    const event = await AuditEvent.findOne({ action: 'round.removeMember' }).lean();
    expect(String(event!.actorId)).to.equal(coordinator.id);
    expect(event!.details).to.deep.equal({ userId: leaving!.id });
    const page = await agent.get(res.headers.location!);
    expect(page.text).not.to.include('Leaving member');
    expect(page.text).to.include('No members yet.');
  });

  it('unlinking a course keeps the members’ enrolments and enrols no new member; linking a malformed, unknown or missing id is refused by the course field', async () => {
    const [early, late] = await insertPeople(['Early member', 'Late member']);
    await addMembers(roundId, [early!.id], coordinator.id);
    await linkCourse(roundId, String(course.course._id));
    expect(await enrolled(early!.id)).to.equal(true);
    const agent = await loginAgent(app, coordinator);
    const res = await postForm(agent, `${base}/courses/${String(course.course._id)}/unlink`, {}, base);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`${base}?saved=courses`);
    expect((await round()).courseIds).to.deep.equal([]);
    expect(await enrolled(early!.id)).to.equal(true);

    expect((await postForm(agent, `${base}/members`, { emails: late!.email })).status).to.equal(303);
    expect(await Enrolment.countDocuments({ userId: late!.id })).to.equal(0);
    const page = await agent.get(base);
    expect(page.text).to.include('No course is linked yet.');
    expect(page.text).to.include(`<option value="${String(course.course._id)}">`);
    expect((await postForm(agent, `${base}/courses/nope/unlink`, {}, base)).status).to.equal(404);

    const attempts: Record<string, string | string[]>[] = [
      { id: 'abc' },
      { id: new Types.ObjectId().toHexString() },
      {},
      { id: ['x', 'y'] },
    ];
    for (const fields of attempts) {
      const res = await postForm(agent, `${base}/courses`, fields);
      expect(res.status, JSON.stringify(fields)).to.equal(422);
      expect(res.text).to.include('id="f-course-error">Choose a published course.</p>');
    }
    expect((await round()).courseIds).to.deep.equal([]);
    const trainerRefused = await postForm(agent, `${base}/trainers`, { emails: 'nobody@example.org' });
    expect(trainerRefused.status).to.equal(422);
    expect(trainerRefused.text).to.include('No active account has these emails: nobody@example.org');
    expect(trainerRefused.text).to.include('value="nobody@example.org"');
    expect((await round()).trainerIds).to.deep.equal([]);
  });
});
