import { expect } from 'chai';
import type { Express } from 'express';
import type TestAgent from 'supertest/lib/agent.js';
import { Types } from 'mongoose';
import { Quiz, type QuizDoc } from '../../src/quizzes/quiz.model.js';
import { startAttempt, submitAttempt } from '../../src/quizzes/attempts.service.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { enrolIn, makeCourse, type CourseFixture } from '../helpers/courses.js';
import { loginAgent, makeMember, makeTrainer } from '../helpers/factories.js';
import { makeQuiz } from '../helpers/quizzes.js';
import { openOrganisation, send } from '../helpers/quiz-taking.js';

describe('quizzes in the course builder: creating, settings, deleting, attempts and item analysis', () => {
  let app: Express;
  let trainer: TestAgent;
  let authorId: string;
  let fixture: CourseFixture;
  const base = (f: CourseFixture = fixture) => `/teach/courses/${String(f.course._id)}`;
  const stored = async (id: unknown) => (await Quiz.findById(id).lean<QuizDoc>())!;

  beforeEach(async () => {
    app = await buildTestApp();
    await openOrganisation();
    const author = await makeTrainer();
    authorId = author.id;
    trainer = await loginAgent(app, author);
    fixture = await makeCourse({ authors: [author.id] });
  });

  it('the pre-test and the post-test are made once each: creating one again leads to the one there is', async () => {
    const ids: Record<string, string> = {};
    for (const kind of ['pretest', 'posttest']) {
      const res = await send(trainer, `${base()}/quizzes`, { kind });
      expect(res.status).to.equal(303);
      ids[kind] = String(res.headers.location).split('/').pop()!;
      const page = await trainer.get(String(res.headers.location));
      expect(page.text).to.contain(`Quiz settings: ${kind === 'pretest' ? 'Pre-test' : 'Post-test'}`);
      // A moduleId sent with a pre-test or post-test is not kept: they belong to no module.
      const again = await send(trainer, `${base()}/quizzes`, { kind, moduleId: fixture.moduleId });
      expect(again.headers.location).to.equal(res.headers.location);
    }
    const quizzes = await Quiz.find().lean<QuizDoc[]>();
    expect(quizzes.map((q) => [q.kind, q.moduleId])).to.have.deep.members([
      ['pretest', null],
      ['posttest', null],
    ]);
  });

  it('a forged kind is 400, a module of another course or a malformed module id is 404 or 400, and no quiz is made', async () => {
    const other = await makeCourse({ authors: [authorId] });
    const cases: [Record<string, string>, number][] = [
      [{ kind: 'final' }, 400],
      [{}, 400],
      [{ kind: 'module' }, 404],
      [{ kind: 'module', moduleId: other.moduleId }, 404],
      [{ kind: 'module', moduleId: 'x'.repeat(25) }, 400],
      [{ kind: 'module', moduleId: new Types.ObjectId().toHexString() }, 404],
    ];
    for (const [fields, status] of cases) {
      const res = await send(trainer, `${base()}/quizzes`, fields);
      expect(res.status, JSON.stringify(fields)).to.equal(status);
    }
    expect(await Quiz.countDocuments()).to.equal(0);
  });

  it('titles are saved per course language, trimmed; draws keep only rows with a tag and a count from 1 to 100; members see the new title', async () => {
    const { quiz } = await makeQuiz(fixture, { shuffleOptions: true, draws: [{ tag: 'old', count: 1 }] });
    const page = `${base()}/quizzes/${String(quiz._id)}`;
    const res = await send(trainer, page, {
      'title[en]': '  Module check  ',
      'title[fa-AF]': 'آزمون بخش',
      'title[ps-AF]': 'not a language of this course',
      passMark: '80',
      timeLimitMinutes: ' ',
      attemptLimit: '3',
      showAnswers: 'never',
      questionIds: String(quiz.questionIds[0]),
      drawTag: ['report', '', 'law', 'law', ' report ', 'report'],
      drawCount: ['2', '5', '0', 'abc', '1', '101'],
    });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`${page}?saved=1`);
    const saved = await stored(quiz._id);
    expect(saved).to.include({
      passMark: 80,
      timeLimitMinutes: null,
      attemptLimit: 3,
      showAnswers: 'never',
      shuffleOptions: false,
      shuffleQuestions: false,
    });
    expect(saved.title).to.deep.include({ en: 'Module check', 'fa-AF': 'آزمون بخش', 'ps-AF': '' });
    expect(saved.questionIds.map(String)).to.deep.equal([String(quiz.questionIds[0])]);
    expect(saved.draws).to.deep.equal([
      { tag: 'report', count: 2 },
      { tag: 'report', count: 1 },
    ]);
    const shown = (await trainer.get(String(res.headers.location))).text;
    expect(shown).to.contain('Quiz settings saved.').and.to.contain('value="Module check"');

    const member = await makeMember();
    await enrolIn(member.id, fixture.course);
    const memberAgent = await loginAgent(app, member);
    const quizPage = await memberAgent.get(`/courses/${fixture.course.slug}/quizzes/${String(quiz._id)}`);
    expect(quizPage.text).to.contain('<h1 dir="auto">Module check</h1>').and.to.contain('80%');
  });

  it('numbers out of range and malformed question ids are refused with 422 and a message by the field, and the quiz is not changed', async () => {
    const { quiz } = await makeQuiz(fixture);
    const page = `${base()}/quizzes/${String(quiz._id)}`;
    const cases: [Record<string, string | string[]>, string][] = [
      [{ passMark: 'abc' }, 'passMark'],
      [{ passMark: '101' }, 'passMark'],
      [{ passMark: '-1' }, 'passMark'],
      [{ passMark: '50', timeLimitMinutes: '0' }, 'timeLimitMinutes'],
      [{ passMark: '50', timeLimitMinutes: '601' }, 'timeLimitMinutes'],
      [{ passMark: '50', attemptLimit: '2.5' }, 'attemptLimit'],
      [{ passMark: '50', attemptLimit: '101' }, 'attemptLimit'],
      [{ passMark: '50', attemptLimit: '1000000' }, 'attemptLimit'],
    ];
    for (const [fields, field] of cases) {
      const res = await send(trainer, page, { showAnswers: 'afterPass', ...fields });
      expect(res.status, JSON.stringify(fields)).to.equal(422);
      expect(res.text).to.contain('Please correct the fields marked below.');
      expect(res.text).to.match(
        new RegExp(
          `name="${field}"[^>]*>\\s*<p class="field-error">Enter a whole number in the allowed range.</p>`,
        ),
      );
    }
    const forged: Record<string, string | string[]>[] = [
      { passMark: '50', showAnswers: 'sometimes' },
      { passMark: '50', showAnswers: 'never', questionIds: ['not-an-id'] },
      { passMark: '50', showAnswers: 'never', questionIds: { $ne: 1 } as unknown as string },
    ];
    for (const fields of forged) {
      const res = await send(trainer, page, fields);
      expect(res.status, JSON.stringify(fields)).to.equal(422);
    }
    const after = await stored(quiz._id);
    expect(after).to.include({
      passMark: 75,
      timeLimitMinutes: null,
      attemptLimit: null,
      showAnswers: 'afterSubmit',
    });
    expect(after.questionIds).to.have.length(4);
  });

  it('a refused save shows again everything that was typed, not what is stored, and a title too long is marked', async () => {
    const { quiz } = await makeQuiz(fixture);
    const page = `${base()}/quizzes/${String(quiz._id)}`;
    const res = await send(trainer, page, {
      'title[en]': 'Typed title',
      passMark: '150',
      attemptLimit: '2',
      showAnswers: 'never',
      shuffleQuestions: 'on',
      questionIds: String(quiz.questionIds[1]),
    });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('value="Typed title"');
    expect(res.text).to.match(/name="passMark" value="150"/);
    expect(res.text).to.match(/name="attemptLimit" value="2"/);
    expect(res.text).to.match(/name="showAnswers" value="never" checked/);
    expect(res.text).to.match(/name="shuffleQuestions" value="on" checked/);
    expect(res.text.match(/name="questionIds" value="[0-9a-f]{24}" checked/g)).to.have.length(1);
    expect(res.text).to.contain(`value="${String(quiz.questionIds[1])}" checked`);

    const long = await send(trainer, page, {
      'title[en]': 'x'.repeat(201),
      passMark: '50',
      showAnswers: 'never',
    });
    expect(long.status).to.equal(422);
    expect(long.text).to.contain('<p class="field-error">This is too long.</p>');
    expect(await stored(quiz._id)).to.include({
      passMark: 75,
      attemptLimit: null,
      showAnswers: 'afterSubmit',
    });
  });

  it('deleting a quiz removes it and members then find no quiz there; another course’s quiz cannot be opened, changed or deleted', async () => {
    const { quiz } = await makeQuiz(fixture);
    const otherFixture = await makeCourse({ authors: [new Types.ObjectId().toHexString()] });
    const theirs = (await makeQuiz(otherFixture)).quiz;
    const foreign = `${base()}/quizzes/${String(theirs._id)}`;
    expect((await trainer.get(foreign)).status).to.equal(404);
    expect((await send(trainer, foreign, { passMark: '1', showAnswers: 'never' })).status).to.equal(404);
    expect((await send(trainer, `${foreign}/delete`, {})).status).to.equal(404);
    expect((await send(trainer, `${base()}/quizzes/not-an-id/delete`, {})).status).to.equal(404);
    expect(await stored(theirs._id)).to.include({ passMark: 75 });

    const member = await makeMember();
    await enrolIn(member.id, fixture.course);
    const memberAgent = await loginAgent(app, member);
    const quizPage = `/courses/${fixture.course.slug}/quizzes/${String(quiz._id)}`;
    expect((await memberAgent.get(quizPage)).status).to.equal(200);
    const res = await send(trainer, `${base()}/quizzes/${String(quiz._id)}/delete`, {});
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`${base()}#quizzes`);
    expect(await Quiz.exists({ _id: quiz._id })).to.equal(null);
    expect(await Quiz.exists({ _id: theirs._id })).not.to.equal(null);
    // Members' quizzes are kept in memory: the deletion reaches them at once all the same.
    expect((await memberAgent.get(quizPage)).status).to.equal(404);
  });

  it('the settings page lists who took the quiz, attempts under way, and how each question did with the options chosen', async () => {
    const made = await makeQuiz(fixture);
    const take = async (name: string, answers: Record<string, unknown>, submit: boolean) => {
      const member = await makeMember();
      await enrolIn(member.id, fixture.course);
      const { attempt } = await startAttempt(made.quiz, member.id);
      if (submit) await submitAttempt(attempt, `token-${name}`, answers, made.quiz.passMark);
      return member;
    };
    const strong = await take('strong', made.right, true);
    const weak = await take('weak', made.wrong, true);
    const busy = await take('busy', {}, false);
    const page = (await trainer.get(`${base()}/quizzes/${String(made.quiz._id)}`)).text;
    expect(page).to.contain('Attempts <span class="muted">(3)</span>');
    for (const m of [strong, weak, busy]) expect(page).to.contain(`<bdi>${m.displayName}</bdi>`);
    expect(page).to.contain('in progress').and.to.contain('100% · passed').and.to.contain('0% · not passed');
    expect(page).to.contain('How each question did');
    // The single-choice question: half the attempts right; one chose the right option, one the wrong (✗).
    const items = page.slice(page.indexOf('id="items"'));
    let row = items.slice(items.indexOf('Which is one of the three elements'));
    row = row.slice(0, row.indexOf('</tr>'));
    expect(row).to.contain('50% <span class="muted">(2)</span>');
    expect(row).to.contain('<td data-label="Discrimination">—</td>'); // too few attempts to tell
    expect(row)
      .to.contain('<bdi>Place</bdi>: 1 ✗')
      .and.to.match(/<bdi>Purpose<\/bdi>: 1(<|,)/);
  });
});
