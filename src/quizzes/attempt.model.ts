import { Schema, type Types } from 'mongoose';
import { defineModel } from '../core/models.js';
import type { Grade, Question, QuestionResponse } from './question.types.js';

/**
 * One go at a quiz. The questions are frozen into the attempt when it starts (options in the order this
 * member sees them), so editing the bank never changes an attempt under way or a result already given.
 * Answers are a map by question id, each written by one atomic $set with a sequence number from the
 * browser: a replayed or out-of-order save never overwrites a newer answer.
 */
const attemptSchema = new Schema(
  {
    quizId: { type: Schema.Types.ObjectId, ref: 'Quiz', required: true },
    courseId: { type: Schema.Types.ObjectId, ref: 'Course', required: true },
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    /** 1, 2, …: unique per member and quiz, which is what holds the attempt limit under parallel starts. */
    number: { type: Number, required: true },
    status: { type: String, enum: ['open', 'submitted'], default: 'open' },
    startedAt: { type: Date, required: true },
    deadline: { type: Date, default: null },
    questions: { type: [Schema.Types.Mixed], required: true },
    answers: { type: Schema.Types.Mixed, default: () => ({}) },
    submittedAt: { type: Date, default: null },
    /** The browser's token for its submission: the same token twice counts once. */
    submitToken: { type: String, default: null },
    grades: { type: [Schema.Types.Mixed], default: undefined },
    score: { type: Number, default: null },
    maxScore: { type: Number, default: null },
    percent: { type: Number, default: null },
    passed: { type: Boolean, default: null },
    receipt: { type: String, default: null },
    /** Set on an attempt taken on paper and typed in by a coordinator: which paper form, and who typed it. */
    paperKey: { type: String, default: null },
    enteredBy: { type: Schema.Types.ObjectId, default: null },
  },
  { timestamps: true, minimize: false },
);
attemptSchema.index({ quizId: 1, userId: 1, number: 1 }, { unique: true });
// At most one open attempt per member and quiz: a second "start" resumes it.
attemptSchema.index(
  { quizId: 1, userId: 1 },
  { unique: true, partialFilterExpression: { status: 'open' }, name: 'one_open_attempt' },
);
attemptSchema.index(
  { submitToken: 1 },
  { unique: true, partialFilterExpression: { submitToken: { $type: 'string' } } },
);
attemptSchema.index({ receipt: 1 }, { partialFilterExpression: { receipt: { $type: 'string' } } });

export interface SavedAnswer {
  response: QuestionResponse;
  seq: number;
  savedAt: Date;
}

export interface AttemptDoc {
  _id: Types.ObjectId;
  quizId: Types.ObjectId;
  courseId: Types.ObjectId;
  userId: Types.ObjectId;
  number: number;
  status: 'open' | 'submitted';
  startedAt: Date;
  deadline: Date | null;
  questions: (Question & { id: string })[];
  answers: Record<string, SavedAnswer>;
  submittedAt: Date | null;
  submitToken: string | null;
  grades?: (Grade & { questionId: string })[];
  score: number | null;
  maxScore: number | null;
  percent: number | null;
  passed: boolean | null;
  receipt: string | null;
  paperKey?: string | null;
  enteredBy?: Types.ObjectId | null;
}

export const Attempt = defineModel('Attempt', attemptSchema);
