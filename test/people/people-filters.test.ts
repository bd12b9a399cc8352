import { expect } from 'chai';
import type { Express } from 'express';
import type TestAgent from 'supertest/lib/agent.js';
import { addMembers, createRound } from '../../src/rounds/rounds.service.js';
import { User } from '../../src/users/user.model.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { completeFirstRun, loginAgent, makeCoordinator, makeMember, makeUser } from '../helpers/factories.js';

const names = (html: string) =>
  [...html.matchAll(/href="\/people\/[0-9a-f]{24}" dir="auto">([^<]+)</g)].map((m) => m[1]).sort();

describe('the people list: search and filters', () => {
  let app: Express;
  let staff: TestAgent;
  let ids: Record<string, string>;
  let roundId: string;

  beforeEach(async () => {
    app = await buildTestApp();
    const admin = await completeFirstRun();
    await User.updateOne({ _id: admin.id }, { $set: { displayName: 'Admin Person' } });
    const people = [
      ['nadia@example.org', 'Nadia Ahmadi', 'نادیه احمدی', 'Herat Legal Aid', 'Herat'],
      ['zarghona@example.org', 'Zarghona Wardak', 'زرغونه وردګ', 'Kandahar Youth Council', 'Kandahar'],
      ['gul@example.org', 'Gul Popal', 'ګل پوپل', 'Herat Legal Aid', 'Nangarhar'],
      ['dot@example.org', 'Dot.Star (test)', '', '', ''],
    ];
    ids = {};
    for (const [email, displayName, localName, organisation, province] of people) {
      const u = await makeUser({ email, displayName, roles: ['member'] });
      await User.updateOne({ _id: u.id }, { $set: { localName, organisation, province } });
      ids[displayName!] = u.id;
    }
    await User.updateOne({ _id: ids['Gul Popal'] }, { $set: { status: 'disabled' } });
    const trainer = await makeUser({
      email: 'trainer@example.org',
      displayName: 'Farid Trainer',
      roles: ['trainer'],
    });
    ids['Farid Trainer'] = trainer.id;
    roundId = await createRound(
      {
        name: 'Round 2',
        startDate: '2026-04-24',
        endDate: '2026-04-27',
        venue: '',
        province: '',
        partners: [],
      },
      admin.id,
    );
    await addMembers(roundId, [ids['Nadia Ahmadi']!, ids['Gul Popal']!], admin.id);
    staff = await loginAgent(app, admin);
  });

  const list = async (query: string) => {
    const res = await staff.get(`/admin/users?${query}`);
    expect(res.status, query).to.equal(200);
    return res.text;
  };

  it('searches names in either script and emails, as typed (not as a pattern)', async () => {
    expect(names(await list('q=ahmadi'))).to.deep.equal(['Nadia Ahmadi']);
    expect(names(await list(`q=${encodeURIComponent('وردګ')}`))).to.deep.equal(['Zarghona Wardak']);
    expect(names(await list('q=gul%40example'))).to.deep.equal(['Gul Popal']);
    expect(names(await list(`q=${encodeURIComponent('Dot.Star (')}`))).to.deep.equal(['Dot.Star (test)']);
    // "." and "(" as a pattern would match everything or fail; typed text matches only itself.
    expect(names(await list(`q=${encodeURIComponent('.*')}`))).to.deep.equal([]);
    expect(await list(`q=${encodeURIComponent(')(')}`)).to.contain('Nobody matches these filters.');
  });

  it('filters by role, province, organisation, round and status, together', async () => {
    expect(names(await list('role=trainer'))).to.deep.equal(['Farid Trainer']);
    expect(names(await list('province=Herat'))).to.deep.equal(['Nadia Ahmadi']);
    expect(names(await list(`organisation=${encodeURIComponent('Herat Legal Aid')}`))).to.deep.equal([
      'Gul Popal',
      'Nadia Ahmadi',
    ]);
    expect(names(await list(`round=${roundId}`))).to.deep.equal(['Gul Popal', 'Nadia Ahmadi']);
    expect(names(await list(`round=${roundId}&status=active`))).to.deep.equal(['Nadia Ahmadi']);
    expect(names(await list('status=disabled'))).to.deep.equal(['Gul Popal']);
    // A round that does not exist has no members; nonsense values are no filter at all.
    expect(names(await list('round=0123456789abcdef01234567'))).to.deep.equal([]);
    expect(names(await list('role=king&status=gone&round=x'))).to.have.length(6);
  });

  it('offers the provinces, organisations and rounds there are, and keeps the choices in the form', async () => {
    const html = await list(`province=Herat&round=${roundId}`);
    expect(html).to.match(/<option value="Herat" selected>Herat<\/option>/);
    expect(html).to.contain('<option value="Kandahar" >Kandahar</option>');
    expect(html).to.contain('<option value="Kandahar Youth Council" >Kandahar Youth Council</option>');
    expect(html).to.contain(`<option value="${roundId}" selected>Round 2 (2026-04-24)</option>`);
    expect(html).to.contain('href="/admin/users">Clear filters</a>');
  });

  it('the pager keeps the filters', async () => {
    await User.insertMany(
      Array.from({ length: 60 }, (_, i) => ({
        email: `kabul${i}@example.org`,
        displayName: `Kabul Person ${i}`,
        passwordHash: 'x',
        province: 'Kabul',
      })),
    );
    const first = await list('province=Kabul&q=person');
    expect(names(first)).to.have.length(50);
    expect(first).to.contain('href="/admin/users?q=person&amp;province=Kabul&amp;page=2"');
    expect(names(await list('province=Kabul&q=person&page=2'))).to.have.length(10);
  });

  it('is for staff only, and a coordinator sees organisation and province columns', async () => {
    const member = await loginAgent(app, await makeMember());
    expect((await member.get('/admin/users?province=Herat')).status).to.equal(403);
    const coordinator = await loginAgent(app, await makeCoordinator());
    const html = (await coordinator.get('/admin/users?province=Herat')).text;
    expect(html).to.contain('>Herat Legal Aid</td>');
  });
});
