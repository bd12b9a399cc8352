import { expect } from 'chai';
import { Types } from 'mongoose';
import { pickQuestions } from '../../src/quizzes/attempts.service.js';
import type { Question } from '../../src/quizzes/question.types.js';
import { addQuestions, deleteQuestion, updateQuestion } from '../../src/quizzes/questions.service.js';
import { connectTestDb } from '../helpers/app-harness.js';
import { makeCourse } from '../helpers/courses.js';
import { makeQuiz } from '../helpers/quizzes.js';

/**
 * The chosen questions of a quiz are kept in memory for the attempts that start with them; the bank's
 * changes must reach the next attempt all the same.
 */
describe('the questions an attempt starts with', () => {
  before(connectTestDb);

  it('follow an edit, a deletion and a new question of the bank at the next start', async () => {
    const fixture = await makeCourse({ authors: [new Types.ObjectId().toHexString()] });
    const courseId = String(fixture.course._id);
    const { quiz } = await makeQuiz(fixture);
    const texts = async () => (await pickQuestions(quiz, true)).map((q) => q.text.en);
    const first = await pickQuestions(quiz, true);
    expect(first).to.have.length(4);

    const tf = first[1]!;
    const edited: Question = { ...tf, text: { en: 'Tier 1 is the highest tier.' } };
    await updateQuestion(courseId, tf.id, edited);
    expect((await texts())[1]).to.equal('Tier 1 is the highest tier.');

    await deleteQuestion(courseId, first[0]!.id);
    expect(await texts())
      .to.have.length(3)
      .and.not.to.include(first[0]!.text.en);

    // A question added to the bank and to the quiz comes with the quiz's next start.
    const [added] = await addQuestions(courseId, [
      {
        type: 'truefalse',
        name: '',
        text: { en: 'The law has three elements.' },
        explanation: {},
        points: 1,
        tags: [],
        answer: true,
        feedbackTrue: {},
        feedbackFalse: {},
      },
    ]);
    const withAdded = { ...quiz, questionIds: [...quiz.questionIds, new Types.ObjectId(added)] };
    expect((await pickQuestions(withAdded, true)).map((q) => q.text.en)).to.include(
      'The law has three elements.',
    );
  });
});
