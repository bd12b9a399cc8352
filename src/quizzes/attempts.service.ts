import { createHash, randomInt } from 'node:crypto';
import { idOr404 } from '../core/object-id.js';
import { Types } from 'mongoose';
import { AppError, isDuplicateKey } from '../core/app-error.js';
import { gradeResponse } from './grading/grade.js';
import { Attempt, type AttemptDoc, type SavedAnswer } from './attempt.model.js';
import type { QuizDoc } from './quiz.model.js';
import type { Question } from './question.types.js';
import { drawQuestions, questionsByIds } from './questions.service.js';
import { parseResponse } from './responses.js';

export type { AttemptDoc } from './attempt.model.js';

/**
 * An attempt's life: start (or resume the open one), save answers one at a time, submit once. Every step
 * is one atomic update of the attempt document; the limits that must hold under parallel requests (one
 * open attempt, the attempt limit, one submission per token) are unique indexes, not read-then-write.
 */

/** Answers saved this long after the deadline still count: the last save of a slow phone is in flight. */
export const GRACE_MS = 30_000;

const oid = idOr404;

function shuffled<T>(list: T[]): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * The questions of a new attempt: the chosen ones and the random draws, in the order this member sees.
 * `fixed` keeps the bank's order of questions and options (a paper version prints one order for all).
 */
export async function pickQuestions(quiz: QuizDoc, fixed = false): Promise<(Question & { id: string })[]> {
  const courseId = String(quiz.courseId);
  const chosen = await questionsByIds(courseId, quiz.questionIds.map(String));
  const picked = [...chosen];
  for (const draw of quiz.draws) {
    const taken = picked.map((q) => String(q._id));
    picked.push(...(await drawQuestions(courseId, draw.tag, draw.count, taken)));
  }
  const ordered = quiz.shuffleQuestions && !fixed ? shuffled(picked) : picked;
  return ordered.map(({ _id, courseId: _course, ...q }) => {
    const question = { ...q, id: String(_id) };
    if (quiz.shuffleOptions && !fixed && (question.type === 'single' || question.type === 'multiple'))
      return { ...question, options: shuffled(question.options) };
    return question;
  });
}

export class QuizRefusal extends AppError {}

/**
 * Starts an attempt, or gives back the open one. Two starts at once: the unique index on the open attempt
 * lets one in and the other resumes it; the attempt number is unique per member and quiz, so the limit
 * holds however many tabs start together.
 */
export async function startAttempt(
  quiz: QuizDoc,
  userId: string,
  now = new Date(),
): Promise<{ attempt: AttemptDoc; expired?: Submission }> {
  const user = oid(userId);
  let expired: Submission | undefined;
  const questions = await pickQuestions(quiz);
  if (!questions.length) throw new QuizRefusal(409, 'quizzes.errors.noQuestions');
  for (let tries = 0; tries < 10; tries += 1) {
    // The member's attempts at this quiz in one read (a few at most): whether one is open, and how many.
    const mine = await Attempt.find({ quizId: quiz._id, userId: user }, { status: 1 }).lean<
      Pick<AttemptDoc, '_id' | 'status'>[]
    >();
    const openId = mine.find((a) => a.status === 'open')?._id;
    if (openId) {
      const open = await Attempt.findOne({ _id: openId, status: 'open' }).lean<AttemptDoc>();
      if (!open) continue; // submitted in between: look again
      if (!isPastDeadline(open, now)) return { attempt: open, expired };
      // Its time ran out while the member was away: it is graded with what arrived in time.
      expired = await finalise(open, `expired:${String(open._id)}`, quiz.passMark, now);
      continue;
    }
    const count = mine.length;
    if (quiz.attemptLimit && count >= quiz.attemptLimit) {
      // The last attempt counted may be the one a parallel start has just opened: that one is resumed.
      const opened = await Attempt.findOne({
        quizId: quiz._id,
        userId: user,
        status: 'open',
      }).lean<AttemptDoc>();
      if (opened && !isPastDeadline(opened, now)) return { attempt: opened, expired };
      throw new QuizRefusal(409, 'quizzes.errors.noAttemptsLeft');
    }
    try {
      const created = await Attempt.create({
        quizId: quiz._id,
        courseId: quiz.courseId,
        userId: user,
        number: count + 1,
        startedAt: now,
        deadline: quiz.timeLimitMinutes ? new Date(now.getTime() + quiz.timeLimitMinutes * 60_000) : null,
        questions,
        answers: {},
      });
      return { attempt: created.toObject() as AttemptDoc, expired };
    } catch (err) {
      // Another start won the race (its number, or its open attempt): look again, after a moment, so the
      // winner's attempt is there to be found.
      if (!isDuplicateKey(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 5 + randomInt(20)));
    }
  }
  throw new AppError(409, 'errors.conflict');
}

