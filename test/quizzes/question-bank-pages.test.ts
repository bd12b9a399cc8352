import { expect } from 'chai';
import type { Express } from 'express';
import type TestAgent from 'supertest/lib/agent.js';
import { Types } from 'mongoose';
import { QuestionModel } from '../../src/quizzes/question.model.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { makeCourse, type CourseFixture } from '../helpers/courses.js';
import { loginAgent, makeTrainer } from '../helpers/factories.js';
import { makeQuiz } from '../helpers/quizzes.js';
import { openOrganisation, send } from '../helpers/quiz-taking.js';

const AIKEN_DARI = `قاچاق انسان چند عنصر دارد؟
الف) دو
ب) سه
ج) چهار
جواب: ب

کدام سند رده‌ها را تعیین می‌کند؟
A. The TIP report
B. The constitution
ANSWER: A
`;

describe('the question bank’s pages: import, export, delete, pages of questions', () => {
  let app: Express;
  let trainer: TestAgent;
  let authorId: string;
  let fixture: CourseFixture;
  const bank = (f: CourseFixture = fixture) => `/teach/courses/${String(f.course._id)}/questions`;
  const importText = (fields: Record<string, string>) => send(trainer, `${bank()}/import`, fields);

  beforeEach(async () => {
    app = await buildTestApp();
    await openOrganisation();
    const author = await makeTrainer();
    authorId = author.id;
    trainer = await loginAgent(app, author);
    fixture = await makeCourse({ authors: [author.id] });
  });

  it('an Aiken text with Dari labels is previewed, then saved as single-choice questions with their texts in the chosen language', async () => {
    const preview = await importText({ format: 'aiken', locale: 'fa-AF', source: AIKEN_DARI });
    expect(preview.status).to.equal(200);
    expect(preview.text)
      .to.contain('2 questions read')
      .and.to.contain('Save these 2 questions')
      .and.to.contain('قاچاق انسان چند عنصر دارد؟')
      .and.to.contain('(line 7)');
    expect(await QuestionModel.countDocuments()).to.equal(0);

    const saved = await importText({ format: 'aiken', locale: 'fa-AF', source: AIKEN_DARI, confirm: '1' });
    expect(saved.status).to.equal(303);
    expect(saved.headers.location).to.equal(`${bank()}?imported=2`);
    const questions = await QuestionModel.find().sort({ createdAt: 1, _id: 1 }).lean();
    expect(questions.map((q) => q.type)).to.deep.equal(['single', 'single']);
    expect(questions[0]!.text['fa-AF']).to.equal('قاچاق انسان چند عنصر دارد؟');
    expect(questions[0]!.options!.map((o) => [o.text?.['fa-AF'], o.weight])).to.deep.equal([
      ['دو', 0],
      ['سه', 100],
      ['چهار', 0],
    ]);
    const page = await trainer.get(String(saved.headers.location));
    expect(page.text).to.contain('2 questions imported.').and.to.contain('Questions <span class="muted">(2)');
  });

  it('an Aiken text with a problem names its line, and "confirm" saves nothing while it is there', async () => {
    const broken = `${AIKEN_DARI}\nWhich tier is lowest?\nA. Tier 1\nB. Tier 3\nANSWER: D\n`;
    const res = await importText({ format: 'aiken', locale: 'en', source: broken, confirm: '1' });
    expect(res.status).to.equal(422);
    expect(res.text)
      .to.contain('line 15: The answer “D” is not one of the options.')
      .and.to.contain('Fix this problem, then check again. Nothing has been saved.')
      .and.not.to.contain('Save these');
    expect(await QuestionModel.countDocuments()).to.equal(0);
  });

  it('an empty text is refused with 422 and the reason; a forged format or language is refused with 422 and the text kept', async () => {
    const empty = await importText({ format: 'gift', locale: 'en', source: '  \n\n' });
    expect(empty.status).to.equal(422);
    expect(empty.text).to.contain('line 1: There is no question in the text.');
    for (const fields of [
      { format: 'moodle-xml', locale: 'en', source: 'Kept text? {T}' },
      { format: 'gift', locale: 'de', source: 'Kept text? {T}' },
    ]) {
      const res = await importText({ ...fields, confirm: '1' });
      expect(res.status, fields.format + fields.locale).to.equal(422);
      expect(res.text).to.contain('>Kept text? {T}</textarea>');
      expect(res.text).to.contain('Please correct the fields marked below.');
      expect(res.text).to.match(
        /<p class="field-error">(Choose one of the options offered|Choose one of the listed languages)\.<\/p>/,
      );
    }
    const huge = await importText({ format: 'gift', locale: 'en', source: `${'x'.repeat(1_000_001)}` });
    expect(huge.status).to.equal(422);
    expect(huge.text).to.contain('<p class="field-error">This is too long.</p>');
    expect(await QuestionModel.countDocuments()).to.equal(0);
  });

  it('the export is a GIFT file named for the course, in the language asked for, else the main one, and it imports back as the same questions', async () => {
    expect((await trainer.get(`${bank()}/export`)).text).to.equal(''); // an empty bank: an empty file
    await makeQuiz(fixture);
    // A true/false question stored before its feedback fields existed exports without feedback.
    await QuestionModel.collection.updateOne(
      { type: 'truefalse' },
      { $unset: { feedbackTrue: 1, feedbackFalse: 1 } },
    );
    const english = await trainer.get(`${bank()}/export`);
    expect(english.status).to.equal(200);
    expect(english.headers['content-type']).to.equal('text/plain; charset=utf-8');
    expect(english.headers['content-disposition']).to.equal(
      `attachment; filename="${fixture.course.slug}-questions.gift.txt"`,
    );
    expect(english.text)
      .to.contain('$CATEGORY: law')
      .and.to.contain('[markdown]Which is one of the three elements of trafficking?')
      .and.to.contain('{\n#357\n}');
    // In Dari the question written in Dari is in Dari; the others, written only in English, stay in English.
    const dari = (await trainer.get(`${bank()}/export?lang=fa-AF`)).text;
    expect(dari).to.contain('کدام یکی از سه عنصر قاچاق است؟').and.to.contain('Tier 3 is the lowest tier.');
    expect(dari).not.to.contain('Which is one of the three elements');
    for (const lang of ['de', '../../etc', '']) {
      expect((await trainer.get(`${bank()}/export?lang=${lang}`)).text, lang).to.equal(english.text);
    }

    // The file loads into another course's bank as the same questions.
    const other = await makeCourse({ authors: [authorId] });
    const again = await send(trainer, `${bank(other)}/import`, {
      format: 'gift',
      locale: 'en',
      source: english.text,
      confirm: '1',
    });
    expect(again.headers.location).to.equal(`${bank(other)}?imported=4`);
    const read = async (courseId: Types.ObjectId) =>
      (await QuestionModel.find({ courseId }).sort({ createdAt: 1, _id: 1 }).lean()).map((q) => ({
        type: q.type,
        text: q.text.en,
        tags: q.tags,
      }));
    expect(await read(other.course._id)).to.deep.equal(await read(fixture.course._id));
  });

  it('deleting a question removes it from the bank; another course’s question, a malformed or an unknown id is 404 and nothing is deleted', async () => {
    const { quiz } = await makeQuiz(fixture);
    const [first, second] = quiz.questionIds.map(String);
    const other = await makeCourse({ authors: [new Types.ObjectId().toHexString()] });
    const [foreign] = await QuestionModel.insertMany([
      { courseId: other.course._id, type: 'truefalse', text: { en: 'Theirs' }, answer: true },
    ]);
    const res = await send(trainer, `${bank()}/${first}/delete`, {});
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(bank());
    expect(await QuestionModel.exists({ _id: first })).to.equal(null);
    const page = (await trainer.get(bank())).text;
    expect(page).to.contain(`/questions/${second}`);
    expect(page).not.to.contain(`/questions/${first}`);

    for (const id of [String(foreign!._id), 'not-an-id', new Types.ObjectId().toHexString(), first!]) {
      const refused = await send(trainer, `${bank()}/${id}/delete`, {});
      expect(refused.status, id).to.equal(404);
    }
    expect(await QuestionModel.countDocuments()).to.equal(4);
  });

  it('a bank of more than 50 questions is shown 50 at a time, in the order they were added', async () => {
    await QuestionModel.insertMany(
      Array.from({ length: 53 }, (_, i) => ({
        courseId: fixture.course._id,
        type: 'truefalse',
        name: `Statement ${String(i + 1).padStart(2, '0')}`,
        text: { en: `Statement ${i + 1}` },
        answer: true,
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)),
      })),
    );
    const names = (html: string) => [...html.matchAll(/>(Statement \d+)<\/a>/g)].map((m) => m[1]);
    const first = (await trainer.get(bank())).text;
    expect(names(first)).to.have.length(50);
    expect(names(first)[0]).to.equal('Statement 01');
    expect(first).to.contain('Page 1 of 2 (53 in all)').and.to.contain(`href="${bank()}?page=2"`);
    const second = (await trainer.get(`${bank()}?page=2`)).text;
    expect(names(second)).to.deep.equal(['Statement 51', 'Statement 52', 'Statement 53']);
    // A mistyped page number is the first page, not an error.
    expect(names((await trainer.get(`${bank()}?page=abc`)).text)[0]).to.equal('Statement 01');
  });
});
