import { Schema, type Types } from 'mongoose';
import { defineModel } from '../core/models.js';
import { SUPPORTED_LOCALES } from '../core/i18n.js';
import { signalChange } from '../core/shared-cache.js';

export const COURSE_STATUSES = ['draft', 'published', 'archived'] as const;
export type CourseStatus = (typeof COURSE_STATUSES)[number];

export const ATTACHMENT_KINDS = ['document', 'image', 'audio', 'video'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

/** A text in each language it is given in (en, fa-AF, ps-AF). */
const localText = new Schema(
  Object.fromEntries(SUPPORTED_LOCALES.map((l) => [l, { type: String, default: '' }])),
  {
    _id: false,
  },
);

/** A file kept in the FileStore, as a lesson or a course refers to it. */
const fileRef = {
  fileId: { type: String, required: true },
  name: { type: String, required: true, maxlength: 200 },
  mime: { type: String, required: true },
  size: { type: Number, required: true },
  sha256: { type: String, required: true },
};

const attachmentSchema = new Schema({
  ...fileRef,
  kind: { type: String, enum: ATTACHMENT_KINDS, required: true },
  /** Playing time of audio and video, when it could be read: for the data-cost warning and display. */
  seconds: { type: Number, default: null },
});

const lessonSchema = new Schema({
  title: { type: localText, default: () => ({}) },
  /** Markdown, per language; a language left empty falls back to the course's primary language. */
  body: { type: localText, default: () => ({}) },
  attachments: { type: [attachmentSchema], default: [] },
});

const moduleSchema = new Schema({
  title: { type: localText, default: () => ({}) },
  lessons: { type: [lessonSchema], default: [] },
});

const courseSchema = new Schema(
  {
    slug: { type: String, required: true, unique: true, lowercase: true, trim: true, maxlength: 60 },
    primaryLocale: { type: String, enum: SUPPORTED_LOCALES, required: true },
    /** The languages the course is offered in; it has a title in each. */
    locales: { type: [{ type: String, enum: SUPPORTED_LOCALES }], required: true },
    title: { type: localText, default: () => ({}) },
    summary: { type: localText, default: () => ({}) },
    cover: { type: new Schema(fileRef, { _id: false }), default: null },
    estimatedHours: { type: Number, min: 0, max: 1000, default: 0 },
    status: { type: String, enum: COURSE_STATUSES, default: 'draft' },
    /** Trainers who may edit it; the first created it. */
    authors: { type: [{ type: Schema.Types.ObjectId, ref: 'User' }], required: true },
    selfEnrol: { type: Boolean, default: true },
    modules: { type: [moduleSchema], default: [] },
    /** Raised by every structural change; reorders check it so two editors cannot scramble an outline. */
    rev: { type: Number, default: 0 },
  },
  { timestamps: true },
);
courseSchema.index({ status: 1, updatedAt: -1 });
courseSchema.index({ 'modules.lessons.attachments.fileId': 1 });

type LocalTextDoc = Partial<Record<(typeof SUPPORTED_LOCALES)[number], string>>;

/** The course as read with lean(): plain objects and arrays. */
export interface AttachmentDoc {
  _id: Types.ObjectId;
  fileId: string;
  name: string;
  mime: string;
  size: number;
  sha256: string;
  kind: AttachmentKind;
  seconds: number | null;
}
export interface LessonDoc {
  _id: Types.ObjectId;
  title: LocalTextDoc;
  body: LocalTextDoc;
  attachments: AttachmentDoc[];
}
export interface ModuleDoc {
  _id: Types.ObjectId;
  title: LocalTextDoc;
  lessons: LessonDoc[];
}
export interface CourseDoc {
  _id: Types.ObjectId;
  slug: string;
  primaryLocale: (typeof SUPPORTED_LOCALES)[number];
  locales: (typeof SUPPORTED_LOCALES)[number][];
  title: LocalTextDoc;
  summary: LocalTextDoc;
  cover: { fileId: string; name: string; mime: string; size: number; sha256: string } | null;
  estimatedHours: number;
  status: CourseStatus;
  authors: Types.ObjectId[];
  selfEnrol: boolean;
  modules: ModuleDoc[];
  rev: number;
  createdAt?: Date;
  updatedAt?: Date;
}

/** The shared-cache kind that every write to a course signals (courses.service keeps courses in memory). */
export const COURSES_CHANGED = 'courses';

// Every way a course is written, by any code (services, imports, tests), drops the cached copies before
// the write's promise settles, so the writer's next read sees it.
const changed = async () => signalChange(COURSES_CHANGED);
courseSchema.post(
  ['updateOne', 'updateMany', 'findOneAndUpdate', 'findOneAndDelete', 'findOneAndReplace', 'replaceOne'],
  changed,
);
courseSchema.post(['deleteOne', 'deleteMany'], { document: false, query: true }, changed);
courseSchema.post('save', changed);
courseSchema.post('insertMany', changed);

export const Course = defineModel('Course', courseSchema);
