import mongoose, { Schema, type Types } from 'mongoose';

/** One person in one course: when they joined, the lessons they completed, where they were last. */
const enrolmentSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    courseId: { type: Schema.Types.ObjectId, ref: 'Course', required: true },
    status: { type: String, enum: ['active', 'left'], default: 'active' },
    completedLessons: { type: [Schema.Types.ObjectId], default: [] },
    lastLessonId: { type: Schema.Types.ObjectId, default: null },
    completedAt: { type: Date, default: null },
  },
  { timestamps: true },
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
}

export const Enrolment = mongoose.model('Enrolment', enrolmentSchema);
