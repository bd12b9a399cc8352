import { Schema, type Types } from 'mongoose';
import { defineModel } from '../core/models.js';

/** One person in one course: when they joined, the lessons they completed, where they were last. */
const enrolmentSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    courseId: { type: Schema.Types.ObjectId, ref: 'Course', required: true },
    status: { type: String, enum: ['active', 'left'], default: 'active' },
    completedLessons: { type: [Schema.Types.ObjectId], default: [] },
    lastLessonId: { type: Schema.Types.ObjectId, default: null },
    completedAt: { type: Date, default: null },
    /** Best percent per quiz id, raised with $max by each submitted attempt. */
    quizBest: { type: Schema.Types.Mixed, default: () => ({}) },
    /** Percent of the first submitted attempt per quiz id: a pre-test's result is the first one. */
    quizFirst: { type: Schema.Types.Mixed, default: () => ({}) },
    passedQuizzes: { type: [Schema.Types.ObjectId], default: [] },
  },
  { timestamps: true, minimize: false },
);
// One enrolment per person and course, so two taps on "Enrol" cannot make two.
enrolmentSchema.index({ userId: 1, courseId: 1 }, { unique: true });
enrolmentSchema.index({ courseId: 1, status: 1, updatedAt: -1 });

export interface EnrolmentDoc {
  _id: Types.ObjectId;
  userId: Types.ObjectId;
  courseId: Types.ObjectId;
  status: 'active' | 'left';
  completedLessons: Types.ObjectId[];
  lastLessonId: Types.ObjectId | null;
  completedAt: Date | null;
  quizBest?: Record<string, number>;
  quizFirst?: Record<string, number>;
  passedQuizzes?: Types.ObjectId[];
  createdAt: Date;
  updatedAt: Date;
}

export const Enrolment = defineModel('Enrolment', enrolmentSchema);
