import { expect } from 'chai';
import { Types } from 'mongoose';
import { AuditEvent } from '../../src/audit/audit-event.model.js';
import { Certificate, type CertificateDoc } from '../../src/certificates/certificate.model.js';
import {
  holderOf,
  issueByCoordinator,
  issueMissing,
  issueOnCompletion,
  reissueCertificate,
} from '../../src/certificates/certificates.service.js';
import { Course } from '../../src/courses/course.model.js';
import { Enrolment } from '../../src/progress/enrolment.model.js';
import { Quiz } from '../../src/quizzes/quiz.model.js';
import { User } from '../../src/users/user.model.js';
import { connectTestDb } from '../helpers/app-harness.js';
import { storeCertificate, storeCompletion } from '../helpers/certificate-records.js';
import { makeCourse, type CourseFixture } from '../helpers/courses.js';
import { type TestUser } from '../helpers/factories.js';
import { quickFirstRun, quickUser } from '../helpers/quick-users.js';

/** The course's post-test and two module quizzes (no questions: only their results are read here). */
async function quizzesFor(fixture: CourseFixture): Promise<{ post: string; m1: string; m2: string }> {
  const courseId = fixture.course._id;
  const [post, m1, m2] = await Quiz.insertMany([
    { courseId, kind: 'posttest', moduleId: null, passMark: 70, questionIds: [] },
    { courseId, kind: 'module', moduleId: fixture.course.modules[0]!._id, passMark: 70, questionIds: [] },
    { courseId, kind: 'module', moduleId: new Types.ObjectId(), passMark: 70, questionIds: [] },
  ]);
  return { post: String(post!._id), m1: String(m1!._id), m2: String(m2!._id) };
}

