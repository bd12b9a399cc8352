import { expect } from 'chai';
import { connectTestDb } from '../helpers/app-harness.js';
import { makeTrainer, makeCoordinator } from '../helpers/factories.js';
import { makeReportFixture, type ReportFixture } from '../helpers/reports.js';
import {
  addMembers,
  addTrainer,
  createRound,
  findRound,
  linkCourse,
  setAttendance,
} from '../../src/rounds/rounds.service.js';
import { provincesReport, roundReport, trainersReport } from '../../src/reports/group-reports.service.js';
import { memberTimeline } from '../../src/reports/member-timeline.service.js';
import { parseRange } from '../../src/reports/report-filters.js';
import { issueOnCompletion } from '../../src/certificates/certificates.service.js';
import type { TestUser } from '../helpers/factories.js';

/** Rounds, provinces, trainers and a member's timeline over the fixture of test/helpers/reports.ts. */
const close = (actual: number | null | undefined, expected: number) =>
  expect(actual).to.be.closeTo(expected, 1e-9);
const all = parseRange({}, 'Asia/Kabul');

describe('round, province and trainer reports, and the member timeline', () => {
  let f: ReportFixture;
  let coordinator: TestUser;
  let t1: TestUser;
  let t2: TestUser;
  let round1: string;

  before(connectTestDb);
  beforeEach(async () => {
    f = await makeReportFixture();
    coordinator = await makeCoordinator();
    [t1, t2] = [await makeTrainer(), await makeTrainer()];
    const { A, B, C, D, E, F } = f.members;
    const course = String(f.course._id);
    // Round 1: A B D F, trained by t1, 1–3 March. Round 2: C E, trained by t2.
    round1 = await createRound(
      {
        name: 'Round 1',
        startDate: '2026-03-01',
        endDate: '2026-03-03',
        venue: 'Hall',
        province: 'Kabul',
        partners: [],
      },
      coordinator.id,
    );
    await addMembers(round1, [A.id, B.id, D.id, F.id], coordinator.id);
    await linkCourse(round1, course);
    await addTrainer(round1, t1.id);
    await setAttendance((await findRound(round1))!, {
      '2026-03-01': [A.id, B.id, D.id],
      '2026-03-02': [A.id, B.id],
      '2026-03-03': [A.id],
    });
    const round2 = await createRound(
      {
        name: 'Round 2',
        startDate: '2026-04-05',
        endDate: '2026-04-06',
        venue: '',
        province: 'Herat',
        partners: [],
      },
      coordinator.id,
    );
    await addMembers(round2, [C.id, E.id], coordinator.id);
    await linkCourse(round2, course);
    await addTrainer(round2, t2.id);
  });

  it('a round: attendance rate over member-days, and the course figures of its members only', async () => {
    const r = await roundReport(round1, all, 'en');
    expect(r.members).to.equal(4);
    expect(r.days.map((d) => d.present)).to.deep.equal([3, 2, 1]);
    // Present member-days 3 + 2 + 1 = 6, of 4 members × 3 days = 12: 50 %.
    close(r.attendanceRate, 50);
    const c = r.courses[0]!;
    // A B D F: A and B completed (10 and 4 days), D in progress, F not started.
    expect(c.figures).to.include({ enrolled: 4, completed: 2, inProgress: 1, notStarted: 1 });
    close(c.figures.completionRate, 50);
    close(c.figures.medianDaysToComplete, 7); // (4 + 10) ÷ 2
    close(c.figures.averageBestScore, 100); // A 100, B 100
    // Pairs A (25 → 100) and B (50 → 75): means 37.5 → 87.5, gain 50, ⟨g⟩ = 50 ÷ 62.5 = 0.8;
    // individual g: 1 and 0.5, mean 0.75.
    expect(c.gain.pairs).to.equal(2);
    close(c.gain.hakeGain, 0.8);
    close(c.gain.meanIndividualGain, 0.75);
    const a = r.people.find((p) => p.name === 'Member A')!;
    expect(a).to.include({ daysPresent: 3, organisation: 'Org A' });
    expect(r.people.find((p) => p.name === 'Member F')!.statuses).to.deep.equal(['notStarted']);
  });

  it('provinces: members from people’s records, completion and knowledge gain of their enrolments', async () => {
    const rows = await provincesReport(coordinator, all);
    const row = (p: string) => rows.find((r) => r.key === p)!;
    // Kabul: A B G are members (G left the course but is a member); A and B enrolled and completed.
    expect(row('Kabul').members).to.equal(3);
    expect(row('Kabul').figures).to.include({ enrolled: 2, completed: 2 });
    close(row('Kabul').gain.hakeGain, 0.8); // A and B, as in round 1
    // Herat: C completed, D in progress: 1 ÷ 2. C's pair starts at 100: no ⟨g⟩.
    close(row('Herat').figures.completionRate, 50);
    expect(row('Herat').gain.pairs).to.equal(1);
    expect(row('Herat').gain.hakeGain).to.equal(null);
    // Balkh: E completed, F and H not: 1 ÷ 3.
    expect(row('Balkh').members).to.equal(3);
    close(row('Balkh').figures.completionRate, 100 / 3);
    // Staff without a province are not members: no row for them.
    expect(rows.map((r) => r.key)).to.have.members(['Kabul', 'Herat', 'Balkh']);
  });

  it('trainers: the figures of the members of the rounds they trained', async () => {
    const rows = await trainersReport(all);
    const one = rows.find((r) => r.key === t1.id)!;
    const two = rows.find((r) => r.key === t2.id)!;
    expect(one).to.include({ rounds: 1, members: 4, label: t1.displayName });
    close(one.figures.completionRate, 50);
    close(one.gain.hakeGain, 0.8);
    // Round 2: C (20 days) and E (7 days) both completed; only C has a pair.
    expect(two.figures).to.include({ enrolled: 2, completed: 2 });
    close(two.figures.medianDaysToComplete, 13.5);
    expect(two.gain.pairs).to.equal(1);
  });

  it('a member’s timeline: enrolment, each submitted attempt, completion, certificate and days attended', async () => {
    const { B } = f.members;
    await issueOnCompletion(B.id, String(f.course._id));
    const t = await memberTimeline(B.id, all, 'en');
    expect(t.person).to.include({ name: 'Member B', province: 'Kabul', email: B.email });
    expect(t.events.map((e) => e.kind)).to.deep.equal([
      'enrolled',
      'attempt',
      'attempt',
      'attempt',
      'completed',
      'certificate',
    ]);
    const attempts = t.events.filter((e) => e.kind === 'attempt');
    expect(attempts.map((e) => e.percent)).to.deep.equal([50, 75, 100]);
    const completed = t.events.find((e) => e.kind === 'completed');
    close(completed?.kind === 'completed' ? completed.days : null, 4);
    expect(t.rounds).to.deep.equal([
      {
        id: round1,
        name: 'Round 1',
        startDate: '2026-03-01',
        endDate: '2026-03-03',
        daysPresent: 2,
        days: 3,
      },
    ]);
    // 5–6 March in Kabul: the second post-test (6 Mar 06:00 UTC) and the completion, and the first post-test.
    const march = await memberTimeline(
      B.id,
      parseRange({ from: '2026-03-05', to: '2026-03-06' }, 'Asia/Kabul'),
      'en',
    );
    expect(march.events.map((e) => e.kind)).to.deep.equal(['attempt', 'attempt', 'completed']);
  });
});
