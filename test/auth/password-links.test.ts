import { expect } from 'chai';
import type { Express } from 'express';
import { PasswordLink } from '../../src/auth/password-link.model.js';
import { User } from '../../src/users/user.model.js';
import { buildTestApp } from '../helpers/app-harness.js';
import {
  completeFirstRun,
  linkFrom,
  loginAgent,
  makeCoordinator,
  makeMember,
  postForm,
  usePasswordLink,
  type TestUser,
} from '../helpers/factories.js';

const NEW_PASSWORD = 'a fresh passphrase 77';

describe('one-time password links', () => {
  let app: Express;
  let admin: TestUser;

  beforeEach(async () => {
    app = await buildTestApp();
    admin = await completeFirstRun();
  });

  async function passwordHashOf(email: string): Promise<string | undefined> {
    return (await User.findOne({ email }).lean())?.passwordHash;
  }

  it('a link a coordinator kept stops working once the person is made an admin, so it cannot become an admin password', async () => {
    const coordinator = await loginAgent(app, await makeCoordinator());
    const created = await postForm(
      coordinator,
      '/admin/users',
      { email: 'later.admin@example.org', displayName: 'Later Admin', roles: 'member' },
      '/admin/users/new',
    );
    expect(created.status).to.equal(201);
    const kept = linkFrom(created.text);
    const person = await User.findOne({ email: 'later.admin@example.org' }).lean();

    const adminAgent = await loginAgent(app, admin);
    const promoted = await postForm(adminAgent, `/admin/users/${String(person!._id)}/roles`, {
      roles: ['member', 'admin'],
    });
    // The admin is handed a fresh link of their own to give the person.
    expect(promoted.status).to.equal(200);
    expect(promoted.text).to.contain('Their password has been reset');
    const fresh = linkFrom(promoted.text);
    const before = await passwordHashOf('later.admin@example.org');

    expect((await usePasswordLink(app, kept, NEW_PASSWORD)).status).to.equal(404);
    expect(await passwordHashOf('later.admin@example.org')).to.equal(before);
    let signedIn = true;
    await loginAgent(app, { email: 'later.admin@example.org', password: NEW_PASSWORD }).catch(() => {
      signedIn = false;
    });
    expect(signedIn).to.equal(false);
    expect((await usePasswordLink(app, fresh, 'the real admin chose this')).status).to.equal(303);
  });

  it('a password a coordinator set through their own link does not survive the person being made an admin', async () => {
    const coordinator = await loginAgent(app, await makeCoordinator());
    const created = await postForm(
      coordinator,
      '/admin/users',
      { email: 'soon.admin@example.org', displayName: 'Soon Admin', roles: 'member' },
      '/admin/users/new',
    );
    // The coordinator opens the link at once and sets a password they know.
    expect((await usePasswordLink(app, linkFrom(created.text), NEW_PASSWORD)).status).to.equal(303);
    const person = await User.findOne({ email: 'soon.admin@example.org' }).lean();

    const adminAgent = await loginAgent(app, admin);
    await postForm(adminAgent, `/admin/users/${String(person!._id)}/roles`, { roles: ['member', 'admin'] });

    let signedIn = true;
    await loginAgent(app, { email: 'soon.admin@example.org', password: NEW_PASSWORD }).catch(() => {
      signedIn = false;
    });
    expect(signedIn, 'the coordinator cannot sign in as the new admin').to.equal(false);
  });

  it('promoting within what coordinators manage (member to trainer) keeps the password', async () => {
    const member = await makeMember();
    const adminAgent = await loginAgent(app, admin);
    const res = await postForm(adminAgent, `/admin/users/${member.id}/roles`, {
      roles: ['member', 'trainer'],
    });
    expect(res.status).to.equal(303);
    await loginAgent(app, member);
  });

  it('a link stops working when its issuer loses the right to manage the person (coordinator demoted)', async () => {
    const coordinatorUser = await makeCoordinator();
    const coordinator = await loginAgent(app, coordinatorUser);
    const member = await makeMember();
    const issued = await postForm(coordinator, `/admin/users/${member.id}/reset-link`, {}, '/admin/users');
    const link = linkFrom(issued.text);

    const adminAgent = await loginAgent(app, admin);
    await postForm(adminAgent, `/admin/users/${coordinatorUser.id}/roles`, { roles: 'member' });

    expect((await usePasswordLink(app, link, NEW_PASSWORD)).status).to.equal(404);
  });

  it('an older link dies when a newer one is issued, and the newer one dies once used', async () => {
    const member = await makeMember();
    const adminAgent = await loginAgent(app, admin);
    const first = linkFrom((await postForm(adminAgent, `/admin/users/${member.id}/reset-link`)).text);
    const second = linkFrom((await postForm(adminAgent, `/admin/users/${member.id}/reset-link`)).text);
    expect(await PasswordLink.countDocuments({ userId: member.id })).to.equal(1);

    expect((await usePasswordLink(app, first, NEW_PASSWORD)).status).to.equal(404);
    expect((await usePasswordLink(app, second, NEW_PASSWORD)).status).to.equal(303);
    expect((await usePasswordLink(app, first, 'yet another passphrase')).status).to.equal(404);
    expect((await usePasswordLink(app, second, 'yet another passphrase')).status).to.equal(404);
    await loginAgent(app, { email: member.email, password: NEW_PASSWORD });
  });

  it('a link made before the person changed their own password no longer works', async () => {
    const member = await makeMember();
    const adminAgent = await loginAgent(app, admin);
    const link = linkFrom((await postForm(adminAgent, `/admin/users/${member.id}/reset-link`)).text);

    const own = await loginAgent(app, member);
    const changed = await postForm(
      own,
      '/me/password',
      { currentPassword: member.password, password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD },
      '/me',
    );
    expect(changed.status).to.equal(303);

    expect((await usePasswordLink(app, link, 'an attacker passphrase')).status).to.equal(404);
    await loginAgent(app, { email: member.email, password: NEW_PASSWORD });
  });

  it('disabling an account voids its link, and enabling it again does not bring the link back', async () => {
    const member = await makeMember();
    const adminAgent = await loginAgent(app, admin);
    const link = linkFrom((await postForm(adminAgent, `/admin/users/${member.id}/reset-link`)).text);

    await postForm(adminAgent, `/admin/users/${member.id}/status`, { status: 'disabled' });
    expect((await usePasswordLink(app, link, NEW_PASSWORD)).status).to.equal(404);
    await postForm(adminAgent, `/admin/users/${member.id}/status`, { status: 'active' });
    expect((await usePasswordLink(app, link, NEW_PASSWORD)).status).to.equal(404);
    await loginAgent(app, member);
  });

  it('no link is issued for a disabled account (409, readable)', async () => {
    const member = await makeMember();
    const adminAgent = await loginAgent(app, admin);
    await postForm(adminAgent, `/admin/users/${member.id}/status`, { status: 'disabled' });
    const res = await postForm(adminAgent, `/admin/users/${member.id}/reset-link`);
    expect(res.status).to.equal(409);
    expect(res.text).to.contain('This account is disabled');
    expect(await PasswordLink.countDocuments({})).to.equal(0);
  });

  it('accounts made before the session and credential counters existed can still be reset, changed and disabled', async () => {
    const member = await makeMember();
    const other = await makeMember();
    await User.updateMany({}, { $unset: { sessionGeneration: 1, credentialVersion: 1 } });
    const adminAgent = await loginAgent(app, admin);

    const link = linkFrom((await postForm(adminAgent, `/admin/users/${member.id}/reset-link`)).text);
    expect((await usePasswordLink(app, link, NEW_PASSWORD)).status).to.equal(303);
    expect(
      (await postForm(adminAgent, `/admin/users/${other.id}/roles`, { roles: 'trainer' })).status,
    ).to.equal(303);
    expect((await postForm(adminAgent, `/admin/users/${other.id}/sessions/end`)).status).to.equal(303);
    expect(
      (await postForm(adminAgent, `/admin/users/${other.id}/status`, { status: 'disabled' })).status,
    ).to.equal(303);
    expect((await User.findById(other.id).lean())?.status).to.equal('disabled');
  });

  it('"sign out everywhere" leaves a password link staff have just handed over working', async () => {
    const member = await makeMember();
    const adminAgent = await loginAgent(app, admin);
    const link = linkFrom((await postForm(adminAgent, `/admin/users/${member.id}/reset-link`)).text);
    await postForm(adminAgent, `/admin/users/${member.id}/sessions/end`);
    expect((await usePasswordLink(app, link, NEW_PASSWORD)).status).to.equal(303);
  });
});
