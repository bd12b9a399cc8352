import { expect } from 'chai';
import { ValidationError } from '../../src/core/app-error.js';
import { endSessions, setPassword, setRoles, setStatus } from '../../src/users/user-access.service.js';
import { User } from '../../src/users/user.model.js';
import { findUserSummary, preparePassword } from '../../src/users/users.service.js';
import { connectTestDb } from '../helpers/app-harness.js';
import { makeAdmin, makeMember } from '../helpers/factories.js';

async function counters(id: string) {
  const u = await findUserSummary(id);
  return { sessions: u!.sessionGeneration, credentials: u!.credentialVersion };
}

describe('changes to who can get into an account', () => {
  beforeEach(() => connectTestDb());

  it('ten "sign out everywhere" at once raise the session generation by exactly ten, and leave links alone', async () => {
    const admin = await makeAdmin();
    const member = await makeMember();
    const results = await Promise.all(Array.from({ length: 10 }, () => endSessions(member.id, admin.id)));
    expect([...results].sort((a, b) => a! - b!)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await counters(member.id)).to.deep.equal({ sessions: 10, credentials: 0 });
  });

  it('a change made from a session that has meanwhile ended does nothing', async () => {
    const admin = await makeAdmin();
    await endSessions(admin.id, admin.id);
    expect(await endSessions(admin.id, admin.id, 0)).to.equal(null);
    expect(await setRoles(admin.id, ['admin', 'trainer'], admin.id, 0)).to.equal(null);
    expect((await findUserSummary(admin.id))!.roles).to.deep.equal(['admin']);
  });

  it('a new password needs the account as the caller knew it; it raises both counters', async () => {
    const member = await makeMember();
    const prepared = await preparePassword('a fine new passphrase', member.email);
    expect(await setPassword(member.id, prepared, { credentialVersion: 5 })).to.equal(null);
    expect(await setPassword(member.id, prepared, { sessionGeneration: 0 })).to.equal(1);
    expect(await counters(member.id)).to.deep.equal({ sessions: 1, credentials: 1 });
    await User.updateOne({ _id: member.id }, { $set: { status: 'disabled' } });
    expect(
      await setPassword(member.id, prepared, { sessionGeneration: 1 }),
      'not for a disabled account',
    ).to.equal(null);
  });

  it('the last active admin can be neither demoted nor disabled, and stays as they were', async () => {
    const admin = await makeAdmin();
    const other = await makeAdmin();
    await setStatus(other.id, 'disabled', admin.id);
    let refused: unknown;
    await setRoles(admin.id, ['member'], other.id).catch((err: unknown) => (refused = err));
    expect(refused).to.be.instanceOf(ValidationError);
    expect((refused as ValidationError).message).to.equal('validation.lastAdmin');
    const after = await findUserSummary(admin.id);
    expect(after!.roles).to.include('admin');
    expect(after!.status).to.equal('active');
  });

  it('making a member a coordinator replaces their password; making them a trainer does not', async () => {
    const admin = await makeAdmin();
    const member = await makeMember();
    const before = (await User.findById(member.id).lean())!.passwordHash;
    expect(await setRoles(member.id, ['member', 'trainer'], admin.id)).to.deep.include({
      passwordReset: false,
    });
    expect((await User.findById(member.id).lean())!.passwordHash).to.equal(before);
    expect(await setRoles(member.id, ['coordinator'], admin.id)).to.deep.include({ passwordReset: true });
    expect((await User.findById(member.id).lean())!.passwordHash).not.to.equal(before);
  });
});
