import { expect } from 'chai';
import type { Express } from 'express';
import type TestAgent from 'supertest/lib/agent.js';
import { Types } from 'mongoose';
import { signalChange } from '../../src/core/shared-cache.js';
import { Enrolment, type EnrolmentDoc } from '../../src/progress/enrolment.model.js';
import { Attempt, type AttemptDoc } from '../../src/quizzes/attempt.model.js';
import { QuestionModel } from '../../src/quizzes/question.model.js';
import { Quiz, type QuizDoc } from '../../src/quizzes/quiz.model.js';
import { QUIZZES_CHANGED } from '../../src/quizzes/quizzes.service.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { enrolIn, makeCourse, type CourseFixture } from '../helpers/courses.js';
import { loginAgent, makeMember, type TestUser } from '../helpers/factories.js';
import { makeQuiz } from '../helpers/quizzes.js';
import {
  autosave,
  openOrganisation,
  sendAttemptForm,
  startAttempt,
  takeQuiz,
} from '../helpers/quiz-taking.js';

describe('an attempt’s pages: answering, saving without JavaScript, time running out, the result', () => {
  let app: Express;
  let member: TestUser;
  let agent: TestAgent;
  let fixture: CourseFixture;
  let made: Awaited<ReturnType<typeof makeQuiz>>;
  let questionIds: string[];
  const quizPage = () => `/courses/${fixture.course.slug}/quizzes/${String(made.quiz._id)}`;
  const stored = async (id: string) => (await Attempt.findById(id).lean<AttemptDoc>())!;
  const enrolment = async () =>
    (await Enrolment.findOne({ userId: new Types.ObjectId(member.id) }).lean<EnrolmentDoc>())!;

  async function changeQuiz(fields: Partial<QuizDoc>) {
    await Quiz.updateOne({ _id: made.quiz._id }, { $set: fields });
    await signalChange(QUIZZES_CHANGED);
  }

  /** The clock moves past an attempt's deadline and its grace. */
  const runOutOfTime = (id: string) =>
    Attempt.updateOne({ _id: id }, { $set: { deadline: new Date(Date.now() - 120_000) } });

  beforeEach(async () => {
    app = await buildTestApp();
    await openOrganisation();
    fixture = await makeCourse({ authors: [new Types.ObjectId().toHexString()], lessons: 1 });
    made = await makeQuiz(fixture);
    questionIds = Object.keys(made.right);
    member = await makeMember();
    await enrolIn(member.id, fixture.course);
    agent = await loginAgent(app, member);
  });

  it('the result reveals answers after submitting, never, or only once passed, as the quiz says when it is opened', async () => {
    const passed = await takeQuiz(agent, quizPage(), made.right);
    const failed = await takeQuiz(agent, quizPage(), made.wrong);
    const result = async (id: string) => (await agent.get(`/attempts/${id}/result`)).text;

    let page = await result(failed);
    expect(page).to.contain('Result of attempt 2').and.to.contain('0 of 4 points');
    expect(page).to.contain('Your answers').and.to.contain('No.'); // the chosen option's feedback
    expect(page).to.contain('Tier 3 is the lowest tier.');

    await changeQuiz({ showAnswers: 'never' });
    page = await result(passed);
    expect(page)
      .to.contain('100% · passed')
      .and.to.contain('The correct answers of this quiz are not shown.');
    expect(page).not.to.contain('Your answers').and.not.to.contain('Yes: act, means, purpose.');

    await changeQuiz({ showAnswers: 'afterPass' });
    page = await result(failed);
    expect(page)
      .to.contain('The correct answers are shown once you pass.')
      .and.not.to.contain('Your answers');
    page = await result(passed);
    expect(page).to.contain('Your answers').and.to.contain('Yes: act, means, purpose.');
  });

  it('the page to answer on carries no right answer, weight, feedback or explanation, yet everything to answer with', async () => {
    await QuestionModel.updateMany(
      { courseId: fixture.course._id },
      { $set: { explanation: { en: 'Explained only with the result.' } } },
    );
    const id = await startAttempt(agent, quizPage());
    const page = (await agent.get(`/attempts/${id}`)).text;
    expect(page).to.include('Which is one of the three elements of trafficking?');
    expect(page).to.include('value="o1"').and.to.include('value="o2"').and.to.include('Purpose');
    for (const hidden of ['Explained only with the result.', 'Yes: act, means, purpose.', 'weight'])
      expect(page).not.to.include(hidden);
    // The numerical answer as a number of its own: ids and tokens on the page are random and may hold "357".
    expect(page).not.to.match(/(?<![\w/+=-])357(?![\w/+=-])/);
    // What was left out of the page is still there for grading.
    const whole = await stored(id);
    expect(whole.questions[0]).to.have.property('explanation');
    await takeQuiz(agent, quizPage(), made.right);
    expect(await stored(id)).to.include({ status: 'submitted', score: 4, percent: 100 });
  });

  it('an attempt whose time ran out is graded with the answers saved in time when its page is opened, and counts in the member’s progress', async () => {
    await changeQuiz({ timeLimitMinutes: 5 });
    const id = await startAttempt(agent, quizPage());
    const page = await agent.get(`/attempts/${id}`);
    expect(page.text).to.contain('Time is up at');
    expect((await autosave(agent, id, { questionId: questionIds[0], value: 'o1', seq: 1 })).status).to.equal(
      200,
    );
    await runOutOfTime(id);
    const res = await agent.get(`/attempts/${id}`);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`/attempts/${id}/result`);
    expect(await stored(id)).to.include({
      status: 'submitted',
      score: 1,
      maxScore: 4,
      percent: 25,
      passed: false,
    });
    const e = await enrolment();
    expect(e.quizBest).to.deep.equal({ [String(made.quiz._id)]: 25 });
    expect(e.quizFirst).to.deep.equal({ [String(made.quiz._id)]: 25 });
    expect((await agent.get(`/attempts/${id}/result`)).text).to.contain('25% · not passed');
    expect((await agent.get(`${quizPage()}?notice=expired`)).text).to.contain(
      'Your time ran out; the answers saved in time were graded.',
    );
  });

  it('starting again after an open attempt’s time ran out grades that attempt first and opens the next one', async () => {
    await changeQuiz({ timeLimitMinutes: 5 });
    const first = await startAttempt(agent, quizPage());
    await autosave(agent, first, { questionId: questionIds[1], value: 'true', seq: 1 });
    await runOutOfTime(first);
    const second = await startAttempt(agent, quizPage());
    expect(second).not.to.equal(first);
    expect(await stored(first)).to.include({ status: 'submitted', number: 1, score: 1, percent: 25 });
    expect(await stored(second)).to.include({ status: 'open', number: 2 });
    expect((await enrolment()).quizFirst).to.deep.equal({ [String(made.quiz._id)]: 25 });
  });

  it('without JavaScript "Save answers" keeps the readable answers, leaves the attempt open and shows them again', async () => {
    const id = await startAttempt(agent, quizPage());
    const [single, tf, short] = questionIds;
    const res = await sendAttemptForm(agent, id, {
      action: 'save',
      // An option that does not exist is dropped; the other answers are kept.
      a: { [single!]: 'o9', [tf!]: 'false', [short!]: 'TIP', 'not-a-question': 'x' },
    });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`/attempts/${id}?saved=1`);
    const a = await stored(id);
    expect(a.status).to.equal('open');
    expect(Object.keys(a.answers).sort()).to.deep.equal([tf!, short!].sort());
    expect(a.answers[short!]!.response).to.deep.equal({ type: 'short', text: 'TIP' });
    const page = (await agent.get(String(res.headers.location))).text;
    expect(page).to.contain('Your answers are saved.');
    expect(page).to.contain('value="false" checked').and.to.contain('value="TIP"');
  });

  it('"Save answers" after the time ran out goes to the result and keeps nothing that came late', async () => {
    await changeQuiz({ timeLimitMinutes: 5 });
    const id = await startAttempt(agent, quizPage());
    await autosave(agent, id, { questionId: questionIds[0], value: 'o1', seq: 1 });
    await runOutOfTime(id);
    const res = await sendAttemptForm(agent, id, { action: 'save', a: made.right }, { reload: false });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`/attempts/${id}/result`);
    expect((await agent.get(`/attempts/${id}/result`)).text).to.contain('1 of 4 points');
    const a = await stored(id);
    expect(a).to.include({ status: 'submitted', score: 1 });
    expect(Object.keys(a.answers)).to.deep.equal([questionIds[0]]);
  });

  it('an autosave with a missing or malformed field, an unknown question or an answer that is not an option is refused with 4xx and stores nothing', async () => {
    const id = await startAttempt(agent, quizPage());
    const [single, , , num] = questionIds;
    const unclear = 'The request could not be understood.';
    const unreadable = 'This answer cannot be read.';
    const cases: [Record<string, unknown>, number, string][] = [
      [{ questionId: single, value: 'o1' }, 400, unclear],
      [{ questionId: single, value: 'o1', seq: '1' }, 400, unclear],
      [{ questionId: 42, value: 'o1', seq: 1 }, 400, unclear],
      [{ questionId: single, value: 'o1', seq: -1 }, 400, unclear],
      [{ questionId: single, value: 'o1', seq: 1.5 }, 400, unclear],
      [{ questionId: single, value: 'o1', seq: 1e300 }, 400, unclear],
      [{ questionId: 'no-such-question', value: 'o1', seq: 1 }, 404, 'We could not find that page.'],
      [{ questionId: single, value: 'o9', seq: 1 }, 422, unreadable],
      [{ questionId: single, value: { $ne: null }, seq: 1 }, 422, unreadable],
      [{ questionId: num, value: ['357'], seq: 1 }, 422, unreadable],
    ];
    for (const [body, status, message] of cases) {
      const res = await autosave(agent, id, body);
      expect(res.status, JSON.stringify(body)).to.equal(status);
      expect(res.text, JSON.stringify(body)).to.contain(message);
    }
    expect((await stored(id)).answers).to.deep.equal({});
  });

  it('a submission without a well-formed token is refused with 400 and the attempt stays open with its answers until a proper one closes it', async () => {
    const id = await startAttempt(agent, quizPage());
    await autosave(agent, id, { questionId: questionIds[0], value: 'o1', seq: 1 });
    for (const token of ['', 'short', 'has spaces in it', 'x'.repeat(65), '<script>alert(1)</script>']) {
      const res = await sendAttemptForm(agent, id, { action: 'submit', token });
      expect(res.status, token).to.equal(400);
      expect(res.text).to.contain('The request could not be understood.');
    }
    const a = await stored(id);
    expect(a.status).to.equal('open');
    expect(a.answers[questionIds[0]!]!.response).to.deep.equal({ type: 'single', optionId: 'o1' });
    // While it is open its result leads back to it; once submitted, its page leads to the result.
    expect((await agent.get(`/attempts/${id}/result`)).headers.location).to.equal(`/attempts/${id}`);
    expect((await sendAttemptForm(agent, id, { action: 'submit' })).status).to.equal(303);
    expect((await agent.get(`/attempts/${id}`)).headers.location).to.equal(`/attempts/${id}/result`);
    expect(await stored(id)).to.include({ status: 'submitted', score: 1 });
  });

  it('an attempt gets the chosen questions and, drawn by tag from this course only, others, none twice', async () => {
    const [single, tf] = questionIds;
    // Another course's question with the same tag is never drawn.
    const other = await makeCourse({ authors: [new Types.ObjectId().toHexString()] });
    await QuestionModel.create({
      courseId: other.course._id,
      type: 'truefalse',
      text: { en: 'Not this course' },
      answer: true,
      tags: ['report'],
    });
    await changeQuiz({
      questionIds: [new Types.ObjectId(single), new Types.ObjectId(tf)],
      draws: [{ tag: 'report', count: 5 }],
    });
    const id = await startAttempt(agent, quizPage());
    const ids = (await stored(id)).questions.map((q) => q.id);
    expect(ids.slice(0, 2)).to.deep.equal([single, tf]);
    expect([...ids].sort()).to.deep.equal([...questionIds].sort());
    const page = (await agent.get(`/attempts/${id}`)).text;
    expect(page).not.to.contain('Not this course');
  });
});
