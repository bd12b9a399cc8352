import { expect } from 'chai';
import type { Express } from 'express';
import { Types } from 'mongoose';
import { calendarDay } from '../../src/core/dates.js';
import { Round, type RoundDoc } from '../../src/rounds/round.model.js';
import { addTrainer, createRound } from '../../src/rounds/rounds.service.js';
import { buildTestApp } from '../helpers/app-harness.js';
import {
  completeFirstRun,
  loginAgent,
  makeCoordinator,
  makeTrainer,
  postForm,
  type TestUser,
} from '../helpers/factories.js';
import { roundDetails } from '../helpers/rounds.js';

/** Finding rounds in the list (when, what, which page) and editing a round's details. */
describe('rounds: the list and editing a round', () => {
  let app: Express;
  let coordinator: TestUser;

  beforeEach(async () => {
    app = await buildTestApp();
    await completeFirstRun();
    coordinator = await makeCoordinator();
  });

  /** The names in the list, in its order. */
  const namesIn = (html: string) =>
    [...html.matchAll(/<a href="\/coord\/rounds\/[0-9a-f]{24}" dir="auto">([^<]+)<\/a>/g)].map((m) => m[1]);
  const shift = (day: string, days: number) =>
    new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

  it('rounds under way, upcoming and finished are told apart by today in the organisation’s time zone; those under way are marked', async () => {
    const today = calendarDay(new Date(), 'Asia/Kabul');
    const round = (name: string, from: number, to: number) =>
      createRound(
        roundDetails({ name, startDate: shift(today, from), endDate: shift(today, to) }),
        coordinator.id,
      );
    await round('Finished round', -20, -18);
    await round('Round under way', -2, 2);
    await round('Upcoming round', 10, 12);
    await round('Ends today', -3, 0);
    const agent = await loginAgent(app, coordinator);
    const list = (query: string) => agent.get(`/coord/rounds${query}`).then((r) => r.text);

    // Latest start first.
    const all = await list('');
    expect(namesIn(all)).to.deep.equal(['Upcoming round', 'Round under way', 'Ends today', 'Finished round']);
    const badges = [...all.matchAll(/dir="auto">([^<]+)<\/a> <span class="badge">Under way<\/span>/g)];
    expect(badges.map((m) => m[1])).to.deep.equal(['Round under way', 'Ends today']);
    expect(namesIn(await list('?when=current'))).to.deep.equal(['Round under way', 'Ends today']);
    expect(namesIn(await list('?when=upcoming'))).to.deep.equal(['Upcoming round']);
    expect(namesIn(await list('?when=past'))).to.deep.equal(['Finished round']);
    // An unknown choice is no filter, and the form shows "any time".
    const bogus = await list('?when=someday');
    expect(namesIn(bogus)).to.have.length(4);
    expect(bogus).to.include('<option value="">Any time</option>');
    expect(await list('?when=past')).to.include('<option value="past" selected>');
  });

  it('the search matches the name, the venue or the province, ignoring case and reading symbols literally', async () => {
    await createRound(
      roundDetails({ name: 'Legal aid (Herat)', venue: 'Partner hall', province: 'Herat' }),
      coordinator.id,
    );
    await createRound(
      roundDetails({ name: 'Advocacy', venue: 'Kabul University', province: 'Kabul' }),
      coordinator.id,
    );
    const agent = await loginAgent(app, coordinator);
    const find = async (q: string) => {
      const res = await agent.get(`/coord/rounds?q=${encodeURIComponent(q)}`);
      expect(res.status, q).to.equal(200);
      return namesIn(res.text);
    };
    expect(await find('(herat)')).to.deep.equal(['Legal aid (Herat)']);
    expect(await find('UNIVERSITY')).to.deep.equal(['Advocacy']);
    expect(await find('kabul')).to.deep.equal(['Advocacy']);
    expect(await find('.*')).to.deep.equal([]);
    expect(await find('[')).to.deep.equal([]);
    expect(await find('x'.repeat(5000))).to.deep.equal([]);
    const none = await agent.get('/coord/rounds?q=nothing-like-it');
    expect(none.text).to.include('No rounds yet.');
    expect(none.text).to.include('value="nothing-like-it"');
  });

  it('the list shows 50 rounds a page with a pager that keeps the search; a bad page number is page 1', async () => {
    await Round.insertMany(
      Array.from({ length: 51 }, (_, i) => ({
        ...roundDetails({ name: `Batch ${String(i + 1).padStart(2, '0')}` }),
        startDate: shift('2026-01-01', i),
        endDate: shift('2026-01-01', i),
      })),
    );
    await createRound(roundDetails({ name: 'Other' }), coordinator.id);
    const agent = await loginAgent(app, coordinator);
    const first = await agent.get('/coord/rounds?q=batch');
    const names = namesIn(first.text);
    expect(names).to.have.length(50);
    expect(names[0]).to.equal('Batch 51');
    expect(first.text).to.include('Page 1 of 2 (51 in all)');
    expect(first.text).to.include('href="/coord/rounds?q=batch&amp;page=2"');
    const second = await agent.get('/coord/rounds?q=batch&page=2');
    expect(namesIn(second.text)).to.deep.equal(['Batch 01']);
    expect(second.text).to.include('rel="prev"');
    expect(namesIn((await agent.get('/coord/rounds?q=batch&page=-3')).text)[0]).to.equal('Batch 51');
  });

  it('the edit form shows the round’s details with one partner a line; saving changes them and says so on the round page', async () => {
    const id = await createRound(
      roundDetails({ venue: 'Partner hall', province: 'Herat', partners: ['Partner A', 'Partner B'] }),
      coordinator.id,
    );
    const agent = await loginAgent(app, coordinator);
    const form = await agent.get(`/coord/rounds/${id}/edit`);
    expect(form.status).to.equal(200);
    expect(form.text).to.include('<h1>Edit round</h1>');
    expect(form.text).to.include('value="Advocacy training, round 2"');
    expect(form.text).to.include('value="2026-04-24"').and.include('value="Partner hall"');
    expect(form.text).to.match(/<textarea id="f-partners"[^>]*>Partner A\nPartner B<\/textarea>/);
    expect(form.text).to.include(`action="/coord/rounds/${id}/edit"`);

    const saved = await postForm(agent, `/coord/rounds/${id}/edit`, {
      name: '  Advocacy training, round 3 ',
      startDate: '2026-05-02',
      endDate: '2026-05-03',
      venue: 'Community centre',
      province: 'Balkh',
      partners: 'Partner C\r\nPartner C\r\n\r\nPartner D',
    });
    expect(saved.status).to.equal(303);
    expect(saved.headers.location).to.equal(`/coord/rounds/${id}?saved=details`);
    const round = await Round.findById(id).lean<RoundDoc>();
    expect(round).to.include({
      name: 'Advocacy training, round 3',
      startDate: '2026-05-02',
      endDate: '2026-05-03',
      venue: 'Community centre',
      province: 'Balkh',
    });
    expect(round!.partners).to.deep.equal(['Partner C', 'Partner D']);
    const page = await agent.get(saved.headers.location!);
    expect(page.text).to.include('The round was saved.');
    expect(page.text).to.include('2 days');
  });

  it('an edit with bad days, a blank name or too many partners is refused with 422, the typing kept; a round’s own trainer gets 403 and an unknown round 404; nothing changes', async () => {
    const id = await createRound(roundDetails({ partners: ['Partner A'] }), coordinator.id);
    const before = await Round.findById(id).lean<RoundDoc>();
    const agent = await loginAgent(app, coordinator);
    const good = { name: 'Renamed', startDate: '2026-04-24', endDate: '2026-04-27', partners: '' };
    const cases: [Record<string, string>, string][] = [
      [{ ...good, endDate: '2026-04-20' }, 'The last day cannot be before the first day.'],
      [{ ...good, endDate: '2026-06-25' }, 'A round lasts at most 62 days.'],
      [{ ...good, startDate: '24/04/2026' }, 'Enter a date as year-month-day.'],
      [{ ...good, name: '   ' }, 'Please fill in this field.'],
      [
        { ...good, partners: Array.from({ length: 21 }, (_, i) => `Partner ${i}`).join('\n') },
        'At most 20 partner organisations, each up to 200 characters.',
      ],
      [
        { ...good, partners: 'P'.repeat(201) },
        'At most 20 partner organisations, each up to 200 characters.',
      ],
    ];
    for (const [fields, message] of cases) {
      const res = await postForm(agent, `/coord/rounds/${id}/edit`, fields);
      expect(res.status, message).to.equal(422);
      expect(res.text, message).to.include(message);
      if (fields.name === 'Renamed') expect(res.text, message).to.include('value="Renamed"');
    }
    const after = await Round.findById(id).lean<RoundDoc>();
    expect(after).to.deep.equal(before);

    const trainer = await makeTrainer();
    await addTrainer(id, trainer.id);
    const asTrainer = await loginAgent(app, trainer);
    const denied = await postForm(
      asTrainer,
      `/coord/rounds/${id}/edit`,
      { name: 'Taken over', startDate: '2026-04-24', endDate: '2026-04-25' },
      `/coord/rounds/${id}`,
    );
    expect(denied.status).to.equal(403);
    expect((await Round.findById(id).lean<RoundDoc>())!.name).to.equal('Advocacy training, round 2');

    const unknown = new Types.ObjectId().toHexString();
    expect((await agent.get(`/coord/rounds/${unknown}/edit`)).status).to.equal(404);
    const fields = { name: 'Ghost', startDate: '2026-04-24', endDate: '2026-04-25' };
    expect((await postForm(agent, `/coord/rounds/${unknown}/edit`, fields)).status).to.equal(404);
    expect((await postForm(agent, '/coord/rounds/not-an-id/edit', fields)).status).to.equal(404);
    expect(await Round.countDocuments()).to.equal(1);
  });
});
