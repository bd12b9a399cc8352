import { expect } from 'chai';
import type { Express } from 'express';
import { AuditEvent } from '../../src/audit/audit-event.model.js';
import { Round, type RoundDoc } from '../../src/rounds/round.model.js';
import {
  addMembers,
  addTrainer,
  createRound,
  daysPresent,
  removeMember,
  setAttendance,
  updateRound,
} from '../../src/rounds/rounds.service.js';
import { User } from '../../src/users/user.model.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { roundDetails } from '../helpers/rounds.js';
import {
  completeFirstRun,
  loginAgent,
  makeCoordinator,
  makeMember,
  makeTrainer,
  postForm,
  type TestUser,
} from '../helpers/factories.js';
import { getBinary, pdfPages, skipWithoutPoppler } from '../helpers/pdf.js';

const details = roundDetails({ endDate: '2026-04-26', venue: 'Partner hall', province: 'Herat' });

async function presentOn(roundId: string): Promise<Record<string, string[]>> {
  const r = await Round.findById(roundId).lean<RoundDoc>();
  return Object.fromEntries(Object.entries(r!.attendance).map(([d, ids]) => [d, ids.map(String).sort()]));
}

describe('rounds: attendance per day', () => {
  let app: Express;
  let coordinator: TestUser;
  let members: TestUser[];
  let roundId: string;

  beforeEach(async () => {
    app = await buildTestApp();
    await completeFirstRun();
    coordinator = await makeCoordinator();
    members = [await makeMember(), await makeMember(), await makeMember()];
    roundId = await createRound(details, coordinator.id);
    await addMembers(
      roundId,
      members.map((m) => m.id),
      coordinator.id,
    );
  });

  it('the grid records who was present on each day, and clearing a day saves nobody present', async () => {
    const agent = await loginAgent(app, coordinator);
    const [a, b, c] = members.map((m) => m.id) as [string, string, string];
    const page = await agent.get(`/coord/rounds/${roundId}/attendance`);
    expect(page.status).to.equal(200);
    expect(page.text.match(/type="checkbox"/g)).to.have.length(9);

    const saved = await postForm(agent, `/coord/rounds/${roundId}/attendance`, {
      days: ['2026-04-24', '2026-04-25', '2026-04-26'],
      'present[2026-04-24]': [a, b, c],
      'present[2026-04-25]': [a, c],
      'present[2026-04-26]': b,
    });
    expect(saved.status).to.equal(303);
    expect(await presentOn(roundId)).to.deep.equal({
      '2026-04-24': [a, b, c].sort(),
      '2026-04-25': [a, c].sort(),
      '2026-04-26': [b],
    });
    const shown = await agent.get(`/coord/rounds/${roundId}/attendance`);
    expect(shown.text.match(/checked/g)).to.have.length(6);

    // One day at a time (a phone): only that day changes; every box cleared is "nobody".
    const oneDay = await postForm(agent, `/coord/rounds/${roundId}/attendance`, { days: '2026-04-25' });
    expect(oneDay.status).to.equal(303);
    expect(oneDay.headers.location).to.include('day=2026-04-25');
    const after = await presentOn(roundId);
    expect(after['2026-04-25']).to.deep.equal([]);
    expect(after['2026-04-24']).to.have.length(3);
    const roundPage = await agent.get(`/coord/rounds/${roundId}`);
    expect(roundPage.text).to.include('1 of 3');
  });

  it('refuses a day outside the round, a box for a day the form did not list, and someone not in the round', async () => {
    const agent = await loginAgent(app, coordinator);
    const outsider = await makeMember();
    const cases: Record<string, string | string[]>[] = [
      { days: '2026-04-30', 'present[2026-04-30]': members[0]!.id },
      { days: '2026-04-24', 'present[2026-04-25]': members[0]!.id },
      { days: '2026-04-24', 'present[2026-04-24]': outsider.id },
      { days: '2026-04-24', 'present[2026-04-24]': 'not-an-id' },
      { days: 'yesterday' },
      {},
    ];
    for (const fields of cases) {
      const res = await postForm(agent, `/coord/rounds/${roundId}/attendance`, fields);
      expect(res.status, JSON.stringify(fields)).to.equal(422);
    }
    expect(await presentOn(roundId)).to.deep.equal({});
  });

  it('the printable sheet has a page per day with every name in both scripts and a signature column', async function () {
    skipWithoutPoppler(this);
    await User.updateOne(
      { _id: members[0]!.id },
      { $set: { displayName: 'Fatima Noori', localName: 'فاطمه نوری', organisation: 'Herat Women Network' } },
    );
    await User.updateOne(
      { _id: members[1]!.id },
      { $set: { displayName: 'Gul Ahmad Zazai', localName: 'ګل احمد ځاځی' } },
    );
    const agent = await loginAgent(app, coordinator);
    const pages = await pdfPages(await getBinary(agent, `/coord/rounds/${roundId}/attendance.pdf`));
    expect(pages).to.have.length(3);
    for (const text of pages) {
      expect(text).to.include('Advocacy training, round 2');
      expect(text).to.include('Signature');
      expect(text).to.include('Fatima Noori').and.to.include('Gul Ahmad Zazai');
      expect(text).to.include('فاطمه نوری').and.to.include('ګل احمد ځاځی');
      expect(text).to.include(members[2]!.displayName).and.to.include('Herat Women Network');
    }
    expect(pages[1]).to.include('day 2 of 3');
    expect(await AuditEvent.countDocuments({ action: 'round.printSheet', actorId: coordinator.id })).to.equal(
      1,
    );
    const one = await getBinary(agent, `/coord/rounds/${roundId}/attendance.pdf?day=2026-04-25`);
    expect(await pdfPages(one)).to.have.length(1);
  });
});

