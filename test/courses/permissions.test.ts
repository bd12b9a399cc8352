import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { Readable } from 'node:stream';
import { Course, type CourseDoc } from '../../src/courses/course.model.js';
import { Enrolment } from '../../src/progress/enrolment.model.js';
import { buildTestApp, testFileStore } from '../helpers/app-harness.js';
import { enrolIn, makeCourse, type CourseFixture } from '../helpers/courses.js';
import {
  completeFirstRun,
  csrfFrom,
  loginAgent,
  makeCoordinator,
  makeMember,
  makeTrainer,
  type TestUser,
} from '../helpers/factories.js';

/**
 * Every course route, for every kind of person. A trainer edits only courses they (co-)author; drafts and
 * archived courses are not there (404) for members and other trainers; members cannot reach authoring at
 * all (403); anonymous visitors are sent to sign in. A refused request changes nothing.
 */

type Who =
  'anonymous' | 'member' | 'enrolled' | 'author' | 'coAuthor' | 'otherTrainer' | 'coordinator' | 'admin';
const EVERYONE: Who[] = [
  'anonymous',
  'member',
  'enrolled',
  'author',
  'coAuthor',
  'otherTrainer',
  'coordinator',
  'admin',
];
const EDITORS: Who[] = ['author', 'coAuthor', 'coordinator', 'admin'];

interface Route {
  method: 'get' | 'post';
  path: (f: Fixtures) => string;
  body?: (f: Fixtures) => Record<string, string>;
  /** Who gets through, on a published course. */
  allowed: Who[];
  /** What the others get (signed in): 403 for the wrong role, 404 for a course they may not touch. */
  refusedWith: (who: Who) => number;
  /** The route is about the draft course. */
  draft?: boolean;
}

interface Fixtures {
  published: CourseFixture;
  draft: CourseFixture;
  fileId: string;
  draftFileId: string;
  attachmentId: string;
  users: Record<Exclude<Who, 'anonymous'>, TestUser>;
}

const notEditor = (who: Who) => (['member', 'enrolled'].includes(who) ? 403 : 404);
const teach = (f: Fixtures, draft = false) =>
  `/teach/courses/${String((draft ? f.draft : f.published).course._id)}`;
const lessonOf = (f: Fixtures) => `${teach(f)}/lessons/${f.published.lessonIds[0]}`;
const published = (f: Fixtures) => `/courses/${f.published.course.slug}`;

