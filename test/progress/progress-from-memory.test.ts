import { expect } from 'chai';
import type { Express } from 'express';
import mongoose, { Types } from 'mongoose';
import { Certificate, HELD_CHANGED, type CertificateDoc } from '../../src/certificates/certificate.model.js';
import { revokeCertificate } from '../../src/certificates/certificates.service.js';
import { POLL_MS } from '../../src/core/shared-cache.js';
import { Enrolment } from '../../src/progress/enrolment.model.js';
import { ENROLMENTS_CHANGED, enrolmentsOf, leave, progressIn } from '../../src/progress/progress.service.js';
import { addMembers, createRound, linkCourse } from '../../src/rounds/rounds.service.js';
import { buildTestApp, connectTestDb } from '../helpers/app-harness.js';
import { completedMember } from '../helpers/certificates.js';
import { enrolIn, makeCourse } from '../helpers/courses.js';
import { completeFirstRun, csrfFrom, loginAgent, makeCoordinator, makeMember } from '../helpers/factories.js';
import { roundDetails } from '../helpers/rounds.js';

/**
 * A member's enrolments and certificates are read on every home, lesson and quiz page, so each instance
 * keeps them in memory. What the member or staff change through this instance shows at once; what another
 * instance changes shows once its signal has been polled (within a second).
 */

/** What another instance's write does to the change counters: this one only hears of it by polling. */
async function signalFromAnotherInstance(kind: string): Promise<void> {
  await mongoose.connection
    .db!.collection<{ _id: string; v: number }>('changes')
    .updateOne({ _id: kind }, { $inc: { v: 1 } }, { upsert: true });
}

const doneOf = (html: string) => /(\d+) of (\d+) lessons done/.exec(html)?.slice(1, 3).join('/');
const polled = () => new Promise((r) => setTimeout(r, POLL_MS * 1.6));

