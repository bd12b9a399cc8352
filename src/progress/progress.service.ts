import { Types } from 'mongoose';
import { isDuplicateKey } from '../core/app-error.js';
import { appEvents } from '../core/events.js';
import { paginate, type Page } from '../core/pagination.js';
import { sharedCache, signalWritten } from '../core/shared-cache.js';
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
  /** Best and first percent per quiz id, and the quizzes passed. */
  quizzes: QuizResults;
}

export interface QuizResults {
  best: Record<string, number>;
  first: Record<string, number>;
  passed: Set<string>;
}

function quizResultsOf(e: EnrolmentDoc | null): QuizResults {
  return {
    best: e?.quizBest ?? {},
    first: e?.quizFirst ?? {},
    passed: new Set((e?.passedQuizzes ?? []).map(String)),
  };
}

const id = (value: string) => new Types.ObjectId(value);

/**
 * A person's enrolments, from memory once read: the home, lesson and quiz pages each need them, and they
 * change only when that person does something (or staff enrol them). Every write below forgets the
 * person's entry here as soon as it has happened, and tells the other instances, which drop theirs within
 * shared-cache's POLL_MS.
 */
export const ENROLMENTS_CHANGED = 'enrolments';
const byPerson = sharedCache<EnrolmentDoc[] | 'too many'>(ENROLMENTS_CHANGED);
/** Beyond this many courses a person's enrolments are not kept in memory but read course by course. */
const MAX_KEPT = 500;

/** The cache's key for a person: the id as the database gives it back (an uppercase id is the same person). */
const personKey = (userId: string) => id(userId).toHexString();

async function enrolmentsKept(userId: string): Promise<EnrolmentDoc[] | 'too many'> {
  return byPerson.get(personKey(userId), async () => {
    const rows = await Enrolment.find({ userId: id(userId) })
      .limit(MAX_KEPT + 1)
      .lean<EnrolmentDoc[]>();
    return rows.length > MAX_KEPT ? 'too many' : rows;
  });
}

async function enrolmentIn(userId: string, courseId: string): Promise<EnrolmentDoc | null> {
  const kept = await enrolmentsKept(userId);
  const course = id(courseId).toHexString();
  const found = kept === 'too many' ? undefined : kept.find((e) => String(e.courseId) === course);
  if (found?.status === 'active') return found;
  // Not enrolled, as far as this instance knows: a member who has just enrolled through another instance
  // (behind a proxy without sticky sessions) must not be turned away before this one hears of it, so a
  // refusal is always read afresh. Enrolled members, the common case, cost no read.
  const stored = await Enrolment.findOne({ userId: id(userId), courseId: id(courseId) }).lean<EnrolmentDoc>();
  if (kept !== 'too many' && (stored?.status ?? null) !== (found?.status ?? null))
    byPerson.forget(personKey(userId));
  return stored;
}

/**
 * Runs a write to a person's enrolments; whatever its outcome, what was kept of them is stale here, and
 * (unless `tellOthers` is false, for a change no other instance needs at once) on the others.
 */
async function writing<T>(userId: string, write: () => Promise<T>, tellOthers = true): Promise<T> {
  try {
    return await write();
  } finally {
    byPerson.forget(personKey(userId));
    if (tellOthers) await signalWritten(ENROLMENTS_CHANGED, { announceOnly: true });
  }
}

export async function enrol(userId: string, courseId: string): Promise<void> {
  await writing(userId, async () => {
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
  });
}

/** Leaving keeps the record (completed lessons come back if they enrol again). */
export async function leave(userId: string, courseId: string): Promise<void> {
  await writing(userId, () =>
    Enrolment.updateOne({ userId: id(userId), courseId: id(courseId) }, { $set: { status: 'left' } }),
  );
}

export async function progressIn(userId: string, courseId: string): Promise<Progress> {
  const e = await enrolmentIn(userId, courseId);
  return {
    enrolled: e?.status === 'active',
    completed: new Set((e?.completedLessons ?? []).map(String)),
    lastLessonId: e?.lastLessonId ? String(e.lastLessonId) : null,
    quizzes: quizResultsOf(e),
  };
}

export async function isEnrolled(userId: string, courseId: string): Promise<boolean> {
  return (await enrolmentIn(userId, courseId))?.status === 'active';
}

/** Remembers where the person is, for "continue where you left off". */
export async function visitLesson(userId: string, courseId: string, lessonId: string): Promise<void> {
  // Where someone was is only for "continue where you left off": other instances may show the place
  // before for a while (at most shared-cache's maximum age) rather than drop every member's enrolments at
  // each page turned.
  await writing(
    userId,
    () =>
      Enrolment.updateOne(
        { userId: id(userId), courseId: id(courseId), status: 'active' },
        { $set: { lastLessonId: id(lessonId) } },
      ),
    false,
  );
}

