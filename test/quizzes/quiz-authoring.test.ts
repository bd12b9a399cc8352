import { expect } from 'chai';
import type { Express } from 'express';
import type TestAgent from 'supertest/lib/agent.js';
import { QuestionModel } from '../../src/quizzes/question.model.js';
import { Quiz, type QuizDoc } from '../../src/quizzes/quiz.model.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { makeCourse, type CourseFixture } from '../helpers/courses.js';
import { completeFirstRun, loginAgent, makeMember, makeTrainer, postForm } from '../helpers/factories.js';

const GIFT = `$CATEGORY: law/elements

::Elements::قاچاق انسان سه عنصر دارد: عمل، وسیله و ... {=هدف ~زمان ~مکان}

::Tier::در گزارش ۲۰۱۹ افغانستان در کدام رده بود؟ {#۳}

::Children::Child Protection Units prevented the recruitment of child soldiers. {T}
`;

describe('question bank and quiz settings', () => {
  let app: Express;
  let trainer: TestAgent;
  let fixture: CourseFixture;
  const base = () => `/teach/courses/${String(fixture.course._id)}`;

  beforeEach(async () => {
    app = await buildTestApp();
    await completeFirstRun();
    const author = await makeTrainer();
    trainer = await loginAgent(app, author);
    fixture = await makeCourse({ authors: [author.id] });
  });

  it('an import is previewed with what was read, and saved only when confirmed', async () => {
    const bank = `${base()}/questions`;
    let res = await postForm(
      trainer,
      `${bank}/import`,
      { format: 'gift', locale: 'fa-AF', source: GIFT },
      bank,
    );
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('3 questions read').and.to.contain('Save these 3 questions');
    expect(await QuestionModel.countDocuments()).to.equal(0);
    res = await postForm(
      trainer,
      `${bank}/import`,
      { format: 'gift', locale: 'fa-AF', source: GIFT, confirm: '1' },
      bank,
    );
    expect(res.status).to.equal(303);
    const saved = await QuestionModel.find().sort({ createdAt: 1 }).lean();
    expect(saved.map((q) => q.type)).to.deep.equal(['single', 'numerical', 'truefalse']);
    expect(saved[0]!.text['fa-AF']).to.contain('قاچاق انسان');
    expect(saved[0]!.tags).to.include('law');
    expect((await trainer.get(bank)).text).to.contain('Elements');
  });

  it('a broken file shows each problem with its line, and nothing is saved even if "confirm" is forced', async () => {
    const bank = `${base()}/questions`;
    const broken = 'Good? {=yes ~no}\n\nBroken {=a ~b\n\nNo right answer? {~a ~b}\n';
    const res = await postForm(
      trainer,
      `${bank}/import`,
      { format: 'gift', locale: 'en', source: broken, confirm: '1' },
      bank,
    );
    expect(res.status).to.equal(422);
    expect(res.text).to.match(/line 3/);
    expect(await QuestionModel.countDocuments()).to.equal(0);
  });

  it('a module quiz is created once per module, its settings are saved, and bad numbers are refused', async () => {
    const bank = `${base()}/questions`;
    await postForm(
      trainer,
      `${bank}/import`,
      { format: 'gift', locale: 'fa-AF', source: GIFT, confirm: '1' },
      bank,
    );
    const create = { kind: 'module', moduleId: fixture.moduleId };
    let res = await postForm(trainer, `${base()}/quizzes`, create, base());
    expect(res.status).to.equal(303);
    const again = await postForm(trainer, `${base()}/quizzes`, create, base());
    expect(again.headers.location).to.equal(res.headers.location);
    expect(await Quiz.countDocuments()).to.equal(1);
    const page = res.headers.location as string;
    const ids = (await QuestionModel.find().lean()).map((q) => String(q._id));
    res = await postForm(trainer, page, { passMark: '150', showAnswers: 'afterSubmit' }, page);
    expect(res.status).to.equal(422);
    res = await postForm(
      trainer,
      page,
      {
        passMark: '70',
        timeLimitMinutes: '10',
        attemptLimit: '',
        showAnswers: 'afterPass',
        questionIds: ids.slice(0, 2),
        drawTag: 'law',
        drawCount: '1',
        shuffleOptions: 'on',
      },
      page,
    );
    expect(res.status).to.equal(303);
    const quiz = (await Quiz.findOne().lean<QuizDoc>())!;
    expect(quiz).to.include({
      passMark: 70,
      timeLimitMinutes: 10,
      attemptLimit: null,
      showAnswers: 'afterPass',
      shuffleOptions: true,
      shuffleQuestions: false,
    });
    expect(quiz.questionIds.map(String)).to.deep.equal(ids.slice(0, 2));
    expect(quiz.draws).to.deep.equal([{ tag: 'law', count: 1 }]);
    // The course page lists it for editors; members of the course see it under its module.
    expect((await trainer.get(base())).text).to.contain('Quiz: Module 1');
  });

  it('members and other trainers cannot reach the bank or the quiz settings', async () => {
    const other = await loginAgent(app, await makeTrainer());
    const member = await loginAgent(app, await makeMember());
    for (const path of [`${base()}/questions`, `${base()}/questions/export`]) {
      expect((await other.get(path)).status, path).to.equal(404);
      expect((await member.get(path)).status, path).to.equal(403);
    }
    const res = await postForm(
      other,
      `${base()}/questions/import`,
      { format: 'gift', locale: 'en', source: GIFT, confirm: '1' },
      '/',
    );
    expect(res.status).to.equal(404);
    expect(await QuestionModel.countDocuments()).to.equal(0);
  });
});