const ROUTES: Route[] = [
  { method: 'get', path: () => '/courses', allowed: EVERYONE.slice(1), refusedWith: () => 0 },
  { method: 'get', path: published, allowed: EVERYONE.slice(1), refusedWith: () => 0 },
  {
    method: 'get',
    path: (f) => `/courses/${f.draft.course.slug}`,
    allowed: EDITORS,
    refusedWith: () => 404,
    draft: true,
  },
  { method: 'post', path: (f) => `${published(f)}/enrol`, allowed: EVERYONE.slice(1), refusedWith: () => 0 },
  {
    method: 'post',
    path: (f) => `/courses/${f.draft.course.slug}/enrol`,
    allowed: [],
    refusedWith: () => 404,
    draft: true,
  },
  {
    method: 'get',
    path: (f) => `${published(f)}/lessons/${f.published.lessonIds[0]}`,
    allowed: ['enrolled', ...EDITORS],
    refusedWith: () => 303,
  },
  {
    method: 'get',
    path: (f) => `/courses/${f.draft.course.slug}/lessons/${f.draft.lessonIds[0]}`,
    allowed: EDITORS,
    refusedWith: () => 404,
    draft: true,
  },
  {
    method: 'post',
    path: (f) => `${published(f)}/lessons/${f.published.lessonIds[0]}/complete`,
    allowed: ['enrolled'],
    refusedWith: () => 303,
  },
  {
    method: 'get',
    path: (f) => `/files/${f.fileId}`,
    allowed: ['enrolled', ...EDITORS],
    refusedWith: () => 404,
  },
  {
    method: 'get',
    path: (f) => `/files/${f.draftFileId}`,
    allowed: EDITORS,
    refusedWith: () => 404,
    draft: true,
  },
  {
    method: 'get',
    path: () => '/teach/courses',
    allowed: ['author', 'coAuthor', 'otherTrainer', 'coordinator', 'admin'],
    refusedWith: () => 403,
  },
  {
    method: 'get',
    path: () => '/teach/courses/new',
    allowed: ['author', 'coAuthor', 'otherTrainer', 'coordinator', 'admin'],
    refusedWith: () => 403,
  },
  { method: 'get', path: (f) => teach(f), allowed: EDITORS, refusedWith: notEditor },
  { method: 'get', path: (f) => teach(f, true), allowed: EDITORS, refusedWith: notEditor, draft: true },
  {
    method: 'post',
    path: (f) => teach(f),
    body: () => ({ slug: 'x' }),
    allowed: EDITORS,
    refusedWith: notEditor,
  },
  {
    method: 'post',
    path: (f) => `${teach(f)}/status`,
    body: () => ({ status: 'archived' }),
    allowed: EDITORS,
    refusedWith: notEditor,
  },
  {
    method: 'post',
    path: (f) => `${teach(f)}/authors`,
    body: (f) => ({ email: f.users.otherTrainer.email }),
    allowed: EDITORS,
    refusedWith: notEditor,
  },
  {
    method: 'post',
    path: (f) => `${teach(f)}/authors/${f.users.coAuthor.id}/remove`,
    allowed: EDITORS,
    refusedWith: notEditor,
  },
  {
    method: 'post',
    path: (f) => `${teach(f)}/modules`,
    body: () => ({ 'title[en]': 'New' }),
    allowed: EDITORS,
    refusedWith: notEditor,
  },
  {
    method: 'post',
    path: (f) => `${teach(f)}/modules/${f.published.moduleId}`,
    body: () => ({ 'title[en]': 'Renamed' }),
    allowed: EDITORS,
    refusedWith: notEditor,
  },
  {
    method: 'post',
    path: (f) => `${teach(f)}/modules/${f.published.moduleId}/move`,
    body: () => ({ direction: 'down' }),
    allowed: EDITORS,
    refusedWith: notEditor,
  },
  {
    method: 'post',
    path: (f) => `${teach(f)}/modules/${f.published.moduleId}/lessons`,
    body: () => ({ 'title[en]': 'L' }),
    allowed: EDITORS,
    refusedWith: notEditor,
  },
  { method: 'get', path: lessonOf, allowed: EDITORS, refusedWith: notEditor },
  {
    method: 'post',
    path: lessonOf,
    body: () => ({ 'title[en]': 'Changed', 'body[en]': 'Changed' }),
    allowed: EDITORS,
    refusedWith: notEditor,
  },
  {
    method: 'post',
    path: (f) => `${lessonOf(f)}/move`,
    body: () => ({ direction: 'down' }),
    allowed: EDITORS,
    refusedWith: notEditor,
  },
  {
    method: 'post',
    path: (f) => `${lessonOf(f)}/attachments/${f.attachmentId}/delete`,
    allowed: EDITORS,
    refusedWith: notEditor,
  },
  { method: 'post', path: (f) => `${lessonOf(f)}/delete`, allowed: EDITORS, refusedWith: notEditor },
  {
    method: 'post',
    path: (f) => `${teach(f)}/modules/${f.published.moduleId}/delete`,
    allowed: EDITORS,
    refusedWith: notEditor,
  },
  // Enrolling others is for coordinators and admins; a course's authors may not (403), other trainers
  // do not see the course at all (404).
  {
    method: 'post',
    path: (f) => `${teach(f)}/members`,
    body: (f) => ({ email: f.users.member.email }),
    allowed: ['coordinator', 'admin'],
    refusedWith: (w) => (w === 'otherTrainer' ? 404 : 403),
  },
  {
    method: 'post',
    path: (f) => `${teach(f)}/members/${f.users.enrolled.id}/remove`,
    allowed: ['coordinator', 'admin'],
    refusedWith: (w) => (w === 'otherTrainer' ? 404 : 403),
  },
  {
    method: 'get',
    path: (f) => `${teach(f)}/modules/${f.published.moduleId}/export`,
    allowed: EDITORS,
    refusedWith: notEditor,
  },
];

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

async function attach(course: CourseDoc, lessonIndex = 0): Promise<{ fileId: string; attachmentId: string }> {
  const saved = await testFileStore().save(Readable.from([PDF]));
  const lesson = course.modules[0]!.lessons[lessonIndex]!;
  await Course.updateOne(
    { _id: course._id },
    {
      $push: {
        'modules.0.lessons.0.attachments': {
          fileId: saved.id,
          name: 'handout.pdf',
          mime: 'application/pdf',
          size: saved.size,
          sha256: saved.sha256,
          kind: 'document',
        },
      },
    },
  );
  const after = (await Course.findById(course._id).lean<CourseDoc>())!;
  const attachment = after.modules[0]!.lessons.find((l) => String(l._id) === String(lesson._id))!
    .attachments[0]!;
  return { fileId: saved.id, attachmentId: String(attachment._id) };
}

