import { expect } from 'chai';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Express } from 'express';
import type TestAgent from 'supertest/lib/agent.js';
import { Types } from 'mongoose';
import { AuditEvent } from '../../src/audit/audit-event.model.js';
import type { FileStore } from '../../src/core/file-store.js';
import { addModule } from '../../src/courses/course-outline.service.js';
import { Course, type CourseDoc } from '../../src/courses/course.model.js';
import { diskFileStore } from '../../src/files/disk-file-store.js';
import { Enrolment, type EnrolmentDoc } from '../../src/progress/enrolment.model.js';
import { completeLesson } from '../../src/progress/progress.service.js';
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

/**
 * A trainer shapes a course on its page: modules and lessons added, renamed, moved and deleted (with their
 * files), its details and status, its co-authors; a coordinator takes members out. Every refusal answers
 * 4xx with a message and leaves the course as it was.
 */

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

describe('editing a course: outline, details, status, authors and members', () => {
  let app: Express;
  let dir: string;
  let files: FileStore;
  let trainer: TestUser;
  let author: TestAgent;
  let fixture: CourseFixture;
  const edit = () => `/teach/courses/${String(fixture.course._id)}`;
  const reload = async (id: unknown = fixture.course._id) => (await Course.findById(id).lean<CourseDoc>())!;
  const post = (p: string, fields: Record<string, string | string[]> = {}) =>
    postForm(author, p, fields, edit());
  const storedFiles = () =>
    readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sabaq-outline-'));
    files = diskFileStore(dir);
    app = await buildTestApp({ fileStore: files });
    await completeFirstRun();
    trainer = await makeTrainer();
    author = await loginAgent(app, trainer);
    fixture = await makeCourse({ authors: [trainer.id], lessons: 3 });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('modules and lessons', () => {
    it('a module without a title in the primary language, or with one too long or with hidden characters, is refused and not added', async () => {
      const before = await reload();
      const cases: [Record<string, string>, string][] = [
        [{ 'title[fa-AF]': 'فقط دری' }, 'Give a title in the course&#39;s primary language.'],
        [{ 'title[en]': '   ' }, 'Give a title in the course&#39;s primary language.'],
        [{ 'title[en]': 'x'.repeat(201) }, 'This is too long.'],
        [{ 'title[en]': 'Evil\u202Egnp.exe' }, 'This contains characters that cannot be shown'],
      ];
      for (const [fields, message] of cases) {
        const res = await post(`${edit()}/modules`, fields);
        expect(res.status, message).to.equal(422);
        expect(res.text, message).to.contain(message);
      }
      const after = await reload();
      expect(after.modules).to.deep.equal(before.modules);
      expect(after.rev).to.equal(before.rev);
    });

    it('renaming a module sets its title per language; a module id the course does not have is a 404', async () => {
      const res = await post(`${edit()}/modules/${fixture.moduleId}`, {
        'title[en]': '  Rights at work ',
        'title[fa-AF]': 'حقوق در کار',
      });
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal(`${edit()}?saved=outline#outline`);
      expect((await reload()).modules[0]!.title).to.include({ en: 'Rights at work', 'fa-AF': 'حقوق در کار' });
      const page = await author.get(res.headers.location as string);
      expect(page.text).to.contain('Outline changed.');

      const before = await reload();
      const unknown = await post(`${edit()}/modules/${new Types.ObjectId().toHexString()}`, {
        'title[en]': 'X',
      });
      expect(unknown.status).to.equal(404);
      expect((await reload()).rev).to.equal(before.rev);
    });

    it('modules move one place up or down; the first up, the last down, or a direction not offered changes nothing', async () => {
      const second = await addModule(String(fixture.course._id), { en: 'Second' });
      const third = await addModule(String(fixture.course._id), { en: 'Third' });
      const titles = async () => (await reload()).modules.map((m) => m.title.en);

      const res = await post(`${edit()}/modules/${third}/move`, { direction: 'up' });
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal(`${edit()}?saved=outline#module-${third}`);
      expect(await titles()).to.deep.equal(['Module 1', 'Third', 'Second']);

      const rev = (await reload()).rev;
      expect((await post(`${edit()}/modules/${fixture.moduleId}/move`, { direction: 'up' })).status).to.equal(
        303,
      );
      expect((await post(`${edit()}/modules/${second}/move`, { direction: 'down' })).status).to.equal(303);
      const sideways = await post(`${edit()}/modules/${second}/move`, { direction: 'sideways' });
      expect(sideways.status).to.equal(400);
      expect(sideways.text).to.contain('The request could not be understood.');
      expect((await post(`${edit()}/modules/${second}/move`)).status).to.equal(400);
      expect(await titles()).to.deep.equal(['Module 1', 'Third', 'Second']);
      expect((await reload()).rev).to.equal(rev);
    });

    it('a lesson moves within its own module; past either end nothing changes', async () => {
      const [l1, l2, l3] = fixture.lessonIds;
      const lessons = async () => (await reload()).modules[0]!.lessons.map((l) => String(l._id));
      const res = await post(`${edit()}/lessons/${l1}/move`, { direction: 'down' });
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal(`${edit()}?saved=outline#lesson-${l1}`);
      expect(await lessons()).to.deep.equal([l2, l1, l3]);

      await post(`${edit()}/lessons/${l3}/move`, { direction: 'down' });
      await post(`${edit()}/lessons/${l2}/move`, { direction: 'up' });
      expect(await lessons()).to.deep.equal([l2, l1, l3]);
      expect(
        (await post(`${edit()}/lessons/${new Types.ObjectId().toHexString()}/move`, { direction: 'up' }))
          .status,
      ).to.equal(404);
    });

    it('deleting a lesson removes its files; deleting a module removes its lessons’ files but keeps one another course uses', async () => {
      const save = async () => files.save(Readable.from([PDF]));
      const [a, b, shared] = [await save(), await save(), await save()];
      const attachment = (f: { id: string; size: number; sha256: string }, name: string) => ({
        fileId: f.id,
        name,
        mime: 'application/pdf',
        size: f.size,
        sha256: f.sha256,
        kind: 'document',
      });
      await Course.updateOne(
        { _id: fixture.course._id },
        {
          $push: {
            'modules.0.lessons.0.attachments': attachment(a, 'a.pdf'),
            'modules.0.lessons.1.attachments': {
              $each: [attachment(b, 'b.pdf'), attachment(shared, 'shared.pdf')],
            },
          },
        },
      );
      const other = await makeCourse({ authors: [trainer.id] });
      await Course.updateOne(
        { _id: other.course._id },
        { $push: { 'modules.0.lessons.0.attachments': attachment(shared, 'copy.pdf') } },
      );
      expect(storedFiles()).to.equal(3);

      let res = await post(`${edit()}/lessons/${fixture.lessonIds[0]}/delete`);
      expect(res.status).to.equal(303);
      expect((await reload()).modules[0]!.lessons.map((l) => String(l._id))).to.deep.equal(
        fixture.lessonIds.slice(1),
      );
      expect(storedFiles()).to.equal(2);
      expect((await author.get(`/files/${a.id}`)).status).to.equal(404);

      res = await post(`${edit()}/modules/${fixture.moduleId}/delete`);
      expect(res.status).to.equal(303);
      expect((await reload()).modules).to.deep.equal([]);
      expect(storedFiles()).to.equal(1);
      expect((await author.get(`/files/${shared.id}`)).status).to.equal(200);
      expect((await author.get(`/files/${b.id}`)).status).to.equal(404);

      // Gone already: a second delete (another tab) is a 404, not an error.
      expect((await post(`${edit()}/modules/${fixture.moduleId}/delete`)).status).to.equal(404);
      expect((await post(`${edit()}/lessons/${fixture.lessonIds[1]}/delete`)).status).to.equal(404);
    });

    it('a lesson saved without a title in the primary language is refused with the typed text kept', async () => {
      const lesson = `${edit()}/lessons/${fixture.lessonIds[0]}`;
      const res = await postForm(
        author,
        lesson,
        { 'title[en]': '', 'title[fa-AF]': 'درس', 'body[en]': 'Typed *carefully*' },
        lesson,
      );
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('Give a title in the course&#39;s primary language.');
      expect(res.text).to.contain('Typed *carefully*</textarea>');
      expect((await reload()).modules[0]!.lessons[0]!.title.en).to.equal('Lesson 1');
    });
  });

  describe('details and status', () => {
    const details = (over: Record<string, string | string[]> = {}) => ({
      slug: fixture.course.slug,
      primaryLocale: 'en',
      locales: ['en', 'fa-AF'],
      'title[en]': 'Law basics',
      'title[fa-AF]': 'مبانی قانون',
      'summary[en]': ' What the law says. ',
      'summary[ps-AF]': 'Not offered in Pashto',
      estimatedHours: '2.3',
      ...over,
    });

    it('saving details keeps only offered languages, rounds hours to a half, reads an unticked box as no, and is audited', async () => {
      const res = await post(edit(), details());
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal(`${edit()}?saved=details`);
      const c = await reload();
      expect(c.title).to.include({ en: 'Law basics', 'fa-AF': 'مبانی قانون', 'ps-AF': '' });
      expect(c.summary).to.include({ en: 'What the law says.', 'ps-AF': '' });
      expect(c.estimatedHours).to.equal(2.5);
      expect(c.selfEnrol).to.equal(false);
      expect(await AuditEvent.countDocuments({ action: 'course.update', targetId: String(c._id) })).to.equal(
        1,
      );
      expect((await author.get(`${edit()}?saved=details`)).text).to.contain('Details saved.');
      expect((await author.get(`${edit()}?saved=bogus`)).text).not.to.contain('teach.saved');
    });

    it('a web address another course has is refused with the typed values kept, and nothing changes', async () => {
      const other = await makeCourse({ authors: [trainer.id], slug: 'taken-address' });
      const res = await post(edit(), details({ slug: 'Taken-Address', 'title[en]': 'Kept title' }));
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('Another course already has this web address.');
      expect(res.text).to.contain('value="Kept title"');
      expect((await reload()).title.en).to.equal(fixture.course.title.en);
      expect((await reload(other.course._id)).slug).to.equal('taken-address');
      expect(await AuditEvent.countDocuments({ action: 'course.update' })).to.equal(0);
    });

    it('a status that is not one of the three is a 400 and changes nothing; the same status twice is audited once', async () => {
      for (const status of ['deleted', '', 'Published']) {
        const res = await post(`${edit()}/status`, { status });
        expect(res.status, status).to.equal(400);
      }
      expect((await reload()).status).to.equal('published');
      for (let i = 0; i < 2; i += 1)
        expect((await post(`${edit()}/status`, { status: 'archived' })).status).to.equal(303);
      expect((await reload()).status).to.equal('archived');
      const events = await AuditEvent.find({ action: 'course.status' }).lean<{ details: unknown }[]>();
      expect(events.map((e) => e.details)).to.deep.equal([{ from: 'published', to: 'archived' }]);
    });
  });

  describe('who edits, and who is enrolled', () => {
    it('a trainer’s list shows only the courses they author, with lesson counts; a coordinator’s shows every course', async () => {
      const colleague = await makeTrainer();
      const theirs = await makeCourse({ authors: [colleague.id], lessons: 1, slug: 'colleague-course' });
      await Course.updateOne({ _id: theirs.course._id }, { $set: { title: { en: 'Their course' } } });
      const draft = await makeCourse({ authors: [trainer.id, colleague.id], status: 'draft', lessons: 0 });

      const mine = await author.get('/teach/courses');
      expect(mine.text).to.contain(`href="/teach/courses/${String(fixture.course._id)}"`);
      expect(mine.text).to.contain(`href="/teach/courses/${String(draft.course._id)}"`);
      expect(mine.text).not.to.contain('Their course');
      expect(mine.text).to.match(/data-label="Lessons">3</);

      const coordinator = await loginAgent(app, await makeCoordinator());
      const all = await coordinator.get('/teach/courses');
      expect(all.text).to.contain('Their course');
      expect(all.text.match(/<tr>/g)).to.have.length(4); // the header row and three courses

      const newcomer = await loginAgent(app, await makeTrainer());
      expect((await newcomer.get('/teach/courses')).text).to.contain('You have no course yet.');
    });

    it('adding a co-author twice lists them once; removing a non-author keeps the authors; neither is recorded; the last author stays; a malformed id is a 404', async () => {
      const colleague = await makeTrainer();
      for (let i = 0; i < 2; i += 1)
        expect((await post(`${edit()}/authors`, { email: ` ${colleague.email} ` })).status).to.equal(303);
      expect((await reload()).authors.map(String)).to.deep.equal([trainer.id, colleague.id]);

      const stranger = await makeTrainer();
      expect((await post(`${edit()}/authors/${stranger.id}/remove`)).status).to.equal(303);
      expect((await post(`${edit()}/authors/not-an-id/remove`)).status).to.equal(404);
      expect((await reload()).authors.map(String)).to.deep.equal([trainer.id, colleague.id]);

      // Only real changes are recorded, and only they move the course up its lists.
      const events = await AuditEvent.find({ action: /^course\.authors/ }).lean();
      expect(events.map((e) => e.action)).to.deep.equal(['course.authors.add']);
      const updatedAt = (await reload()).updatedAt;
      await post(`${edit()}/authors`, { email: colleague.email });
      await post(`${edit()}/authors/${stranger.id}/remove`);
      expect((await reload()).updatedAt).to.deep.equal(updatedAt);
      expect(await AuditEvent.countDocuments({ action: /^course\.authors/ })).to.equal(1);
      expect((await post(`${edit()}/authors/${colleague.id}/remove`)).status).to.equal(303);
      expect(await AuditEvent.countDocuments({ action: 'course.authors.remove' })).to.equal(1);
      const last = await post(`${edit()}/authors/${trainer.id}/remove`);
      expect(last.status).to.equal(422);
      expect((await reload()).authors.map(String)).to.deep.equal([trainer.id]);

      const empty = await post(`${edit()}/authors`, { email: '' });
      expect(empty.status).to.equal(422);
      expect(empty.text).to.contain('Please fill in this field.');
    });

    it('a coordinator takes a member out: the list no longer shows them and their progress is kept', async () => {
      const member = await makeMember();
      await enrolIn(member.id, fixture.course);
      await completeLesson(member.id, String(fixture.course._id), fixture.lessonIds[0]!, {
        lessonIds: fixture.lessonIds,
        quizIds: [],
      });
      const coordinator = await loginAgent(app, await makeCoordinator());
      let page = await coordinator.get(edit());
      expect(page.text).to.contain(member.displayName).and.to.contain('1 lesson done');
      expect(page.text).to.match(/Enrolled members <span class="muted">\(1\)/);

      const res = await postForm(coordinator, `${edit()}/members/${member.id}/remove`, {}, edit());
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal(`${edit()}?saved=members#members`);
      page = await coordinator.get(res.headers.location as string);
      expect(page.text).to.contain('Enrolments changed.').and.to.contain('Nobody is enrolled yet.');
      const kept = (await Enrolment.findOne({ userId: new Types.ObjectId(member.id) }).lean<EnrolmentDoc>())!;
      expect(kept.status).to.equal('left');
      expect(kept.completedLessons.map(String)).to.deep.equal([fixture.lessonIds[0]]);

      expect((await postForm(coordinator, `${edit()}/members/not-an-id/remove`, {}, edit())).status).to.equal(
        404,
      );
      const empty = await postForm(coordinator, `${edit()}/members`, { email: '' }, edit());
      expect(empty.status).to.equal(422);
      expect(empty.text).to.contain('Please fill in this field.');
      expect(await Enrolment.countDocuments({ status: 'active' })).to.equal(0);
    });
  });
});
