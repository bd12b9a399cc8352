/**
 * A module quiz of 16 single-choice questions on a course, as the quiz benchmarks take it: four options
 * each, the first one right, options shuffled, a 30-minute limit.
 */
import type { Types } from 'mongoose';
import { QuestionModel } from '../../src/quizzes/question.model.js';
import { Quiz } from '../../src/quizzes/quiz.model.js';

export async function addBenchQuiz(courseId: Types.ObjectId, moduleId: Types.ObjectId) {
  const questions = await QuestionModel.insertMany(
    Array.from({ length: 16 }, (_, i) => ({
      courseId,
      type: 'single',
      text: {
        en: `Question ${i + 1}: which element of trafficking is the exploitation aimed at?`,
        'fa-AF': `سوال ${i + 1}`,
      },
      options: ['Purpose', 'Place', 'Time', 'Price'].map((t, j) => ({
        id: `o${j}`,
        text: { en: t },
        weight: j === 0 ? 100 : 0,
        feedback: {},
      })),
    })),
  );
  return Quiz.create({
    courseId,
    kind: 'module',
    moduleId,
    passMark: 60,
    timeLimitMinutes: 30,
    shuffleOptions: true,
    questionIds: questions.map((q) => q._id),
  });
}