describe('progress: enrolments and certificates served from memory', () => {
  let app: Express;

  beforeEach(async () => {
    app = await buildTestApp();
    await completeFirstRun();
  });

  it('what the member does, or staff do for them, on this instance shows on their next page', async () => {
    const member = await makeMember();
    const first = await makeCourse({ authors: [], lessons: 2 });
    await enrolIn(member.id, first.course);
    const agent = await loginAgent(app, member);
    expect(doneOf((await agent.get('/')).text)).to.equal('0/2');

    const lesson = `/courses/${first.course.slug}/lessons/${first.lessonIds[0]}`;
    const token = csrfFrom((await agent.get(lesson)).text);
    await agent.post(`${lesson}/complete`).type('form').send({ _csrf: token }).expect(303);
    expect(doneOf((await agent.get('/')).text)).to.equal('1/2');

    // A coordinator puts them in a round whose course they were not in: it is on their desk at once.
    const second = await makeCourse({ authors: [], lessons: 3 });
    const coordinator = await makeCoordinator();
    const round = await createRound(roundDetails(), coordinator.id);
    await addMembers(round, [member.id], coordinator.id);
    await linkCourse(round, String(second.course._id));
    const home = (await agent.get('/')).text;
    expect(home).to.include(`/courses/${second.course.slug}`).and.to.include('0 of 3 lessons done');

    // Leaving the first course takes it off the desk at once.
    const page = (await agent.get(`/courses/${first.course.slug}`)).text;
    await agent
      .post(`/courses/${first.course.slug}/leave`)
      .type('form')
      .send({ _csrf: csrfFrom(page) })
      .expect(303);
    expect((await agent.get('/')).text).not.to.include(`/courses/${first.course.slug}/lessons`);
  });

  it('a certificate issued to the member, or revoked, shows or goes at once', async () => {
    const { member, certificate } = await completedMember(app);
    const agent = await loginAgent(app, member);
    expect((await agent.get('/')).text).to.include(`/certificates/${certificate.code}.pdf`);

    // A second course completed: its certificate joins the first on the desk.
    const { course, lessonIds } = await makeCourse({ authors: [], lessons: 1 });
    await enrolIn(member.id, course);
    const lesson = `/courses/${course.slug}/lessons/${lessonIds[0]}`;
    const token = csrfFrom((await agent.get(lesson)).text);
    await agent.post(`${lesson}/complete`).type('form').send({ _csrf: token }).expect(303);
    // Issuing follows the completion event, after the response: wait for it.
    let second: CertificateDoc | null = null;
    for (let i = 0; i < 100 && !second; i++) {
      second = await Certificate.findOne({ userId: member.id, courseId: course._id }).lean<CertificateDoc>();
      if (!second) await new Promise((r) => setTimeout(r, 20));
    }
    if (!second) throw new Error('no certificate was issued for the second course');
    expect((await agent.get('/')).text).to.include(`/certificates/${second.code}.pdf`);

    await revokeCertificate((await makeCoordinator()).id, certificate.code, 'issued in error');
    const home = (await agent.get('/')).text;
    expect(home).not.to.include(`/certificates/${certificate.code}.pdf`);
    expect(home).to.include(`/certificates/${second.code}.pdf`);
  });

  it("another instance's change to the progress reaches this instance's pages within a second", async () => {
    const member = await makeMember();
    const { course, lessonIds } = await makeCourse({ authors: [], lessons: 2 });
    await enrolIn(member.id, course);
    const agent = await loginAgent(app, member);
    expect(doneOf((await agent.get('/')).text)).to.equal('0/2');

    // Written elsewhere: until the signal is polled this instance shows what it holds (it read nothing).
    await Enrolment.updateOne(
      { userId: member.id, courseId: course._id },
      { $addToSet: { completedLessons: new Types.ObjectId(lessonIds[0]) } },
    );
    expect(doneOf((await agent.get('/')).text)).to.equal('0/2');
    await signalFromAnotherInstance(ENROLMENTS_CHANGED);
    await polled();
    expect(doneOf((await agent.get('/')).text)).to.equal('1/2');
  });

  it('a member enrolled through another instance is let into the lessons at once, before the signal is heard', async () => {
    const member = await makeMember();
    const { course, lessonIds } = await makeCourse({ authors: [], lessons: 2 });
    const agent = await loginAgent(app, member);
    const lesson = `/courses/${course.slug}/lessons/${lessonIds[0]}`;
    expect((await agent.get(lesson)).headers.location).to.equal(`/courses/${course.slug}?notice=enrolFirst`);
    // Enrolled elsewhere, no signal yet: a refusal is read afresh, so the lesson opens.
    await Enrolment.create({ userId: member.id, courseId: course._id });
    const page = await agent.get(lesson);
    expect(page.status).to.equal(200);
    expect(page.text).to.include('Text of lesson 1.');
  });

  it('a person is the same whichever way their id is written: a change made under an uppercase id shows at once', async () => {
    const member = await makeMember();
    const { course } = await makeCourse({ authors: [], lessons: 1 });
    await enrolIn(member.id, course);
    expect((await progressIn(member.id, String(course._id))).enrolled).to.equal(true);
    await leave(member.id.toUpperCase(), String(course._id));
    expect((await enrolmentsOf(member.id)).map((e) => e.courseId)).not.to.include(String(course._id));
  });

  it("another instance's revocation takes the certificate off this instance's pages within a second", async () => {
    const { member, certificate } = await completedMember(app);
    const agent = await loginAgent(app, member);
    expect((await agent.get('/')).text).to.include(`/certificates/${certificate.code}.pdf`);
    await Certificate.updateOne({ _id: certificate._id }, { $set: { status: 'revoked' } });
    await signalFromAnotherInstance(HELD_CHANGED);
    await polled();
    expect((await agent.get('/')).text).not.to.include(`/certificates/${certificate.code}.pdf`);
  });
});

describe('progress: a person in more courses than are kept in memory', () => {
  before(connectTestDb);

  it('is read course by course, with the same answers', async () => {
    const userId = new Types.ObjectId();
    const courseIds = Array.from({ length: 501 }, () => new Types.ObjectId());
    await Enrolment.insertMany(
      courseIds.map((courseId, i) => ({
        userId,
        courseId,
        completedLessons: i === 500 ? [new Types.ObjectId()] : [],
        status: i === 3 ? 'left' : 'active',
      })),
    );
    const last = await progressIn(String(userId), String(courseIds[500]));
    expect(last.enrolled).to.equal(true);
    expect(last.completed.size).to.equal(1);
    expect((await progressIn(String(userId), String(courseIds[3]))).enrolled).to.equal(false);
    const listed = await enrolmentsOf(String(userId));
    expect(listed).to.have.length(100);
    expect(listed.map((e) => e.courseId)).not.to.include(String(courseIds[3]));
  });
});