export function isPastDeadline(a: Pick<AttemptDoc, 'deadline'>, now: Date): boolean {
  return a.deadline !== null && now.getTime() > new Date(a.deadline).getTime() + GRACE_MS;
}

/** The member's own attempt, or a 404 (someone else's attempt does not exist for them). */
export async function ownAttempt(attemptId: string, userId: string): Promise<AttemptDoc> {
  const a = await Attempt.findOne({ _id: oid(attemptId), userId: oid(userId) }).lean<AttemptDoc>();
  if (!a) throw AppError.notFound();
  return a;
}

/**
 * What saving an answer needs of an attempt, fixed when it starts: its owner, its deadline, and for each
 * question its id, type and the ids of its options or pairs (what parseResponse checks an answer
 * against). Texts and feedback are left out, so a frame is a few hundred bytes.
 */
export interface AttemptFrame {
  _id: Types.ObjectId;
  userId: Types.ObjectId;
  deadline: Date | null;
  questions: (Question & { id: string })[];
}

/**
 * Frames of attempts under way, by id. Saving an answer is the hot path of a quiz (a room of members, one
 * save per question each), and a frame cannot go stale (its fields are fixed at the start), so memory
 * spares a read of the whole attempt on every save, on any number of app instances. Only an attempt's
 * owner brings its frame into memory, so nobody can fill it with other members' attempts.
 */
const frames = new Map<string, AttemptFrame>();
const FRAMES_KEPT = 20_000;

function skeleton(q: Question & { id: string }): Question & { id: string } {
  const ids = (items: { id: string }[] | undefined) => items?.map((i) => ({ id: i.id }));
  // Only what parseResponse reads; the rest of the question stays in the attempt document.
  return {
    id: q.id,
    type: q.type,
    options: ids((q as { options?: { id: string }[] }).options),
    pairs: ids((q as { pairs?: { id: string }[] }).pairs),
  } as unknown as Question & { id: string };
}

/** The member's own attempt's frame, or a 404, as for ownAttempt. */
export async function ownAttemptFrame(attemptId: string, userId: string): Promise<AttemptFrame> {
  let frame = frames.get(attemptId);
  if (!frame) {
    const found = await Attempt.findOne(
      { _id: oid(attemptId), userId: oid(userId) },
      { userId: 1, questions: 1, deadline: 1, status: 1 },
    ).lean<AttemptFrame & { status: string }>();
    if (!found) throw AppError.notFound();
    frame = {
      _id: found._id,
      userId: found.userId,
      deadline: found.deadline,
      questions: found.questions.map(skeleton),
    };
    // A submitted attempt takes no more saves: only attempts under way are kept.
    if (found.status === 'open') {
      if (frames.size >= FRAMES_KEPT) frames.delete(frames.keys().next().value!);
      frames.set(attemptId, frame);
    }
  }
  if (String(frame.userId) !== userId) throw AppError.notFound();
  return frame;
}

/** A submitted attempt takes no more saves: its frame is let go. */
function forgetFrame(attemptId: string): void {
  frames.delete(attemptId);
}

export type SaveOutcome = 'saved' | 'superseded' | 'submitted' | 'late';

/**
 * Saves one answer. `seq` orders the saves of one browser (a timestamp): a replay or a late-arriving
 * older save never overwrites a newer answer. After the deadline (plus GRACE_MS) nothing is saved.
 */
export async function saveAnswer(
  attempt: AttemptFrame,
  questionId: string,
  raw: unknown,
  seq: number,
  now = new Date(),
): Promise<SaveOutcome> {
  const question = attempt.questions.find((q) => q.id === questionId);
  if (!question) throw AppError.notFound();
  if (!Number.isSafeInteger(seq) || seq < 0) throw new AppError(400, 'errors.badRequest');
  const response = parseResponse(question, raw);
  if (!response) throw new AppError(422, 'quizzes.errors.badAnswer');
  const key = `answers.${questionId}`;
  const saved: SavedAnswer = { response, seq, savedAt: now };
  const result = await Attempt.updateOne(
    {
      _id: attempt._id,
      status: 'open',
      $and: [
        { $or: [{ deadline: null }, { deadline: { $gte: new Date(now.getTime() - GRACE_MS) } }] },
        { $or: [{ [key]: { $exists: false } }, { [`${key}.seq`]: { $lt: seq } }] },
      ],
    },
    { $set: { [key]: saved } },
  );
  if (result.matchedCount === 1) return 'saved';
  const current = await Attempt.findById(attempt._id).lean<AttemptDoc>();
  if (!current) throw AppError.notFound();
  if (current.status === 'submitted') return 'submitted';
  if (isPastDeadline(current, now)) return 'late';
  return 'superseded';
}

