import { expect } from 'chai';
import type { Express } from 'express';
import { Types } from 'mongoose';
import { Attempt, type AttemptDoc } from '../../src/quizzes/attempt.model.js';
import { PaperForm } from '../../src/quizzes/paper-form.model.js';
import { paperForm } from '../../src/quizzes/paper-tests.service.js';
import { QuestionModel } from '../../src/quizzes/question.model.js';
import { Quiz, type QuizDoc } from '../../src/quizzes/quiz.model.js';
import { addMembers, addTrainer, createRound, linkCourse } from '../../src/rounds/rounds.service.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { makeCourse, type CourseFixture } from '../helpers/courses.js';
import {
  completeFirstRun,
  loginAgent,
  makeCoordinator,
  makeTrainer,
  postForm,
  type TestUser,
} from '../helpers/factories.js';
import { getDownload } from '../helpers/downloads.js';
import { getBinary, pdfPages, skipWithoutPoppler } from '../helpers/pdf.js';
import { insertPeople, type PersonRowFixture } from '../helpers/people-rows.js';
import { roundDetails } from '../helpers/rounds.js';

/**
 * The paper pre-test with question types the first paper tests do not print: several right options, and
 * matching. Questions: q1 "which are elements" (2 points; Act and Means right, Weather wrong); q2 match
 * Herat and Kabul to their regions (pairs "pb" Herat–West and "pa" Kabul–Centre); q3 true or false.
 */
