import { expect } from 'chai';
import type { Express } from 'express';
import { parse } from 'csv-parse/sync';
import { AuditEvent } from '../../src/audit/audit-event.model.js';
import { buildTestApp } from '../helpers/app-harness.js';
import request from 'supertest';
import { User } from '../../src/users/user.model.js';
import {
  completeFirstRun,
  loginAgent,
  makeCoordinator,
  makeMember,
  makeTrainer,
  makeUser,
} from '../helpers/factories.js';
import { makeReportFixture, type ReportFixture } from '../helpers/reports.js';

/** CSV exports (contents, and one audit event each), who may open reports, and what bad input gets. */
describe('report exports and access', () => {
  let app: Express;
  let f: ReportFixture;

  beforeEach(async () => {
    app = await buildTestApp();
    await completeFirstRun();
    f = await makeReportFixture();
  });

  const csvRows = (text: string): string[][] => {
    const rows: string[][] = parse(text.replace(/^\uFEFF/, ''));
    return rows;
  };

  it('the course CSV holds the hand-worked figures for the range, and the export is recorded with who, what and which range', async () => {
    const coordinator = await makeCoordinator();
    const agent = await loginAgent(app, coordinator);
    const id = String(f.course._id);
    const res = await agent.get(`/coord/reports/course/${id}.csv?from=2026-03-01&to=2026-03-08`).buffer(true);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.match(/^text\/csv/);
    expect(res.headers['content-disposition']).to.match(
      /attachment; filename="course-[0-9a-f]{24}-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    const [header, row, ...rest] = csvRows(res.text);
    expect(rest).to.have.length(0);
    const cell = (name: string) => row![header!.indexOf(name)];
    // A B C enrolled 1–8 March; B completed (4 days); scores 100, 100, 75 (as of today); B's pair 50 → 75, ⟨g⟩ 0.5.
    expect(cell('Course')).to.equal('Trafficking law');
    expect(cell('Enrolled')).to.equal('3');
    expect(cell('Completed')).to.equal('1');
    expect(cell('Completion rate')).to.equal('33.3');
    expect(cell('Average best score')).to.equal('91.7');
    expect(cell('Median days to complete')).to.equal('4.0');
    expect(cell('Members with both tests')).to.equal('1');
    expect(cell('Normalised gain ⟨g⟩')).to.equal('0.50');
    expect(res.text).not.to.include('@example.org');

    const events = await AuditEvent.find({ action: 'report.export' }).lean();
    expect(events).to.have.length(1);
    expect(String(events[0]!.actorId)).to.equal(coordinator.id);
    expect(events[0]).to.include({ targetType: 'report', targetId: `course-${id}` });
    expect(events[0]!.details).to.deep.include({ filters: { from: '2026-03-01', to: '2026-03-08' } });
  });

  it('the knowledge-gain CSV has the course, each module and each question, as plain numbers', async () => {
    const agent = await loginAgent(app, await makeCoordinator());
    const res = await agent
      .get(`/coord/reports/knowledge-gain.csv?course=${String(f.course._id)}`)
      .buffer(true);
    expect(res.status).to.equal(200);
    const [header, ...rows] = csvRows(res.text);
    expect(header![0]).to.equal('Level');
    expect(rows.map((r) => r[0])).to.deep.equal([
      'course',
      'module',
      'module',
      'module',
      'question',
      'question',
      'question',
      'question',
    ]);
    // The course line: 3 pairs, 58.3 → 83.3, +25 points, ⟨g⟩ 0.60, mean individual g 0.75.
    expect(rows[0]!.slice(3)).to.deep.equal(['3', '58.3', '83.3', '25.0', '0.60', '0.75']);
    // Module 1: 6 answers (3 pairs × q1, q2), 83.3 → 100, g 1.00.
    expect(rows[1]!.slice(1, 8)).to.deep.equal(['The law', '', '6', '83.3', '100.0', '16.7', '1.00']);
    expect(
      await AuditEvent.countDocuments({
        action: 'report.export',
        targetId: `knowledge-gain-${String(f.course._id)}`,
      }),
    ).to.equal(1);
  });

  it('round, province, trainer and timeline CSVs download, each one audit event, with no email address in them', async () => {
    const agent = await loginAgent(app, await makeCoordinator());
    for (const path of [
      '/coord/reports/provinces.csv',
      '/coord/reports/trainers.csv',
      `/coord/reports/member/${f.members.B.id}.csv`,
    ]) {
      const res = await agent.get(path).buffer(true);
      expect(res.status, path).to.equal(200);
      expect(res.text, path).not.to.include('@example.org');
    }
    const provinces = csvRows((await agent.get('/coord/reports/provinces.csv').buffer(true)).text);
    expect(provinces.find((r) => r[0] === 'Balkh')!.slice(1, 3)).to.deep.equal(['3', '3']);
    expect(await AuditEvent.countDocuments({ action: 'report.export' })).to.equal(4);
  });

  it('a formula typed into a name is neutralised in the CSV', async () => {
    await User.updateOne({ _id: f.members.A.id }, { $set: { province: '=HYPERLINK("http://x")' } });
    const agent = await loginAgent(app, await makeCoordinator());
    const res = await agent.get('/coord/reports/provinces.csv').buffer(true);
    expect(res.text).to.include(`"'=HYPERLINK(""http://x"")"`);
  });

  it('members and trainers get 403 for every report and export; signed-out visitors are sent to sign in', async () => {
    const id = String(f.course._id);
    const paths = [
      '/coord/reports',
      `/coord/reports/course/${id}`,
      `/coord/reports/course/${id}.csv`,
      '/coord/reports/provinces.csv',
      `/coord/reports/member/${f.members.A.id}`,
    ];
    for (const user of [await makeMember(), await makeTrainer()]) {
      const agent = await loginAgent(app, user);
      for (const path of paths) expect((await agent.get(path)).status, path).to.equal(403);
    }
    const anonymous = await request(app).get('/coord/reports/provinces');
    expect(anonymous.status).to.equal(303);
    expect(await AuditEvent.countDocuments({ action: 'report.export' })).to.equal(0);
  });

  it('malformed and unknown ids are 404; bad or reversed dates are 400 with a readable message, and nothing is exported', async () => {
    const agent = await loginAgent(app, await makeCoordinator());
    for (const path of [
      '/coord/reports/course/nope',
      '/coord/reports/course/0123456789abcdef01234567',
      '/coord/reports/course/0123456789abcdef01234567.csv',
      '/coord/reports/round/xyz',
      '/coord/reports/round/0123456789abcdef01234567',
      '/coord/reports/member/0123456789abcdef01234567',
      '/coord/reports/knowledge-gain?course=',
      '/coord/reports/knowledge-gain.csv?course=abc',
    ])
      expect((await agent.get(path)).status, path).to.equal(404);
    const id = String(f.course._id);
    const bad = await agent.get(`/coord/reports/course/${id}?from=2026-02-30`);
    expect(bad.status).to.equal(400);
    expect(bad.text).to.include('Write dates as year-month-day');
    expect((await agent.get(`/coord/reports/course/${id}.csv?to=yesterday`)).status).to.equal(400);
    expect((await agent.get(`/coord/reports/provinces?from=2026-01-01&from=2026-01-02`)).status).to.equal(
      400,
    );
    const reversed = await agent.get(`/coord/reports/provinces?from=2026-05-01&to=2026-04-01`);
    expect(reversed.status).to.equal(400);
    expect(reversed.text).to.include('The start date is after the end date');
    expect(await AuditEvent.countDocuments({ action: 'report.export' })).to.equal(0);
  });

  it('every report page renders for a coordinator and an admin, in Dari too, with one h1', async () => {
    const coordinator = await loginAgent(app, await makeCoordinator());
    const paths = [
      '/coord/reports',
      '/coord/reports/provinces',
      '/coord/reports/trainers',
      `/coord/reports/member/${f.members.B.id}`,
    ];
    for (const path of paths) {
      const res = await coordinator.get(path);
      expect(res.status, path).to.equal(200);
      expect((res.text.match(/<h1/g) ?? []).length, path).to.equal(1);
    }
    const member = await coordinator.get(`/coord/reports/member/${f.members.B.id}`);
    expect(member.text).to.include(f.members.B.email);
    const dari = await loginAgent(app, await makeUser({ roles: ['admin'], locale: 'fa-AF' }));
    const page = await dari.get('/coord/reports/provinces');
    expect(page.status).to.equal(200);
    expect(page.text).to.include('نرخ تکمیل در هر ولایت');
    expect(page.text).to.include('۳۳٫۳٪'); // Balkh: 1 of 3, in Persian digits
    expect(page.text).to.match(/<svg[^>]*class="report-chart"/);
  });
});
