import { expect } from 'chai';
import { Types } from 'mongoose';
import { saveAnswer, startAttempt, submitAttempt } from '../../src/quizzes/attempts.service.js';
import { connectTestDb } from '../helpers/app-harness.js';
import { makeCourse } from '../helpers/courses.js';
import { makeQuiz } from '../helpers/quizzes.js';

describe('submitting grades what is stored', () => {
  before(connectTestDb);

  it('an attempt handed in as read before its answers were saved is graded with those answers', async () => {
    const fixture = await makeCourse({ authors: [new Types.ObjectId().toHexString()] });
    const { quiz, right } = await makeQuiz(fixture);
    const { attempt } = await startAttempt(quiz, new Types.ObjectId().toHexString());
    let seq = 0;
    for (const [questionId, value] of Object.entries(right))
      await saveAnswer(attempt, questionId, value, (seq += 1));
    const { attempt: graded, counted } = await submitAttempt(attempt, 'stored-answers-1', undefined, 75);
    expect(counted).to.equal(true);
    expect(graded).to.include({ status: 'submitted', score: 4, percent: 100, passed: true });
  });
});