describe('certificates: what an issued certificate says, and when one is issued', () => {
  let fixture: CourseFixture;
  let courseId: string;
  let member: TestUser;

  beforeEach(async () => {
    await connectTestDb();
    await quickFirstRun();
    fixture = await makeCourse({ authors: [(await quickUser(['trainer'])).id] });
    courseId = String(fixture.course._id);
    member = await quickUser();
  });

  it("prints the post-test's best, rounded; without it, the mean of the module quizzes taken; with none, no score", async () => {
    const q = await quizzesFor(fixture);
    await storeCompletion(member.id, courseId, { quizBest: { [q.post]: 86.6, [q.m1]: 40, [q.m2]: 100 } });
    expect((await issueOnCompletion(member.id, courseId))!.snapshot.score).to.equal(87);

    const noPost = await quickUser();
    await storeCompletion(noPost.id, courseId, { quizBest: { [q.m1]: 70, [q.m2]: 85 } });
    expect((await issueOnCompletion(noPost.id, courseId))!.snapshot.score).to.equal(78);

    const partly = await quickUser();
    await storeCompletion(partly.id, courseId, { quizBest: { [q.m2]: 55 } });
    expect((await issueOnCompletion(partly.id, courseId))!.snapshot.score).to.equal(55);

    const none = await quickUser();
    await storeCompletion(none.id, courseId, { quizBest: {} });
    expect((await issueOnCompletion(none.id, courseId))!.snapshot.score).to.equal(null);
  });

  it("freezes the holder's chosen names, the course title in each language, its hours, the completion date and the organisation", async () => {
    await User.updateOne(
      { _id: member.id },
      { $set: { displayName: 'Gulalai Wardak', localName: 'ګلالۍ وردګ' } },
    );
    const completedAt = new Date('2026-02-14T10:30:00Z');
    await storeCompletion(member.id, courseId, { completedAt });
    const c = await issueOnCompletion(member.id, courseId);
    expect(c!.snapshot).to.include({
      nameLatin: 'Gulalai Wardak',
      nameLocal: 'ګلالۍ وردګ',
      hours: 3,
      organisation: 'Test Network',
      roundName: '',
    });
    expect(c!.snapshot.completedAt.toISOString()).to.equal(completedAt.toISOString());
    expect(c!.snapshot.courseTitle).to.include({
      en: fixture.course.title.en,
      'fa-AF': fixture.course.title['fa-AF'],
    });
    expect(c!).to.include({ number: 1, status: 'valid', issuedBy: null, reason: '' });

    // Changing the name afterwards does not change the certificate given.
    await User.updateOne({ _id: member.id }, { $set: { displayName: 'Someone Else' } });
    const again = await issueOnCompletion(member.id, courseId);
    expect(again!.code).to.equal(c!.code);
    expect(again!.snapshot.nameLatin).to.equal('Gulalai Wardak');
  });

  it('issues nothing to someone who has not completed the course', async () => {
    const enrolledOnly = await quickUser();
    expect(await issueOnCompletion(enrolledOnly.id, courseId)).to.equal(null);
    expect(await Certificate.countDocuments({})).to.equal(0);
    expect(await AuditEvent.countDocuments({ action: 'certificate.issued' })).to.equal(0);
  });

  it('the catch-up issues only the missing certificates of the course asked, and says how many', async () => {
    const other = String((await makeCourse({ authors: [(await quickUser(['trainer'])).id] })).course._id);
    const second = await quickUser();
    await storeCompletion(member.id, courseId);
    await storeCompletion(second.id, courseId);
    await storeCompletion(member.id, other);
    const already = await issueOnCompletion(second.id, courseId);

    expect(await issueMissing({ courseId })).to.equal(1);
    const held = await Certificate.find({}).lean<CertificateDoc[]>();
    expect(held.map((c) => `${String(c.userId)}|${String(c.courseId)}`).sort()).to.deep.equal(
      [`${member.id}|${courseId}`, `${second.id}|${courseId}`].sort(),
    );
    expect(held.find((c) => String(c.userId) === second.id)!.code).to.equal(already!.code);
    const automatic = await AuditEvent.find({ action: 'certificate.issued' }).lean();
    expect(
      automatic.every((e) => e.actorId === null && (e.details as { automatic?: boolean }).automatic),
    ).to.equal(true);
    expect(await issueMissing({ courseId })).to.equal(0);
    expect(await issueMissing({ userId: member.id })).to.equal(1);
  });

  it("a coordinator's certificate for someone who completed online keeps their completion date and score", async () => {
    const q = await quizzesFor(fixture);
    const completedAt = new Date('2026-01-20T07:00:00Z');
    await storeCompletion(member.id, courseId, { completedAt, quizBest: { [q.post]: 92 } });
    const coordinator = await quickUser(['coordinator']);
    const c = await issueByCoordinator(coordinator.id, member.email, courseId, 'Event was missed');
    expect(c.snapshot.score).to.equal(92);
    expect(c.snapshot.completedAt.toISOString()).to.equal(completedAt.toISOString());
    expect(String(c.issuedBy)).to.equal(coordinator.id);
    // The completion's own issue finds it and makes no second one.
    expect((await issueOnCompletion(member.id, courseId))!.code).to.equal(c.code);
    expect(await Certificate.countDocuments({})).to.equal(1);
  });

  it("a re-issue takes today's names and course title, keeps the completion date and round, and the best results now", async () => {
    const q = await quizzesFor(fixture);
    const completedAt = new Date('2026-01-20T07:00:00Z');
    await storeCompletion(member.id, courseId, { completedAt, quizBest: { [q.post]: 64 } });
    const first = await issueOnCompletion(member.id, courseId);
    // The round it was printed with, since left; a better post-test result; names and title corrected.
    await Certificate.updateOne({ _id: first!._id }, { $set: { 'snapshot.roundName': 'Herat, round 1' } });
    await Course.updateOne({ _id: courseId }, { $set: { 'title.en': 'Trafficking in persons (corrected)' } });
    await User.updateOne(
      { _id: member.id },
      { $set: { displayName: 'Zarmina Safi', localName: 'زرمینه صافی' } },
    );
    await Enrolment.updateOne({ userId: member.id }, { $set: { [`quizBest.${q.post}`]: 81 } });

    const coordinator = await quickUser(['coordinator']);
    const next = await reissueCertificate(coordinator.id, first!.code, 'Name corrected');
    expect(next.code).not.to.equal(first!.code);
    expect(next).to.include({ number: 2, status: 'valid', reason: 'Name corrected' });
    expect(next.snapshot).to.include({
      nameLatin: 'Zarmina Safi',
      nameLocal: 'زرمینه صافی',
      score: 81,
      roundName: 'Herat, round 1',
    });
    expect(next.snapshot.courseTitle.en).to.equal('Trafficking in persons (corrected)');
    expect(next.snapshot.completedAt.toISOString()).to.equal(completedAt.toISOString());
    const old = await Certificate.findById(first!._id).lean<CertificateDoc>();
    expect(old).to.include({ status: 'superseded', supersededBy: next.code });
    expect(old!.snapshot.nameLatin).to.equal(first!.snapshot.nameLatin);
  });

  it('a re-issue of a certificate given by hand, with no online completion, keeps its score and date', async () => {
    const completedAt = new Date('2025-11-02T00:00:00Z');
    const byHand = await storeCertificate({ userId: member.id, courseId, score: 64, completedAt });
    const coordinator = await quickUser(['coordinator']);
    const next = await reissueCertificate(coordinator.id, byHand.code, 'Spelling');
    expect(next.snapshot.score).to.equal(64);
    expect(next.snapshot.completedAt.toISOString()).to.equal(completedAt.toISOString());
  });

  it('names the holder by initials, one per word whatever the spacing and letter case, and fully only when they chose so', async () => {
    const c = await storeCertificate({
      userId: member.id,
      courseId,
      nameLatin: '  ahmad   shabir\tsafi ',
      nameLocal: '',
    });
    expect(await holderOf(c)).to.deep.equal({ initials: 'A. S. S.', fullName: null, fullNameLocal: null });

    const accented = await storeCertificate({
      userId: member.id,
      courseId,
      number: 2,
      nameLatin: 'émile ölçer',
    });
    expect((await holderOf(accented)).initials).to.equal('É. Ö.');

    await User.updateOne({ _id: member.id }, { $set: { showNameOnVerification: true } });
    // No local name on the certificate: none is shown, not an empty one.
    expect(await holderOf(c)).to.deep.include({ fullName: '  ahmad   shabir\tsafi ', fullNameLocal: null });
  });
});
