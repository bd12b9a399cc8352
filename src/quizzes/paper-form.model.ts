import { Schema, type Types } from 'mongoose';
import { defineModel } from '../core/models.js';
import type { Question } from './question.types.js';

/**
 * The questions of a quiz as printed on paper for one occasion (a training round): fixed once, at the
 * first print, so every copy and the answers typed in afterwards refer to the same questions in the same
 * order, whatever happens to the bank in between.
 */
const paperFormSchema = new Schema(
  {
    quizId: { type: Schema.Types.ObjectId, required: true },
    key: { type: String, required: true, maxlength: 100 },
    questions: { type: [Schema.Types.Mixed], required: true },
  },
  { timestamps: true },
);
paperFormSchema.index({ quizId: 1, key: 1 }, { unique: true });

export interface PaperFormDoc {
  _id: Types.ObjectId;
  quizId: Types.ObjectId;
  key: string;
  questions: (Question & { id: string })[];
  createdAt: Date;
}

export const PaperForm = defineModel('PaperForm', paperFormSchema);
