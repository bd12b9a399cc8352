import { expect } from 'chai';
import type { Types } from 'mongoose';
import type { Express } from 'express';
import { AuditEvent } from '../../src/audit/audit-event.model.js';
import { Enrolment } from '../../src/progress/enrolment.model.js';
import { Round, type RoundDoc } from '../../src/rounds/round.model.js';
import {
  addMembers,
  createRound,
  linkCourse,
  roundDays,
  roundNameFor,
} from '../../src/rounds/rounds.service.js';
import { User } from '../../src/users/user.model.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { roundDetails } from '../helpers/rounds.js';
import { completedMember } from '../helpers/certificates.js';
import { makeCourse } from '../helpers/courses.js';
import { getBinary, pdfPages, skipWithoutPoppler } from '../helpers/pdf.js';
import {
  completeFirstRun,
  loginAgent,
  makeCoordinator,
  makeMember,
  makeTrainer,
  postForm,
  type TestUser,
} from '../helpers/factories.js';

const details = roundDetails({ venue: "Partner's hall", province: 'Herat', partners: ['Partner A'] });

async function enrolled(userId: string, courseId: Types.ObjectId): Promise<boolean> {
  return (await Enrolment.countDocuments({ userId, courseId, status: 'active' })) === 1;
}

describe('rounds: details, members, linked courses', () => {
  let app: Express;
  let coordinator: TestUser;

  beforeEach(async () => {
    app = await buildTestApp();
    await completeFirstRun();
    coordinator = await makeCoordinator();
  });

  it('a coordinator creates a round; bad or reversed dates come back as 422 with the values kept', async () => {
    const agent = await loginAgent(app, coordinator);
    const reversed = await postForm(agent, '/coord/rounds', {
      name: 'Round X',
      startDate: '2026-04-27',
      endDate: '2026-04-24',
    });
    expect(reversed.status).to.equal(422);
    expect(reversed.text).to.include('The last day cannot be before the first day.');
    expect(reversed.text).to.include('value="Round X"');
    const impossible = await postForm(agent, '/coord/rounds', {
      name: 'Round X',
      startDate: '2026-02-30',
      endDate: '2026-03-02',
    });
    expect(impossible.status).to.equal(422);
    const yearZero = await postForm(agent, '/coord/rounds', {
      name: 'Round X',
      startDate: '0000-01-01',
      endDate: '0000-01-02',
    });
    expect(yearZero.status).to.equal(422);
    const tooLong = await postForm(agent, '/coord/rounds', {
      name: 'Round X',
      startDate: '2026-01-01',
      endDate: '2026-12-31',
    });
    expect(tooLong.status).to.equal(422);
    expect(await Round.countDocuments()).to.equal(0);

    const made = await postForm(agent, '/coord/rounds', {
      name: details.name,
      startDate: details.startDate,
      endDate: details.endDate,
      venue: details.venue,
      province: details.province,
      partners: 'Partner A\nPartner B\n\nPartner A',
    });
    expect(made.status).to.equal(303);
    const round = await Round.findOne().lean<RoundDoc>();
    expect(round).to.include({ name: details.name, startDate: '2026-04-24', endDate: '2026-04-27' });
    expect(round!.partners).to.deep.equal(['Partner A', 'Partner B']);
    expect(made.headers.location).to.equal(`/coord/rounds/${String(round!._id)}`);
    const page = await agent.get(made.headers.location!);
    expect(page.status).to.equal(200);
    expect(page.text).to.include('4 days');
    const list = await agent.get('/coord/rounds?q=advocacy');
    expect(list.text).to.include(details.name);
    expect((await agent.get('/coord/rounds?q=nothing-like-it')).text).not.to.include(details.name);
    expect(await AuditEvent.countDocuments({ action: 'round.create' })).to.equal(1);
  });

  it('members and trainers cannot open rounds; a malformed or unknown round id is a 404', async () => {
    const id = await createRound(details, coordinator.id);
    for (const who of [await makeMember(), await makeTrainer()]) {
      const agent = await loginAgent(app, who);
      expect((await agent.get('/coord/rounds')).status).to.equal(403);
      expect((await agent.get(`/coord/rounds/${id}`)).status).to.equal(403);
    }
    const agent = await loginAgent(app, coordinator);
    expect((await agent.get('/coord/rounds/not-an-id')).status).to.equal(404);
    expect((await agent.get('/coord/rounds/0123456789abcdef01234567')).status).to.equal(404);
    expect((await agent.get('/coord/rounds/0123456789abcdef01234567/attendance.pdf')).status).to.equal(404);
  });

  it('linking a course enrols the current members, and members added later too', async () => {
    const trainer = await makeTrainer();
    const { course } = await makeCourse({ authors: [trainer.id], selfEnrol: false });
    const early = await makeMember();
    const late = await makeMember();
    const agent = await loginAgent(app, coordinator);
    const id = await createRound(details, coordinator.id);

    expect((await postForm(agent, `/coord/rounds/${id}/members`, { emails: early.email })).status).to.equal(
      303,
    );
    expect(await enrolled(early.id, course._id)).to.equal(false);
    expect(
      (await postForm(agent, `/coord/rounds/${id}/courses`, { id: String(course._id) })).status,
    ).to.equal(303);
    expect(await enrolled(early.id, course._id)).to.equal(true);
    expect(
      (await postForm(agent, `/coord/rounds/${id}/members`, { emails: ` ${late.email.toUpperCase()} ` }))
        .status,
    ).to.equal(303);
    expect(await enrolled(late.id, course._id)).to.equal(true);

    // Unknown emails are named, and nobody is added when one is wrong.
    const other = await makeMember();
    const bad = await postForm(agent, `/coord/rounds/${id}/members`, {
      emails: `${other.email}\nnobody@example.org`,
    });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.include('nobody@example.org');
    const round = await Round.findById(id).lean<RoundDoc>();
    expect(round!.memberIds.map(String)).to.have.members([early.id, late.id]);

    // Taking a member out keeps their enrolment (their work in the course is theirs).
    expect((await postForm(agent, `/coord/rounds/${id}/members/${early.id}/remove`)).status).to.equal(303);
    expect(await enrolled(early.id, course._id)).to.equal(true);
  });

  it('adding members and linking a course at the same moment leaves nobody unenrolled', async () => {
    const { course } = await makeCourse({ authors: [(await makeTrainer()).id] });
    for (let run = 0; run < 5; run += 1) {
      const id = await createRound(details, coordinator.id);
      const people = await Promise.all([makeMember(), makeMember(), makeMember()]);
      await Promise.all([
        addMembers(id, [people[0].id], coordinator.id),
        linkCourse(id, String(course._id)),
        addMembers(id, [people[1].id, people[2].id], coordinator.id),
      ]);
      for (const p of people) expect(await enrolled(p.id, course._id)).to.equal(true);
    }
  });

  it('only published courses can be linked, and only trainers added as trainers', async () => {
    const trainer = await makeTrainer();
    const draft = await makeCourse({ authors: [trainer.id], status: 'draft' });
    const member = await makeMember();
    const agent = await loginAgent(app, coordinator);
    const id = await createRound(details, coordinator.id);
    const link = await postForm(agent, `/coord/rounds/${id}/courses`, { id: String(draft.course._id) });
    expect(link.status).to.equal(422);
    expect(link.text).to.include('Choose a published course.');
    const notTrainer = await postForm(agent, `/coord/rounds/${id}/trainers`, { emails: member.email });
    expect(notTrainer.status).to.equal(422);
    expect(notTrainer.text).to.include('These people are not trainers');
    expect(
      (await postForm(agent, `/coord/rounds/${id}/trainers`, { emails: trainer.email })).status,
    ).to.equal(303);
    const round = await Round.findById(id).lean<RoundDoc>();
    expect(round!.trainerIds.map(String)).to.deep.equal([trainer.id]);
    expect(round!.courseIds).to.have.length(0);
  });

  it('a certificate of a course followed in a round names the round', async () => {
    const { course } = await makeCourse({ authors: [(await makeTrainer()).id] });
    const member = await makeMember();
    const id = await createRound(details, coordinator.id);
    await addMembers(id, [member.id], coordinator.id);
    expect(await roundNameFor(member.id, String(course._id))).to.equal('');
    await linkCourse(id, String(course._id));
    expect(await roundNameFor(member.id, String(course._id))).to.equal(details.name);
  });

  it('roundDays lists every calendar day, across a month end and a leap day', () => {
    expect(roundDays({ startDate: '2028-02-28', endDate: '2028-03-01' })).to.deep.equal([
      '2028-02-28',
      '2028-02-29',
      '2028-03-01',
    ]);
  });

  it('the round page shows members in both scripts with their province to the coordinator', async () => {
    const member = await makeMember();
    await User.updateOne({ _id: member.id }, { $set: { localName: 'فاطمه نوری', province: 'Balkh' } });
    const id = await createRound(details, coordinator.id);
    await addMembers(id, [member.id], coordinator.id);
    const page = await (await loginAgent(app, coordinator)).get(`/coord/rounds/${id}`);
    expect(page.text).to.include('فاطمه نوری').and.to.include('Balkh');
  });
});

