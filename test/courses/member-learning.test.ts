import { expect } from 'chai';
import { Readable } from 'node:stream';
import type { Express } from 'express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { Types } from 'mongoose';
import { Course } from '../../src/courses/course.model.js';
import { Enrolment, type EnrolmentDoc } from '../../src/progress/enrolment.model.js';
import { buildTestApp, testFileStore } from '../helpers/app-harness.js';
import { enrolIn, makeCourse, type CourseFixture } from '../helpers/courses.js';
import {
  completeFirstRun,
  loginAgent,
  makeMember,
  makeTrainer,
  postForm,
  type TestUser,
} from '../helpers/factories.js';

/**
 * A member taking a course through its pages: leaving and coming back, completing lessons in any order,
 * continuing where they left off, a lesson not yet translated, the catalogue's pages, and the cover image.
 */

describe('taking a course: progress, leaving, continuing, the catalogue and covers', () => {
  let app: Express;
  let trainer: TestUser;
  let member: TestUser;
  let reader: TestAgent;
  let fixture: CourseFixture;
  const slug = () => fixture.course.slug;
  const lessonUrl = (i: number) => `/courses/${slug()}/lessons/${fixture.lessonIds[i]}`;
  const stored = () =>
    Enrolment.findOne({ userId: new Types.ObjectId(member.id), courseId: fixture.course._id }).lean<
      EnrolmentDoc & { updatedAt: Date }
    >();
  const complete = (i: number) => postForm(reader, `${lessonUrl(i)}/complete`, {}, `/courses/${slug()}`);

  beforeEach(async () => {
    app = await buildTestApp();
    await completeFirstRun();
    trainer = await makeTrainer();
    member = await makeMember();
    reader = await loginAgent(app, member);
    fixture = await makeCourse({ authors: [trainer.id], lessons: 3 });
  });

  it('leaving keeps the lessons done: lessons then ask to enrol first, and enrolling again shows the same progress', async () => {
    await postForm(reader, `/courses/${slug()}/enrol`, {}, `/courses/${slug()}`);
    expect((await complete(0)).status).to.equal(303);

    const left = await postForm(reader, `/courses/${slug()}/leave`, {}, `/courses/${slug()}`);
    expect(left.status).to.equal(303);
    expect(left.headers.location).to.equal(`/courses/${slug()}?notice=left`);
    const page = await reader.get(left.headers.location as string);
    expect(page.text).to.contain(
      'You have left this course. Your completed lessons are kept if you come back.',
    );
    expect(page.text).to.contain('Take this course').and.not.to.contain('Your progress');
    const lesson = await reader.get(lessonUrl(1));
    expect(lesson.status).to.equal(303);
    expect(lesson.headers.location).to.equal(`/courses/${slug()}?notice=enrolFirst`);
    expect((await stored())!.status).to.equal('left');

    await postForm(reader, `/courses/${slug()}/enrol`, {}, `/courses/${slug()}`);
    const back = await reader.get(`/courses/${slug()}?notice=enrolled`);
    expect(back.text).to.contain('1 of 3 lessons done');
    expect(back.text).to.contain('You are enrolled.');
  });

  it('completing a lesson goes to the next one; the last with an earlier one undone returns to the course; the missing one completes it', async () => {
    await enrolIn(member.id, fixture.course);
    let res = await complete(1);
    expect(res.headers.location).to.equal(lessonUrl(2));
    res = await complete(2);
    expect(res.headers.location).to.equal(`/courses/${slug()}`);
    expect((await stored())!.completedAt).to.equal(null);

    const page = await reader.get(`/courses/${slug()}`);
    expect(page.text).to.contain('2 of 3 lessons done');
    // The one lesson left is where "Continue" leads.
    expect(page.text).to.match(new RegExp(`href="${lessonUrl(0)}">Continue: <bdi>Lesson 1</bdi>`));

    res = await complete(0);
    expect(res.headers.location).to.equal(`/courses/${slug()}?notice=complete`);
    const done = await reader.get(res.headers.location as string);
    expect(done.text).to.contain('You have completed the course. Well done!');
    expect(done.text).to.contain('You have completed every lesson of this course.');
    expect((await stored())!.completedAt).to.be.instanceOf(Date);
  });

  it('a lesson opened is where the course page continues; opening it again does not write to the enrolment', async () => {
    await enrolIn(member.id, fixture.course);
    await complete(0);
    const opened = await reader.get(lessonUrl(2));
    expect(opened.status).to.equal(200);
    expect(opened.text).to.contain('1 of 3 lessons done');
    expect(opened.text).to.contain(`href="${lessonUrl(1)}"`); // "Previous"
    const after = (await stored())!;
    expect(String(after.lastLessonId)).to.equal(fixture.lessonIds[2]);

    const page = await reader.get(`/courses/${slug()}`);
    expect(page.text).to.match(new RegExp(`href="${lessonUrl(2)}">Continue: <bdi>Lesson 3</bdi>`));

    await reader.get(lessonUrl(2));
    expect((await stored())!.updatedAt.getTime()).to.equal(after.updatedAt.getTime());
  });

  it('a lesson not written in the reader’s language is shown in the one it is written in, and says so', async () => {
    await Course.updateOne(
      { _id: fixture.course._id },
      { $set: { 'modules.0.lessons.1.body': { en: '', 'fa-AF': 'فقط به دری' } } },
    );
    await enrolIn(member.id, fixture.course);
    const translated = await reader.get(lessonUrl(0));
    expect(translated.text).not.to.contain('not yet translated');
    expect(translated.text).to.contain('<article class="lesson-body" lang="en" dir="ltr">');

    const page = await reader.get(lessonUrl(1));
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('This lesson is not yet translated into your language; it is shown in دری.');
    expect(page.text).to.contain('<article class="lesson-body" lang="fa-AF" dir="rtl">');
    expect(page.text).to.contain('فقط به دری');
  });

  it('only the course page’s own notices are shown; any other notice in the address is ignored', async () => {
    for (const notice of ['evil', 'constructor', '../errors.server', 'toString']) {
      const page = await reader.get(`/courses/${slug()}?notice=${encodeURIComponent(notice)}`);
      expect(page.status, notice).to.equal(200);
      expect(page.text, notice).not.to.contain('role="status"');
      expect(page.text, notice).not.to.contain('courses.notices');
    }
    const arrays = await reader.get(`/courses/${slug()}?notice=left&notice=left`);
    expect(arrays.status).to.equal(200);
    expect(arrays.text).not.to.contain('You have left this course');
  });

  it('the catalogue lists published courses twenty a page, most recently changed first', async () => {
    await Course.deleteMany({});
    const made: string[] = [];
    for (let i = 0; i < 21; i += 1)
      made.push(
        (await makeCourse({ authors: [trainer.id], slug: `course-${String(i).padStart(2, '0')}` })).course
          .slug,
      );
    await makeCourse({ authors: [trainer.id], status: 'draft', slug: 'hidden-draft' });
    await makeCourse({ authors: [trainer.id], status: 'archived', slug: 'hidden-archive' });
    for (const [i, s] of made.entries())
      await Course.collection.updateOne(
        { slug: s },
        { $set: { updatedAt: new Date(Date.UTC(2026, 0, 1 + i)) } },
      );

    const first = await reader.get('/courses');
    expect(first.text).to.contain('Page 1 of 2 (21 in all)');
    expect(first.text).to.contain('href="/courses/course-20"').and.to.contain('href="/courses/course-01"');
    expect(first.text).not.to.contain('href="/courses/course-00"');
    expect(first.text).not.to.contain('hidden-draft').and.not.to.contain('hidden-archive');
    expect(first.text.indexOf('/courses/course-20"')).to.be.lessThan(
      first.text.indexOf('/courses/course-19"'),
    );
    expect(first.text).to.contain('href="/courses?page=2"');

    const second = await reader.get('/courses?page=2');
    expect(second.text).to.contain('href="/courses/course-00"').and.not.to.contain('/courses/course-01"');
    for (const odd of ['page=abc', 'page=-3', 'page[]=2'])
      expect((await reader.get(`/courses?${odd}`)).text, odd).to.contain('Page 1 of 2');

    // A page past the end (an old link, a list that shrank) says so and leads to the last page.
    const past = await reader.get('/courses?page=99');
    expect(past.status).to.equal(200);
    expect(past.text).not.to.contain('No course is published yet');
    expect(past.text).to.contain('There is no page 99 in this list.');
    expect(past.text).to.contain('<a href="/courses?page=2">Go to the last page</a>');
    expect(past.text).not.to.contain('href="/courses?page=98"');
  });

  it('a published course’s cover is seen by every signed-in person; a draft’s only by its editors', async () => {
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      'base64',
    );
    const saved = await testFileStore().save(Readable.from([png]));
    const cover = {
      fileId: saved.id,
      name: 'cover.png',
      mime: 'image/png',
      size: saved.size,
      sha256: saved.sha256,
    };
    await Course.updateOne({ _id: fixture.course._id }, { $set: { cover } });

    const seen = await reader.get(`/files/${saved.id}`).buffer(true);
    expect(seen.status).to.equal(200);
    expect(seen.headers['content-type']).to.equal('image/png');
    expect(Buffer.from(seen.body as Buffer).equals(png)).to.equal(true);
    const anonymous = await request(app).get(`/files/${saved.id}`);
    expect(anonymous.status).to.equal(303);
    expect(anonymous.headers.location).to.match(/^\/login/);

    await Course.updateOne({ _id: fixture.course._id }, { $set: { status: 'draft' } });
    expect((await reader.get(`/files/${saved.id}`)).status).to.equal(404);
    const author = await loginAgent(app, trainer);
    expect((await author.get(`/files/${saved.id}`)).status).to.equal(200);
  });

  it('a course given a new web address is found there at once, and its old address is a 404', async () => {
    await enrolIn(member.id, fixture.course);
    expect((await reader.get(`/courses/${slug()}`)).status).to.equal(200);
    const author = await loginAgent(app, trainer);
    const edit = `/teach/courses/${String(fixture.course._id)}`;
    const res = await postForm(
      author,
      edit,
      {
        slug: 'renamed-course',
        primaryLocale: 'en',
        locales: ['en', 'fa-AF'],
        'title[en]': 'Renamed',
        'title[fa-AF]': 'نام نو',
        estimatedHours: '3',
        selfEnrol: 'on',
      },
      edit,
    );
    expect(res.status).to.equal(303);
    expect((await reader.get(`/courses/${slug()}`)).status).to.equal(404);
    const moved = await reader.get('/courses/renamed-course');
    expect(moved.status).to.equal(200);
    expect(moved.text).to.contain('<h1 dir="auto">Renamed</h1>');
    expect(moved.text).to.contain('0 of 3 lessons done');
  });

  it('addresses that cannot name a course, and a lesson of another course, are a 404 that changes nothing', async () => {
    await enrolIn(member.id, fixture.course);
    const other = await makeCourse({ authors: [trainer.id] });
    for (const path of [
      `/courses/${slug().toUpperCase()}`,
      `/courses/${'a'.repeat(61)}`,
      '/courses/%24where',
      `/courses/${slug()}/lessons/${'f'.repeat(24)}`,
      `/courses/${slug()}/lessons/not-an-id`,
    ])
      expect((await reader.get(path)).status, path).to.equal(404);
    const res = await postForm(
      reader,
      `/courses/${slug()}/lessons/${other.lessonIds[0]}/complete`,
      {},
      `/courses/${slug()}`,
    );
    expect(res.status).to.equal(404);
    expect((await stored())!.completedLessons).to.deep.equal([]);
  });
});
