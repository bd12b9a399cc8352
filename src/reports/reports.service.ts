import { AppError } from '../core/app-error.js';
import type { Locale } from '../core/i18n.js';
import { idOr404 } from '../core/object-id.js';
import { coursesEditableBy, findCourse, localized, type CourseDoc } from '../courses/courses.service.js';
import { questionsWithModules, quizzesOfCourses } from '../quizzes/quiz-stats.service.js';
import { allRounds, type RoundDoc } from '../rounds/rounds.service.js';
import type { SessionUser } from '../users/users.service.js';
import { loadCohort } from './report-data.js';
import type { ReportRange } from './report-filters.js';
import {
  courseFigures,
  gainSummary,
  itemGains,
  type CourseFigures,
  type GainSummary,
  type ItemGain,
} from './report-figures.js';

/**
 * The reports of one course: its figures and its knowledge gain; and the list of everything there is to
 * report on. Round, province and trainer reports are in group-reports.service, a person's timeline in
 * member-timeline.service.
 */

export const courseTitle = (c: Pick<CourseDoc, 'title' | 'primaryLocale'>, locale: Locale): string =>
  localized(c.title, locale, c.primaryLocale);

async function courseOr404(id: string): Promise<CourseDoc> {
  const course = await findCourse(String(idOr404(id)));
  if (!course) throw AppError.notFound();
  return course;
}

export interface ReportIndex {
  courses: { id: string; title: string; status: string; hasPrePost: boolean }[];
  rounds: (Pick<RoundDoc, 'name' | 'startDate' | 'endDate' | 'province'> & { id: string; members: number })[];
}

/** What there is to report on: every course (staff see them all) and every round. */
export async function reportIndex(user: SessionUser, locale: Locale): Promise<ReportIndex> {
  const [courses, rounds] = await Promise.all([coursesEditableBy(user), allRounds()]);
  const quizzes = await quizzesOfCourses(courses.map((c) => c.id));
  return {
    courses: courses.map((c) => {
      const q = quizzes.get(c.id);
      return {
        id: c.id,
        title: localized(c.title, locale, c.primaryLocale),
        status: c.status,
        hasPrePost: Boolean(q?.pretest && q.posttest),
      };
    }),
    rounds: rounds.map((r) => ({
      id: String(r._id),
      name: r.name,
      startDate: r.startDate,
      endDate: r.endDate,
      province: r.province,
      members: r.memberIds.length,
    })),
  };
}

export interface CourseReport {
  course: { id: string; title: string };
  figures: CourseFigures;
  gain: GainSummary;
  hasPrePost: boolean;
}

export async function courseReport(
  courseId: string,
  range: ReportRange,
  locale: Locale,
): Promise<CourseReport> {
  const course = await courseOr404(courseId);
  const id = String(course._id);
  const cohort = await loadCohort([id], range);
  const q = cohort.quizzes.get(id)!;
  return {
    course: { id, title: courseTitle(course, locale) },
    figures: courseFigures(cohort.enrolments, cohort.attempted, cohort.scores, cohort.before),
    gain: gainSummary(cohort.pairs),
    hasPrePost: Boolean(q.pretest && q.posttest),
  };
}

export interface LabelledGain extends ItemGain {
  label: string;
  /** For a question: the label of its module. */
  moduleLabel?: string;
}

export interface KnowledgeGainReport {
  course: { id: string; title: string };
  hasPrePost: boolean;
  summary: GainSummary;
  modules: LabelledGain[];
  questions: LabelledGain[];
}

/**
 * Knowledge gain in a course, from each member's first pre-test and first post-test (members with both):
 * overall, per module and per question. Modules in the course's order, "general" last; questions by
 * module, then by their gain, smallest first (what the course teaches least well comes first).
 */
export async function knowledgeGainReport(
  courseId: string,
  range: ReportRange,
  locale: Locale,
  generalLabel: string,
): Promise<KnowledgeGainReport> {
  const course = await courseOr404(courseId);
  const id = String(course._id);
  const moduleOrder = course.modules.map((m) => String(m._id));
  const [cohort, bank] = await Promise.all([
    loadCohort([id], range, undefined, { questions: true }),
    questionsWithModules(id, moduleOrder),
  ]);
  const q = cohort.quizzes.get(id)!;
  const moduleOf = (questionId: string) => bank.get(questionId)?.moduleId ?? '';
  const items = itemGains(cohort.pairs, moduleOf);
  const moduleLabel = (m: string) => {
    const found = course.modules.find((x) => String(x._id) === m);
    return found ? localized(found.title, locale, course.primaryLocale) || '—' : generalLabel;
  };
  const rank = (m: string) => (m ? moduleOrder.indexOf(m) : Number.MAX_SAFE_INTEGER);
  const questionLabel = (qid: string) => {
    const b = bank.get(qid);
    return (b && (localized(b.text, locale, course.primaryLocale) || b.name)) || qid;
  };
  return {
    course: { id, title: courseTitle(course, locale) },
    hasPrePost: Boolean(q.pretest && q.posttest),
    summary: gainSummary(cohort.pairs),
    modules: items.modules
      .sort((a, b) => rank(a.id) - rank(b.id))
      .map((m) => ({ ...m, label: moduleLabel(m.id) })),
    questions: items.questions
      .map((g) => ({ ...g, label: questionLabel(g.id), moduleLabel: moduleLabel(moduleOf(g.id)) }))
      .sort((a, b) => rank(moduleOf(a.id)) - rank(moduleOf(b.id)) || (a.gain ?? 0) - (b.gain ?? 0)),
  };
}
