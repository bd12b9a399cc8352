import { expect } from 'chai';
import type { Express } from 'express';
import type TestAgent from 'supertest/lib/agent.js';
import { Types } from 'mongoose';
import { appEvents } from '../../src/core/events.js';
import { Enrolment, type EnrolmentDoc } from '../../src/progress/enrolment.model.js';
import { Attempt, type AttemptDoc } from '../../src/quizzes/attempt.model.js';
import { Quiz } from '../../src/quizzes/quiz.model.js';
import { QUIZZES_CHANGED } from '../../src/quizzes/quizzes.service.js';
import { signalChange } from '../../src/core/shared-cache.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { enrolIn, makeCourse, type CourseFixture } from '../helpers/courses.js';
import {
  completeFirstRun,
  csrfFrom,
  loginAgent,
  makeMember,
  makeTrainer,
  postForm,
  type TestUser,
} from '../helpers/factories.js';
import { makeQuiz } from '../helpers/quizzes.js';

describe('taking a quiz: start, autosave, submit once, time limits, attempt limits', () => {
  let app: Express;
  let member: TestUser;
  let admin: TestUser;
  let agent: TestAgent;
  let fixture: CourseFixture;
  let made: Awaited<ReturnType<typeof makeQuiz>>;
  let trainer: TestUser;
  const quizPage = () => `/courses/${fixture.course.slug}/quizzes/${String(made.quiz._id)}`;
  const attempts = () =>
    Attempt.find({ userId: new Types.ObjectId(member.id) })
      .sort({ number: 1 })
      .lean<AttemptDoc[]>();

  async function start(): Promise<string> {
    const token = csrfFrom((await agent.get(quizPage())).text);
    const res = await agent.post(`${quizPage()}/start`).type('form').send({ _csrf: token });
    expect(res.status, res.text).to.equal(303);
    return String(res.headers.location).split('/').pop()!;
  }

  async function save(attemptId: string, questionId: string, value: unknown, seq: number) {
    const token = csrfFrom((await agent.get('/me')).text);
    return agent
      .post(`/attempts/${attemptId}/answers`)
      .set('x-csrf-token', token)
      .send({ questionId, value, seq });
  }

  async function submit(attemptId: string, fields: Record<string, unknown> = {}) {
    const page = await agent.get(`/attempts/${attemptId}`);
    const token = /name="token" value="([^"]+)"/.exec(page.text)?.[1] ?? 'replayed-token-0001';
    const csrf = csrfFrom(page.text.includes('_csrf') ? page.text : (await agent.get('/me')).text);
    return {
      token,
      send: () =>
        agent
          .post(`/attempts/${attemptId}/submit`)
          .type('form')
          .send({ _csrf: csrf, token, action: 'submit', ...fields }),
    };
  }

  /** A change to the quiz's settings as the builder makes it: stored, and signalled to the quiz caches. */
  async function changeQuiz(fields: Record<string, unknown>) {
    await Quiz.updateOne({ _id: made.quiz._id }, { $set: fields });
    await signalChange(QUIZZES_CHANGED);
  }

  beforeEach(async () => {
    app = await buildTestApp();
    admin = await completeFirstRun();
    trainer = await makeTrainer();
    fixture = await makeCourse({ authors: [trainer.id], lessons: 1 });
    made = await makeQuiz(fixture);
    member = await makeMember();
    await enrolIn(member.id, fixture.course);
    agent = await loginAgent(app, member);
  });

  it('a member starts, the answers autosave one by one, and the submission is graded and kept with a receipt', async () => {
    const id = await start();
    const page = await agent.get(`/attempts/${id}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Which is one of the three elements of trafficking?');
    let seq = 1;
    for (const [q, v] of Object.entries(made.right)) {
      const res = await save(id, q, v, seq++);
      expect(res.status, res.text).to.equal(200);
      expect(res.body).to.include({ outcome: 'saved' });
    }
    const { send } = await submit(id);
    const res = await send();
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`/attempts/${id}/result`);
    const [a] = await attempts();
    expect(a).to.include({ status: 'submitted', score: 4, maxScore: 4, percent: 100, passed: true });
    expect(a!.receipt).to.match(/^[2-9A-HJ-NP-Z]{10}$/);
    const result = await agent.get(`/attempts/${id}/result`);
    expect(result.text).to.contain('100%').and.to.contain(a!.receipt!);
    const e = (await Enrolment.findOne({ userId: new Types.ObjectId(member.id) }).lean<EnrolmentDoc>())!;
    expect(e.quizBest).to.deep.equal({ [String(made.quiz._id)]: 100 });
    expect(e.passedQuizzes!.map(String)).to.deep.equal([String(made.quiz._id)]);
    // Staff see the attempt and how each question did.
    const staff = await loginAgent(app, admin);
    const settings = await staff.get(
      `/teach/courses/${String(fixture.course._id)}/quizzes/${String(made.quiz._id)}`,
    );
    expect(settings.text)
      .to.contain(member.displayName)
      .and.to.contain(a!.receipt!)
      .and.to.contain('How each question did');
  });

  it('each question says its language and direction: Dari right-to-left, English left-to-right, in one attempt', async () => {
    const id = await start();
    const english = (await agent.get(`/attempts/${id}`)).text;
    expect(english).to.contain('class="q-text lesson-body" lang="en" dir="ltr"');
    // In Dari, a question with a Dari text shows it right-to-left; one written only in English stays LTR.
    await postForm(agent, '/lang/fa-AF', {}, `/attempts/${id}`);
    const dari = (await agent.get(`/attempts/${id}`)).text;
    expect(dari).to.contain('lang="fa-AF" dir="rtl"><p>کدام یکی از سه عنصر قاچاق است؟</p>');
    expect(dari).to.contain('lang="en" dir="ltr"><p>Tier 3 is the lowest tier.</p>');
  });

  it('without JavaScript the whole form is sent at the end and graded the same way', async () => {
    const id = await start();
    const { send } = await submit(id, { a: made.wrong });
    expect((await send()).status).to.equal(303);
    const [a] = await attempts();
    expect(a).to.include({ status: 'submitted', score: 0, passed: false });
  });

  it('an older save arriving after a newer one (a replay) does not overwrite it', async () => {
    const id = await start();
    const q = Object.keys(made.right)[0]!;
    expect((await save(id, q, 'o1', 20)).body.outcome).to.equal('saved');
    expect((await save(id, q, 'o2', 10)).body.outcome).to.equal('superseded');
    const [a] = await attempts();
    expect(a!.answers[q]!.response).to.deep.equal({ type: 'single', optionId: 'o1' });
  });

  it('a double and a replayed submission count once; saves after submitting are refused', async () => {
    const id = await start();
    for (const [q, v] of Object.entries(made.right)) await save(id, q, v, 1);
    const { send } = await submit(id);
    const results = await Promise.all([send(), send(), send()]);
    expect(results.map((r) => r.status)).to.deep.equal([303, 303, 303]);
    const again = await send(); // the same form, replayed later
    expect(again.status).to.equal(303);
    expect(await Attempt.countDocuments({ status: 'submitted' })).to.equal(1);
    const [a] = await attempts();
    expect(a!.percent).to.equal(100);
    const late = await save(id, Object.keys(made.right)[0]!, 'o2', 99);
    expect(late.status).to.equal(409);
    expect(late.body.outcome).to.equal('submitted');
  });

  it('a change made in the quiz builder reaches members at their next page, though quizzes are kept in memory', async () => {
    expect((await agent.get(quizPage())).text).to.contain('75%');
    const builder = `/teach/courses/${String(fixture.course._id)}/quizzes/${String(made.quiz._id)}`;
    const saved = await postForm(
      await loginAgent(app, trainer),
      builder,
      { passMark: '85', showAnswers: 'afterSubmit', questionIds: made.quiz.questionIds.map(String) },
      builder,
    );
    expect(saved.status).to.equal(303);
    const page = (await agent.get(quizPage())).text;
    expect(page).to.contain('85%').and.not.contain('75%');
  });

  it('after the deadline answers are refused and a late submission is graded with what arrived in time', async () => {
    await changeQuiz({ timeLimitMinutes: 5 });
    const id = await start();
    const [q1, q2] = Object.keys(made.right);
    await save(id, q1!, made.right[q1!], 1);
    // The clock moves past the deadline and its grace.
    await Attempt.updateOne({ _id: id }, { $set: { deadline: new Date(Date.now() - 60_000) } });
    const late = await save(id, q2!, made.right[q2!], 2);
    expect(late.status).to.equal(409);
    expect(late.body.outcome).to.equal('late');
    const { send } = await submit(id);
    await send();
    const [a] = await attempts();
    expect(a).to.include({ status: 'submitted', score: 1 });
  });

  it('the attempt limit holds when two tabs start at once, and one open attempt is resumed, not doubled', async () => {
    await changeQuiz({ attemptLimit: 2 });
    const ids = await Promise.all([start(), start(), start()]);
    expect(new Set(ids).size).to.equal(1);
    const { send } = await submit(ids[0]);
    await send();
    const second = await Promise.all([start(), start()]);
    expect(new Set(second).size).to.equal(1);
    expect(second[0]).not.to.equal(ids[0]);
    await (await submit(second[0])).send();
    const token = csrfFrom((await agent.get(quizPage())).text);
    const third = await agent.post(`${quizPage()}/start`).type('form').send({ _csrf: token });
    expect(third.status).to.equal(409);
    expect(third.text).to.contain('You have used all your attempts');
    expect(await Attempt.countDocuments()).to.equal(2);
  });

  it('parallel starts at the last attempt left all resume the one they opened, many times over', async () => {
    await changeQuiz({ attemptLimit: 100 });
    for (let round = 0; round < 8; round += 1) {
      await changeQuiz({ attemptLimit: round + 1 });
      const ids = await Promise.all([start(), start(), start(), start()]);
      expect(new Set(ids).size, `round ${round}`).to.equal(1);
      await (await submit(ids[0])).send();
    }
    expect(await Attempt.countDocuments()).to.equal(8);
  });

  it('someone else’s attempt does not exist for a member; a member not enrolled is sent to enrol', async () => {
    const id = await start();
    // The owner's save puts the attempt's frame in memory: the stranger must still find nothing.
    expect((await save(id, Object.keys(made.right)[0]!, 'o1', 1)).status).to.equal(200);
    const other = await makeMember();
    const stranger = await loginAgent(app, other);
    expect((await stranger.get(`/attempts/${id}`)).status).to.equal(404);
    expect((await stranger.get(`/attempts/${id}/result`)).status).to.equal(404);
    const token = csrfFrom((await stranger.get('/me')).text);
    expect(
      (
        await stranger
          .post(`/attempts/${id}/answers`)
          .set('x-csrf-token', token)
          .send({ questionId: 'x', value: 1, seq: 1 })
      ).status,
    ).to.equal(404);
    const start2 = await stranger.post(`${quizPage()}/start`).type('form').send({ _csrf: token });
    expect(start2.headers.location).to.equal(`/courses/${fixture.course.slug}?notice=enrolFirst`);
    for (const bad of ['not-an-id', '0'.repeat(24)])
      expect((await agent.get(`/attempts/${bad}`)).status).to.equal(404);
  });

  it('passing the module quiz after the last lesson completes the course, once, and says so to listeners', async () => {
    const events: unknown[] = [];
    const listener = (e: unknown) => events.push(e);
    appEvents.on('course.completed', listener);
    try {
      const token = csrfFrom((await agent.get(`/courses/${fixture.course.slug}`)).text);
      const lesson = await agent
        .post(`/courses/${fixture.course.slug}/lessons/${fixture.lessonIds[0]}/complete`)
        .type('form')
        .send({ _csrf: token });
      // The lesson is done but the quiz is not passed: not complete yet.
      expect(lesson.headers.location).not.to.contain('notice=complete');
      const id = await start();
      for (const [q, v] of Object.entries(made.right)) await save(id, q, v, 1);
      await (await submit(id)).send();
      const e = (await Enrolment.findOne({ userId: new Types.ObjectId(member.id) }).lean<EnrolmentDoc>())!;
      expect(e.completedAt).to.be.instanceOf(Date);
      expect(events).to.have.length(1);
    } finally {
      appEvents.off('course.completed', listener);
    }
  });
});
