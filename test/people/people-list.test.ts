import { expect } from 'chai';
import { User } from '../../src/users/user.model.js';
import { buildTestApp } from '../helpers/app-harness.js';
import request from 'supertest';
import { completeFirstRun, loginAgent, makeMember } from '../helpers/factories.js';

describe('the people list, one page at a time', () => {
  it('120 people are listed 50 to a page, newest first, with a pager that follows them all', async () => {
    const app = await buildTestApp();
    const admin = await completeFirstRun();
    const start = Date.now() - 1_000_000;
    await User.insertMany(
      Array.from({ length: 120 }, (_, i) => ({
        email: `person${i}@example.org`,
        displayName: `Person ${String(i).padStart(3, '0')}`,
        passwordHash: 'not-a-usable-hash',
        createdAt: new Date(start + i * 1000),
      })),
    );
    const agent = await loginAgent(app, admin);

    const first = await agent.get('/admin/users');
    const rows = (html: string) =>
      [...html.matchAll(/href="\/people\/[0-9a-f]{24}" dir="auto">([^<]+)</g)].map((m) => m[1]);
    expect(rows(first.text)).to.have.length(50);
    expect(rows(first.text)[0]).to.equal(admin.displayName);
    expect(rows(first.text)[1]).to.equal('Person 119');
    expect(first.text).to.contain('Page 1 of 3 (121 in all)');
    expect(first.text).to.contain('href="/admin/users?page=2"');

    const last = await agent.get('/admin/users?page=3');
    expect(rows(last.text)).to.have.length(21);
    expect(rows(last.text).at(-1)).to.equal('Person 000');
    expect(last.text).to.contain('href="/admin/users?page=2"');
    expect(last.text).not.to.contain('rel="next"');

    const nonsense = await agent.get('/admin/users?page=abc');
    expect(nonsense.status).to.equal(200);
    expect(rows(nonsense.text)[1]).to.equal('Person 119');
  });

  it('in Dari the pager counts in Persian digits', async () => {
    const app = await buildTestApp();
    const admin = await completeFirstRun();
    await User.insertMany(
      Array.from({ length: 60 }, (_, i) => ({
        email: `p${i}@example.org`,
        displayName: `P ${i}`,
        passwordHash: 'x',
      })),
    );
    await User.updateOne({ _id: admin.id }, { $set: { locale: 'fa-AF' } });
    const page = await (await loginAgent(app, admin)).get('/admin/users');
    expect(page.text).to.contain('صفحهٔ ۱ از ۲ (در مجموع ۶۱)');
  });
});

describe("a person's page", () => {
  it('staff open anyone’s page; a member opens their own (its history, no staff actions) and nobody else’s, as a 404', async () => {
    const app = await buildTestApp();
    const admin = await completeFirstRun();
    const member = await makeMember();
    const other = await makeMember();
    const staff = await loginAgent(app, admin);
    expect((await staff.get(`/people/${member.id}`)).text).to.contain('Sign out everywhere');

    const own = await loginAgent(app, member);
    const mine = await own.get(`/people/${member.id}`);
    expect(mine.status).to.equal(200);
    expect(mine.text).to.contain(member.displayName);
    expect(mine.text).not.to.contain('Disable account');
    expect(mine.text).not.to.contain('Back to the list of people');
    for (const id of [other.id, admin.id, 'not-an-id', '0123456789abcdef01234567'])
      expect((await own.get(`/people/${id}`)).status, id).to.equal(404);
    expect((await request(app).get(`/people/${member.id}`)).status).to.equal(303);
  });
});
