import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { UploadLimits } from '../../config/config.js';
import type { FileStore } from '../../core/file-store.js';
import { SUPPORTED_LOCALES, type Locale } from '../../core/i18n.js';
import { projectRoot } from '../../core/paths.js';
import { createCourse, findCourse, setCourseStatus } from '../../courses/courses.service.js';
import { importModuleFolder } from '../../courses/module-package.service.js';
import { readQuestionText, saveReadQuestions } from '../../quizzes/question-import.service.js';
import { createQuiz, saveQuizSettings, type QuizKind } from '../../quizzes/quizzes.service.js';
import type { SessionUser } from '../../users/users.service.js';

/**
 * The demo curriculum, kept in the repository as the product's own formats: each course is a folder with
 * course.json, its modules as unzipped module packages (modules/<nn-name>/) and GIFT files of questions:
 * quizzes/<nn-name>.gift for the quiz of the module of that name, and quizzes/prepost.gift for the
 * pre-test and the post-test, which ask the same questions (knowledge gain compares them question by
 * question). A pre/post question's $CATEGORY names its module (`course/module-2/prepost`), and that
 * module's quiz draws every question so tagged as well: so the knowledge-gain report can tell each
 * module's gain. Everything goes in through the importers a trainer uses, so loading the demo proves them.
 */

export const DEMO_COURSES_DIR = path.join(projectRoot, 'demo', 'courses');

const localText = z.partialRecord(z.enum(SUPPORTED_LOCALES), z.string());
const quizRules = z.object({
  passMark: z.number().min(0).max(100),
  attemptLimit: z.number().int().min(1).nullable().default(null),
  showAnswers: z.enum(['afterSubmit', 'afterPass', 'never']).default('afterSubmit'),
});
export const courseFileSchema = z.object({
  slug: z.string().regex(/^[a-z0-9-]{1,60}$/),
  primaryLocale: z.enum(SUPPORTED_LOCALES),
  locales: z.array(z.enum(SUPPORTED_LOCALES)).min(1),
  title: localText,
  summary: localText,
  estimatedHours: z.number().min(0),
  /** The trainer who authors it: one of the demo accounts. */
  author: z.string(),
  quizzes: z.object({ module: quizRules, pretest: quizRules, posttest: quizRules }),
});
export type CourseFile = z.infer<typeof courseFileSchema>;

export interface DemoQuiz {
  id: string;
  kind: QuizKind;
  /** The module's index in the course, for module quizzes. */
  moduleIndex: number | null;
}

export interface DemoCourse {
  id: string;
  slug: string;
  /** Lesson ids, module by module. */
  lessons: string[][];
  quizzes: DemoQuiz[];
}

export async function readCourseFile(dir: string): Promise<CourseFile> {
  return courseFileSchema.parse(JSON.parse(await readFile(path.join(dir, 'course.json'), 'utf8')));
}

/** Sub-folders in name order (numbers as numbers), as module packages order lessons. */
export async function folders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort(new Intl.Collator('en', { numeric: true }).compare);
}

/** A GIFT file into the course's bank, refused as a whole if the importer reports any problem. */
async function importGift(
  courseId: string,
  file: string,
  locale: Locale,
): Promise<{ ids: string[]; tags: string[][] }> {
  const read = readQuestionText('gift', await readFile(file, 'utf8'));
  if (read.problems.length)
    throw new Error(`${path.relative(projectRoot, file)}: ${JSON.stringify(read.problems)}`);
  const ids = await saveReadQuestions(courseId, read, locale);
  return { ids, tags: read.questions.map((q) => q.category.split('/')) };
}

/** The tag of a module's questions, from its place in the course: module-1, module-2, … */
export const moduleTag = (index: number): string => `module-${index + 1}`;

async function addQuiz(
  course: { id: string },
  kind: QuizKind,
  moduleId: string | null,
  rules: CourseFile['quizzes']['module'],
  questionIds: string[],
  draws: { tag: string; count: number }[] = [],
): Promise<string> {
  const quizId = await createQuiz(course.id, kind, moduleId, {});
  await saveQuizSettings(course.id, quizId, {
    title: {},
    passMark: rules.passMark,
    timeLimitMinutes: null,
    attemptLimit: rules.attemptLimit,
    shuffleQuestions: false,
    shuffleOptions: false,
    showAnswers: rules.showAnswers,
    questionIds,
    draws,
  });
  return quizId;
}

export async function loadCourse(
  dir: string,
  authors: Map<string, SessionUser>,
  deps: { files: FileStore; limits: UploadLimits },
): Promise<DemoCourse> {
  const file = await readCourseFile(dir);
  const author = authors.get(file.author);
  if (!author) throw new Error(`${file.slug}: no demo account ${file.author}`);
  const created = await createCourse(
    {
      slug: file.slug,
      primaryLocale: file.primaryLocale,
      locales: file.locales,
      title: file.title,
      summary: file.summary,
      estimatedHours: file.estimatedHours,
      selfEnrol: true,
    },
    author,
  );
  const id = String(created._id);
  const moduleNames = await folders(path.join(dir, 'modules'));
  for (const name of moduleNames) {
    // Read again each time: the importer places a module by the course's current outline.
    const course = (await findCourse(id))!;
    await importModuleFolder(course, path.join(dir, 'modules', name), deps);
  }
  const course = (await findCourse(id))!;
  const quizDir = path.join(dir, 'quizzes');
  const prepost = await importGift(id, path.join(quizDir, 'prepost.gift'), file.primaryLocale);
  const quizzes: DemoQuiz[] = [];
  const pre = await addQuiz({ id }, 'pretest', null, file.quizzes.pretest, prepost.ids);
  quizzes.push({ id: pre, kind: 'pretest', moduleIndex: null });
  for (const [i, name] of moduleNames.entries()) {
    const own = await importGift(id, path.join(quizDir, `${name}.gift`), file.primaryLocale);
    const shared = prepost.tags.filter((t) => t.includes(moduleTag(i))).length;
    const draws = shared ? [{ tag: moduleTag(i), count: shared }] : [];
    const moduleId = String(course.modules[i]!._id);
    const quiz = await addQuiz({ id }, 'module', moduleId, file.quizzes.module, own.ids, draws);
    quizzes.push({ id: quiz, kind: 'module', moduleIndex: i });
  }
  const post = await addQuiz({ id }, 'posttest', null, file.quizzes.posttest, prepost.ids);
  quizzes.push({ id: post, kind: 'posttest', moduleIndex: null });
  await setCourseStatus(id, 'published', author);
  return {
    id,
    slug: file.slug,
    lessons: course.modules.map((m) => m.lessons.map((l) => String(l._id))),
    quizzes,
  };
}

/** Every demo course, in folder order. */
export async function loadDemoCourses(
  authors: Map<string, SessionUser>,
  deps: { files: FileStore; limits: UploadLimits },
): Promise<DemoCourse[]> {
  const loaded: DemoCourse[] = [];
  for (const name of await folders(DEMO_COURSES_DIR))
    loaded.push(await loadCourse(path.join(DEMO_COURSES_DIR, name), authors, deps));
  return loaded;
}
