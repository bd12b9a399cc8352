import { Types } from 'mongoose';
import { isDuplicateKey } from '../core/app-error.js';
import { Attempt, type AttemptDoc, type SavedAnswer } from './attempt.model.js';
import { gradeAnswers, pickQuestions, QuizRefusal } from './attempts.service.js';
import { PaperForm, type PaperFormDoc } from './paper-form.model.js';
import type { QuizDoc } from './quiz.model.js';
import { parseResponse } from './responses.js';

export type { PaperFormDoc } from './paper-form.model.js';

/**
 * Quizzes on paper, for rooms without connectivity: the questions are fixed once per occasion (`key`, a
 * training round), printed, and each member's answers typed in afterwards by a coordinator. The typed-in
 * answers become an ordinary submitted attempt graded by the same rules, so reports, knowledge gain and
 * item analysis count it like any other; it is marked as entered on paper, and by whom.
 */

/** The paper form of a quiz for this occasion, made at the first call (two at once: one is kept). */
export async function paperForm(quiz: QuizDoc, key: string): Promise<PaperFormDoc> {
  const existing = await PaperForm.findOne({ quizId: quiz._id, key }).lean<PaperFormDoc>();
  if (existing) return existing;
  const questions = await pickQuestions(quiz, true);
  if (!questions.length) throw new QuizRefusal(409, 'quizzes.errors.noQuestions');
  try {
    return (await PaperForm.create({ quizId: quiz._id, key, questions })).toObject();
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const winner = await PaperForm.findOne({ quizId: quiz._id, key }).lean<PaperFormDoc>();
    if (!winner) throw err;
    return winner;
  }
}

/** The paper form if it was printed already; typing answers in needs the questions that were printed. */
export async function findPaperForm(quizId: Types.ObjectId, key: string): Promise<PaperFormDoc | null> {
  return PaperForm.findOne({ quizId, key }).lean<PaperFormDoc>();
}

/** The attempts typed in from a paper form, by member id. */
export async function paperAttempts(quizId: Types.ObjectId, key: string): Promise<Map<string, AttemptDoc>> {
  const rows = await Attempt.find({ quizId, paperKey: key }).lean<AttemptDoc[]>();
  return new Map(rows.map((a) => [String(a.userId), a]));
}

export interface PaperEntry {
  attempt: AttemptDoc;
  /** True when an earlier entry for this member was corrected rather than a first one made. */
  corrected: boolean;
}

/**
 * Records what one member answered on paper, or corrects an earlier entry while it is still their only
 * attempt at the quiz (once they have taken it online too, a correction would change a history that
 * other figures already rest on). A member who already took the quiz online gets no paper attempt: a
 * pre-test is taken once, before the course.
 */
export async function recordPaperAnswers(
  quiz: QuizDoc,
  form: PaperFormDoc,
  userId: string,
  raw: Record<string, unknown>,
  actorId: string,
  takenAt: Date,
): Promise<PaperEntry> {
  const user = new Types.ObjectId(userId);
  const answers: Record<string, SavedAnswer> = {};
  for (const q of form.questions) {
    const response = parseResponse(q, raw[q.id]);
    if (response) answers[q.id] = { response, seq: 0, savedAt: takenAt };
  }
  const graded = gradeAnswers(form.questions, answers);
  const fields = {
    status: 'submitted' as const,
    startedAt: takenAt,
    submittedAt: takenAt,
    deadline: null,
    questions: form.questions,
    answers,
    ...graded,
    passed: graded.percent >= quiz.passMark,
    paperKey: form.key,
    enteredBy: new Types.ObjectId(actorId),
    receipt: null,
  };
  const earlier = await Attempt.findOne({
    quizId: quiz._id,
    userId: user,
    paperKey: form.key,
  }).lean<AttemptDoc>();
  if (earlier) {
    const others = await Attempt.countDocuments({
      quizId: quiz._id,
      userId: user,
      _id: { $ne: earlier._id },
    });
    if (others > 0) throw new QuizRefusal(409, 'rounds.paper.takenSince');
    // Only the entry this correction started from: of two corrections saved at once, the second is told
    // to look again rather than silently replacing the first (and leaving the results disagreeing).
    const updated = await Attempt.findOneAndUpdate(
      { _id: earlier._id, updatedAt: (earlier as { updatedAt?: Date }).updatedAt },
      { $set: fields },
      { returnDocument: 'after' },
    ).lean<AttemptDoc>();
    if (!updated) throw new QuizRefusal(409, 'errors.conflict');
    return { attempt: updated, corrected: true };
  }
  if (await Attempt.exists({ quizId: quiz._id, userId: user }))
    throw new QuizRefusal(409, 'rounds.paper.takenOnline');
  try {
    const created = await Attempt.create({
      ...fields,
      quizId: quiz._id,
      courseId: quiz.courseId,
      userId: user,
      number: 1,
      // One paper entry per member, quiz and occasion, however many coordinators save at once.
      submitToken: `paper:${String(quiz._id)}:${form.key}:${userId}`,
    });
    return { attempt: created.toObject() as AttemptDoc, corrected: false };
  } catch (err) {
    if (isDuplicateKey(err)) throw new QuizRefusal(409, 'errors.conflict');
    throw err;
  }
}
