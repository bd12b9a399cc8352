import { expect } from 'chai';
import type { Express } from 'express';
import type TestAgent from 'supertest/lib/agent.js';
import { QuestionModel } from '../../src/quizzes/question.model.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { enrolIn, makeCourse, type CourseFixture } from '../helpers/courses.js';
import {
  completeFirstRun,
  csrfFrom,
  loginAgent,
  makeMember,
  makeTrainer,
  postForm,
} from '../helpers/factories.js';
import { makeQuiz } from '../helpers/quizzes.js';

/** The editor's fields as a browser sends them: bracketed names, flat. */
const matching = {
  type: 'matching',
  name: 'Tiers',
  points: '۳',
  tags: 'report, tiers',
  'text[en]': 'Match each tier with what it means.',
  'text[fa-AF]': 'هر رده را با معنای آن جفت کنید.',
  'rows[0][text][en]': 'Tier 1',
  'rows[0][text][fa-AF]': 'ردهٔ ۱',
  'rows[0][right][en]': 'meets the minimum standards',
  'rows[0][right][fa-AF]': 'حداقل معیارها را برآورده می‌کند',
  'rows[1][text][en]': 'Tier 3',
  'rows[1][right][en]': 'does not meet them and makes no significant efforts',
  'rows[2][text][en]': '',
  'rows[2][right][en]': '',
};