/** A short code, unique per attempt, that a member can quote and staff can look up: no look-alike letters. */
const RECEIPT_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
function receiptFor(attemptId: string, answers: Record<string, SavedAnswer>, submittedAt: Date): string {
  const canonical = JSON.stringify(
    Object.keys(answers)
      .sort()
      .map((k) => [k, answers[k]!.response]),
  );
  const digest = createHash('sha256')
    .update(`${attemptId}|${canonical}|${submittedAt.toISOString()}`)
    .digest();
  return Array.from(digest.subarray(0, 10), (b) => RECEIPT_ALPHABET[b % 32]).join('');
}

export interface Submission {
  attempt: AttemptDoc;
  /** True only for the request whose submission counted (not a repeat or a replay). */
  counted: boolean;
}

/** The grade of each question and the totals, for answers held against an attempt's frozen questions. */
export function gradeAnswers(questions: AttemptDoc['questions'], answers: AttemptDoc['answers']) {
  const grades = questions.map((q) => ({ questionId: q.id, ...gradeResponse(q, answers[q.id]?.response) }));
  const score = Math.round(grades.reduce((n, g) => n + g.score, 0) * 100) / 100;
  const maxScore = questions.reduce((n, q) => n + q.points, 0);
  const percent = maxScore ? Math.round((score / maxScore) * 10_000) / 100 : 0;
  return { grades, score, maxScore, percent };
}

/**
 * Grades what the server holds and closes the attempt, once: the update matches only an open attempt,
 * and a token already used by a submission cannot be used again (unique index).
 */
async function finalise(
  attempt: AttemptDoc,
  token: string,
  passMark: number,
  now: Date,
): Promise<Submission> {
  forgetFrame(String(attempt._id));
  const { grades, score, maxScore, percent } = gradeAnswers(attempt.questions, attempt.answers);
  const submittedAt = now;
  try {
    const closed = await Attempt.findOneAndUpdate(
      { _id: attempt._id, status: 'open' },
      {
        $set: {
          status: 'submitted',
          submittedAt,
          submitToken: token,
          grades,
          score,
          maxScore,
          percent,
          passed: percent >= passMark,
          receipt: receiptFor(String(attempt._id), attempt.answers, submittedAt),
        },
      },
      { returnDocument: 'after' },
    ).lean<AttemptDoc>();
    if (closed) return { attempt: closed, counted: true };
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  const current = await Attempt.findById(attempt._id).lean<AttemptDoc>();
  if (!current) throw AppError.notFound();
  return { attempt: current, counted: false };
}

/**
 * Submits an attempt with the answers the form carries (a browser without JavaScript sends them all at
 * the end) when they arrive in time; a repeated or replayed submission returns the first result.
 */
export async function submitAttempt(
  attempt: AttemptDoc,
  token: string,
  formAnswers: Record<string, unknown> | undefined,
  passMark: number,
  now = new Date(),
): Promise<Submission> {
  if (attempt.status === 'submitted') return { attempt, counted: false };
  if (formAnswers && !isPastDeadline(attempt, now)) {
    const seq = now.getTime();
    for (const q of attempt.questions)
      if (q.id in formAnswers)
        await saveAnswer(attempt, q.id, formAnswers[q.id], seq, now).catch(() => 'skipped');
  }
  // Graded as stored now: the attempt given may have been read before answers were saved into it.
  const fresh = await Attempt.findById(attempt._id).lean<AttemptDoc>();
  if (!fresh) throw AppError.notFound();
  if (fresh.status === 'submitted') return { attempt: fresh, counted: false };
  return finalise(fresh, token, passMark, now);
}

/** A member's attempts at a quiz, for its page: what the history shows, not the questions and answers. */
export async function attemptsOf(
  quizId: Types.ObjectId,
  userId: string,
): Promise<Omit<AttemptDoc, 'questions' | 'answers' | 'grades'>[]> {
  return Attempt.find({ quizId, userId: oid(userId) }, { questions: 0, answers: 0, grades: 0 })
    .sort({ number: 1 })
    .lean<Omit<AttemptDoc, 'questions' | 'answers' | 'grades'>[]>();
}

export async function findByReceipt(receipt: string): Promise<AttemptDoc | null> {
  if (!/^[2-9A-HJ-NP-Z]{10}$/.test(receipt)) return null;
  return Attempt.findOne({ receipt }).lean<AttemptDoc>();
}

/** Every attempt at a quiz, newest first, for its trainers (capped: a quiz of one network, not a MOOC). */
export async function attemptsAt(quizId: Types.ObjectId): Promise<AttemptDoc[]> {
  return Attempt.find({ quizId }).sort({ startedAt: -1 }).limit(2000).lean<AttemptDoc[]>();
}

/** Whether an attempt's answers and submission time still give its receipt (nothing changed since). */
export function receiptHolds(a: AttemptDoc): boolean {
  return (
    a.receipt !== null &&
    a.submittedAt !== null &&
    receiptFor(String(a._id), a.answers, new Date(a.submittedAt)) === a.receipt
  );
}
