import type { Request, RequestHandler } from 'express';
import { calendarDay, startOfMonth } from '../core/dates.js';
import { hasRole } from '../core/roles.js';
import { countUnprinted, validCertificatesHeld } from '../certificates/certificate-lists.service.js';
import { formatCode } from '../certificates/certificates.service.js';
import {
  coursesEditableBy,
  lessonIds,
  localized,
  nextLesson,
  publishedCourses,
  type CourseListItem,
} from '../courses/courses.service.js';
import { countCompletionsSince, enrolmentsOf } from '../progress/progress.service.js';
import { recentSubmissions } from '../quizzes/attempt-stats.service.js';
import { quizzesOfCourses, type CourseQuizzes } from '../quizzes/quiz-stats.service.js';
import { listRounds, roundsOfTrainer, type RoundDoc } from '../rounds/rounds.service.js';
import { getSettings } from '../settings/settings.service.js';
import { displayNames } from '../users/users.service.js';

/**
 * The home page is each person's desk: what a member goes on with; for a trainer, their courses, the
 * latest quiz submissions and the way to each quiz's item analysis; for a coordinator, the rounds under
 * way, this month's completions and the certificates waiting to be printed. Someone with several roles
 * sees each part.
 */

async function memberPart(req: Request) {
  const enrolments = await enrolmentsOf(req.user!.id);
  // Most members have completed nothing yet: their home page then asks for no certificates at all.
  const certificates = enrolments.some((e) => e.completedAt) ? await validCertificatesHeld(req.user!.id) : [];
  const courses = await publishedCourses(enrolments.map((e) => e.courseId));
  const progressOf = new Map(enrolments.map((e) => [e.courseId, e]));
  // Each course with how far the person is and the lesson to go on with; the first unfinished one is the
  // "next step".
  const mine = courses.map((c) => {
    const p = progressOf.get(String(c._id))!;
    const ids = lessonIds(c);
    const next = nextLesson(c, p.completed, p.lastLessonId);
    const text = (t: Partial<Record<string, string>>) => localized(t, req.locale, c.primaryLocale);
    return {
      slug: c.slug,
      title: text(c.title),
      done: ids.filter((i) => p.completed.has(i)).length,
      total: ids.length,
      next: next && { id: String(next._id), title: text(next.title) },
    };
  });
  return {
    courses: mine,
    nextStep: mine.find((c) => c.next),
    certificates: certificates.map((c) => ({
      code: c.code,
      shownCode: formatCode(c.code),
      title:
        localized(c.snapshot.courseTitle, req.locale, 'en') ||
        Object.values(c.snapshot.courseTitle).find(Boolean) ||
        '',
      issuedAt: c.issuedAt,
    })),
  };
}

const courseTitle = (req: Request, c: CourseListItem) =>
  localized(c.title, req.locale, c.primaryLocale) || c.slug;

/** A course's quizzes in the order a member meets them: pre-test, module quizzes, post-test. */
function quizLinks(q: CourseQuizzes | undefined): { id: string; kind: string }[] {
  if (!q) return [];
  return [
    ...(q.pretest ? [{ id: q.pretest, kind: 'pretest' }] : []),
    ...[...q.modules.keys()].map((id) => ({ id, kind: 'module' })),
    ...(q.posttest ? [{ id: q.posttest, kind: 'posttest' }] : []),
  ];
}

async function trainerPart(req: Request) {
  // A trainer's own courses (for staff who also train: every course they may edit).
  const own = await coursesEditableBy(req.user!);
  const ids = own.map((c) => c.id);
  const [recent, quizzes, rounds] = await Promise.all([
    recentSubmissions(ids, 10),
    quizzesOfCourses(ids),
    roundsOfTrainer(req.user!.id),
  ]);
  const names = await displayNames(recent.map((r) => r.userId));
  const byId = new Map(own.map((c) => [c.id, c]));
  return {
    rounds: rounds.slice(0, 5),
    courses: own.slice(0, 20).map((c) => ({
      id: c.id,
      title: courseTitle(req, c),
      status: c.status,
      quizzes: quizLinks(quizzes.get(c.id)),
    })),
    recent: recent.map((r) => ({
      ...r,
      name: names.get(r.userId) ?? '',
      course: byId.get(r.courseId) ? courseTitle(req, byId.get(r.courseId)!) : '',
    })),
  };
}

async function coordinatorPart(req: Request, timeZone: string) {
  const today = calendarDay(new Date(), timeZone);
  const [current, completions, courses] = await Promise.all([
    listRounds({ when: 'current', today }, 1, 10),
    countCompletionsSince(startOfMonth(new Date(), timeZone, req.locale)),
    coursesEditableBy(req.user!),
  ]);
  // Certificates to print: for each round under way or ended in the last 30 days, each linked course's
  // valid certificates of its members issued since that course was last printed for the round.
  const recentEnd = calendarDay(new Date(Date.now() - 30 * 86_400_000), timeZone);
  const recentRounds = await listRounds({ when: 'past', today }, 1, 10);
  const rounds: RoundDoc[] = [...current.items, ...recentRounds.items.filter((r) => r.endDate >= recentEnd)];
  const byId = new Map(courses.map((c) => [c.id, c]));
  const toPrint = (
    await Promise.all(
      rounds.flatMap((r) =>
        r.courseIds.map(async (courseId) => ({
          round: { id: String(r._id), name: r.name },
          course: byId.get(String(courseId)),
          count: await countUnprinted({
            courseId: String(courseId),
            userIds: r.memberIds.map(String),
            roundId: String(r._id),
          }),
        })),
      ),
    )
  ).filter((x) => x.course && x.count > 0);
  return {
    rounds: current.items,
    completions,
    toPrint: toPrint.map((x) => ({ ...x, courseId: x.course!.id, course: courseTitle(req, x.course!) })),
  };
}

export const showHome: RequestHandler = async (req, res) => {
  if (!req.user) {
    res.redirect(303, '/login');
    return;
  }
  const isTrainer = hasRole(req.user, 'trainer');
  const isStaff = hasRole(req.user, 'admin', 'coordinator');
  const [settings, member, trainer, coordinator] = await Promise.all([
    getSettings(),
    memberPart(req),
    isTrainer ? trainerPart(req) : undefined,
    isStaff ? coordinatorPart(req, res.locals.timeZone as string) : undefined,
  ]);
  res.render('home/index', {
    ...member,
    // Staff who are not members themselves get no empty "my courses" cards, unless they follow a course.
    showMember: hasRole(req.user, 'member') || member.courses.length > 0 || member.certificates.length > 0,
    trainer,
    coordinator,
    isTrainer: isTrainer || isStaff,
    title: req.t('home.title'),
    organisationName: settings?.organisationName ?? '',
    notice: req.query.notice === 'passwordSet' ? 'notices.passwordSet' : undefined,
    isStaff,
    isAdmin: hasRole(req.user, 'admin'),
  });
};
