/** Question banks and quizzes made directly in the database, for tests of taking quizzes. */
import { QuestionModel } from '../../src/quizzes/question.model.js';
import { Quiz, type QuizDoc } from '../../src/quizzes/quiz.model.js';
import type { CourseFixture } from './courses.js';

/** Four questions of four types, one point each: the right answers are in `right`. */
export async function makeQuiz(
  fixture: CourseFixture,
  settings: Partial<Omit<QuizDoc, '_id' | 'courseId'>> = {},
): Promise<{ quiz: QuizDoc; right: Record<string, unknown>; wrong: Record<string, unknown> }> {
  const courseId = fixture.course._id;
  const [single, tf, short, num] = await QuestionModel.insertMany([
    {
      courseId,
      type: 'single',
      text: {
        en: 'Which is one of the three elements of trafficking?',
        'fa-AF': 'کدام یکی از سه عنصر قاچاق است؟',
      },
      options: [
        { id: 'o1', text: { en: 'Purpose' }, weight: 100, feedback: { en: 'Yes: act, means, purpose.' } },
        { id: 'o2', text: { en: 'Place' }, weight: 0, feedback: { en: 'No.' } },
      ],
      tags: ['law'],
    },
    {
      courseId,
      type: 'truefalse',
      text: { en: 'Tier 3 is the lowest tier.' },
      answer: true,
      tags: ['report'],
    },
    {
      courseId,
      type: 'short',
      text: { en: 'Name the report (one word: ___ report).' },
      accepted: [{ text: 'TIP', weight: 100, feedback: {} }],
      caseSensitive: false,
      tags: ['report'],
    },
    {
      courseId,
      type: 'numerical',
      text: { en: 'How many child soldiers did Child Protection Units keep from recruitment?' },
      answers: [{ value: 357, tolerance: 0, weight: 100, feedback: {} }],
      tags: ['report'],
    },
  ]);
  const quiz = await Quiz.create({
    courseId,
    kind: 'module',
    moduleId: fixture.course.modules[0]!._id,
    passMark: 75,
    questionIds: [single!._id, tf!._id, short!._id, num!._id],
    ...settings,
  });
  const id = (q: { _id: unknown }) => String(q._id);
  return {
    quiz: quiz.toObject() as QuizDoc,
    right: { [id(single!)]: 'o1', [id(tf!)]: 'true', [id(short!)]: ' tip ', [id(num!)]: '۳۵۷' },
    wrong: { [id(single!)]: 'o2', [id(tf!)]: 'false', [id(short!)]: 'UN', [id(num!)]: '12' },
  };
}