/** What completing a course takes: every lesson, and every required quiz passed (module quizzes, post-test). */
export interface CompletionRule {
  lessonIds: string[];
  quizIds: string[];
}

/**
 * Sets completedAt once, when the enrolment meets the rule, and tells the listeners (certificates) once:
 * the update matches only while completedAt is still empty, so two racing requests complete it once.
 */
async function completeIfDone(e: EnrolmentDoc, rule: CompletionRule, at: Date): Promise<boolean> {
  const lessons = new Set(e.completedLessons.map(String));
  const passed = new Set((e.passedQuizzes ?? []).map(String));
  if (!rule.lessonIds.every((l) => lessons.has(l)) || !rule.quizIds.every((q) => passed.has(q))) return false;
  const first = await Enrolment.updateOne({ _id: e._id, completedAt: null }, { $set: { completedAt: at } });
  if (first.modifiedCount === 1)
    appEvents.emit('course.completed', { userId: String(e.userId), courseId: String(e.courseId), at });
  return true;
}

/**
 * Marks a lesson complete, then the course when that completes it. Says whether the person was enrolled
 * at all, and whether the course is now complete. `now` is when it happened (the demo replays a past round).
 */
export async function completeLesson(
  userId: string,
  courseId: string,
  lessonId: string,
  rule: CompletionRule,
  now = new Date(),
): Promise<{ enrolled: boolean; courseComplete: boolean }> {
  return writing(userId, async () => {
    const after = await Enrolment.findOneAndUpdate(
      { userId: id(userId), courseId: id(courseId), status: 'active' },
      { $addToSet: { completedLessons: id(lessonId) }, $set: { lastLessonId: id(lessonId) } },
      { returnDocument: 'after' },
    ).lean<EnrolmentDoc>();
    if (!after) return { enrolled: false, courseComplete: false };
    return { enrolled: true, courseComplete: await completeIfDone(after, rule, now) };
  });
}

/**
 * Keeps a submitted attempt's result: the best percent ($max), the first percent (set once), and the quiz
 * among the passed ones; then completes the course if that was the last thing missing. Each is an atomic
 * update of the one enrolment document, so parallel submissions cannot lose a result.
 */
export async function recordQuizResult(
  userId: string,
  courseId: string,
  result: { quizId: string; percent: number; passed: boolean },
  rule: CompletionRule,
  now = new Date(),
): Promise<{ courseComplete: boolean }> {
  const filter = { userId: id(userId), courseId: id(courseId) };
  return writing(userId, async () => {
    await Enrolment.updateOne(
      { ...filter, [`quizFirst.${result.quizId}`]: { $exists: false } },
      { $set: { [`quizFirst.${result.quizId}`]: result.percent } },
    );
    const after = await Enrolment.findOneAndUpdate(
      filter,
      {
        $max: { [`quizBest.${result.quizId}`]: result.percent },
        ...(result.passed ? { $addToSet: { passedQuizzes: id(result.quizId) } } : {}),
      },
      { returnDocument: 'after' },
    ).lean<EnrolmentDoc>();
    if (!after || after.status !== 'active') return { courseComplete: false };
    return { courseComplete: await completeIfDone(after, rule, now) };
  });
}

/**
 * Replaces the result of a quiz whose only attempt was corrected (a paper answer sheet typed in again):
 * that attempt is both the first and the best, so both are set to it, and the quiz is passed or not by it.
 */
export async function replaceQuizResult(
  userId: string,
  courseId: string,
  result: { quizId: string; percent: number; passed: boolean },
  rule: CompletionRule,
): Promise<{ courseComplete: boolean }> {
  const quiz = id(result.quizId);
  return writing(userId, async () => {
    const after = await Enrolment.findOneAndUpdate(
      { userId: id(userId), courseId: id(courseId) },
      {
        $set: {
          [`quizFirst.${result.quizId}`]: result.percent,
          [`quizBest.${result.quizId}`]: result.percent,
        },
        ...(result.passed ? { $addToSet: { passedQuizzes: quiz } } : { $pull: { passedQuizzes: quiz } }),
      },
      { returnDocument: 'after' },
    ).lean<EnrolmentDoc>();
    if (!after || after.status !== 'active') return { courseComplete: false };
    return { courseComplete: await completeIfDone(after, rule, new Date()) };
  });
}

/** How many course completions there have been since a moment (a coordinator's "this month"). */
export async function countCompletionsSince(since: Date): Promise<number> {
  return Enrolment.countDocuments({ completedAt: { $gte: since } });
}

export interface ActiveEnrolment {
  courseId: string;
  completed: ReadonlySet<string>;
  lastLessonId: string | null;
  completedAt: Date | null;
}

