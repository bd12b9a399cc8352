import { expect } from 'chai';
import type { Express } from 'express';
import { Types } from 'mongoose';
import { AuditEvent } from '../../src/audit/audit-event.model.js';
import { Enrolment } from '../../src/progress/enrolment.model.js';
import { leave } from '../../src/progress/progress.service.js';
import {
  addMembers,
  createRound,
  findRound,
  linkCourse,
  removeMember,
  setAttendance,
} from '../../src/rounds/rounds.service.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { makeCourse, type CourseFixture } from '../helpers/courses.js';
import { csvRows, getCsv } from '../helpers/downloads.js';
import { completeFirstRun, loginAgent, makeCoordinator, type TestUser } from '../helpers/factories.js';
import { insertPeople, type PersonRowFixture } from '../helpers/people-rows.js';
import { roundDetails } from '../helpers/rounds.js';

/**
 * The report of one training round over HTTP: its attendance, the standing of its current members in each
 * linked course, and the CSV of the same. Expected values are worked out by hand in each test.
 */
describe('reports: a training round, on the page and in the CSV', () => {
  let app: Express;
  let coordinator: TestUser;
  let law: CourseFixture;
  let advocacy: CourseFixture;
  let amina: PersonRowFixture;
  let bashir: PersonRowFixture;
  let zahra: PersonRowFixture;
  let roundId: string;

  const at = (iso: string) => new Date(iso);
  const rowOf = (html: string, personId: string) => {
    const start = html.indexOf(`/coord/reports/member/${personId}"`);
    return start < 0 ? '' : html.slice(start, html.indexOf('</tr>', start));
  };

  beforeEach(async () => {
    app = await buildTestApp();
    await completeFirstRun();
    coordinator = await makeCoordinator();
    law = await makeCourse({ authors: [coordinator.id] });
    advocacy = await makeCourse({ authors: [coordinator.id] });
    [amina, bashir] = (await insertPeople(['Amina Rahimi', 'Bashir Karimi'], {
      organisation: 'Kabul Legal Aid',
      province: 'Kabul',
    })) as [PersonRowFixture, PersonRowFixture];
    [zahra] = (await insertPeople(['Zahra Ahmadi'])) as [PersonRowFixture];
    roundId = await createRound(
      roundDetails({ name: 'Legal aid round', endDate: '2026-04-26', province: 'Kabul' }),
      coordinator.id,
    );
    await addMembers(roundId, [amina.id, bashir.id, zahra.id], coordinator.id);
    await linkCourse(roundId, String(law.course._id));
    await linkCourse(roundId, String(advocacy.course._id));
    // Law: Amina completed it in 2 days, Bashir has done one lesson, Zahra nothing.
    // Advocacy: Amina left it; Bashir and Zahra have not started.
    const set = (userId: string, course: CourseFixture, fields: Record<string, unknown>) =>
      Enrolment.collection.updateOne(
        { userId: new Types.ObjectId(userId), courseId: course.course._id },
        { $set: { createdAt: at('2026-04-24T05:00:00Z'), ...fields } },
      );
    await set(amina.id, law, {
      completedAt: at('2026-04-26T05:00:00Z'),
      completedLessons: law.lessonIds.map((l) => new Types.ObjectId(l)),
    });
    await set(bashir.id, law, { completedLessons: [new Types.ObjectId(law.lessonIds[0])] });
    await set(zahra.id, law, {});
    for (const p of [amina, bashir, zahra]) await set(p.id, advocacy, {});
    await leave(amina.id, String(advocacy.course._id));
    await setAttendance((await findRound(roundId))!, {
      '2026-04-24': [amina.id, bashir.id, zahra.id],
      '2026-04-25': [amina.id, bashir.id],
      '2026-04-26': [amina.id],
    });
    // Zahra is taken out after the first day was marked: she no longer counts, on either side.
    await removeMember(roundId, zahra.id, coordinator.id);
  });

  it('the page shows the attendance of the current members, a row per day, and each member’s status per linked course', async () => {
    const agent = await loginAgent(app, coordinator);
    const res = await agent.get(`/coord/reports/round/${roundId}`);
    expect(res.status).to.equal(200);
    // Present member-days 2 + 2 + 1 = 5 of 2 members × 3 days = 6: 83.3 %.
    expect(res.text).to.match(/<dt>Attendance rate<\/dt><dd>83\.3%<\/dd>/);
    expect(res.text).to.match(/<dt>Members<\/dt><dd>2<\/dd>/);
    const days = [
      ...res.text.matchAll(/<tr><th scope="row">[^<]+<\/th><td>(\d+)<\/td><td>([^<]+)<\/td><\/tr>/g),
    ];
    expect(days.map((m) => [m[1], m[2]])).to.deep.equal([
      ['2', '100%'],
      ['2', '100%'],
      ['1', '50%'],
    ]);
    expect(res.text).to.match(/<svg[^>]*class="report-chart"/);
    expect(res.text).to.include(`/coord/reports/round/${roundId}.csv`);

    const a = rowOf(res.text, amina.id);
    expect(a).to.include('Amina Rahimi').and.include('Kabul Legal Aid').and.include('3 of 3 days');
    expect(a.indexOf('Completed')).to.be.greaterThan(-1);
    expect(a.indexOf('Not enrolled')).to.be.greaterThan(a.indexOf('Completed'));
    const b = rowOf(res.text, bashir.id);
    expect(b).to.include('2 of 3 days');
    expect(b.indexOf('Not started')).to.be.greaterThan(b.indexOf('In progress'));
    expect(res.text).not.to.include('Zahra Ahmadi');
    // Law among Amina and Bashir: 1 of 2 completed (50 %), in 2 days.
    const lawSection = res.text.slice(res.text.indexOf(`id="course-${String(law.course._id)}"`));
    expect(lawSection).to.match(/<dt>Completion rate<\/dt><dd>50%<\/dd>/);
    expect(lawSection).to.match(/<dt>Median days to complete<\/dt><dd>2<\/dd>/);
  });

  it('the CSV has a line per current member with days present, the round’s days and a status per course, and the export is recorded with its period and row count', async () => {
    const agent = await loginAgent(app, coordinator);
    const res = await agent.get(`/coord/reports/round/${roundId}.csv`).buffer(true);
    expect(res.status).to.equal(200);
    expect(res.headers['content-disposition']).to.match(
      new RegExp(`attachment; filename="round-${roundId}-\\d{4}-\\d{2}-\\d{2}\\.csv"`),
    );
    const [header, ...rows] = csvRows(res.text);
    expect(header).to.deep.equal([
      'Name',
      'Organisation',
      'Province',
      'Days present',
      'Days',
      law.course.title.en,
      advocacy.course.title.en,
    ]);
    expect(rows).to.deep.equal([
      ['Amina Rahimi', 'Kabul Legal Aid', 'Kabul', '3', '3', 'Completed', 'Not enrolled'],
      ['Bashir Karimi', 'Kabul Legal Aid', 'Kabul', '2', '3', 'In progress', 'Not started'],
    ]);
    expect(res.text).not.to.include('@example.org');
    const events = await AuditEvent.find({ action: 'report.export' }).lean();
    expect(events).to.have.length(1);
    expect(events[0]).to.include({ targetType: 'report', targetId: `round-${roundId}` });
    expect(events[0]!.details).to.deep.equal({ filters: { from: null, to: null }, rows: 2 });

    // A period with no enrolments keeps the attendance but shows every member as not enrolled.
    const page = await agent.get(`/coord/reports/round/${roundId}?from=2026-05-01&to=2026-05-31`);
    expect(page.status).to.equal(200);
    expect(page.text).to.match(/<dt>Attendance rate<\/dt><dd>83\.3%<\/dd>/);
    expect(page.text).to.match(/<dt>Enrolled<\/dt><dd>0<\/dd>/);
    expect(page.text).to.match(/<dt>Completion rate<\/dt><dd>—<\/dd>/);
    expect(page.text).to.include(`/coord/reports/round/${roundId}.csv?from=2026-05-01&amp;to=2026-05-31`);
    const may = await getCsv(agent, `/coord/reports/round/${roundId}.csv?from=2026-05-01&to=2026-05-31`);
    expect(may.rows.map((r) => r.slice(3))).to.deep.equal([
      ['3', '3', 'Not enrolled', 'Not enrolled'],
      ['2', '3', 'Not enrolled', 'Not enrolled'],
    ]);
    const event = await AuditEvent.findOne({ action: 'report.export' }).sort({ _id: -1 }).lean();
    expect(event!.details).to.deep.include({ filters: { from: '2026-05-01', to: '2026-05-31' } });
  });

  it('a malformed or unknown round is a 404 with nothing exported; a round without members has no chart, a dash for its rate, and exports only the header', async () => {
    const empty = await createRound(roundDetails({ name: 'Empty round' }), coordinator.id);
    const agent = await loginAgent(app, coordinator);
    expect((await agent.get('/coord/reports/round/nope.csv')).status).to.equal(404);
    expect((await agent.get('/coord/reports/round/0123456789abcdef01234567.csv')).status).to.equal(404);
    const badDay = await agent.get(`/coord/reports/round/${roundId}.csv?from=2026-04-31`);
    expect(badDay.status).to.equal(400);
    expect(badDay.text).to.include('Write dates as year-month-day');
    expect(await AuditEvent.countDocuments({ action: 'report.export' })).to.equal(0);
    const page = await agent.get(`/coord/reports/round/${empty}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.include('This round has no members yet.');
    expect(page.text).to.match(/<dt>Attendance rate<\/dt><dd>—<\/dd>/);
    expect(page.text).not.to.include('<svg');
    const { header, rows } = await getCsv(agent, `/coord/reports/round/${empty}.csv`);
    expect(header.slice(0, 5)).to.deep.equal(['Name', 'Organisation', 'Province', 'Days present', 'Days']);
    expect(rows).to.deep.equal([]);
  });
});
