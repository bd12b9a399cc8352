import { expect } from 'chai';
import type { Express } from 'express';
import { Attempt, type AttemptDoc } from '../../src/quizzes/attempt.model.js';
import { QuestionModel } from '../../src/quizzes/question.model.js';
import { Enrolment, type EnrolmentDoc } from '../../src/progress/enrolment.model.js';
import { addMembers, createRound, linkCourse } from '../../src/rounds/rounds.service.js';
import { startAttempt } from '../../src/quizzes/attempts.service.js';
import type { QuizDoc } from '../../src/quizzes/quiz.model.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { roundDetails } from '../helpers/rounds.js';
import { makeCourse, type CourseFixture } from '../helpers/courses.js';
import {
  completeFirstRun,
  loginAgent,
  makeCoordinator,
  makeMember,
  makeTrainer,
  postForm,
  type TestUser,
} from '../helpers/factories.js';
import { getBinary, pdfPages, skipWithoutPoppler } from '../helpers/pdf.js';
import { makeQuiz } from '../helpers/quizzes.js';

describe('rounds: the paper pre-test', () => {
  let app: Express;
  let coordinator: TestUser;
  let members: TestUser[];
  let fixture: CourseFixture;
  let quiz: QuizDoc;
  let right: Record<string, unknown>;
  let roundId: string;
  let base: string;

  beforeEach(async () => {
    app = await buildTestApp();
    await completeFirstRun();
    coordinator = await makeCoordinator();
    fixture = await makeCourse({ authors: [(await makeTrainer()).id] });
    ({ quiz, right } = await makeQuiz(fixture, {
      kind: 'pretest',
      moduleId: null,
      shuffleQuestions: true,
      shuffleOptions: true,
    }));
    members = [await makeMember(), await makeMember()];
    roundId = await createRound(roundDetails({ name: 'Round 2' }), coordinator.id);
    await addMembers(
      roundId,
      members.map((m) => m.id),
      coordinator.id,
    );
    await linkCourse(roundId, String(fixture.course._id));
    base = `/coord/rounds/${roundId}/pretest/${String(fixture.course._id)}`;
  });

  it('prints the questions in one fixed order with lettered options, in English and in Dari', async function () {
    skipWithoutPoppler(this);
    const agent = await loginAgent(app, coordinator);
    const [en] = await pdfPages(await getBinary(agent, `${base}/paper.pdf?lang=en`));
    expect(en).to.include('Pre-test').and.to.include('Round 2');
    expect(en).to.include('Which is one of the three elements of trafficking?');
    expect(en)
      .to.match(/A\)\s+Purpose/)
      .and.to.match(/B\)\s+Place/);
    expect(en!.indexOf('three elements')).to.be.lessThan(en!.indexOf('Tier 3 is the lowest tier'));
    // A second print is the same paper: the questions were fixed at the first one.
    const again = await pdfPages(await getBinary(agent, `${base}/paper.pdf?lang=en`));
    expect(again[0]).to.equal(en);
    const [fa] = await pdfPages(await getBinary(agent, `${base}/paper.pdf?lang=fa-AF`));
    expect(fa).to.include('کدام یکی از سه عنصر قاچاق است؟');
    expect(fa).to.include('آزمون');
  });

  it('typed-in answers become a graded attempt marked as paper, counted as the pre-test result; a correction replaces it', async () => {
    const agent = await loginAgent(app, coordinator);
    expect((await agent.get(base)).text).to.include('Print the pre-test first');
    await getBinary(agent, `${base}/paper.pdf`);
    const [first, second] = members as [TestUser, TestUser];
    const form = await agent.get(`${base}/${first.id}`);
    expect(form.status).to.equal(200);
    expect(form.text).to.include('A)</span>');

    const ids = Object.keys(right);
    const half = { [`a[${ids[0]}]`]: String(right[ids[0]!]), [`a[${ids[1]}]`]: String(right[ids[1]!]) };
    const saved = await postForm(agent, `${base}/${first.id}`, half);
    expect(saved.status).to.equal(303);
    const attempt = await Attempt.findOne({ userId: first.id }).lean<AttemptDoc>();
    expect(attempt).to.include({ status: 'submitted', percent: 50, paperKey: roundId, number: 1 });
    expect(String(attempt!.enteredBy)).to.equal(coordinator.id);
    expect(attempt!.submittedAt!.toISOString()).to.equal('2026-04-24T00:00:00.000Z');
    const enrolment = await Enrolment.findOne({ userId: first.id }).lean<EnrolmentDoc>();
    expect(enrolment!.quizFirst![String(quiz._id)]).to.equal(50);

    // Corrected: all four right now; the first and best result follow the correction.
    const all = Object.fromEntries(ids.map((id) => [`a[${id}]`, String(right[id])]));
    expect((await postForm(agent, `${base}/${first.id}`, all)).status).to.equal(303);
    expect(await Attempt.countDocuments({ userId: first.id })).to.equal(1);
    const fixed = await Enrolment.findOne({ userId: first.id }).lean<EnrolmentDoc>();
    expect(fixed!.quizFirst![String(quiz._id)]).to.equal(100);
    expect(fixed!.quizBest![String(quiz._id)]).to.equal(100);
    const list = await agent.get(base);
    expect(list.text).to.include('100%').and.to.include('Not typed in yet');

    // Two corrections saved at once: whichever wins, the attempt and the results agree.
    const half2 = { [`a[${ids[2]}]`]: String(right[ids[2]!]) };
    const both = await Promise.all([
      postForm(agent, `${base}/${first.id}`, half),
      postForm(agent, `${base}/${first.id}`, half2),
    ]);
    expect(both.map((r) => r.status)).to.satisfy((s: number[]) => s.every((x) => x === 303 || x === 409));
    const final = await Attempt.findOne({ userId: first.id }).lean<AttemptDoc>();
    const results = await Enrolment.findOne({ userId: first.id }).lean<EnrolmentDoc>();
    expect(results!.quizFirst![String(quiz._id)]).to.equal(final!.percent);
    expect(results!.quizBest![String(quiz._id)]).to.equal(final!.percent);

    // Someone who took the pre-test online gets no paper result on top.
    await startAttempt(quiz, second.id);
    const refused = await postForm(agent, `${base}/${second.id}`, all);
    expect(refused.status).to.equal(409);
    expect(refused.text).to.include('already taken the pre-test online');
    expect(await Attempt.countDocuments({ userId: second.id, paperKey: roundId })).to.equal(0);
  });

  it('the questions stay those printed even when the bank changes afterwards', async () => {
    const agent = await loginAgent(app, coordinator);
    await getBinary(agent, `${base}/paper.pdf`);
    await QuestionModel.updateMany({}, { $set: { 'text.en': 'Changed after printing' } });
    const form = await agent.get(`${base}/${members[0]!.id}`);
    expect(form.text).to.include('Which is one of the three elements of trafficking?');
    expect(form.text).not.to.include('Changed after printing');
  });

  it('refuses people outside the round, courses not linked, and courses without a pre-test', async () => {
    const agent = await loginAgent(app, coordinator);
    await getBinary(agent, `${base}/paper.pdf`);
    const outsider = await makeMember();
    expect((await agent.get(`${base}/${outsider.id}`)).status).to.equal(404);
    expect((await postForm(agent, `${base}/${outsider.id}`, {})).status).to.equal(404);
    const other = await makeCourse({ authors: [coordinator.id] });
    expect((await agent.get(`/coord/rounds/${roundId}/pretest/${String(other.course._id)}`)).status).to.equal(
      404,
    );
    await linkCourse(roundId, String(other.course._id));
    expect((await agent.get(`/coord/rounds/${roundId}/pretest/${String(other.course._id)}`)).status).to.equal(
      404,
    );
    expect((await agent.get(`/coord/rounds/${roundId}/pretest/nonsense`)).status).to.equal(404);
    const member = await loginAgent(app, members[0]!);
    expect((await member.get(base)).status).to.equal(403);
  });
});