describe("rounds: the round's own trainers", () => {
  it('see the round, take attendance and print the sheet, but change nothing else; other trainers get 403', async () => {
    const app = await buildTestApp();
    await completeFirstRun();
    const coordinator = await makeCoordinator();
    const trainer = await makeTrainer();
    const otherTrainer = await makeTrainer();
    const member = await makeMember();
    await User.updateOne({ _id: member.id }, { $set: { province: 'Bamyan', organisation: 'Hidden Org' } });
    const roundId = await createRound(details, coordinator.id);
    await addMembers(roundId, [member.id], coordinator.id);
    await addTrainer(roundId, trainer.id);
    const agent = await loginAgent(app, trainer);
    const page = await agent.get(`/coord/rounds/${roundId}`);
    expect(page.status).to.equal(200);
    expect(page.text).not.to.include(`/coord/rounds/${roundId}/members"`);
    expect(page.text).not.to.include('/edit"');
    // A member's province and organisation are for coordinators and admins only.
    expect(page.text).not.to.include('Bamyan').and.not.to.include('Hidden Org');
    expect((await agent.get('/')).text).to.include(`/coord/rounds/${roundId}`);
    const saved = await postForm(agent, `/coord/rounds/${roundId}/attendance`, {
      days: '2026-04-24',
      'present[2026-04-24]': member.id,
    });
    expect(saved.status).to.equal(303);
    expect((await presentOn(roundId))['2026-04-24']).to.deep.equal([member.id]);
    const sheet = (await pdfPages(await getBinary(agent, `/coord/rounds/${roundId}/attendance.pdf`))).join(
      '\n',
    );
    expect(sheet).to.include(member.displayName).and.not.to.include('Hidden Org');
    expect(
      (await postForm(agent, `/coord/rounds/${roundId}/members`, { emails: member.email })).status,
    ).to.equal(403);
    expect((await agent.get(`/coord/rounds/${roundId}/edit`)).status).to.equal(403);
    expect((await agent.get('/coord/rounds')).status).to.equal(403);
    const other = await loginAgent(app, otherTrainer);
    expect((await other.get(`/coord/rounds/${roundId}`)).status).to.equal(403);
    expect(
      (await postForm(other, `/coord/rounds/${roundId}/attendance`, { days: '2026-04-24' })).status,
    ).to.equal(403);
  });
});

describe('rounds: attendance under change', () => {
  it('a member taken out while the grid is being saved is not written back in as present (409)', async () => {
    await completeFirstRun();
    const coordinator = await makeCoordinator();
    const [a, b] = [await makeMember(), await makeMember()];
    const roundId = await createRound(details, coordinator.id);
    await addMembers(roundId, [a.id, b.id], coordinator.id);
    const stale = (await Round.findById(roundId).lean<RoundDoc>())!;
    await removeMember(roundId, b.id, coordinator.id);
    let refused: unknown;
    try {
      await setAttendance(stale, { '2026-04-24': [a.id, b.id] });
    } catch (err) {
      refused = err;
    }
    expect(refused).to.have.property('status', 409);
    expect(await presentOn(roundId)).to.deep.equal({});
    await setAttendance(stale, { '2026-04-24': [] });
    expect(await presentOn(roundId)).to.deep.equal({ '2026-04-24': [] });
  });

  it('days left outside by new dates keep their record but are no longer counted', async () => {
    await completeFirstRun();
    const coordinator = await makeCoordinator();
    const member = await makeMember();
    const roundId = await createRound(details, coordinator.id);
    await addMembers(roundId, [member.id], coordinator.id);
    const round = (await Round.findById(roundId).lean<RoundDoc>())!;
    await setAttendance(round, { '2026-04-24': [member.id], '2026-04-26': [member.id] });
    await updateRound(roundId, { ...details, endDate: '2026-04-25' });
    const shorter = (await Round.findById(roundId).lean<RoundDoc>())!;
    expect(daysPresent(shorter).get(member.id)).to.equal(1);
    expect(await presentOn(roundId)).to.have.keys('2026-04-24', '2026-04-26');
  });
});
