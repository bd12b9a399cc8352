import { AppError } from '../core/app-error.js';
import type { Locale } from '../core/i18n.js';
import { idOr404 } from '../core/object-id.js';
import { coursesEditableBy, findCourse } from '../courses/courses.service.js';
import { allRounds, findRound, roundDays } from '../rounds/rounds.service.js';
import { provincesOfPeople } from '../users/user-stats.service.js';
import { displayNames, peopleByIds, type SessionUser } from '../users/users.service.js';
import { loadCohort, type Cohort } from './report-data.js';
import type { ReportRange } from './report-filters.js';
import {
  courseFigures,
  gainSummary,
  keyOf,
  statusOf,
  type CourseFigures,
  type GainSummary,
  type MemberStatus,
} from './report-figures.js';
import { courseTitle } from './reports.service.js';

/** Reports over groups of members: a training round, the provinces, the trainers. */

/** The figures of the part of a cohort whose "user|course" keys pass the test. */
function figuresOf(
  cohort: Cohort,
  keep: (key: string) => boolean,
): { figures: CourseFigures; gain: GainSummary } {
  return {
    figures: courseFigures(
      cohort.enrolments.filter((e) => keep(keyOf(e.userId, e.courseId))),
      cohort.attempted,
      cohort.scores,
      cohort.before,
    ),
    gain: gainSummary(cohort.pairs.filter((p) => keep(keyOf(p.userId, p.courseId)))),
  };
}

export interface RoundReport {
  round: { id: string; name: string; startDate: string; endDate: string; venue: string; province: string };
  members: number;
  days: { day: string; present: number }[];
  /** Present member-days ÷ (members × days) × 100. */
  attendanceRate: number | null;
  courses: { id: string; title: string; figures: CourseFigures; gain: GainSummary }[];
  gain: GainSummary;
  people: {
    id: string;
    name: string;
    organisation: string;
    province: string;
    daysPresent: number;
    /** Per linked course, in the order of `courses`; null: not enrolled (in the range). */
    statuses: (MemberStatus | null)[];
  }[];
}

/**
 * A round: its attendance (over the round's own days, whatever the range) and, for each linked course,
 * the course figures of the round's members only.
 */
export async function roundReport(roundId: string, range: ReportRange, locale: Locale): Promise<RoundReport> {
  const round = await findRound(String(idOr404(roundId)));
  if (!round) throw AppError.notFound();
  const memberIds = round.memberIds.map(String);
  const members = new Set(memberIds);
  const courseIds = round.courseIds.map(String);
  const [cohort, people, courses] = await Promise.all([
    loadCohort(courseIds, range, memberIds),
    peopleByIds(memberIds),
    Promise.all(courseIds.map((c) => findCourse(c))),
  ]);
  const days = roundDays(round).map((day) => ({
    day,
    // Someone taken out of the round after the day was marked no longer counts, on either side.
    present: new Set((round.attendance?.[day] ?? []).map(String).filter((id) => members.has(id))).size,
  }));
  const presentDays = days.reduce((n, d) => n + d.present, 0);
  const present = new Map<string, number>();
  for (const d of days)
    for (const id of new Set((round.attendance?.[d.day] ?? []).map(String)))
      present.set(id, (present.get(id) ?? 0) + 1);
  const linked = courseIds.flatMap((id, i) => {
    const course = courses[i];
    if (!course) return [];
    return [{ id, title: courseTitle(course, locale), ...figuresOf(cohort, (k) => k.endsWith(`|${id}`)) }];
  });
  const enrolment = new Map(cohort.enrolments.map((e) => [keyOf(e.userId, e.courseId), e]));
  return {
    round: {
      id: String(round._id),
      name: round.name,
      startDate: round.startDate,
      endDate: round.endDate,
      venue: round.venue,
      province: round.province,
    },
    members: members.size,
    days,
    attendanceRate: members.size && days.length ? (presentDays / (members.size * days.length)) * 100 : null,
    courses: linked,
    gain: gainSummary(cohort.pairs),
    people: memberIds
      .map((id) => {
        const p = people.get(id);
        return {
          id,
          name: p?.displayName ?? '',
          organisation: p?.organisation ?? '',
          province: p?.province ?? '',
          daysPresent: present.get(id) ?? 0,
          statuses: linked.map((c) => {
            const e = enrolment.get(keyOf(id, c.id));
            return e ? statusOf(e, cohort.attempted, cohort.before) : null;
          }),
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}

export interface GroupRow {
  /** The province ('' when not recorded), or the trainer's id. */
  key: string;
  label: string;
  members: number;
  figures: CourseFigures;
  gain: GainSummary;
  rounds?: number;
}

/**
 * Per province of residence (as recorded on each person): active members, and the enrolments in the
 * range of all courses with their completion and knowledge gain. Largest first.
 */
export async function provincesReport(user: SessionUser, range: ReportRange): Promise<GroupRow[]> {
  const courseIds = (await coursesEditableBy(user)).map((c) => c.id);
  const [cohort, people] = await Promise.all([loadCohort(courseIds, range), provincesOfPeople()]);
  const provinceOf = (userId: string) => people.get(userId)?.province ?? '';
  const members = new Map<string, number>();
  for (const p of people.values()) if (p.member) members.set(p.province, (members.get(p.province) ?? 0) + 1);
  const provinces = new Set([...members.keys(), ...cohort.enrolments.map((e) => provinceOf(e.userId))]);
  // Each enrolment's province, looked up once (not once per province).
  const byKey = new Map(cohort.enrolments.map((e) => [keyOf(e.userId, e.courseId), provinceOf(e.userId)]));
  return [...provinces]
    .map((province) => ({
      key: province,
      label: province,
      members: members.get(province) ?? 0,
      ...figuresOf(cohort, (k) => byKey.get(k) === province),
    }))
    .sort(
      (a, b) =>
        b.members - a.members || b.figures.enrolled - a.figures.enrolled || a.label.localeCompare(b.label),
    );
}

/**
 * Per trainer: the rounds they trained, and the figures of those rounds' members in those rounds'
 * linked courses (a member counts for every trainer of their round).
 */
export async function trainersReport(range: ReportRange): Promise<GroupRow[]> {
  const rounds = await allRounds();
  const byTrainer = new Map<string, { rounds: number; members: Set<string>; keys: Set<string> }>();
  for (const r of rounds)
    for (const t of r.trainerIds.map(String)) {
      const entry = byTrainer.get(t) ?? { rounds: 0, members: new Set(), keys: new Set() };
      entry.rounds += 1;
      for (const m of r.memberIds.map(String)) {
        entry.members.add(m);
        for (const c of r.courseIds.map(String)) entry.keys.add(keyOf(m, c));
      }
      byTrainer.set(t, entry);
    }
  const courseIds = [...new Set(rounds.flatMap((r) => r.courseIds.map(String)))];
  const [cohort, names] = await Promise.all([loadCohort(courseIds, range), displayNames(byTrainer.keys())]);
  return [...byTrainer]
    .map(([id, t]) => ({
      key: id,
      label: names.get(id) ?? '',
      rounds: t.rounds,
      members: t.members.size,
      ...figuresOf(cohort, (k) => t.keys.has(k)),
    }))
    .sort((a, b) => a.label.localeCompare(b.label));
}
