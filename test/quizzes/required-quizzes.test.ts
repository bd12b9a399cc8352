import { expect } from 'chai';
import { Types } from 'mongoose';
import { createQuiz, deleteQuiz, requiredQuizIds } from '../../src/quizzes/quizzes.service.js';
import { connectTestDb } from '../helpers/app-harness.js';
import { makeCourse } from '../helpers/courses.js';

describe('the quizzes a course requires for completion', () => {
  before(connectTestDb);

  it('follow the builder at once, though kept in memory: a quiz added or deleted counts at the next ask', async () => {
    const { course, moduleId } = await makeCourse({ authors: [new Types.ObjectId().toHexString()] });
    const courseId = String(course._id);
    const required = () => requiredQuizIds(courseId, [moduleId]);
    expect(await required()).to.deep.equal([]);

    const moduleQuiz = await createQuiz(courseId, 'module', moduleId, {});
    const pretest = await createQuiz(courseId, 'pretest', null, {});
    const posttest = await createQuiz(courseId, 'posttest', null, {});
    expect((await required()).sort()).to.deep.equal([moduleQuiz, posttest].sort());
    expect(await required()).not.to.include(pretest);
    // A module no longer in the course asks for nothing.
    expect(await requiredQuizIds(courseId, [])).to.deep.equal([posttest]);

    await deleteQuiz(courseId, moduleQuiz);
    expect(await required()).to.deep.equal([posttest]);
  });
});