describe('course routes across the permission matrix', function () {
  this.timeout(120_000);
  let app: Express;
  let f: Fixtures;
  const agents = new Map<Who, TestAgent>();

  beforeEach(async () => {
    app = await buildTestApp();
    const admin = await completeFirstRun();
    const users = {
      member: await makeMember(),
      enrolled: await makeMember(),
      author: await makeTrainer(),
      coAuthor: await makeTrainer(),
      otherTrainer: await makeTrainer(),
      coordinator: await makeCoordinator(),
      admin,
    };
    const authors = [users.author.id, users.coAuthor.id];
    const pub = await makeCourse({ authors, lessons: 2 });
    const draft = await makeCourse({ authors, status: 'draft' });
    const a = await attach(pub.course);
    const d = await attach(draft.course);
    await enrolIn(users.enrolled.id, pub.course);
    await enrolIn(users.enrolled.id, draft.course); // enrolled before it went back to draft
    f = {
      published: pub,
      draft,
      fileId: a.fileId,
      attachmentId: a.attachmentId,
      draftFileId: d.fileId,
      users,
    };
    agents.clear();
    agents.set('anonymous', request.agent(app));
    for (const [who, user] of Object.entries(users)) agents.set(who as Who, await loginAgent(app, user));
  });

  async function send(who: Who, route: Route): Promise<request.Response> {
    const agent = agents.get(who)!;
    const path = route.path(f);
    if (route.method === 'get') return agent.get(path);
    const token = csrfFrom((await agent.get(who === 'anonymous' ? '/login' : '/me')).text);
    return agent
      .post(path)
      .type('form')
      .send({ _csrf: token, ...(route.body?.(f) ?? {}) });
  }

  const snapshot = async () =>
    JSON.stringify([
      await Course.find().sort({ _id: 1 }).lean(),
      await Enrolment.find({}, { updatedAt: 0 }).sort({ _id: 1 }).lean(),
    ]);

  for (const route of ROUTES) {
    const label = `${route.method.toUpperCase()} ${route.path({
      published: { course: { slug: ':slug', _id: ':id' }, lessonIds: [':lesson'], moduleId: ':module' },
      draft: { course: { slug: ':draft', _id: ':draftId' }, lessonIds: [':lesson'], moduleId: ':module' },
      fileId: ':file',
      draftFileId: ':draftFile',
      attachmentId: ':attachment',
      users: {
        otherTrainer: { email: 'x' },
        member: { email: 'x' },
        coAuthor: { id: ':user' },
        enrolled: { id: ':user' },
      },
    } as unknown as Fixtures)}`;
    it(label, async () => {
      for (const who of EVERYONE) {
        const before = await snapshot();
        const res = await send(who, route);
        if (who === 'anonymous') {
          expect(res.status, `${who}`).to.equal(303);
          expect(res.headers.location, who).to.match(/^\/login/);
        } else if (route.allowed.includes(who)) {
          expect(res.status, `${who}: ${res.text?.slice(0, 200)}`).to.be.oneOf([200, 303, 422]);
          if (res.status === 303)
            expect(res.headers.location, who).not.to.match(/notice=enrolFirst|^\/login/);
        } else {
          const expected = route.refusedWith(who);
          expect(res.status, who).to.equal(expected);
          if (expected === 303) expect(res.headers.location, who).to.match(/notice=enrolFirst$/);
          if (route.method === 'post') expect(await snapshot(), `${who} changed nothing`).to.equal(before);
        }
        // Each person's allowed change is undone, so the next person meets the same course.
        if (route.method === 'post' && route.allowed.includes(who)) await restore();
      }
    });
  }

  let saved: [unknown[], unknown[]] = [[], []];
  beforeEach(async () => {
    saved = [await Course.find().lean(), await Enrolment.find().lean()];
  });
  async function restore() {
    await Course.deleteMany({});
    await Course.insertMany(saved[0]);
    await Enrolment.deleteMany({});
    await Enrolment.insertMany(saved[1]);
  }

  it('ids that are malformed, unknown, or from another course are a 404 for an author', async () => {
    const author = agents.get('author')!;
    const other = await makeCourse({ authors: [f.users.otherTrainer.id] });
    const token = csrfFrom((await author.get('/me')).text);
    for (const path of [
      '/teach/courses/not-an-id',
      `/teach/courses/${'0'.repeat(24)}`,
      `${teach(f)}/lessons/${other.lessonIds[0]}`,
      `${teach(f)}/lessons/zzz`,
      `/courses/${f.published.course.slug}/lessons/${other.lessonIds[0]}`,
      '/files/../../etc/passwd',
      `/files/${'a'.repeat(500)}`,
    ])
      expect((await author.get(path)).status, path).to.equal(404);
    for (const path of [
      `${teach(f)}/modules/${other.moduleId}/lessons`,
      `${teach(f)}/modules/${other.moduleId}/delete`,
      `${teach(f)}/lessons/${other.lessonIds[0]}/delete`,
      `${teach(f)}/modules/$ne/move`,
    ]) {
      const res = await author
        .post(path)
        .type('form')
        .send({ _csrf: token, 'title[en]': 'x', direction: 'up' });
      expect(res.status, path).to.equal(404);
    }
    const course = (await Course.findById(other.course._id).lean<CourseDoc>())!;
    expect(course.modules[0]!.lessons).to.have.length(2);
  });
});
