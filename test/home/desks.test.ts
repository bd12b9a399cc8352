import { expect } from 'chai';
import type { Express } from 'express';
import { calendarDay, startOfMonth } from '../../src/core/dates.js';
import { submitAttempt, startAttempt } from '../../src/quizzes/attempts.service.js';
import { addMembers, createRound, linkCourse } from '../../src/rounds/rounds.service.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { roundDetails } from '../helpers/rounds.js';
import { completedMember } from '../helpers/certificates.js';
import { enrolIn, makeCourse } from '../helpers/courses.js';
import { completeFirstRun, loginAgent, makeCoordinator, makeMember, makeUser } from '../helpers/factories.js';
import { getBinary } from '../helpers/pdf.js';
import { makeQuiz } from '../helpers/quizzes.js';

describe('home: a desk for each role', () => {
  let app: Express;

  beforeEach(async () => {
    app = await buildTestApp();
    await completeFirstRun();
  });

  it("a member's home lists their certificates for download; nothing for trainers or coordinators", async () => {
    const { member, certificate } = await completedMember(app);
    const page = await (await loginAgent(app, member)).get('/');
    expect(page.text).to.include(`/certificates/${certificate.code}.pdf`);
    expect(page.text).not.to.include('Latest quiz submissions');
    expect(page.text).not.to.include('Rounds under way');
  });

  it("a trainer's home lists their courses with links to item analysis, and the latest submissions with names", async () => {
    const trainer = await makeUser({ roles: ['trainer'] });
    const fixture = await makeCourse({ authors: [trainer.id] });
    const { quiz, right } = await makeQuiz(fixture);
    const member = await makeMember();
    await enrolIn(member.id, fixture.course);
    const { attempt } = await startAttempt(quiz, member.id);
    await submitAttempt(attempt, 'tok-1', right, quiz.passMark);
    const page = await (await loginAgent(app, trainer)).get('/');
    expect(page.text).to.include('Latest quiz submissions');
    expect(page.text).to.include(member.displayName);
    expect(page.text).to.include('100%');
    expect(page.text).to.include(
      `/teach/courses/${String(fixture.course._id)}/quizzes/${String(quiz._id)}#items`,
    );
  });

  it("a coordinator's home shows rounds under way, this month's completions and the certificates to print", async () => {
    const coordinator = await makeCoordinator();
    const { member, fixture } = await completedMember(app);
    const today = calendarDay(new Date(), 'Asia/Kabul');
    const id = await createRound(
      roundDetails({ name: 'Round under way', startDate: today, endDate: today }),
      coordinator.id,
    );
    await createRound(
      roundDetails({ name: 'Round long ago', startDate: '2020-01-01', endDate: '2020-01-02' }),
      coordinator.id,
    );
    await addMembers(id, [member.id, (await makeMember()).id], coordinator.id);
    await linkCourse(id, String(fixture.course._id));
    const agent = await loginAgent(app, coordinator);
    const page = await agent.get('/');
    expect(page.text).to.include('Rounds under way');
    expect(page.text).to.include('Round under way').and.not.to.include('Round long ago');
    expect(page.text).to.include('2 members');
    expect(page.text).to.match(/Course completions this month<\/h3>\s*<p class="big-number">1<\/p>/);
    const printLink = `/certificates?course=${String(fixture.course._id)}&amp;round=${id}`;
    expect(page.text).to.include(printLink);
    // Once the round's certificates of that course are printed, nothing waits until a new one is issued.
    await getBinary(agent, `/certificates/print?course=${String(fixture.course._id)}&round=${id}`);
    expect((await agent.get('/')).text).not.to.include(printLink);
  });

  it('"this month" starts on the first of the reader\'s calendar month, in the organisation\'s time zone', () => {
    const now = new Date('2026-12-03T06:30:00Z');
    expect(startOfMonth(now, 'Asia/Kabul', 'en').toISOString()).to.equal('2026-11-30T19:30:00.000Z');
    // 1 Qaws 1405 is 22 November 2026.
    expect(startOfMonth(now, 'Asia/Kabul', 'fa-AF').toISOString()).to.equal('2026-11-21T19:30:00.000Z');
    expect(startOfMonth(new Date('2026-12-01T20:00:00Z'), 'Asia/Kabul', 'en').toISOString()).to.equal(
      '2026-11-30T19:30:00.000Z',
    );
  });
});
