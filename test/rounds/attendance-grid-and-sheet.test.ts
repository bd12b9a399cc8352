import { expect } from 'chai';
import type { Express } from 'express';
import { AuditEvent } from '../../src/audit/audit-event.model.js';
import { Round, type RoundDoc } from '../../src/rounds/round.model.js';
import { addMembers, addTrainer, createRound } from '../../src/rounds/rounds.service.js';
import { buildTestApp } from '../helpers/app-harness.js';
import {
  completeFirstRun,
  loginAgent,
  makeCoordinator,
  makeUser,
  postForm,
  type TestUser,
} from '../helpers/factories.js';
import { getDownload } from '../helpers/downloads.js';
import { getBinary, pdfPages, skipWithoutPoppler } from '../helpers/pdf.js';
import { insertPeople, numberedNames, type PersonRowFixture } from '../helpers/people-rows.js';
import { roundDetails } from '../helpers/rounds.js';

/** The attendance grid one day at a time, its refusals as a person reads them, and the printed sheet. */
describe('rounds: the attendance grid by day, and the sign-in sheet', () => {
  let app: Express;
  let coordinator: TestUser;

  beforeEach(async () => {
    app = await buildTestApp();
    await completeFirstRun();
    coordinator = await makeCoordinator();
  });

  const boxes = (html: string) =>
    [
      ...html.matchAll(
        /<input type="checkbox" id="[^"]+" name="present\[([\d-]+)\]" value="([0-9a-f]{24})"/g,
      ),
    ].map((m) => ({ day: m[1], id: m[2] }));
  const hiddenDays = (html: string) =>
    [...html.matchAll(/<input type="hidden" name="days" value="([^"]+)">/g)].map((m) => m[1]);
  const stored = async (id: string) =>
    Object.fromEntries(
      Object.entries((await Round.findById(id).lean<RoundDoc>())!.attendance).map(([d, ids]) => [
        d,
        ids.map(String).sort(),
      ]),
    );

  async function roundOf(memberCount: number, endDate = '2026-04-26') {
    const people = await insertPeople(numberedNames(memberCount, 'Member'));
    const id = await createRound(roundDetails({ endDate }), coordinator.id);
    await addMembers(
      id,
      people.map((p) => p.id),
      coordinator.id,
    );
    return { id, people };
  }

  it('a day named in the address shows only its boxes and links to its own sheet; a day outside the round shows the whole grid; a round without members shows none', async () => {
    const { id } = await roundOf(3);
    const agent = await loginAgent(app, coordinator);
    const one = await agent.get(`/coord/rounds/${id}/attendance?day=2026-04-25`);
    expect(one.status).to.equal(200);
    expect(boxes(one.text).map((b) => b.day)).to.deep.equal(['2026-04-25', '2026-04-25', '2026-04-25']);
    expect(hiddenDays(one.text)).to.deep.equal(['2026-04-25']);
    expect(one.text).to.include(
      `href="/coord/rounds/${id}/attendance?day=2026-04-25" aria-current="page">Day 2</a>`,
    );
    expect(one.text).to.include(`href="/coord/rounds/${id}/attendance.pdf?day=2026-04-25"`);

    const outside = await agent.get(`/coord/rounds/${id}/attendance?day=2026-05-01`);
    expect(boxes(outside.text)).to.have.length(9);
    expect(hiddenDays(outside.text)).to.deep.equal(['2026-04-24', '2026-04-25', '2026-04-26']);
    expect(outside.text).to.include(`href="/coord/rounds/${id}/attendance" aria-current="page">All days</a>`);

    const empty = await createRound(roundDetails(), coordinator.id);
    const page = await agent.get(`/coord/rounds/${empty}/attendance`);
    expect(page.status).to.equal(200);
    expect(page.text).to.include('No members yet.');
    expect(page.text).not.to.include(`action="/coord/rounds/${empty}/attendance"`);
    expect(page.text).not.to.include('type="checkbox"');
  });

  it('a grid of up to 450 boxes is shown whole; one more member and it opens on the first day alone', async () => {
    // 10 members × 45 days = 450 boxes; 11 members × 45 days = 495.
    const { id } = await roundOf(10, '2026-06-07');
    const agent = await loginAgent(app, coordinator);
    const whole = await agent.get(`/coord/rounds/${id}/attendance`);
    expect(boxes(whole.text)).to.have.length(450);
    expect(hiddenDays(whole.text)).to.have.length(45);

    const [extra] = (await insertPeople(['Member 11'])) as [PersonRowFixture];
    await addMembers(id, [extra.id], coordinator.id);
    const first = await agent.get(`/coord/rounds/${id}/attendance`);
    expect(boxes(first.text)).to.have.length(11);
    expect(new Set(boxes(first.text).map((b) => b.day))).to.deep.equal(new Set(['2026-04-24']));
    expect(hiddenDays(first.text)).to.deep.equal(['2026-04-24']);
    // Any other day can still be asked for.
    const later = await agent.get(`/coord/rounds/${id}/attendance?day=2026-06-07`);
    expect(hiddenDays(later.text)).to.deep.equal(['2026-06-07']);
  });

  it('after saving one day the grid says so, stays on that day and shows the ticks; a person ticked twice is kept once', async () => {
    const { id, people } = await roundOf(3);
    const [a, b] = people as [PersonRowFixture, PersonRowFixture];
    const agent = await loginAgent(app, coordinator);
    const saved = await postForm(agent, `/coord/rounds/${id}/attendance`, {
      days: '2026-04-26',
      'present[2026-04-26]': [a.id, b.id, a.id],
    });
    expect(saved.status).to.equal(303);
    expect(await stored(id)).to.deep.equal({ '2026-04-26': [a.id, b.id].sort() });
    const page = await agent.get(saved.headers.location!);
    expect(page.text).to.include('<div class="alert alert-info" role="status">Attendance saved.</div>');
    expect(hiddenDays(page.text)).to.deep.equal(['2026-04-26']);
    expect(page.text.match(/ checked>/g)).to.have.length(2);
  });

  it('refusals say why, and keep what was stored: a day outside the round, someone not in it, a form that is not the grid', async () => {
    const { id, people } = await roundOf(2);
    const [outsider] = (await insertPeople(['Outsider'])) as [PersonRowFixture];
    const agent = await loginAgent(app, coordinator);
    expect(
      (
        await postForm(agent, `/coord/rounds/${id}/attendance`, {
          days: '2026-04-24',
          'present[2026-04-24]': people[0]!.id,
        })
      ).status,
    ).to.equal(303);
    const before = await stored(id);
    const cases: [Record<string, string | string[]>, string][] = [
      [
        { days: '2026-04-23', 'present[2026-04-23]': people[0]!.id },
        'That day is not one of the round&#39;s days.',
      ],
      [
        { days: '2026-04-24', 'present[2026-04-24]': [people[1]!.id, outsider.id] },
        'Only the round&#39;s members can be marked present.',
      ],
      [{ days: '2026-04-24', present: 'everyone' }, 'The attendance form could not be read.'],
      [{ days: Array.from({ length: 63 }, () => '2026-04-24') }, 'The attendance form could not be read.'],
    ];
    for (const [fields, message] of cases) {
      const res = await postForm(agent, `/coord/rounds/${id}/attendance`, fields);
      expect(res.status, message).to.equal(422);
      expect(res.text, message).to.include(`<div class="alert alert-error" role="alert">${message}`);
      // The grid is shown again, so the person can try once more.
      expect(boxes(res.text).length, message).to.be.greaterThan(0);
    }
    expect(await stored(id)).to.deep.equal(before);
  });

  it('printed in Dari, the sheet has the Dari headings and Persian day numbers; a day not in the round prints every day', async function () {
    skipWithoutPoppler(this);
    const { id } = await roundOf(2);
    const dari = await loginAgent(app, await makeUser({ roles: ['coordinator'], locale: 'fa-AF' }));
    const { headers, body } = await getDownload(dari, `/coord/rounds/${id}/attendance.pdf?day=2026-05-01`);
    expect(headers['content-type']).to.match(/^application\/pdf/);
    expect(headers['content-disposition']).to.equal('inline; filename="attendance-2026-04-24.pdf"');
    expect(headers['cache-control']).to.equal('no-store');
    const pages = await pdfPages(body);
    expect(pages).to.have.length(3);
    expect(pages[0]).to.include('ورق حاضری').and.include('امضا').and.include('سازمان');
    // "day 2 of 3" with Persian digits (extractors give right-to-left runs in either order), and the day
    // itself in the solar calendar: 25 April 2026 is 5 Sawr 1405.
    expect(pages[1]).to.match(/روز ۲ از ۳|۳ از ۲/);
    expect(pages[1]).to.include('ثور').and.include('۱۴۰۵');
    expect(pages[2]).to.include('Member 01').and.include('Member 02');
    const events = await AuditEvent.find({ action: 'round.printSheet', targetId: id }).lean();
    expect(events.map((e): unknown => e.details)).to.deep.equal([{ days: 3 }]);
  });

  it('a day with more members than a page holds goes on to a second page that says so, numbering carried on, with the round’s trainers and partners in each heading', async function () {
    skipWithoutPoppler(this);
    const [trainer] = (await insertPeople(['Farid Trainer'], { roles: ['trainer'] })) as [PersonRowFixture];
    const people = await insertPeople(numberedNames(30, 'Member'), { organisation: 'Org' });
    const id = await createRound(
      roundDetails({ partners: ['Partner A', 'Partner B'], venue: 'Hall', province: 'Herat' }),
      coordinator.id,
    );
    await addMembers(
      id,
      people.map((p) => p.id),
      coordinator.id,
    );
    await addTrainer(id, trainer.id);
    const agent = await loginAgent(app, coordinator);
    const pages = await pdfPages(await getBinary(agent, `/coord/rounds/${id}/attendance.pdf?day=2026-04-25`));
    expect(pages).to.have.length(2);
    const [first, second] = pages as [string, string];
    for (const page of pages) {
      expect(page).to.include('day 2 of 4');
      expect(page).to.include('Trainers: Farid Trainer');
      expect(page).to.include('Partner organisations: Partner A, Partner B');
      expect(page).to.include('Venue: Hall, Herat');
      expect(page).to.include('Signature');
    }
    expect(first).to.include('Member 01').and.not.include('Member 30');
    expect(first).not.to.include('continued');
    expect(second).to.include('continued, page 2');
    expect(second).to.include('Member 30').and.not.include('Member 01');
    // 22 rows fit under the heading; the second page goes on from 23, each row numbered with its name.
    expect(first).to.match(/^22\s+Member 22\s+Org$/m);
    expect(second).to.match(/^23\s+Member 23\s+Org$/m);
    expect(second).to.match(/^30\s+Member 30\s+Org$/m);
  });
});