describe('rounds: paper pre-tests with several right options and matching', () => {
  let app: Express;
  let coordinator: TestUser;
  let fixture: CourseFixture;
  let quiz: QuizDoc;
  let q: { multiple: string; matching: string; truefalse: string };
  let member: PersonRowFixture;
  let roundId: string;
  let base: string;

  beforeEach(async () => {
    app = await buildTestApp();
    await completeFirstRun();
    coordinator = await makeCoordinator();
    fixture = await makeCourse({ authors: [coordinator.id] });
    const courseId = fixture.course._id;
    const [multiple, matching, truefalse] = await QuestionModel.insertMany([
      {
        courseId,
        type: 'multiple',
        points: 2,
        partialCredit: 'allOrNothing',
        text: { en: 'Which are elements of trafficking?', 'fa-AF': 'عناصر قاچاق کدام اند؟' },
        options: [
          { id: 'o1', text: { en: 'Act', 'fa-AF': 'عمل' }, weight: 100 },
          { id: 'o2', text: { en: 'Means', 'fa-AF': 'وسیله' }, weight: 100 },
          { id: 'o3', text: { en: 'Weather', 'fa-AF': 'هوا' }, weight: 0 },
        ],
      },
      {
        courseId,
        type: 'matching',
        text: { en: 'Match each city to its region.' },
        pairs: [
          { id: 'pb', left: { en: 'Herat' }, right: { en: 'West' } },
          { id: 'pa', left: { en: 'Kabul' }, right: { en: 'Centre' } },
        ],
      },
      { courseId, type: 'truefalse', text: { en: 'The law protects victims.' }, answer: true },
    ]);
    q = {
      multiple: String(multiple!._id),
      matching: String(matching!._id),
      truefalse: String(truefalse!._id),
    };
    quiz = (
      await Quiz.create({
        courseId,
        kind: 'pretest',
        passMark: 60,
        questionIds: [multiple!._id, matching!._id, truefalse!._id],
      })
    ).toObject() as QuizDoc;
    [member] = (await insertPeople(['Layla Hashimi'])) as [PersonRowFixture];
    roundId = await createRound(roundDetails({ name: 'Round 5' }), coordinator.id);
    await addMembers(roundId, [member.id], coordinator.id);
    await linkCourse(roundId, String(courseId));
    base = `/coord/rounds/${roundId}/pretest/${String(courseId)}`;
  });

  const attemptOf = (userId: string) => Attempt.findOne({ userId }).lean<AttemptDoc>();

  it('the paper says to circle all right options, numbers the left items and letters the right ones in one fixed order, with each question’s points', async function () {
    skipWithoutPoppler(this);
    const agent = await loginAgent(app, coordinator);
    const { headers, body } = await getDownload(agent, `${base}/paper.pdf?lang=en`);
    expect(headers['content-disposition']).to.equal('inline; filename="pretest-2026-04-24.pdf"');
    const text = (await pdfPages(body)).join('\n');
    expect(text).to.include('Which are elements of trafficking? (2 points)');
    expect(text).to.include('Circle all that apply.');
    expect(text).to.match(/A\)\s+Act[\s\S]*B\)\s+Means[\s\S]*C\)\s+Weather/);
    expect(text).to.include('Match each city to its region. (1 point)');
    expect(text).to.include('Write the letter of the matching item on each line.');
    // Left items in the question's order, right items by pair id: "pa" (Centre) before "pb" (West).
    expect(text).to.match(/1\. Herat\s+____[\s\S]*2\. Kabul\s+____[\s\S]*A\)\s+Centre[\s\S]*B\)\s+West/);
    expect(text).to.match(/A\)\s+True\s+B\)\s+False/);
    expect(await PaperForm.countDocuments()).to.equal(1);

    const dari = (await pdfPages(await getBinary(agent, `${base}/paper.pdf?lang=fa-AF`))).join('\n');
    expect(dari).to.include('عناصر قاچاق کدام اند؟');
    expect(dari).to.include('الف').and.include('عمل').and.include('وسیله');
    // Printing again in another language fixes nothing new.
    expect(await PaperForm.countDocuments()).to.equal(1);
  });

  it('before the paper is printed: a print per course language, typing in sends back and stores nothing, and a pre-test without questions cannot be printed (409)', async () => {
    const agent = await loginAgent(app, coordinator);
    const results = await agent.get(base);
    expect(results.status).to.equal(200);
    expect(results.text).to.include('Print the pre-test first');
    expect(results.text).to.include(`href="${base}/paper.pdf?lang=en"`);
    expect(results.text).to.include(`href="${base}/paper.pdf?lang=fa-AF"`);
    const screen = await agent.get(`${base}/${member.id}`);
    expect(screen.status).to.equal(303);
    expect(screen.headers.location).to.equal(base);
    const post = await postForm(agent, `${base}/${member.id}`, { [`a[${q.truefalse}]`]: 'true' });
    expect(post.status).to.equal(303);
    expect(post.headers.location).to.equal(base);
    expect(await Attempt.countDocuments()).to.equal(0);
    expect(await PaperForm.countDocuments()).to.equal(0);

    await Quiz.updateOne({ _id: quiz._id }, { $set: { questionIds: [] } });
    const res = await agent.get(`${base}/paper.pdf`);
    expect(res.status).to.equal(409);
    expect(res.text).to.include('This quiz has no questions yet.');
    expect(await PaperForm.countDocuments()).to.equal(0);
  });

  it('typed-in ticks and matches are graded; in Dari the screen letters options as printed and keeps its language; the earlier answers come back to be corrected', async () => {
    await paperForm(quiz, roundId);
    const agent = await loginAgent(app, coordinator);
    const screen = await agent.get(`${base}/${member.id}?lang=fa-AF`);
    expect(screen.status).to.equal(200);
    expect(screen.text).to.include('<span class="letter">الف)</span> عمل');
    expect(screen.text).to.include('<span class="letter">ج)</span> هوا');
    expect(screen.text).to.include(`action="${base}/${member.id}?lang=fa-AF"`);
    expect(screen.text).to.include('lang="fa-AF" dir="rtl"');

    // Act and Means ticked (2 of 2 points), Herat–West right and Kabul–West wrong (0.5), true (1): 3.5 of 4.
    const saved = await postForm(agent, `${base}/${member.id}?lang=fa-AF`, {
      [`a[${q.multiple}]`]: ['o1', 'o2'],
      [`a[${q.matching}][pb]`]: 'pb',
      [`a[${q.matching}][pa]`]: 'pb',
      [`a[${q.truefalse}]`]: 'true',
    });
    expect(saved.status).to.equal(303);
    expect(saved.headers.location).to.equal(`${base}?saved=1`);
    const attempt = await attemptOf(member.id);
    expect(attempt).to.include({ percent: 87.5, passed: true, paperKey: roundId });
    const results = await agent.get(saved.headers.location!);
    expect(results.text).to.include('The answers were saved and graded.');
    expect(results.text).to.include('87.5%');
    expect(results.text).to.include('Correct the answers');

    const again = await agent.get(`${base}/${member.id}`);
    expect(again.text).to.include('Answers typed in earlier gave 87.5%. Saving again replaces them.');
    expect(again.text).to.match(/value="o1" checked>/);
    expect(again.text).to.match(/value="o2" checked>/);
    expect(again.text).to.match(/value="o3" >/);
    expect(again.text).to.match(
      new RegExp(`name="a\\[${q.matching}\\]\\[pa\\]">[\\s\\S]*?<option value="pb" selected>`),
    );
    expect(again.text).to.match(/name="a\[[0-9a-f]{24}\]" value="true" checked>/);
  });

  it('answers that do not fit the printed questions are dropped, not stored: the entry grades as unanswered', async () => {
    await paperForm(quiz, roundId);
    const agent = await loginAgent(app, coordinator);
    const stranger = new Types.ObjectId().toHexString();
    const res = await postForm(agent, `${base}/${member.id}`, {
      [`a[${q.multiple}]`]: ['o9', 'constructor'],
      [`a[${q.matching}][pa]`]: 'zz',
      [`a[${q.matching}][__proto__]`]: 'pa',
      [`a[${q.truefalse}]`]: 'maybe',
      [`a[${stranger}]`]: 'true',
    });
    expect(res.status).to.equal(303);
    const attempt = (await attemptOf(member.id))!;
    expect(attempt).to.include({ percent: 0, passed: false, status: 'submitted' });
    expect(Object.keys(attempt.answers).sort()).to.deep.equal([q.matching, q.multiple].sort());
    expect(attempt.answers[q.multiple]!.response).to.deep.equal({ type: 'multiple', optionIds: [] });
    expect(attempt.answers[q.matching]!.response).to.deep.equal({ type: 'matching', chosen: {} });

    // A form with `a` as plain text instead of a set of answers: saved as nothing answered, never a 500.
    const flat = await postForm(agent, `${base}/${member.id}`, { a: 'everything right' });
    expect(flat.status).to.equal(303);
    const corrected = (await attemptOf(member.id))!;
    expect(corrected.percent).to.equal(0);
    expect(Object.keys(corrected.answers)).to.deep.equal([q.multiple]);
    expect(corrected.answers[q.multiple]!.response).to.deep.equal({ type: 'multiple', optionIds: [] });
    expect(await Attempt.countDocuments()).to.equal(1);
  });

  it('the round’s own trainer types in results; a trainer of another round and an unknown member get no further', async () => {
    await paperForm(quiz, roundId);
    const own = await makeTrainer();
    const other = await makeTrainer();
    await addTrainer(roundId, own.id);
    const trainer = await loginAgent(app, own);
    expect((await trainer.get(base)).status).to.equal(200);
    const saved = await postForm(trainer, `${base}/${member.id}`, { [`a[${q.truefalse}]`]: 'true' }, base);
    expect(saved.status).to.equal(303);
    const attempt = (await attemptOf(member.id))!;
    expect(String(attempt.enteredBy)).to.equal(own.id);
    expect(attempt.percent).to.equal(25);
    expect(
      (await postForm(trainer, `${base}/${new Types.ObjectId().toHexString()}`, {}, base)).status,
    ).to.equal(404);
    expect((await trainer.get(`${base}/not-an-id`)).status).to.equal(404);

    const outsider = await loginAgent(app, other);
    expect((await outsider.get(base)).status).to.equal(403);
    expect((await outsider.get(`${base}/paper.pdf`)).status).to.equal(403);
    expect(await Attempt.countDocuments()).to.equal(1);
  });
});
