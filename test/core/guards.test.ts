import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import { AuditEvent } from '../../src/audit/audit-event.model.js';
import { User } from '../../src/users/user.model.js';
import { buildTestApp } from '../helpers/app-harness.js';
import {
  agentWithToken,
  completeFirstRun,
  loginAgent,
  makeCoordinator,
  makeMember,
  tokenFor,
} from '../helpers/factories.js';

describe('role guards', () => {
  let app: Express;
  let admin: Awaited<ReturnType<typeof completeFirstRun>>;

  beforeEach(async () => {
    app = await buildTestApp();
    admin = await completeFirstRun();
  });

  it('an anonymous visitor is sent to the login page with the path to come back to', async () => {
    const res = await request(app).get('/admin/users?page=2');

    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/login?next=%2Fadmin%2Fusers%3Fpage%3D2');
  });

  it('after signing in, the person lands where they were going', async () => {
    const { agent, token } = await agentWithToken(app, '/login?next=%2Fadmin%2Fusers');

    const res = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: token, email: admin.email, password: admin.password, next: '/admin/users' });

    expect(res.headers.location).to.equal('/admin/users');
  });

  for (const evil of [
    '//evil.example/x',
    'https://evil.example/',
    '/\\evil.example',
    'javascript:alert(1)',
  ]) {
    it(`a return path of ${evil} is not followed (no open redirect)`, async () => {
      const { agent, token } = await agentWithToken(app);
      const res = await agent
        .post('/login')
        .type('form')
        .send({ _csrf: token, email: admin.email, password: admin.password, next: evil });
      expect(res.headers.location).to.equal('/');
    });
  }

  it('a member opening an admin page gets 403 with a friendly page and no stack trace', async () => {
    const agent = await loginAgent(app, await makeMember());

    const res = await agent.get('/admin/users');

    expect(res.status).to.equal(403);
    expect(res.text).to.contain('Not allowed');
    expect(res.text).to.contain('ask a coordinator or an administrator');
    expect(res.text).not.to.match(/at .*\.ts:\d+/);
  });

  it('a coordinator sees the people list but cannot change roles', async () => {
    const member = await makeMember();
    const agent = await loginAgent(app, await makeCoordinator());

    const list = await agent.get('/admin/users');
    const token = await tokenFor(agent, '/admin/users');
    const change = await agent
      .post(`/admin/users/${member.id}/roles`)
      .type('form')
      .send({ _csrf: token, roles: ['admin'] });

    expect(list.status).to.equal(200);
    expect(change.status).to.equal(403);
    expect((await User.findById(member.id).lean())?.roles).to.deep.equal(['member']);
  });

  it('an admin changes roles and the change is kept as an audit event', async () => {
    const member = await makeMember();
    const agent = await loginAgent(app, admin);
    const token = await tokenFor(agent, '/admin/users');

    const res = await agent
      .post(`/admin/users/${member.id}/roles`)
      .type('form')
      .send({ _csrf: token, roles: ['member', 'trainer'] });

    expect(res.status).to.equal(303);
    expect((await User.findById(member.id).lean())?.roles).to.deep.equal(['member', 'trainer']);
    const events = await AuditEvent.find({ action: 'user.roles.change', targetId: member.id }).lean();
    expect(events).to.have.length(1);
    expect(String(events[0]?.actorId)).to.equal(admin.id);
    expect(events[0]?.details).to.deep.equal({ from: ['member'], to: ['member', 'trainer'] });
  });

  it('a role that does not exist is rejected with 422 and nothing changes', async () => {
    const member = await makeMember();
    const agent = await loginAgent(app, admin);
    const token = await tokenFor(agent, '/admin/users');

    const res = await agent
      .post(`/admin/users/${member.id}/roles`)
      .type('form')
      .send({ _csrf: token, roles: ['superuser'] });

    expect(res.status).to.equal(422);
    expect((await User.findById(member.id).lean())?.roles).to.deep.equal(['member']);
  });
});
