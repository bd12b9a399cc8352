import { Types } from 'mongoose';
import { Quiz, type QuizKind } from './quiz.model.js';
import { QuestionModel } from './question.model.js';
import type { LocalText } from './question.types.js';

/** What reports need to know of a course's quizzes and question bank. Read-only. */

export interface CourseQuizzes {
  courseId: string;
  pretest: string | null;
  posttest: string | null;
  /** Module quizzes: quiz id → module id. */
  modules: Map<string, string>;
}

const oids = (ids: string[]) =>
  ids.filter((i) => Types.ObjectId.isValid(i)).map((i) => new Types.ObjectId(i));

interface QuizRow {
  _id: Types.ObjectId;
  courseId: Types.ObjectId;
  kind: QuizKind;
  moduleId: Types.ObjectId | null;
  questionIds?: Types.ObjectId[];
  draws?: { tag: string }[];
  title?: LocalText;
}

/** The quizzes of each course, by kind; every course asked for has an entry. */
export async function quizzesOfCourses(courseIds: string[]): Promise<Map<string, CourseQuizzes>> {
  const out = new Map<string, CourseQuizzes>(
    courseIds.map((c) => [c, { courseId: c, pretest: null, posttest: null, modules: new Map() }]),
  );
  if (!courseIds.length) return out;
  const rows = await Quiz.find(
    { courseId: { $in: oids(courseIds) } },
    { courseId: 1, kind: 1, moduleId: 1 },
  ).lean<QuizRow[]>();
  for (const q of rows) {
    const entry = out.get(String(q.courseId));
    if (!entry) continue;
    if (q.kind === 'pretest') entry.pretest = String(q._id);
    else if (q.kind === 'posttest') entry.posttest = String(q._id);
    else if (q.moduleId) entry.modules.set(String(q._id), String(q.moduleId));
  }
  return out;
}

/** Quiz titles by id (any course), for a person's timeline. */
export async function quizLabels(
  quizIds: string[],
): Promise<Map<string, { kind: QuizKind; title: LocalText }>> {
  if (!quizIds.length) return new Map();
  const rows = await Quiz.find({ _id: { $in: oids(quizIds) } }, { kind: 1, title: 1 }).lean<QuizRow[]>();
  return new Map(rows.map((q) => [String(q._id), { kind: q.kind, title: q.title ?? {} }]));
}

export interface BankQuestion {
  id: string;
  name: string;
  text: LocalText;
  /** The module the question belongs to, or null ("general"). */
  moduleId: string | null;
}

/**
 * The course's bank questions with the module each belongs to: the module whose quiz lists the question
 * or draws from one of its tags, the first such module in the course's order; none of them: null.
 */
export async function questionsWithModules(
  courseId: string,
  moduleOrder: string[],
): Promise<Map<string, BankQuestion>> {
  if (!Types.ObjectId.isValid(courseId)) return new Map();
  const course = new Types.ObjectId(courseId);
  const [quizzes, questions] = await Promise.all([
    Quiz.find({ courseId: course, kind: 'module' }, { moduleId: 1, questionIds: 1, draws: 1 }).lean<
      QuizRow[]
    >(),
    QuestionModel.find({ courseId: course }, { name: 1, text: 1, tags: 1 }).lean<
      { _id: Types.ObjectId; name?: string; text?: LocalText; tags?: string[] }[]
    >(),
  ]);
  const rank = (m: Types.ObjectId | null) => {
    const i = m ? moduleOrder.indexOf(String(m)) : -1;
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  const ordered = quizzes.filter((q) => q.moduleId).sort((a, b) => rank(a.moduleId) - rank(b.moduleId));
  const out = new Map<string, BankQuestion>();
  for (const q of questions) {
    const id = String(q._id);
    const tags = new Set(q.tags ?? []);
    const home = ordered.find(
      (quiz) =>
        (quiz.questionIds ?? []).some((x) => String(x) === id) ||
        (quiz.draws ?? []).some((d) => tags.has(d.tag)),
    );
    out.set(id, {
      id,
      name: q.name ?? '',
      text: q.text ?? {},
      moduleId: home ? String(home.moduleId) : null,
    });
  }
  return out;
}