describe('rounds: certificates of a whole round', () => {
  it("prints one course's certificates of the round's members only, with the round on the cover", async function () {
    skipWithoutPoppler(this);
    const app = await buildTestApp();
    await completeFirstRun();
    const coordinator = await makeCoordinator();
    const fixture = await makeCourse({ authors: [(await makeTrainer()).id], lessons: 1 });
    const inRound = await completedMember(app, { fixture, localName: 'فاطمه نوری' });
    const outside = await completedMember(app, { fixture, localName: 'ګل احمد' });
    const id = await createRound(details, coordinator.id);
    await addMembers(id, [inRound.member.id], coordinator.id);
    const agent = await loginAgent(app, coordinator);
    const url = `/certificates/print?course=${String(fixture.course._id)}&round=${id}`;
    const text = (await pdfPages(await getBinary(agent, url))).join('\n');
    expect(text).to.include(details.name);
    expect(text).to.include(inRound.certificate.snapshot.nameLatin);
    expect(text).not.to.include(outside.certificate.snapshot.nameLatin);
    expect(
      await AuditEvent.countDocuments({
        action: 'certificates.print',
        'details.round': id,
        actorId: coordinator.id,
      }),
    ).to.equal(1);
    const unknownRound = `/certificates/print?course=${String(fixture.course._id)}&round=0123456789abcdef01234567`;
    expect((await agent.get(unknownRound)).status).to.equal(404);
    const page = await agent.get(`/certificates?course=${String(fixture.course._id)}&round=${id}`);
    expect(page.text).to.include(inRound.certificate.snapshot.nameLatin);
    expect(page.text).not.to.include(outside.certificate.snapshot.nameLatin);
  });
});
