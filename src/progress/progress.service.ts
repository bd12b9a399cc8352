import { Types } from 'mongoose';
import { isDuplicateKey } from '../core/app-error.js';
import { paginate, type Page } from '../core/pagination.js';
import { Enrolment, type EnrolmentDoc } from './enrolment.model.js';

/**
 * Who is in which course and how far they have come. Every change is one atomic update on the person's
 * enrolment (an upsert on the unique user + course pair, $addToSet for a completed lesson), so two taps,
 * two tabs or a retried request never lose or double anything.
 */

export interface Progress {
  enrolled: boolean;
  completed: Set<string>;
  lastLessonId: string | null;
}

const id = (value: string) => new Types.ObjectId(value);

export async function enrol(userId: string, courseId: string): Promise<void> {
  try {
    await Enrolment.updateOne(
      { userId: id(userId), courseId: id(courseId) },
      { $set: { status: 'active' } },
      { upsert: true },
    );
  } catch (err) {
    // Two enrolments at the same moment: the other one made it, which is what was wanted.
    if (!isDuplicateKey(err)) throw err;
  }
}

/** Leaving keeps the record (completed lessons come back if they enrol again). */
export async function leave(userId: string, courseId: string): Promise<void> {
  await Enrolment.updateOne({ userId: id(userId), courseId: id(courseId) }, { $set: { status: 'left' } });
}

export async function progressIn(userId: string, courseId: string): Promise<Progress> {
  const e = await Enrolment.findOne({ userId: id(userId), courseId: id(courseId) }).lean<EnrolmentDoc>();
  return {
    enrolled: e?.status === 'active',
    completed: new Set((e?.completedLessons ?? []).map(String)),
    lastLessonId: e?.lastLessonId ? String(e.lastLessonId) : null,
  };
}

export async function isEnrolled(userId: string, courseId: string): Promise<boolean> {
  return (await Enrolment.exists({ userId: id(userId), courseId: id(courseId), status: 'active' })) !== null;
}

/** Remembers where the person is, for "continue where you left off". */
export async function visitLesson(userId: string, courseId: string, lessonId: string): Promise<void> {
  await Enrolment.updateOne(
    { userId: id(userId), courseId: id(courseId), status: 'active' },
    { $set: { lastLessonId: id(lessonId) } },
  );
}

/**
 * Marks a lesson complete; when that makes every lesson of the course complete, the course is, once
 * (completedAt is set only where it was still empty). Says whether the person was enrolled at all, and
 * whether the course is now complete.
 */
export async function completeLesson(
  userId: string,
  courseId: string,
  lessonId: string,
  allLessonIds: string[],
): Promise<{ enrolled: boolean; courseComplete: boolean }> {
  const after = await Enrolment.findOneAndUpdate(
    { userId: id(userId), courseId: id(courseId), status: 'active' },
    { $addToSet: { completedLessons: id(lessonId) }, $set: { lastLessonId: id(lessonId) } },
    { returnDocument: 'after' },
  ).lean<EnrolmentDoc>();
  if (!after) return { enrolled: false, courseComplete: false };
  const done = new Set(after.completedLessons.map(String));
  if (!allLessonIds.every((l) => done.has(l))) return { enrolled: true, courseComplete: false };
  await Enrolment.updateOne({ _id: after._id, completedAt: null }, { $set: { completedAt: new Date() } });
  return { enrolled: true, courseComplete: true };
}

/** The courses a person is in, for their home page. */
export async function enrolmentsOf(
  userId: string,
): Promise<{ courseId: string; completed: Set<string>; lastLessonId: string | null }[]> {
  const rows = await Enrolment.find({ userId: id(userId), status: 'active' })
    .sort({ updatedAt: -1 })
    .limit(100)
    .lean<EnrolmentDoc[]>();
  return rows.map((e) => ({
    courseId: String(e.courseId),
    completed: new Set(e.completedLessons.map(String)),
    lastLessonId: e.lastLessonId ? String(e.lastLessonId) : null,
  }));
}

export interface CourseMember {
  userId: string;
  completedLessons: number;
  completedAt: Date | null;
}

/** Who is enrolled in a course, most recently active first, a page at a time (for its staff page). */
export async function membersOf(courseId: string, page: number, perPage = 50): Promise<Page<CourseMember>> {
  const filter = { courseId: id(courseId), status: 'active' as const };
  return paginate(
    page,
    perPage,
    async (skip, limit) =>
      (
        await Enrolment.find(filter)
          .sort({ updatedAt: -1, _id: -1 })
          .skip(skip)
          .limit(limit)
          .lean<EnrolmentDoc[]>()
      ).map((e) => ({
        userId: String(e.userId),
        completedLessons: e.completedLessons.length,
        completedAt: e.completedAt ?? null,
      })),
    () => Enrolment.countDocuments(filter),
  );
}
