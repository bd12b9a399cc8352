import { expect } from 'chai';
import type { Express } from 'express';
import { Types } from 'mongoose';
import { AuditEvent } from '../../src/audit/audit-event.model.js';
import { Enrolment } from '../../src/progress/enrolment.model.js';
import { enrol } from '../../src/progress/progress.service.js';
import { Quiz } from '../../src/quizzes/quiz.model.js';
import { addMembers, addTrainer, createRound, linkCourse } from '../../src/rounds/rounds.service.js';
import { User } from '../../src/users/user.model.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { makeCourse, type CourseFixture } from '../helpers/courses.js';
import { getCsv } from '../helpers/downloads.js';
import { completeFirstRun, loginAgent, makeCoordinator, type TestUser } from '../helpers/factories.js';
import { insertPeople, type PersonRowFixture } from '../helpers/people-rows.js';
import { roundDetails } from '../helpers/rounds.js';

/** The list of reports, the choice of a course for knowledge gain, and the province and trainer tables. */
describe('reports: the index, choosing a course, provinces and trainers', () => {
  let app: Express;
  let coordinator: TestUser;

  beforeEach(async () => {
    app = await buildTestApp();
    await completeFirstRun();
    coordinator = await makeCoordinator();
  });

  const withTests = async (fixture: CourseFixture, kinds: ('pretest' | 'posttest')[]) => {
    for (const kind of kinds) await Quiz.create({ courseId: fixture.course._id, kind, questionIds: [] });
  };
  const itemOf = (html: string, href: string) => {
    const start = html.indexOf(`href="${href}"`);
    return start < 0 ? '' : html.slice(start, html.indexOf('</li>', start));
  };

  it('the index says when there is nothing yet, then lists every course (drafts marked) and every round with its members', async () => {
    const agent = await loginAgent(app, coordinator);
    const empty = await agent.get('/coord/reports');
    expect(empty.status).to.equal(200);
    expect(empty.text).to.include('There are no courses yet.');
    expect(empty.text).to.include('There are no training rounds yet.');

    const both = await makeCourse({ authors: [coordinator.id] });
    const preOnly = await makeCourse({ authors: [coordinator.id] });
    const draft = await makeCourse({ authors: [coordinator.id], status: 'draft' });
    await withTests(both, ['pretest', 'posttest']);
    await withTests(preOnly, ['pretest']);
    const people = await insertPeople(['Member one', 'Member two']);
    const round = await createRound(roundDetails({ name: 'Spring round' }), coordinator.id);
    await addMembers(
      round,
      people.map((p) => p.id),
      coordinator.id,
    );

    const page = await agent.get('/coord/reports');
    const course = (f: CourseFixture) => itemOf(page.text, `/coord/reports/course/${String(f.course._id)}`);
    expect(course(both)).to.include(both.course.title.en!);
    expect(course(draft)).to.include('badge status-draft');
    expect(course(both)).not.to.include('badge');
    const gainLink = (f: CourseFixture) => `/coord/reports/knowledge-gain?course=${String(f.course._id)}`;
    expect(course(both)).to.include(gainLink(both));
    expect(course(preOnly)).not.to.include('knowledge-gain');
    expect(course(draft)).not.to.include('knowledge-gain');
    const roundItem = itemOf(page.text, `/coord/reports/round/${round}`);
    expect(roundItem).to.include('Spring round').and.include('2 members');
    expect(page.text).not.to.include('There are no');
  });

  it('knowledge gain: the choice offers only courses with both tests and keeps the period; a course without both says it cannot be measured, with an empty CSV line', async () => {
    const agent = await loginAgent(app, coordinator);
    const preOnly = await makeCourse({ authors: [coordinator.id] });
    await withTests(preOnly, ['pretest']);
    const none = await agent.get('/coord/reports/knowledge-gain');
    expect(none.status).to.equal(200);
    expect(none.text).to.include('No course has both a pre-test and a post-test yet.');
    expect(none.text).not.to.include('<select');

    const both = await makeCourse({ authors: [coordinator.id] });
    await withTests(both, ['pretest', 'posttest']);
    const choose = await agent.get('/coord/reports/knowledge-gain?from=2026-01-01&to=2026-06-30');
    const options = [...choose.text.matchAll(/<option value="([0-9a-f]{24})">/g)].map((m) => m[1]);
    expect(options).to.deep.equal([String(both.course._id)]);
    expect(choose.text).to.include('<input type="hidden" name="from" value="2026-01-01">');
    expect(choose.text).to.include('<input type="hidden" name="to" value="2026-06-30">');
    const reversed = await agent.get('/coord/reports/knowledge-gain?from=2026-06-30&to=2026-01-01');
    expect(reversed.status).to.equal(400);

    // Asked for anyway, a course without both tests: it cannot be measured, no chart, an empty course line.
    const id = String(preOnly.course._id);
    const page = await agent.get(`/coord/reports/knowledge-gain?course=${id}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.include('This course has no pre-test and post-test pair');
    expect(page.text).to.include('No member has taken both the pre-test and the post-test yet.');
    expect(page.text).not.to.include('<svg');
    // The range form keeps the course.
    expect(page.text).to.include(`<input type="hidden" name="course" value="${id}">`);
    const { header, rows } = await getCsv(agent, `/coord/reports/knowledge-gain.csv?course=${id}`);
    expect(header).to.have.length(9);
    expect(rows).to.deep.equal([['course', preOnly.course.title.en, '', '0', '', '', '', '', '']]);
    expect(
      await AuditEvent.countDocuments({ action: 'report.export', targetId: `knowledge-gain-${id}` }),
    ).to.equal(1);
  });

  it('provinces: members without a province are grouped as "not recorded", disabled accounts are not members, largest first', async () => {
    const course = await makeCourse({ authors: [coordinator.id] });
    const bamyan = await insertPeople(['Bamyan one', 'Bamyan two', 'Bamyan three'], { province: 'Bamyan' });
    const [nowhere] = (await insertPeople(['No province'])) as [PersonRowFixture];
    await User.updateOne({ _id: bamyan[2]!.id }, { $set: { status: 'disabled' } });
    for (const p of [bamyan[0]!, bamyan[1]!, nowhere]) await enrol(p.id, String(course.course._id));
    await Enrolment.collection.updateOne(
      { userId: new Types.ObjectId(bamyan[0]!.id), courseId: course.course._id },
      { $set: { completedAt: new Date(), completedLessons: [new Types.ObjectId(course.lessonIds[0])] } },
    );
    const agent = await loginAgent(app, coordinator);
    const page = await agent.get('/coord/reports/provinces');
    expect(page.status).to.equal(200);
    const labels = [...page.text.matchAll(/<th scope="row" dir="auto">([^<]+)<\/th>/g)].map((m) => m[1]);
    expect(labels).to.deep.equal(['Bamyan', 'Province not recorded']);
    expect(page.text).to.match(/<svg[^>]*class="report-chart"/);

    const { header, rows } = await getCsv(agent, '/coord/reports/provinces.csv');
    expect(header.slice(0, 4)).to.deep.equal(['Province', 'Members', 'Enrolled', 'Not started']);
    // Bamyan: 2 active members (the third is disabled), 2 enrolled, 1 completed: 50 %.
    // Not recorded: 1 member, 1 enrolled, not started: 0 %.
    expect(rows.map((r) => r.slice(0, 8))).to.deep.equal([
      ['Bamyan', '2', '2', '1', '0', '1', '50.0', ''],
      ['Province not recorded', '1', '1', '1', '0', '0', '0.0', ''],
    ]);

    // No enrolment in the period: the members are still counted, but there is no rate to chart.
    const later = await agent.get('/coord/reports/provinces?from=2030-01-01');
    expect(later.status).to.equal(200);
    expect(later.text).not.to.include('<svg');
    expect(later.text).to.match(/data-label="Completion rate">—<\/td>/);
  });

  it('trainers: nothing to report without rounds; then each trainer with their rounds and distinct members, in name order, with a Rounds column in the CSV', async () => {
    const agent = await loginAgent(app, coordinator);
    const none = await agent.get('/coord/reports/trainers');
    expect(none.status).to.equal(200);
    expect(none.text).to.include('Nothing to report for this period.');

    const [zarif, bahar] = await insertPeople(['Zarif Trainer', 'Bahar Trainer'], {
      roles: ['trainer'],
    });
    const [a, b, c] = await insertPeople(['A member', 'B member', 'C member']);
    const course = await makeCourse({ authors: [coordinator.id] });
    const first = await createRound(roundDetails({ name: 'First' }), coordinator.id);
    const second = await createRound(roundDetails({ name: 'Second' }), coordinator.id);
    await addMembers(first, [a!.id, b!.id], coordinator.id);
    await addMembers(second, [b!.id, c!.id], coordinator.id);
    for (const r of [first, second]) {
      await addTrainer(r, zarif!.id);
      await linkCourse(r, String(course.course._id));
    }
    await addTrainer(second, bahar!.id);

    const page = await agent.get('/coord/reports/trainers');
    const labels = [...page.text.matchAll(/<th scope="row" dir="auto">([^<]+)<\/th>/g)].map((m) => m[1]);
    expect(labels).to.deep.equal(['Bahar Trainer', 'Zarif Trainer']);
    const { header, rows } = await getCsv(agent, '/coord/reports/trainers.csv');
    expect(header.slice(0, 4)).to.deep.equal(['Trainer', 'Rounds', 'Members', 'Enrolled']);
    // Zarif trained both rounds: 3 distinct members (B is in both), each enrolled once. Bahar: round 2 only.
    expect(rows.map((r) => r.slice(0, 4))).to.deep.equal([
      ['Bahar Trainer', '1', '2', '2'],
      ['Zarif Trainer', '2', '3', '3'],
    ]);
  });
});
