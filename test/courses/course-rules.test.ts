import { expect } from 'chai';
import type { Express } from 'express';
import type TestAgent from 'supertest/lib/agent.js';
import { Types } from 'mongoose';
import { AuditEvent } from '../../src/audit/audit-event.model.js';
import { reasonableVideoBytes } from '../../src/courses/lesson-editor.controller.js';
import { Course, type CourseDoc } from '../../src/courses/course.model.js';
import { Enrolment } from '../../src/progress/enrolment.model.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { enrolIn, makeCourse, type CourseFixture } from '../helpers/courses.js';
import {
  completeFirstRun,
  loginAgent,
  makeCoordinator,
  makeMember,
  makeTrainer,
  postForm,
  type TestUser,
} from '../helpers/factories.js';

describe('course rules: publishing, authors, enrolment, the catalogue', () => {
  let app: Express;
  let trainer: TestUser;
  let author: TestAgent;
  let fixture: CourseFixture;
  const edit = () => `/teach/courses/${String(fixture.course._id)}`;
  const reload = async () => (await Course.findById(fixture.course._id).lean<CourseDoc>())!;

  beforeEach(async () => {
    app = await buildTestApp();
    await completeFirstRun();
    trainer = await makeTrainer();
    author = await loginAgent(app, trainer);
    fixture = await makeCourse({ authors: [trainer.id], status: 'draft' });
  });

  it('a course without lessons cannot be published, and says why', async () => {
    const empty = await makeCourse({ authors: [trainer.id], status: 'draft', lessons: 0 });
    const path = `/teach/courses/${String(empty.course._id)}`;
    const res = await postForm(author, `${path}/status`, { status: 'published' }, path);
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Add at least one lesson before publishing');
    expect((await Course.findById(empty.course._id).lean<CourseDoc>())!.status).to.equal('draft');
  });

  it('a co-author must be a trainer; the last author cannot be removed; both changes are audited', async () => {
    const member = await makeMember();
    let res = await postForm(author, `${edit()}/authors`, { email: member.email }, edit());
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Co-authors must have the trainer role');
    res = await postForm(author, `${edit()}/authors/${trainer.id}/remove`, {}, edit());
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('A course keeps at least one author');

    const colleague = await makeTrainer();
    res = await postForm(author, `${edit()}/authors`, { email: colleague.email.toUpperCase() }, edit());
    expect(res.status).to.equal(303);
    expect((await reload()).authors.map(String)).to.deep.equal([trainer.id, colleague.id]);
    res = await postForm(author, `${edit()}/authors/${trainer.id}/remove`, {}, edit());
    expect(res.status).to.equal(303);
    expect((await reload()).authors.map(String)).to.deep.equal([colleague.id]);
    const events = await AuditEvent.find({ targetId: String(fixture.course._id) }).lean();
    expect(events.map((e) => e.action)).to.have.members(['course.authors.add', 'course.authors.remove']);
    // The author who removed themselves can no longer reach the course.
    expect((await author.get(edit())).status).to.equal(404);
  });

  it('a taken web address, a missing title in an offered language, and a primary language not offered are refused with the values kept', async () => {
    const base = {
      slug: fixture.course.slug,
      primaryLocale: 'en',
      locales: ['en', 'fa-AF'],
      'title[en]': 'Advocacy',
      'title[fa-AF]': 'دادخواهی',
      estimatedHours: '4',
    };
    let res = await postForm(author, '/teach/courses', base, '/teach/courses/new');
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Another course already has this web address');
    expect(res.text).to.contain('value="دادخواهی"');
    res = await postForm(
      author,
      '/teach/courses',
      { ...base, slug: 'advocacy', 'title[fa-AF]': '' },
      '/teach/courses/new',
    );
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Give the course a title in each language');
    res = await postForm(
      author,
      '/teach/courses',
      { ...base, slug: 'advocacy', primaryLocale: 'ps-AF' },
      '/teach/courses/new',
    );
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('The primary language must be one of the languages');
    res = await postForm(
      author,
      '/teach/courses',
      { ...base, slug: '../etc', estimatedHours: '1e9' },
      '/teach/courses/new',
    );
    expect(res.status).to.equal(422);
    expect(await Course.countDocuments()).to.equal(1);
  });

  it('archiving hides a course from its members (404) and keeps their progress; publishing again brings it back', async () => {
    await Course.updateOne({ _id: fixture.course._id }, { $set: { status: 'published' } });
    const member = await makeMember();
    await enrolIn(member.id, fixture.course);
    const reader = await loginAgent(app, member);
    await postForm(
      reader,
      `/courses/${fixture.course.slug}/lessons/${fixture.lessonIds[0]}/complete`,
      {},
      `/courses/${fixture.course.slug}`,
    );
    expect((await postForm(author, `${edit()}/status`, { status: 'archived' }, edit())).status).to.equal(303);
    expect((await reader.get(`/courses/${fixture.course.slug}`)).status).to.equal(404);
    expect((await reader.get('/courses')).text).not.to.contain(fixture.course.slug);
    expect((await reader.get('/')).text).not.to.contain(fixture.course.slug);
    await postForm(author, `${edit()}/status`, { status: 'published' }, edit());
    const page = await reader.get(`/courses/${fixture.course.slug}`);
    expect(page.text).to.contain('1 of 2 lessons done');
    const events = await AuditEvent.find({ action: 'course.status' }).lean<{ details: unknown }[]>();
    expect(events.map((e) => e.details)).to.deep.equal([
      { from: 'published', to: 'archived' },
      { from: 'archived', to: 'published' },
    ]);
  });

  it('without self-enrolment a member cannot enrol (403 with a reason); a coordinator enrols them by email', async () => {
    const closed = await makeCourse({ authors: [trainer.id], selfEnrol: false });
    const member = await makeMember();
    const reader = await loginAgent(app, member);
    const slug = closed.course.slug;
    expect((await reader.get(`/courses/${slug}`)).text).to.contain('A coordinator enrols members');
    const res = await postForm(reader, `/courses/${slug}/enrol`, {}, `/courses/${slug}`);
    expect(res.status).to.equal(403);
    expect(res.text).to.contain('Members cannot enrol themselves');
    expect(await Enrolment.countDocuments()).to.equal(0);

    const coordinator = await loginAgent(app, await makeCoordinator());
    const path = `/teach/courses/${String(closed.course._id)}`;
    let staff = await postForm(coordinator, `${path}/members`, { email: 'nobody@example.org' }, path);
    expect(staff.status).to.equal(422);
    expect(staff.text).to.contain('No account has this email address');
    staff = await postForm(coordinator, `${path}/members`, { email: member.email }, path);
    expect(staff.status).to.equal(303);
    // Twice at once is still one enrolment.
    await Promise.all(
      [1, 2].map(() => postForm(coordinator, `${path}/members`, { email: member.email }, path)),
    );
    expect(await Enrolment.countDocuments({ userId: new Types.ObjectId(member.id) })).to.equal(1);
    expect((await coordinator.get(path)).text).to.contain(member.displayName);
    expect((await reader.get(`/courses/${slug}/lessons/${closed.lessonIds[0]}`)).status).to.equal(200);
    expect((await reader.get('/')).text).to.contain(`/courses/${slug}/lessons/${closed.lessonIds[0]}`);
  });

  it('the catalogue searches titles in every language, escapes what is typed, and filters by language', async () => {
    await Course.updateOne(
      { _id: fixture.course._id },
      {
        $set: { status: 'published', title: { en: 'Advocacy (levels) *basics*', 'fa-AF': 'سطوح دادخواهی' } },
      },
    );
    const psOnly = await makeCourse({ authors: [trainer.id] });
    await Course.updateOne(
      { _id: psOnly.course._id },
      { $set: { locales: ['ps-AF'], primaryLocale: 'ps-AF', title: { 'ps-AF': 'د مدافعې کچې' } } },
    );
    const reader = await loginAgent(app, await makeMember());
    const find = async (query: string) => (await reader.get(`/courses?${query}`)).text;
    expect(await find('q=(levels)')).to.contain(fixture.course.slug);
    expect(await find(`q=${encodeURIComponent('دادخواهی')}`)).to.contain(fixture.course.slug);
    // Typed on an Arabic keyboard: ي for ی.
    expect(await find(`q=${encodeURIComponent('دادخواهي')}`)).to.contain(fixture.course.slug);
    expect(await find('q=ADVOCACY')).to.contain(fixture.course.slug);
    for (const pattern of ['.*', '(x', '[a-', '\\', '*basics*x'])
      expect(await find(`q=${encodeURIComponent(pattern)}`), pattern).not.to.contain(fixture.course.slug);
    expect(await find('lang=ps-AF'))
      .to.contain(psOnly.course.slug)
      .and.not.to.contain(fixture.course.slug);
    expect(await find('lang=fa-AF'))
      .to.contain(fixture.course.slug)
      .and.not.to.contain(psOnly.course.slug);
    expect((await reader.get('/courses?lang[$ne]=x&q[$gt]=')).status).to.equal(200);
  });

  it('a long lesson in three languages saves; a primary language changed later never leaves a lesson blank', async () => {
    const lesson = `${edit()}/lessons/${fixture.lessonIds[0]}`;
    const long = 'قاچاق انسان '.repeat(8000); // about 96,000 characters
    const res = await postForm(
      author,
      lesson,
      { 'title[en]': 'Long', 'body[en]': 'Short English.', 'body[fa-AF]': long },
      lesson,
    );
    expect(res.status, res.text.slice(0, 300)).to.equal(303);
    expect((await reload()).modules[0]!.lessons[0]!.body['fa-AF']!.length).to.equal(long.trim().length);

    // Only English text; the course's primary language becomes Dari.
    await Course.updateOne(
      { _id: fixture.course._id },
      {
        $set: {
          primaryLocale: 'fa-AF',
          'modules.0.lessons.1.body': { en: 'Only English' },
          'modules.0.lessons.1.title': { en: 'English title' },
        },
      },
    );
    const member = await makeMember();
    await Course.updateOne({ _id: fixture.course._id }, { $set: { status: 'published' } });
    await enrolIn(member.id, fixture.course);
    const reader = await loginAgent(app, member);
    await postForm(reader, '/lang/ps-AF');
    const page = await reader.get(`/courses/${fixture.course.slug}/lessons/${fixture.lessonIds[1]}`);
    expect(page.text).to.contain('Only English').and.to.contain('English title');
    expect(page.text).to.match(/English/);
  });

  it('a language ticked twice counts once', async () => {
    const res = await postForm(
      author,
      edit(),
      {
        slug: fixture.course.slug,
        primaryLocale: 'en',
        locales: ['en', 'en', 'fa-AF'],
        'title[en]': 'T',
        'title[fa-AF]': 'ت',
        estimatedHours: '1',
      },
      edit(),
    );
    expect(res.status).to.equal(303);
    expect((await reload()).locales).to.deep.equal(['en', 'fa-AF']);
  });

  it('a video heavier than 2 MB a minute (25 MB when its length is unknown) warns its trainer with a reasonable size', async () => {
    expect(reasonableVideoBytes(600)).to.equal(20 * 1024 * 1024);
    expect(reasonableVideoBytes(10)).to.equal(2 * 1024 * 1024);
    expect(reasonableVideoBytes(null)).to.equal(25 * 1024 * 1024);
    const video = (size: number, seconds: number | null) => ({
      fileId: new Types.ObjectId().toHexString(),
      name: `v${size}.mp4`,
      mime: 'video/mp4',
      size,
      sha256: '0'.repeat(64),
      kind: 'video',
      seconds,
    });
    await Course.updateOne(
      { _id: fixture.course._id },
      {
        $push: {
          'modules.0.lessons.0.attachments': {
            $each: [
              video(80 * 1024 * 1024, 600),
              video(15 * 1024 * 1024, 600),
              video(30 * 1024 * 1024, null),
            ],
          },
        },
      },
    );
    const page = await author.get(`${edit()}/lessons/${fixture.lessonIds[0]}`);
    expect(page.text).to.contain('This video is 80 MB');
    expect(page.text).to.contain('About 20 MB would be reasonable');
    expect(page.text).not.to.contain('This video is 15 MB');
    expect(page.text).to.contain('This video is 30 MB and its length could not be read');
  });
});
