import { expect } from 'chai';
import type { Express } from 'express';
import type TestAgent from 'supertest/lib/agent.js';
import { Types } from 'mongoose';
import { signalChange } from '../../src/core/shared-cache.js';
import { Attempt } from '../../src/quizzes/attempt.model.js';
import { Quiz } from '../../src/quizzes/quiz.model.js';
import { QUIZZES_CHANGED } from '../../src/quizzes/quizzes.service.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { enrolIn, makeCourse, type CourseFixture } from '../helpers/courses.js';
import { loginAgent, makeAdmin, makeMember, type TestUser } from '../helpers/factories.js';
import { makeQuiz } from '../helpers/quizzes.js';
import {
  openOrganisation,
  pressStart,
  send,
  sendAttemptForm,
  startAttempt,
  takeQuiz,
} from '../helpers/quiz-taking.js';

describe("a quiz's page as a member sees it", () => {
  let app: Express;
  let member: TestUser;
  let agent: TestAgent;
  let fixture: CourseFixture;
  let made: Awaited<ReturnType<typeof makeQuiz>>;
  const pageOf = (f: CourseFixture, quizId: unknown) => `/courses/${f.course.slug}/quizzes/${String(quizId)}`;
  const quizPage = () => pageOf(fixture, made.quiz._id);

  beforeEach(async () => {
    app = await buildTestApp();
    await openOrganisation();
    fixture = await makeCourse({ authors: [new Types.ObjectId().toHexString()], lessons: 1 });
    made = await makeQuiz(fixture);
    member = await makeMember();
    await enrolIn(member.id, fixture.course);
    agent = await loginAgent(app, member);
  });

  it('a quiz of a draft course is 404 for a member, page and start alike, but opens for those who may edit the course', async () => {
    const draft = await makeCourse({ authors: [new Types.ObjectId().toHexString()], status: 'draft' });
    await enrolIn(member.id, draft.course);
    const hidden = await makeQuiz(draft);
    const page = pageOf(draft, hidden.quiz._id);
    expect((await agent.get(page)).status).to.equal(404);
    const start = await send(agent, `${page}/start`);
    expect(start.status).to.equal(404);
    expect(await Attempt.countDocuments({ quizId: hidden.quiz._id })).to.equal(0);
    const editor = await loginAgent(app, await makeAdmin());
    const preview = await editor.get(page);
    expect(preview.status).to.equal(200);
    expect(preview.text).to.contain('Quiz: Module 1');
  });

  it('an unknown, malformed or other course’s quiz id is 404, never 500; a quiz without questions refuses a start with 409 and says why', async () => {
    const other = await makeCourse({ authors: [new Types.ObjectId().toHexString()] });
    const foreign = await makeQuiz(other);
    for (const id of [new Types.ObjectId(), 'not-an-id', '1'.repeat(300), foreign.quiz._id]) {
      const res = await agent.get(pageOf(fixture, id));
      expect(res.status, String(id).slice(0, 30)).to.equal(404);
      expect(res.text).to.contain('We could not find that page.');
    }
    expect((await agent.get(`/courses/no-such-course/quizzes/${String(made.quiz._id)}`)).status).to.equal(
      404,
    );

    await Quiz.updateOne({ _id: made.quiz._id }, { $set: { questionIds: [] } });
    await signalChange(QUIZZES_CHANGED);
    const res = await pressStart(agent, quizPage());
    expect(res.status).to.equal(409);
    expect(res.text).to.contain('This quiz has no questions yet.');
    expect(await Attempt.countDocuments()).to.equal(0);
  });

  it('the page offers a start, then to continue the open attempt, then another attempt with the history, and no start once every attempt is used', async () => {
    await Quiz.updateOne({ _id: made.quiz._id }, { $set: { attemptLimit: 2, timeLimitMinutes: 10 } });
    await signalChange(QUIZZES_CHANGED);
    let page = (await agent.get(quizPage())).text;
    expect(page).to.contain('75%').and.to.contain('10 minutes').and.to.contain('Start the quiz');
    expect(page).to.contain('The time starts when you press the button.');
    expect(page).to.match(/Attempts left<\/dt><dd>2</);

    const first = await startAttempt(agent, quizPage());
    page = (await agent.get(quizPage())).text;
    expect(page).to.contain(`href="/attempts/${first}"`).and.to.contain('Continue your attempt');
    expect(page).not.to.contain('/start"');
    expect(page).to.match(/Attempts left<\/dt><dd>1</);

    expect((await sendAttemptForm(agent, first, { action: 'submit', a: made.wrong })).status).to.equal(303);
    page = (await agent.get(quizPage())).text;
    const [done] = await Attempt.find({ quizId: made.quiz._id }).lean();
    expect(page).to.contain('Start another attempt').and.to.contain('Your attempts');
    expect(page).to.contain(done!.receipt!).and.to.contain('0% · not passed');
    expect(page).to.contain(`href="/attempts/${first}/result"`);

    const second = await takeQuiz(agent, quizPage(), made.right);
    page = (await agent.get(quizPage())).text;
    expect(page).to.contain('You have used all your attempts.').and.not.to.contain('/start"');
    expect(page).to.match(/Attempts left<\/dt><dd>0</);
    expect(page).to.contain('100% · passed').and.to.contain(`href="/attempts/${second}/result"`);
  });

  it('the pre-test and post-test are titled by kind unless given a title, and the post-test shows the gain from the first pre-test result to the best post-test one', async () => {
    const pre = await makeQuiz(fixture, { kind: 'pretest', moduleId: null });
    const post = await makeQuiz(fixture, { kind: 'posttest', moduleId: null });
    const prePage = pageOf(fixture, pre.quiz._id);
    const postPage = pageOf(fixture, post.quiz._id);
    expect((await agent.get(prePage)).text).to.contain('<h1 dir="auto">Pre-test</h1>');
    // Before any post-test result there is no gain to show.
    expect((await agent.get(postPage)).text)
      .to.contain('<h1 dir="auto">Post-test</h1>')
      .and.not.to.contain('knowledge gain');

    const half = (answers: Record<string, unknown>, wrong: Record<string, unknown>) => {
      const [a, b, c, d] = Object.keys(answers);
      return { [a!]: answers[a!], [b!]: answers[b!], [c!]: wrong[c!], [d!]: wrong[d!] };
    };
    await takeQuiz(agent, prePage, half(pre.right, pre.wrong)); // 50 %: the first pre-test result
    await takeQuiz(agent, prePage, pre.right); // a later, better pre-test does not move "before"
    await takeQuiz(agent, postPage, half(post.right, post.wrong)); // 50 %
    await takeQuiz(agent, postPage, post.right); // 100 %: the best
    const page = (await agent.get(postPage)).text;
    expect(page).to.contain('Pre-test 50% → post-test 100%: your knowledge gain is 50 points.');

    await Quiz.updateOne({ _id: post.quiz._id }, { $set: { title: { en: 'Final check' } } });
    await signalChange(QUIZZES_CHANGED);
    expect((await agent.get(postPage)).text).to.contain('<h1 dir="auto">Final check</h1>');
  });
});