/**
 * What enrolmentsOf made of each person's kept enrolments: the home page asks on every visit, and turning
 * every completed lesson's id into text each time was most of its work. Dropped with the kept rows.
 */
const shaped = new WeakMap<EnrolmentDoc[], readonly ActiveEnrolment[]>();

const shape = (rows: EnrolmentDoc[]): ActiveEnrolment[] =>
  rows.map((e) => ({
    courseId: String(e.courseId),
    completed: new Set(e.completedLessons.map(String)),
    lastLessonId: e.lastLessonId ? String(e.lastLessonId) : null,
    completedAt: e.completedAt ?? null,
  }));

/** The courses a person is in (active, most recently changed first, at most 100), for their home page. */
export async function enrolmentsOf(userId: string): Promise<readonly ActiveEnrolment[]> {
  const kept = await enrolmentsKept(userId);
  if (kept === 'too many')
    return shape(
      await Enrolment.find({ userId: id(userId), status: 'active' })
        .sort({ updatedAt: -1 })
        .limit(100)
        .lean<EnrolmentDoc[]>(),
    );
  let result = shaped.get(kept);
  if (!result) {
    result = shape(
      kept
        .filter((e) => e.status === 'active')
        .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())
        .slice(0, 100),
    );
    shaped.set(kept, result);
  }
  return result;
}

export interface CourseMember {
  userId: string;
  completedLessons: number;
  passedQuizzes: number;
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
        passedQuizzes: (e.passedQuizzes ?? []).length,
        completedAt: e.completedAt ?? null,
      })),
    () => Enrolment.countDocuments(filter),
  );
}

export interface Completion {
  userId: string;
  courseId: string;
  completedAt: Date;
  quizBest: Record<string, number>;
}

const toCompletion = (e: EnrolmentDoc): Completion => ({
  userId: String(e.userId),
  courseId: String(e.courseId),
  completedAt: e.completedAt!,
  quizBest: e.quizBest ?? {},
});

/** A person's completion of a course, when they have completed it (leaving afterwards does not undo it). */
export async function completionOf(userId: string, courseId: string): Promise<Completion | null> {
  const e = await Enrolment.findOne({
    userId: id(userId),
    courseId: id(courseId),
    completedAt: { $ne: null },
  }).lean<EnrolmentDoc>();
  return e ? toCompletion(e) : null;
}

/** Completions of a course or of a person, oldest first, for certificates not yet issued. */
export async function completions(filter: { courseId?: string; userId?: string }): Promise<Completion[]> {
  const query: Record<string, unknown> = { completedAt: { $ne: null } };
  if (filter.courseId) query.courseId = id(filter.courseId);
  if (filter.userId) query.userId = id(filter.userId);
  const rows = await Enrolment.find(query).sort({ completedAt: 1 }).limit(10_000).lean<EnrolmentDoc[]>();
  return rows.map(toCompletion);
}

/** Every person's active enrolments as course ids, for exports. */
export async function activeEnrolmentsByPerson(): Promise<Map<string, string[]>> {
  const rows = await Enrolment.find({ status: 'active' }, { userId: 1, courseId: 1 })
    .sort({ createdAt: 1 })
    .lean<{ userId: Types.ObjectId; courseId: Types.ObjectId }[]>();
  const byPerson = new Map<string, string[]>();
  for (const r of rows) {
    const key = String(r.userId);
    byPerson.set(key, [...(byPerson.get(key) ?? []), String(r.courseId)]);
  }
  return byPerson;
}

/**
 * Enrols many people in one course at once (an import of thousands): the same idempotent upsert as
 * `enrol`, sent as one unordered bulk write per thousand instead of one request each.
 */
export async function enrolMany(userIds: string[], courseId: string, since?: Date): Promise<void> {
  const course = id(courseId);
  try {
    await enrolInBulk(userIds, course, since);
  } finally {
    await signalWritten(ENROLMENTS_CHANGED);
  }
}

async function enrolInBulk(userIds: string[], course: Types.ObjectId, since?: Date): Promise<void> {
  for (let i = 0; i < userIds.length; i += 1000) {
    try {
      await Enrolment.bulkWrite(
        userIds.slice(i, i + 1000).map((u) => ({
          updateOne: {
            filter: { userId: id(u), courseId: course },
            // `since`: an enrolment made when it really happened (a past round loaded afterwards), so
            // "time to complete" counts from that day, not from the day it was typed in.
            update: since
              ? { $set: { status: 'active' as const }, $setOnInsert: { createdAt: since, updatedAt: since } }
              : { $set: { status: 'active' as const } },
            upsert: true,
            ...(since ? { timestamps: false } : {}),
          },
        })),
        { ordered: false },
      );
    } catch (err) {
      // Someone enrolled one of them at the same moment: that enrolment is the one wanted.
      if (!isDuplicateKey(err)) throw err;
    }
  }
}
