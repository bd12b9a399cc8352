import { expect } from 'chai';
import type { Express } from 'express';
import { Types } from 'mongoose';
import request from 'supertest';
import { calendarDay } from '../../src/core/dates.js';
import { completeLesson, visitLesson } from '../../src/progress/progress.service.js';
import { addMembers, addTrainer, createRound, linkCourse } from '../../src/rounds/rounds.service.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { completedMember } from '../helpers/certificates.js';
import { enrolIn, makeCourse } from '../helpers/courses.js';
import {
  completeFirstRun,
  loginAgent,
  makeCoordinator,
  makeMember,
  makeTrainer,
  type TestUser,
} from '../helpers/factories.js';
import { roundDetails } from '../helpers/rounds.js';

const daysAgo = (n: number) => calendarDay(new Date(Date.now() - n * 86_400_000), 'Asia/Kabul');

describe('home: what each part of the desk shows', () => {
  let app: Express;
  let admin: TestUser;

  beforeEach(async () => {
    app = await buildTestApp();
    admin = await completeFirstRun();
  });

  const home = async (user: TestUser) => (await (await loginAgent(app, user)).get('/')).text;

  it('a member’s next step is the lesson they opened and did not finish, and each course shows lessons done', async () => {
    const member = await makeMember();
    const fixture = await makeCourse({ authors: [admin.id], lessons: 3 });
    const courseId = String(fixture.course._id);
    const [first, , third] = fixture.lessonIds as [string, string, string];
    await enrolIn(member.id, fixture.course);
    await completeLesson(member.id, courseId, first, { lessonIds: fixture.lessonIds, quizIds: [] });
    await visitLesson(member.id, courseId, third);

    const page = await home(member);
    expect(page).to.contain(
      `<a class="button primary" href="/courses/${fixture.course.slug}/lessons/${third}"><bdi>Lesson 3</bdi></a>`,
    );
    expect(page).to.contain('<progress max="3" value="1"');
    expect(page).to.contain('1 of 3 lessons done');
  });

  it('a member who finished every lesson (a quiz still to pass) is told so; a course that is not published is not listed', async () => {
    const member = await makeMember();
    const done = await makeCourse({ authors: [admin.id], lessons: 1 });
    const draft = await makeCourse({ authors: [admin.id], status: 'draft' });
    await enrolIn(member.id, done.course);
    await enrolIn(member.id, draft.course);
    // Every lesson done, the course's quiz still to pass: the lessons are finished, the course is not.
    await completeLesson(member.id, String(done.course._id), done.lessonIds[0]!, {
      lessonIds: done.lessonIds,
      quizIds: [String(new Types.ObjectId())],
    });

    const page = await home(member);
    expect(page).to.contain('You have finished every lesson of your courses. Well done!');
    expect(page).to.contain('1 of 1 lessons done');
    expect(page).not.to.contain(`/courses/${draft.course.slug}`);
  });

  it('a member in no course is pointed to the catalogue, and told where courses and certificates will appear', async () => {
    const page = await home(await makeMember());
    expect(page).to.contain('When a course is opened to you, its next lesson will be here, one tap away.');
    expect(page).to.contain('<a href="/courses">Browse the courses</a>');
    expect(page).to.contain('You are not in any course yet.');
    expect(page).to.contain('Certificates for the courses you complete will be here, ready to download.');
    expect(page).not.to.contain('For staff');
  });

  it('staff who follow no course get no empty member cards; only an admin gets the settings link', async () => {
    const coordinatorPage = await home(await makeCoordinator());
    expect(coordinatorPage).not.to.contain('Your next step');
    expect(coordinatorPage).not.to.contain('My certificates');
    expect(coordinatorPage).to.contain('<a href="/admin/users">People</a>');
    expect(coordinatorPage).not.to.contain('href="/admin/settings"');
    expect(coordinatorPage).to.contain('Test Network');

    const adminPage = await home(admin);
    expect(adminPage).to.contain('<a href="/admin/settings">Settings</a>');
  });

  it('"password set" is the only notice the home page shows from its address', async () => {
    const agent = await loginAgent(app, await makeMember());
    expect((await agent.get('/?notice=passwordSet')).text).to.contain(
      'Your password is saved and you are signed in.',
    );
    const other = (await agent.get('/?notice=loggedOut')).text;
    expect(other).not.to.contain('You have signed out.');
    expect(other).not.to.contain('notices.');
  });

  it('an anonymous visitor is sent to sign in', async () => {
    const res = await request(app).get('/');
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/login');
  });

  it('a trainer sees the rounds they train, and says so plainly when they have no course or submission yet', async () => {
    const trainer = await makeTrainer();
    const agent = await loginAgent(app, trainer);
    const quiet = (await agent.get('/')).text;
    expect(quiet).to.contain('You have no course yet.');
    expect(quiet).to.contain('No quiz has been submitted yet.');
    expect(quiet).not.to.contain('Rounds I train');

    const roundId = await createRound(roundDetails({ name: 'Mazar round' }), admin.id);
    await addTrainer(roundId, trainer.id);
    await createRound(roundDetails({ name: 'Someone else’s round' }), admin.id);
    const page = (await agent.get('/')).text;
    expect(page).to.contain('Rounds I train');
    expect(page).to.contain(`<a href="/coord/rounds/${roundId}" dir="auto">Mazar round</a>`);
    expect(page).not.to.contain('Someone else’s round');
  });

  it('certificates to print come from rounds under way or ended in the last 30 days, not from older ones', async () => {
    const { member, fixture } = await completedMember(app);
    const courseId = String(fixture.course._id);
    const recent = await createRound(
      roundDetails({ name: 'Ended last week', startDate: daysAgo(12), endDate: daysAgo(10) }),
      admin.id,
    );
    const old = await createRound(
      roundDetails({ name: 'Ended long ago', startDate: daysAgo(45), endDate: daysAgo(40) }),
      admin.id,
    );
    for (const id of [recent, old]) {
      await addMembers(id, [member.id], admin.id);
      await linkCourse(id, courseId);
    }

    const page = await home(await makeCoordinator());
    expect(page).to.contain('No round is under way today.');
    expect(page).to.contain(`/certificates?course=${courseId}&amp;round=${recent}`);
    expect(page).not.to.contain(`round=${old}`);
    expect(page).not.to.contain('No certificates waiting for the rounds of the last 30 days.');
  });
});
