/** Courses made directly in the database, for tests about what people may see and do with them. */
import { Types } from 'mongoose';
import { Course, type CourseDoc, type CourseStatus } from '../../src/courses/course.model.js';
import { enrol } from '../../src/progress/progress.service.js';

export interface CourseFixture {
  course: CourseDoc;
  lessonIds: string[];
  moduleId: string;
}

let counter = 0;

/** A course with one module of `lessons` lessons (English and Dari text), by the given authors. */
export async function makeCourse(options: {
  authors: string[];
  status?: CourseStatus;
  lessons?: number;
  selfEnrol?: boolean;
  slug?: string;
}): Promise<CourseFixture> {
  counter += 1;
  const lessons = Array.from({ length: options.lessons ?? 2 }, (_, i) => ({
    _id: new Types.ObjectId(),
    title: { en: `Lesson ${i + 1}`, 'fa-AF': `درس ${i + 1}` },
    body: { en: `# Lesson ${i + 1}\n\nText of lesson ${i + 1}.`, 'fa-AF': `متن درس ${i + 1}` },
    attachments: [],
  }));
  const moduleId = new Types.ObjectId();
  const doc = await Course.create({
    slug: options.slug ?? `course-${counter}-${Date.now().toString(36)}`,
    primaryLocale: 'en',
    locales: ['en', 'fa-AF'],
    title: { en: `Course ${counter}`, 'fa-AF': `دوره ${counter}` },
    summary: { en: 'What the law says.' },
    estimatedHours: 3,
    status: options.status ?? 'published',
    selfEnrol: options.selfEnrol ?? true,
    authors: options.authors.map((a) => new Types.ObjectId(a)),
    modules: [{ _id: moduleId, title: { en: 'Module 1', 'fa-AF': 'بخش ۱' }, lessons }],
  });
  return {
    course: doc.toObject() as CourseDoc,
    lessonIds: lessons.map((l) => String(l._id)),
    moduleId: String(moduleId),
  };
}

export async function enrolIn(userId: string, course: CourseDoc): Promise<void> {
  await enrol(userId, String(course._id));
}
