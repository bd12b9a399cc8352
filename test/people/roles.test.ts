import { expect } from 'chai';
import type { Express } from 'express';
import { PasswordLink } from '../../src/auth/password-link.model.js';
import { ValidationError } from '../../src/core/app-error.js';
import { User } from '../../src/users/user.model.js';
import { setRoles } from '../../src/users/user-access.service.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { completeFirstRun, loginAgent, makeAdmin, makeCoordinator, tokenFor } from '../helpers/factories.js';

describe('who may change whose roles', () => {
  let app: Express;
  let admin: Awaited<ReturnType<typeof completeFirstRun>>;

  beforeEach(async () => {
    app = await buildTestApp();
    admin = await completeFirstRun();
  });

  it('a coordinator cannot make themselves admin, nor create a coordinator, nor get a link for another coordinator', async () => {
    const coordinator = await makeCoordinator();
    const other = await makeCoordinator();
    const agent = await loginAgent(app, coordinator);
    const token = await tokenFor(agent, '/admin/users/new');

    const self = await agent
      .post(`/admin/users/${coordinator.id}/roles`)
      .type('form')
      .send({ _csrf: token, roles: ['coordinator', 'admin'] });
    const peer = await agent
      .post('/admin/users')
      .type('form')
      .send({ _csrf: token, email: 'peer@example.org', displayName: 'Peer', roles: 'coordinator' });
    const link = await agent.post(`/admin/users/${other.id}/reset-link`).type('form').send({ _csrf: token });

    expect([self.status, peer.status, link.status]).to.deep.equal([403, 403, 403]);
    expect((await User.findById(coordinator.id).lean())?.roles).to.deep.equal(['coordinator']);
    expect(await User.exists({ email: 'peer@example.org' })).to.equal(null);
    expect(await PasswordLink.countDocuments({})).to.equal(0);
  });

  it('an admin cannot remove their own admin role (422, readable), but can remove another admin’s', async () => {
    const second = await makeAdmin();
    const agent = await loginAgent(app, admin);
    const token = await tokenFor(agent, '/admin/users');

    const own = await agent
      .post(`/admin/users/${admin.id}/roles`)
      .type('form')
      .send({ _csrf: token, roles: 'member' });
    const other = await agent
      .post(`/admin/users/${second.id}/roles`)
      .type('form')
      .send({ _csrf: token, roles: 'trainer' });

    expect(own.status).to.equal(422);
    expect(own.text).to.contain('You cannot remove your own administrator role.');
    expect((await User.findById(admin.id).lean())?.roles).to.deep.equal(['admin']);
    expect(other.status).to.equal(303);
    expect((await User.findById(second.id).lean())?.roles).to.deep.equal(['trainer']);
  });

  it('the last admin keeps the admin role, whoever asks (service rule, also for scripts)', async () => {
    const coordinator = await makeCoordinator();

    let error: unknown;
    try {
      await setRoles(admin.id, ['member'], coordinator.id);
    } catch (err) {
      error = err;
    }

    expect(error).to.be.instanceOf(ValidationError);
    expect((error as ValidationError).message).to.equal('validation.lastAdmin');
    expect((await User.findById(admin.id).lean())?.roles).to.include('admin');
  });

  it('two admins removing each other at the same moment leave at least one admin', async () => {
    const second = await makeAdmin();

    const results = await Promise.allSettled([
      setRoles(second.id, ['member'], admin.id),
      setRoles(admin.id, ['member'], second.id),
    ]);

    expect(results.filter((r) => r.status === 'rejected').length).to.be.greaterThan(0);
    expect(await User.countDocuments({ roles: 'admin' })).to.be.greaterThan(0);
  });
});
