import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import { User } from '../../src/users/user.model.js';
import { buildTestApp } from '../helpers/app-harness.js';
import {
  completeFirstRun,
  csrfFrom,
  DEFAULT_PASSWORD,
  loginAgent,
  makeCoordinator,
  makeMember,
  tokenFor,
} from '../helpers/factories.js';

describe("a person's language", () => {
  let app: Express;

  beforeEach(async () => {
    app = await buildTestApp();
  });

  it('setup done in Dari makes Dari the first admin’s saved language', async () => {
    const agent = request.agent(app);
    const page = await agent.get('/setup').set('Cookie', 'lang=fa-AF');
    expect(page.text).to.contain('dir="rtl"');
    const res = await agent
      .post('/setup')
      .set('Cookie', 'lang=fa-AF')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        organisationName: 'شبکه',
        displayName: 'احمد شبیر صافی',
        email: 'admin@example.org',
        password: 'Kabul-Herat-2026!',
        passwordConfirm: 'Kabul-Herat-2026!',
      });
    expect(res.status).to.equal(303);
    const admin = await User.findOne({ email: 'admin@example.org' }).lean();
    expect(admin?.locale).to.equal('fa-AF');
  });

  it('the language chosen on the sign-in page is kept for the person after signing in', async () => {
    await completeFirstRun();
    const member = await makeMember();
    expect((await User.findById(member.id).lean())?.locale).to.equal('en');
    const agent = request.agent(app);
    const page = await agent.get('/login').set('Cookie', 'lang=ps-AF');
    const res = await agent
      .post('/login')
      .set('Cookie', 'lang=ps-AF')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: member.email, password: DEFAULT_PASSWORD });
    expect(res.status).to.equal(303);
    expect((await User.findById(member.id).lean())?.locale).to.equal('ps-AF');
    // Without the cookie (another device), the saved language still applies.
    const home = await agent.get('/');
    expect(home.text).to.contain('lang="ps-AF"');
  });

  it('staff choose the language of a new account; an unknown language is refused with 422', async () => {
    const admin = await completeFirstRun();
    const agent = await loginAgent(app, admin);
    const form = await agent.get('/admin/users/new');
    expect(form.text).to.contain('name="locale"');
    const token = csrfFrom(form.text);
    const created = await agent.post('/admin/users').type('form').send({
      _csrf: token,
      email: 'gul@example.org',
      displayName: 'ملالۍ ګل',
      roles: 'member',
      locale: 'ps-AF',
    });
    expect(created.status).to.equal(201);
    expect((await User.findOne({ email: 'gul@example.org' }).lean())?.locale).to.equal('ps-AF');

    const refused = await agent
      .post('/admin/users')
      .type('form')
      .send({ _csrf: token, email: 'x@example.org', displayName: 'X', roles: 'member', locale: 'de' });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.contain('Choose one of the listed languages.');
    expect(await User.exists({ email: 'x@example.org' })).to.equal(null);
  });
});

describe('the people page', () => {
  let app: Express;
  let admin: Awaited<ReturnType<typeof completeFirstRun>>;

  beforeEach(async () => {
    app = await buildTestApp();
    admin = await completeFirstRun();
  });

  it('saving no role at all is refused on the list page itself, and the roles stay as they were', async () => {
    const member = await makeMember();
    const agent = await loginAgent(app, admin);
    const token = await tokenFor(agent, '/admin/users');
    const res = await agent.post(`/admin/users/${member.id}/roles`).type('form').send({ _csrf: token });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Give the person at least one role.');
    expect(res.text).to.contain('<h1>People</h1>');
    expect((await User.findById(member.id).lean())?.roles).to.deep.equal(['member']);
  });

  it('a coordinator sees password-link buttons only for people whose roles they may give', async () => {
    const member = await makeMember();
    const coordinator = await makeCoordinator();
    const agent = await loginAgent(app, coordinator);
    const page = await agent.get('/admin/users');
    expect(page.text).to.contain(`/admin/users/${member.id}/reset-link`);
    expect(page.text).not.to.contain(`/admin/users/${admin.id}/reset-link`);
    expect(page.text).not.to.contain(`/admin/users/${coordinator.id}/reset-link`);
  });

  it('a role change is listed with who changed whose roles, from what to what', async () => {
    const member = await makeMember();
    const agent = await loginAgent(app, admin);
    const token = await tokenFor(agent, '/admin/users');
    await agent
      .post(`/admin/users/${member.id}/roles`)
      .type('form')
      .send({ _csrf: token, roles: ['member', 'trainer'] });
    const page = await agent.get('/admin/users');
    const line = /<li>\s*<time[\s\S]*?Roles changed[\s\S]*?<\/li>/.exec(page.text)?.[0] ?? '';
    expect(line).to.contain(member.displayName);
    expect(line).to.contain('Member → Member, Trainer');
    expect(line).to.contain(`by ${admin.displayName}`);
  });
});
