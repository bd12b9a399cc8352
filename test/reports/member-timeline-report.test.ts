import { expect } from 'chai';
import type { Express } from 'express';
import { Types } from 'mongoose';
import { AuditEvent } from '../../src/audit/audit-event.model.js';
import { issueOnCompletion, revokeCertificate } from '../../src/certificates/certificates.service.js';
import { Enrolment } from '../../src/progress/enrolment.model.js';
import { enrol, leave } from '../../src/progress/progress.service.js';
import { startAttempt, submitAttempt } from '../../src/quizzes/attempts.service.js';
import type { QuizDoc } from '../../src/quizzes/quiz.model.js';
import { addMembers, createRound, findRound, setAttendance } from '../../src/rounds/rounds.service.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { makeCourse, type CourseFixture } from '../helpers/courses.js';
import { getCsv } from '../helpers/downloads.js';
import {
  completeFirstRun,
  loginAgent,
  makeCoordinator,
  makeUser,
  type TestUser,
} from '../helpers/factories.js';
import { insertPeople, type PersonRowFixture } from '../helpers/people-rows.js';
import { makeQuiz } from '../helpers/quizzes.js';
import { roundDetails } from '../helpers/rounds.js';

/**
 * One person's timeline as staff read it: on the page (in English and in Dari) and in its CSV. Nadia:
 *   1 Mar 08:00 UTC  enrolled in Law (2 lessons done), completed it 5 Mar 20:00 UTC: 4.5 days
 *   2 Mar 08:00 UTC  enrolled in Advocacy (1 lesson done), then left it
 *   2 Mar 12:00 UTC  Advocacy pre-test (no title), 0 %
 *   3 Mar 10:00 UTC  "Law check" attempt 1, 50 % (pass mark 75); 4 Mar 10:00 UTC attempt 2, 100 %
 *   today            a certificate for Law, revoked since
 *   Herat round, 1–3 March: present on the first and the last day.
 */
