/**
 * A published course for the page benchmarks: one module of five lessons of about 3 kB of Markdown each
 * (headings, lists, a table, a link), in English and Dari, with a PDF listed on each lesson, and a member
 * enrolled in it, with a 16-question module quiz the member has started. Returns the addresses of its
 * third lesson, of the quiz and of the member's attempt.
 */
import { Types } from 'mongoose';
import { Course } from '../../src/courses/course.model.js';
import { enrol } from '../../src/progress/progress.service.js';
import { startAttempt } from '../../src/quizzes/attempts.service.js';
import { findQuiz } from '../../src/quizzes/quizzes.service.js';
import { findUserByEmail } from '../../src/users/users.service.js';
import { addBenchQuiz } from './quiz-fixture.js';

const PARAGRAPH_EN =
  'The annual Trafficking in Persons report ranks each government by its efforts to meet the minimum ' +
  'standards for the elimination of trafficking. A government in Tier 3 does not fully meet them and is ' +
  'not making significant efforts to do so; it may face restrictions on non-humanitarian assistance.';
const PARAGRAPH_FA =
  'گزارش سالانهٔ قاچاق انسان هر حکومت را بر اساس کوشش‌هایش برای رسیدن به معیارهای حداقل رتبه‌بندی می‌کند. ' +
  'حکومتی که در ردهٔ سوم است این معیارها را کاملاً برآورده نمی‌کند و کوشش قابل توجهی هم نمی‌کند.';

function body(paragraph: string, n: number): string {
  return [
    `# Part ${n}`,
    paragraph,
    '## What to remember',
    '- **Act**: recruitment, transport, transfer, harbouring or receipt of persons',
    '- **Means**: threat, force, coercion, abduction, fraud, deception, abuse of power',
    '- **Purpose**: exploitation',
    paragraph,
    '| Tier | Meaning |',
    '|---|---|',
    '| 1 | meets the minimum standards |',
    '| 2 | makes significant efforts |',
    '| 3 | neither |',
    paragraph,
    '[The law on combating trafficking](https://example.org/law)',
    paragraph,
  ].join('\n\n');
}

export interface BenchPaths {
  lesson: string;
  /** The quiz's own page (what it asks, the start button, the member's attempts). */
  quiz: string;
  /** The member's open attempt: the page a member answers on. */
  attempt: string;
}

export async function addBenchCourse(memberEmail: string): Promise<BenchPaths> {
  const member = await findUserByEmail(memberEmail);
  if (!member) throw new Error(`no account ${memberEmail}`);
  const moduleId = new Types.ObjectId();
  const lessons = Array.from({ length: 5 }, (_, i) => ({
    _id: new Types.ObjectId(),
    title: { en: `Lesson ${i + 1}: the tiers`, 'fa-AF': `درس ${i + 1}: رده‌ها` },
    body: { en: body(PARAGRAPH_EN, i + 1), 'fa-AF': body(PARAGRAPH_FA, i + 1) },
    attachments: [
      {
        fileId: new Types.ObjectId().toHexString(),
        name: `handout-${i + 1}.pdf`,
        mime: 'application/pdf',
        size: 240_000,
        sha256: '0'.repeat(64),
        kind: 'document',
      },
    ],
  }));
  const course = await Course.create({
    slug: 'bench-tip-law',
    primaryLocale: 'en',
    locales: ['en', 'fa-AF'],
    title: { en: 'Trafficking in persons: the law', 'fa-AF': 'قاچاق انسان: قانون' },
    summary: { en: 'What the law says.' },
    estimatedHours: 3,
    status: 'published',
    authors: [new Types.ObjectId()],
    modules: [{ _id: moduleId, title: { en: 'The annual report', 'fa-AF': 'گزارش سالانه' }, lessons }],
  });
  await enrol(member.id, String(course._id));
  const quiz = await findQuiz(String(course._id), String((await addBenchQuiz(course._id, moduleId))._id));
  const { attempt } = await startAttempt(quiz!, member.id);
  return {
    lesson: `/courses/bench-tip-law/lessons/${String(lessons[2]!._id)}`,
    quiz: `/courses/bench-tip-law/quizzes/${String(quiz!._id)}`,
    attempt: `/attempts/${String(attempt._id)}`,
  };
}
