import { Schema, type Types } from 'mongoose';
import { defineModel } from '../core/models.js';
import { SUPPORTED_LOCALES } from '../core/i18n.js';
import type { LocalText } from './question.types.js';

export const QUIZ_KINDS = ['module', 'pretest', 'posttest'] as const;
export type QuizKind = (typeof QUIZ_KINDS)[number];
export const SHOW_ANSWERS = ['afterSubmit', 'afterPass', 'never'] as const;
export type ShowAnswers = (typeof SHOW_ANSWERS)[number];

const localText = new Schema(
  Object.fromEntries(SUPPORTED_LOCALES.map((l) => [l, { type: String, default: '' }])),
  { _id: false },
);

/**
 * A quiz: one per module, plus a course's optional pre-test and post-test. Its questions are chosen ones
 * (questionIds) and/or drawn at random from tags (draws) when an attempt starts.
 */
const quizSchema = new Schema(
  {
    courseId: { type: Schema.Types.ObjectId, ref: 'Course', required: true },
    kind: { type: String, enum: QUIZ_KINDS, required: true },
    /** The module a module quiz belongs to; null for the pre-test and post-test. */
    moduleId: { type: Schema.Types.ObjectId, default: null },
    title: { type: localText, default: () => ({}) },
    passMark: { type: Number, min: 0, max: 100, default: 60 },
    timeLimitMinutes: { type: Number, min: 1, max: 600, default: null },
    attemptLimit: { type: Number, min: 1, max: 100, default: null },
    shuffleQuestions: { type: Boolean, default: false },
    shuffleOptions: { type: Boolean, default: false },
    questionIds: { type: [Schema.Types.ObjectId], default: [] },
    draws: {
      type: [
        new Schema(
          { tag: { type: String, maxlength: 60 }, count: { type: Number, min: 1, max: 100 } },
          { _id: false },
        ),
      ],
      default: [],
    },
    showAnswers: { type: String, enum: SHOW_ANSWERS, default: 'afterSubmit' },
  },
  { timestamps: true },
);
// One quiz per module, and one pre-test and one post-test per course (their moduleId is null).
quizSchema.index({ courseId: 1, kind: 1, moduleId: 1 }, { unique: true });

export interface QuizDoc {
  _id: Types.ObjectId;
  courseId: Types.ObjectId;
  kind: QuizKind;
  moduleId: Types.ObjectId | null;
  title: LocalText;
  passMark: number;
  timeLimitMinutes: number | null;
  attemptLimit: number | null;
  shuffleQuestions: boolean;
  shuffleOptions: boolean;
  questionIds: Types.ObjectId[];
  draws: { tag: string; count: number }[];
  showAnswers: ShowAnswers;
}

export const Quiz = defineModel('Quiz', quizSchema);
