import { certificatesIssuedTo } from '../certificates/certificate-lists.service.js';
import { AppError } from '../core/app-error.js';
import type { Locale } from '../core/i18n.js';
import { idOr404 } from '../core/object-id.js';
import { findCourse, localized } from '../courses/courses.service.js';
import { enrolmentFacts } from '../progress/progress-stats.service.js';
import { submittedAttemptsOf } from '../quizzes/attempt-stats.service.js';
import { quizLabels } from '../quizzes/quiz-stats.service.js';
import { roundDays, roundsOfMember } from '../rounds/rounds.service.js';
import { peopleByIds } from '../users/users.service.js';
import type { ReportRange } from './report-filters.js';
import { courseTitle } from './reports.service.js';

/**
 * One person's history, for staff: enrolments, every submitted attempt with its score, completions,
 * certificates, and the days they attended each round. The one report that shows an email address: a
 * coordinator looking at one person is the one who may need to write to them.
 */

export type TimelineEvent =
  | { kind: 'enrolled'; at: Date; course: string; left: boolean; lessonsDone: number }
  | {
      kind: 'attempt';
      at: Date;
      course: string;
      quiz: string;
      quizKind: string;
      number: number;
      percent: number;
      passed: boolean;
    }
  | { kind: 'completed'; at: Date; course: string; days: number }
  | { kind: 'certificate'; at: Date; course: string; revoked: boolean };

export interface MemberTimeline {
  person: {
    id: string;
    name: string;
    localName: string;
    email: string;
    organisation: string;
    province: string;
  };
  events: TimelineEvent[];
  rounds: {
    id: string;
    name: string;
    startDate: string;
    endDate: string;
    daysPresent: number;
    days: number;
  }[];
}

export async function memberTimeline(
  userId: string,
  range: ReportRange,
  locale: Locale,
): Promise<MemberTimeline> {
  const id = String(idOr404(userId));
  const person = (await peopleByIds([id])).get(id);
  if (!person) throw AppError.notFound();
  const [enrolments, attempts, certificates, rounds] = await Promise.all([
    enrolmentFacts({ userIds: [id], includeLeft: true }),
    submittedAttemptsOf(id),
    certificatesIssuedTo(id),
    roundsOfMember(id),
  ]);
  const courseIds = [...new Set([...enrolments, ...attempts, ...certificates].map((x) => x.courseId))];
  const [courses, quizzes] = await Promise.all([
    Promise.all(courseIds.map((c) => findCourse(c))),
    quizLabels([...new Set(attempts.map((a) => a.quizId))]),
  ]);
  const titles = new Map(courseIds.map((c, i) => [c, courses[i] ? courseTitle(courses[i], locale) : '—']));
  const primary = new Map(courseIds.map((c, i) => [c, courses[i]?.primaryLocale ?? 'en']));
  const title = (c: string) => titles.get(c) ?? '—';
  const events: TimelineEvent[] = [
    ...enrolments.flatMap((e): TimelineEvent[] => [
      {
        kind: 'enrolled',
        at: e.enrolledAt,
        course: title(e.courseId),
        left: e.status === 'left',
        lessonsDone: e.lessonsDone,
      },
      ...(e.completedAt
        ? [
            {
              kind: 'completed' as const,
              at: e.completedAt,
              course: title(e.courseId),
              days: (e.completedAt.getTime() - e.enrolledAt.getTime()) / 86_400_000,
            },
          ]
        : []),
    ]),
    ...attempts.map((a): TimelineEvent => {
      const q = quizzes.get(a.quizId);
      return {
        kind: 'attempt',
        at: a.submittedAt,
        course: title(a.courseId),
        quiz: q ? localized(q.title, locale, primary.get(a.courseId) ?? 'en') : '',
        quizKind: q?.kind ?? 'module',
        number: a.number,
        percent: a.percent,
        passed: a.passed,
      };
    }),
    ...certificates.map((c): TimelineEvent => ({
      kind: 'certificate',
      at: c.issuedAt,
      course: title(c.courseId),
      revoked: c.revokedAt !== null,
    })),
  ]
    .filter((e) => (!range.from || e.at >= range.from) && (!range.to || e.at < range.to))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  return {
    person: {
      id,
      name: person.displayName,
      localName: person.localName,
      email: person.email,
      organisation: person.organisation,
      province: person.province,
    },
    events,
    rounds: rounds.map((r) => {
      const days = roundDays(r);
      const present = days.filter((d) => (r.attendance?.[d] ?? []).some((m) => String(m) === id)).length;
      return {
        id: String(r._id),
        name: r.name,
        startDate: r.startDate,
        endDate: r.endDate,
        daysPresent: present,
        days: days.length,
      };
    }),
  };
}
