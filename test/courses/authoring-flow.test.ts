import { expect } from 'chai';
import type { Express } from 'express';
import { Course, type CourseDoc } from '../../src/courses/course.model.js';
import { AuditEvent } from '../../src/audit/audit-event.model.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { completeFirstRun, loginAgent, makeMember, makeTrainer, postForm } from '../helpers/factories.js';

const course = async (slug: string) => (await Course.findOne({ slug }).lean<CourseDoc>())!;

describe('a trainer writes a course with forms alone; a member takes it', () => {
  let app: Express;
  beforeEach(async () => {
    app = await buildTestApp();
    await completeFirstRun();
  });

  it('create → module → lesson in two languages → publish → enrol → read → complete', async () => {
    const trainer = await loginAgent(app, await makeTrainer());
    let res = await postForm(
      trainer,
      '/teach/courses',
      {
        slug: 'TIP-Law',
        primaryLocale: 'en',
        locales: ['en', 'fa-AF'],
        'title[en]': 'Trafficking law',
        'title[fa-AF]': 'قانون قاچاق',
        'summary[en]': 'The law.',
        estimatedHours: '3',
        selfEnrol: 'on',
      },
      '/teach/courses/new',
    );
    expect(res.status, res.text).to.equal(303);
    let c = await course('tip-law');
    const edit = `/teach/courses/${String(c._id)}`;
    expect(res.headers.location).to.equal(`${edit}?saved=created`);
    expect((await trainer.get(res.headers.location as string)).text).to.contain('Course created');

    res = await postForm(trainer, `${edit}/modules`, { 'title[en]': 'What trafficking is' }, edit);
    expect(res.status).to.equal(303);
    c = await course('tip-law');
    const moduleId = String(c.modules[0]!._id);
    res = await postForm(
      trainer,
      `${edit}/modules/${moduleId}/lessons`,
      { 'title[en]': 'The definition' },
      edit,
    );
    expect(res.status).to.equal(303);
    const lessonPage = res.headers.location as string;
    const lessonId = lessonPage.split('/').pop()!;

    // Publishing is refused while… no, it has a lesson now; first the text, with a preview.
    const preview = await postForm(
      trainer,
      lessonPage,
      { 'title[en]': 'The definition', 'body[en]': '**Act**, means, purpose', preview: '1' },
      lessonPage,
    );
    expect(preview.status).to.equal(200);
    expect(preview.text).to.contain('<strong>Act</strong>');
    expect((await course('tip-law')).modules[0]!.lessons[0]!.body.en).to.equal('');

    res = await postForm(
      trainer,
      lessonPage,
      {
        'title[en]': 'The definition',
        'title[fa-AF]': 'تعریف',
        'body[en]': '**Act**, means, purpose',
        'body[fa-AF]': '**عمل**، وسیله، هدف',
      },
      lessonPage,
    );
    expect(res.status).to.equal(303);
    res = await postForm(trainer, `${edit}/status`, { status: 'published' }, edit);
    expect(res.status).to.equal(303);
    expect((await course('tip-law')).status).to.equal('published');
    expect(await AuditEvent.countDocuments({ action: 'course.status' })).to.equal(1);

    const member = await loginAgent(app, await makeMember());
    const found = await member.get('/courses?q=%D9%82%D8%A7%D9%86%D9%88%D9%86'); // «قانون»
    expect(found.text).to.contain('/courses/tip-law');
    const page = await member.get('/courses/tip-law');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Enrol');
    expect((await member.get(`/courses/tip-law/lessons/${lessonId}`)).headers.location).to.equal(
      '/courses/tip-law?notice=enrolFirst',
    );
    res = await postForm(member, '/courses/tip-law/enrol', {}, '/courses/tip-law');
    expect(res.status).to.equal(303);
    expect((await postForm(member, '/lang/fa-AF')).status).to.equal(303);
    const lesson = await member.get(`/courses/tip-law/lessons/${lessonId}`);
    expect(lesson.status).to.equal(200);
    expect(lesson.text).to.contain('<strong>عمل</strong>');
    res = await postForm(member, `/courses/tip-law/lessons/${lessonId}/complete`, {}, `/courses/tip-law`);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/courses/tip-law?notice=complete');
    const home = await member.get('/');
    expect(home.text).to.contain('value="1"');
  });
});
