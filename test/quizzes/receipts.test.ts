import { expect } from 'chai';
import type { Express } from 'express';
import type TestAgent from 'supertest/lib/agent.js';
import { Attempt } from '../../src/quizzes/attempt.model.js';
import { startAttempt, submitAttempt, type AttemptDoc } from '../../src/quizzes/attempts.service.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { enrolIn, makeCourse, type CourseFixture } from '../helpers/courses.js';
import { loginAgent, makeCoordinator, makeMember, makeTrainer, type TestUser } from '../helpers/factories.js';
import { makeQuiz } from '../helpers/quizzes.js';
import { openOrganisation } from '../helpers/quiz-taking.js';

describe('looking up a quiz receipt', () => {
  let app: Express;
  let coordinator: TestAgent;
  let member: TestUser;
  let fixture: CourseFixture;
  let made: Awaited<ReturnType<typeof makeQuiz>>;
  const lookUp = (code: string) => coordinator.get('/teach/receipts').query({ code });

  /** The member's attempt, answered with `answers` and submitted, as the quiz pages would. */
  async function submitted(answers: Record<string, unknown>): Promise<AttemptDoc> {
    const { attempt } = await startAttempt(made.quiz, member.id);
    const sub = await submitAttempt(attempt, `token-${String(attempt._id)}`, answers, made.quiz.passMark);
    return sub.attempt;
  }

  beforeEach(async () => {
    app = await buildTestApp();
    await openOrganisation();
    coordinator = await loginAgent(app, await makeCoordinator());
    fixture = await makeCourse({ authors: [] });
    made = await makeQuiz(fixture, { title: { en: 'Elements of trafficking' } });
    member = await makeMember();
    await enrolIn(member.id, fixture.course);
  });

  it('a coordinator finds an attempt by its receipt, however typed, with whose it is, where, the result and that it is unchanged; changed answers show', async () => {
    const [single, tf] = Object.keys(made.right);
    await submitted(made.wrong);
    const attempt = await submitted({ [single!]: 'o1', [tf!]: 'true' });
    const code = attempt.receipt!;
    expect(code).to.match(/^[2-9A-HJ-NP-Z]{10}$/);

    const res = await lookUp(`  ${code.toLowerCase()} `);
    expect(res.status).to.equal(200);
    const page = res.text;
    expect(page).to.contain(`<code dir="ltr">${code}</code>`);
    expect(page).to.contain(
      'The stored answers and submission time still give this receipt: the attempt is as it was submitted.',
    );
    expect(page).to.contain(`href="/people/${member.id}" dir="auto">${member.displayName}</a>`);
    expect(page).to.contain(`>${fixture.course.title.en}</dd>`);
    expect(page).to.contain('Elements of trafficking — #2');
    expect(page).to.contain('50% · not passed');
    // Answers received: two of the four questions.
    expect(page).to.match(/<dd>2 \/ 4<\/dd>/);

    // Someone changes a stored answer after the submission: the receipt no longer holds.
    await Attempt.updateOne(
      { _id: attempt._id },
      { $set: { [`answers.${tf!}.response`]: { type: 'truefalse', value: false } } },
    );
    const changed = (await lookUp(code)).text;
    expect(changed).to.contain(
      'The stored answers no longer give this receipt: the attempt was changed after it was submitted.',
    );
    expect(changed).not.to.contain('the attempt is as it was submitted');
  });

  it('an unknown or malformed code is 404 with a hint on the letters; no code shows the empty form; others than coordinators and admins are refused', async () => {
    const attempt = await submitted(made.right);
    // The same letters but one: no attempt; "I", "O", "0" and "1" are never in a code; an overlong paste is cut.
    const unknown = attempt.receipt!.slice(0, 9) + (attempt.receipt!.endsWith('Z') ? 'Y' : 'Z');
    for (const code of [
      unknown,
      'IIIIIIIIII',
      'O0O0O0O0O1',
      `${attempt.receipt!}EXTRA`,
      '{"$ne":null}',
      'x'.repeat(5000),
    ]) {
      const res = await lookUp(code);
      expect(res.status, code.slice(0, 20)).to.equal(404);
      expect(res.text).to.contain('No attempt has this receipt code.');
      expect(res.text).not.to.contain('alert-info');
    }
    const blank = await lookUp('   ');
    expect(blank.status).to.equal(200);
    expect(blank.text).to.contain('Look up a quiz receipt').and.not.to.contain('No attempt has this receipt');
    expect((await coordinator.get('/teach/receipts?code[]=A&code[]=B')).status).to.equal(200);

    const memberAgent = await loginAgent(app, member);
    expect((await memberAgent.get('/teach/receipts').query({ code: attempt.receipt })).status).to.equal(403);
    const trainer = await loginAgent(app, await makeTrainer());
    const refused = await trainer.get('/teach/receipts').query({ code: attempt.receipt });
    expect(refused.status).to.equal(403);
    expect(refused.text).not.to.contain(member.displayName);
  });
});