describe('question editor', () => {
  let app: Express;
  let trainer: TestAgent;
  let fixture: CourseFixture;
  const bank = () => `/teach/courses/${String(fixture.course._id)}/questions`;

  beforeEach(async () => {
    app = await buildTestApp();
    await completeFirstRun();
    const author = await makeTrainer();
    trainer = await loginAgent(app, author);
    fixture = await makeCourse({ authors: [author.id] });
  });

  it('creates a question of each kind from a form with a text per course language', async () => {
    const page = await trainer.get(`${bank()}/new?type=matching`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('name="rows[2][right][fa-AF]"').and.to.contain('dir="rtl"');
    const res = await postForm(trainer, `${bank()}/new`, matching, bank());
    expect(res.status, res.text).to.equal(303);
    expect(res.headers.location).to.match(/\/questions\/[0-9a-f]{24}\?saved=1$/);
    const saved = await QuestionModel.findOne().lean();
    expect(saved).to.include({ type: 'matching', name: 'Tiers', points: 3 });
    expect(saved!.tags).to.deep.equal(['report', 'tiers']);
    expect(saved!.pairs).to.have.length(2);
    expect(saved!.pairs![0]!.right!['fa-AF']).to.equal('حداقل معیارها را برآورده می‌کند');
    const edit = await trainer.get(String(res.headers.location));
    expect(edit.text).to.contain('Question saved.').and.to.contain('هر رده را با معنای آن جفت کنید.');
    expect((await trainer.get(bank())).text).to.contain(`href="${bank()}/${String(saved!._id)}"`);

    const kinds: Record<string, Record<string, string>> = {
      single: { 'rows[0][text][en]': 'Purpose', 'rows[0][weight]': '100', 'rows[1][text][en]': 'Place' },
      multiple: {
        partialCredit: 'allOrNothing',
        'rows[0][text][en]': 'Bacha bazi',
        'rows[0][weight]': '50',
        'rows[1][text][en]': 'Child soldiers',
        'rows[1][weight]': '50',
      },
      truefalse: { answer: 'false', 'feedbackFalse[fa-AF]': 'درست است' },
      short: { 'rows[0][answer]': 'TIP', caseSensitive: 'on' },
      numerical: { 'rows[0][value]': '۳۵۷', 'rows[0][tolerance]': '' },
    };
    for (const [type, fields] of Object.entries(kinds)) {
      const created = await postForm(
        trainer,
        `${bank()}/new`,
        { type, 'text[en]': `A ${type} question`, ...fields },
        bank(),
      );
      expect(created.status, `${type}: ${created.text}`).to.equal(303);
    }
    expect(await QuestionModel.countDocuments()).to.equal(6);
    const num = await QuestionModel.findOne({ type: 'numerical' }).lean();
    expect(num!.answers![0]).to.include({ value: 357, tolerance: 0, weight: 100 });
  });

  it('an edit keeps option ids and type, and an attempt under way keeps the question it started with', async () => {
    const made = await makeQuiz(fixture);
    const member = await makeMember();
    await enrolIn(member.id, fixture.course);
    const memberAgent = await loginAgent(app, member);
    const quizPage = `/courses/${fixture.course.slug}/quizzes/${String(made.quiz._id)}`;
    const token = csrfFrom((await memberAgent.get(quizPage)).text);
    const started = await memberAgent.post(`${quizPage}/start`).type('form').send({ _csrf: token });
    expect(started.status).to.equal(303);

    const single = await QuestionModel.findOne({ type: 'single' }).lean();
    const form = await trainer.get(`${bank()}/${String(single!._id)}`);
    expect(form.text).to.contain('name="rows[0][id]" value="o1"');
    const res = await postForm(
      trainer,
      `${bank()}/${String(single!._id)}`,
      {
        type: 'truefalse',
        'text[en]': 'Which element is missing: act, means, …?',
        'rows[0][id]': 'o1',
        'rows[0][text][en]': 'Purpose',
        'rows[0][weight]': '100',
        'rows[1][id]': 'o2',
        'rows[1][text][en]': 'Place',
        'rows[2][text][en]': 'Time',
      },
      bank(),
    );
    expect(res.status, res.text).to.equal(303);
    const edited = await QuestionModel.findById(single!._id).lean();
    expect(edited!.type).to.equal('single');
    expect(edited!.options!.map((o) => o.id).slice(0, 2)).to.deep.equal(['o1', 'o2']);
    expect(edited!.options).to.have.length(3);

    const attempt = await memberAgent.get(String(started.headers.location));
    expect(attempt.text).to.contain('Which is one of the three elements of trafficking?');
    expect(attempt.text).not.to.contain('Which element is missing');
  });

  it('a mistake shows the form again as typed with each problem, and saves nothing; "More rows" saves nothing', async () => {
    const res = await postForm(
      trainer,
      `${bank()}/new`,
      {
        type: 'single',
        'text[fa-AF]': 'فقط دری',
        points: 'many',
        'rows[0][text][en]': 'Only one',
        'rows[0][weight]': '100',
      },
      bank(),
    );
    expect(res.status).to.equal(422);
    expect(res.text)
      .to.contain('Write the question in the course&#39;s main language.')
      .and.to.contain('Points must be a number from 0 to 1000.')
      .and.to.contain('Give at least two options.')
      .and.to.contain('فقط دری')
      .and.to.contain('value="many"');
    const badDari = await postForm(
      trainer,
      `${bank()}/new`,
      { type: 'truefalse', answer: 'true', 'text[en]': 'Q', 'text[fa-AF]': 'سؤال\u202e' },
      bank(),
    );
    expect(badDari.status).to.equal(422);
    expect(badDari.text).to.contain('id="f-text-fa-AF-error"').and.not.to.contain('id="f-text-en-error"');
    const more = await postForm(
      trainer,
      `${bank()}/new`,
      { type: 'single', more: '1', 'rows[0][text][en]': 'Kept' },
      bank(),
    );
    expect(more.status).to.equal(200);
    expect(more.text).to.contain('value="Kept"').and.to.contain('name="rows[3][text][en]"');
    expect(await QuestionModel.countDocuments()).to.equal(0);
  });

  it('refuses unknown types, malformed and foreign ids, and people who may not edit the course', async () => {
    expect((await trainer.get(`${bank()}/new?type=essay`)).status).to.equal(400);
    expect(
      (await postForm(trainer, `${bank()}/new`, { type: 'essay', 'text[en]': 'Q' }, bank())).status,
    ).to.equal(400);
    expect((await trainer.get(`${bank()}/not-an-id`)).status).to.equal(404);
    const other = await makeCourse({ authors: [(await makeTrainer()).id] });
    const [foreign] = await QuestionModel.insertMany([
      { courseId: other.course._id, type: 'truefalse', text: { en: 'Theirs' }, answer: true },
    ]);
    expect((await trainer.get(`${bank()}/${String(foreign!._id)}`)).status).to.equal(404);
    const hijack = await postForm(
      trainer,
      `${bank()}/${String(foreign!._id)}`,
      { 'text[en]': 'Mine', answer: 'false' },
      bank(),
    );
    expect(hijack.status).to.equal(404);
    expect((await QuestionModel.findById(foreign!._id).lean())!.text.en).to.equal('Theirs');
    const member = await loginAgent(app, await makeMember());
    expect((await member.get(`${bank()}/new?type=single`)).status).to.be.oneOf([403, 404]);
    const stranger = await loginAgent(app, await makeTrainer());
    expect((await stranger.get(`${bank()}/${String(foreign!._id)}`)).status).to.be.oneOf([403, 404]);
  });
});
