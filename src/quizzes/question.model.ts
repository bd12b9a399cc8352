import { Schema, type Types } from 'mongoose';
import { defineModel } from '../core/models.js';
import { SUPPORTED_LOCALES } from '../core/i18n.js';
import { PARTIAL_CREDIT_RULES, QUESTION_TYPES, type Question } from './question.types.js';

const localText = new Schema(
  Object.fromEntries(SUPPORTED_LOCALES.map((l) => [l, { type: String, default: '' }])),
  { _id: false },
);
const weighted = { weight: { type: Number, min: -100, max: 100, required: true }, feedback: localText };

/**
 * A course's question bank: each question is its own document (a bank grows to hundreds, and a question
 * serves several quizzes), tagged for random draws. The fields of each type are those of question.types.
 */
const questionSchema = new Schema(
  {
    courseId: { type: Schema.Types.ObjectId, ref: 'Course', required: true },
    type: { type: String, enum: QUESTION_TYPES, required: true },
    name: { type: String, default: '', maxlength: 200 },
    text: { type: localText, default: () => ({}) },
    explanation: { type: localText, default: () => ({}) },
    points: { type: Number, min: 0, max: 1000, default: 1 },
    tags: { type: [{ type: String, maxlength: 60 }], default: [] },
    options: {
      type: [new Schema({ id: String, text: localText, ...weighted }, { _id: false })],
      default: undefined,
    },
    partialCredit: { type: String, enum: PARTIAL_CREDIT_RULES },
    answer: Boolean,
    feedbackTrue: localText,
    feedbackFalse: localText,
    accepted: {
      type: [new Schema({ text: { type: String, maxlength: 500 }, ...weighted }, { _id: false })],
      default: undefined,
    },
    caseSensitive: Boolean,
    answers: {
      type: [new Schema({ value: Number, tolerance: { type: Number, min: 0 }, ...weighted }, { _id: false })],
      default: undefined,
    },
    pairs: {
      type: [new Schema({ id: String, left: localText, right: localText }, { _id: false })],
      default: undefined,
    },
  },
  { timestamps: true },
);
questionSchema.index({ courseId: 1, tags: 1 });
questionSchema.index({ courseId: 1, createdAt: -1 });

export type QuestionDoc = Question & { _id: Types.ObjectId; courseId: Types.ObjectId };

export const QuestionModel = defineModel('Question', questionSchema);