describe('reports: a member’s timeline on the page and in the CSV', () => {
  let app: Express;
  let coordinator: TestUser;
  let nadia: PersonRowFixture;
  let law: CourseFixture;
  let advocacy: CourseFixture;
  let roundId: string;
  let certificateAt: Date;

  const at = (iso: string) => new Date(iso);
  const lawTitle = () => law.course.title.en!;
  const advocacyTitle = () => advocacy.course.title.en!;

  async function submit(quiz: QuizDoc, answers: Record<string, unknown>, when: Date) {
    const { attempt } = await startAttempt(quiz, nadia.id, when);
    await submitAttempt(attempt, `t-${String(attempt._id)}`, answers, quiz.passMark, when);
  }

  beforeEach(async () => {
    app = await buildTestApp();
    await completeFirstRun();
    coordinator = await makeCoordinator();
    [nadia] = (await insertPeople(['Nadia Sultani'], {
      localName: 'نادیه سلطانی',
      organisation: 'Herat Women Network',
      province: 'Herat',
    })) as [PersonRowFixture];
    law = await makeCourse({ authors: [coordinator.id] });
    advocacy = await makeCourse({ authors: [coordinator.id] });
    for (const c of [law, advocacy]) await enrol(nadia.id, String(c.course._id));
    const backdate = (c: CourseFixture, fields: Record<string, unknown>) =>
      Enrolment.collection.updateOne(
        { userId: new Types.ObjectId(nadia.id), courseId: c.course._id },
        { $set: fields },
      );
    await backdate(law, {
      createdAt: at('2026-03-01T08:00:00Z'),
      completedAt: at('2026-03-05T20:00:00Z'),
      completedLessons: law.lessonIds.map((l) => new Types.ObjectId(l)),
    });
    await backdate(advocacy, {
      createdAt: at('2026-03-02T08:00:00Z'),
      completedLessons: [new Types.ObjectId(advocacy.lessonIds[0])],
    });
    await leave(nadia.id, String(advocacy.course._id));

    const check = await makeQuiz(law, { title: { en: 'Law check', 'fa-AF': 'آزمون قانون' } });
    const pre = await makeQuiz(advocacy, { kind: 'pretest', moduleId: null });
    await submit(pre.quiz, pre.wrong, at('2026-03-02T12:00:00Z'));
    const half = Object.fromEntries(
      Object.entries(check.right).map(([q, v], i) => [q, i < 2 ? v : check.wrong[q]]),
    );
    await submit(check.quiz, half, at('2026-03-03T10:00:00Z'));
    await submit(check.quiz, check.right, at('2026-03-04T10:00:00Z'));

    const certificate = (await issueOnCompletion(nadia.id, String(law.course._id)))!;
    certificateAt = certificate.issuedAt;
    await revokeCertificate(coordinator.id, certificate.code, 'Issued in error');

    roundId = await createRound(
      roundDetails({ name: 'Herat round', startDate: '2026-03-01', endDate: '2026-03-03' }),
      coordinator.id,
    );
    await addMembers(roundId, [nadia.id], coordinator.id);
    await setAttendance((await findRound(roundId))!, {
      '2026-03-01': [nadia.id],
      '2026-03-03': [nadia.id],
    });
  });

  const events = (html: string) =>
    [...html.matchAll(/<span class="timeline-event">([^<:]+): <bdi>([^<]*)<\/bdi><\/span>/g)].map((m) => [
      m[1],
      m[2],
    ]);

  it('the page lists every event in time order with its details, the person’s particulars and the days attended per round', async () => {
    const agent = await loginAgent(app, coordinator);
    const res = await agent.get(`/coord/reports/member/${nadia.id}`);
    expect(res.status).to.equal(200);
    expect(res.text).to.include('<h1 dir="auto">Nadia Sultani</h1>');
    expect(res.text).to.include('نادیه سلطانی').and.include('Herat Women Network').and.include(nadia.email);
    expect(events(res.text)).to.deep.equal([
      ['Enrolled', lawTitle()],
      ['Enrolled', advocacyTitle()],
      ['Quiz submitted', advocacyTitle()],
      ['Quiz submitted', lawTitle()],
      ['Quiz submitted', lawTitle()],
      ['Course completed', lawTitle()],
      ['Certificate issued', lawTitle()],
    ]);
    expect(res.text).to.include('2 lessons done so far</span>');
    expect(res.text).to.include('>1 lesson done so far · left the course</span>');
    // An untitled quiz is named by its kind.
    expect(res.text).to.include('<bdi>Pre-test</bdi> · attempt 1 · 0% · not passed');
    expect(res.text).to.include('<bdi>Law check</bdi> · attempt 1 · 50% · not passed');
    expect(res.text).to.include('<bdi>Law check</bdi> · attempt 2 · 100% · passed');
    expect(res.text).to.include('after 4.5 days');
    expect(res.text).to.match(/<span class="badge">revoked<\/span>/);
    expect(res.text).to.match(
      new RegExp(
        `<a href="/coord/reports/round/${roundId}" dir="auto">Herat round</a> <span class="muted">2 of 3 days</span>`,
      ),
    );
    expect(res.text).to.include(`/coord/reports/member/${nadia.id}.csv`);

    // In Dari: the course and quiz titles in Dari, numbers in Persian digits.
    const dari = await loginAgent(app, await makeUser({ roles: ['admin'], locale: 'fa-AF' }));
    const fa = await dari.get(`/coord/reports/member/${nadia.id}`);
    expect(fa.status).to.equal(200);
    expect(fa.text).to.include(law.course.title['fa-AF']!);
    expect(fa.text).to.include('آزمون قانون');
    expect(fa.text).to.include('پس از ۴٫۵ روز');
    expect(fa.text).to.include('لغو شده');
  });

  it('the CSV has a line per event with its moment, the course and a plain detail, then a line per round; it names no email', async () => {
    const agent = await loginAgent(app, coordinator);
    const { header, rows } = await getCsv(agent, `/coord/reports/member/${nadia.id}.csv`);
    expect(header).to.deep.equal(['When', 'Event', 'Course', 'Detail']);
    expect(rows).to.have.length(8);
    expect(rows.map((r) => r.slice(0, 3))).to.deep.equal([
      ['2026-03-01T08:00:00.000Z', 'Enrolled', lawTitle()],
      ['2026-03-02T08:00:00.000Z', 'Enrolled', advocacyTitle()],
      ['2026-03-02T12:00:00.000Z', 'Quiz submitted', advocacyTitle()],
      ['2026-03-03T10:00:00.000Z', 'Quiz submitted', lawTitle()],
      ['2026-03-04T10:00:00.000Z', 'Quiz submitted', lawTitle()],
      ['2026-03-05T20:00:00.000Z', 'Course completed', lawTitle()],
      [certificateAt.toISOString(), 'Certificate issued', lawTitle()],
      ['2026-03-01', 'Training round (days present)', 'Herat round'],
    ]);
    const detail = rows.map((r) => r[3]);
    expect(detail).to.deep.equal([
      '',
      '',
      // An untitled quiz is named by its kind, as on the page.
      'Pre-test #1: 0.0 %',
      'Law check #1: 50.0 %',
      'Law check #2: 100.0 %',
      '4.5',
      'revoked',
      '2/3',
    ]);
    const all = rows.flat().join('\n');
    expect(all).not.to.include('@example.org');
    const event = await AuditEvent.findOne({ action: 'report.export' }).lean();
    expect(event).to.include({ targetId: `member-${nadia.id}` });
    expect(event!.details).to.deep.include({ rows: 8 });
  });

  it('a period keeps only what happened in it, in the organisation’s days, while the rounds stay listed', async () => {
    const agent = await loginAgent(app, coordinator);
    // 3–4 March in Kabul: from 2 March 19:30 UTC to 4 March 19:30 UTC, the two "Law check" attempts.
    const page = await agent.get(`/coord/reports/member/${nadia.id}?from=2026-03-03&to=2026-03-04`);
    expect(events(page.text)).to.deep.equal([
      ['Quiz submitted', lawTitle()],
      ['Quiz submitted', lawTitle()],
    ]);
    expect(page.text).to.include('Herat round');
    const { rows } = await getCsv(
      agent,
      `/coord/reports/member/${nadia.id}.csv?from=2026-03-03&to=2026-03-04`,
    );
    expect(rows.map((r) => r[3])).to.deep.equal(['Law check #1: 50.0 %', 'Law check #2: 100.0 %', '2/3']);

    const quiet = await agent.get(`/coord/reports/member/${nadia.id}?from=2025-01-01&to=2025-01-31`);
    expect(quiet.status).to.equal(200);
    expect(quiet.text).to.include('Nothing happened in this period.');
    expect(events(quiet.text)).to.deep.equal([]);
  });
});

describe('reports: the timeline of someone with no history', () => {
  it('says nothing happened and no round, exports only the header; a malformed or unknown person is a 404 with nothing exported', async () => {
    const app = await buildTestApp();
    await completeFirstRun();
    const [newcomer] = (await insertPeople(['Omid Noori'])) as [PersonRowFixture];
    const agent = await loginAgent(app, await makeCoordinator());
    expect((await agent.get('/coord/reports/member/nope.csv')).status).to.equal(404);
    expect((await agent.get('/coord/reports/member/nope')).status).to.equal(404);
    const unknown = new Types.ObjectId().toHexString();
    expect((await agent.get(`/coord/reports/member/${unknown}.csv`)).status).to.equal(404);
    expect(await AuditEvent.countDocuments({ action: 'report.export' })).to.equal(0);

    const page = await agent.get(`/coord/reports/member/${newcomer.id}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.include('Nothing happened in this period.');
    expect(page.text).to.include('Not a member of any training round.');
    const { rows } = await getCsv(agent, `/coord/reports/member/${newcomer.id}.csv`);
    expect(rows).to.deep.equal([]);
  });
});
