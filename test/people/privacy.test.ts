import { expect } from 'chai';
import { AuditEvent } from '../../src/audit/audit-event.model.js';
import { User } from '../../src/users/user.model.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { completeFirstRun, loginAgent, makeCoordinator, makeMember } from '../helpers/factories.js';

/**
 * A member's organisation and province can put them at risk: staff see them, and no page a member can
 * open shows them, not even their own.
 */
describe("privacy: a member's organisation and province", () => {
  it('appear on staff pages only; the member’s own pages never show them', async () => {
    const app = await buildTestApp();
    await completeFirstRun();
    const member = await makeMember();
    await User.updateOne(
      { _id: member.id },
      { $set: { organisation: 'Shelter Network Herat', province: 'Badghis', localName: 'نادیه احمدی' } },
    );

    const staff = await loginAgent(app, await makeCoordinator());
    const staffView = (await staff.get(`/people/${member.id}`)).text;
    expect(staffView).to.contain('Shelter Network Herat');
    expect(staffView).to.contain('Badghis');
    expect((await staff.get('/admin/users')).text).to.contain('Shelter Network Herat');

    const own = await loginAgent(app, member);
    for (const path of ['/', `/people/${member.id}`, '/me', '/me/certificates', '/courses']) {
      const res = await own.get(path);
      expect(res.status, path).to.equal(200);
      expect(res.text, path).not.to.contain('Shelter Network Herat');
      expect(res.text, path).not.to.contain('Badghis');
    }
    // Their own name in local script is theirs to see.
    expect((await own.get(`/people/${member.id}`)).text).to.contain('نادیه احمدی');
  });

  it('every export is audited: who, what, when', async () => {
    const app = await buildTestApp();
    await completeFirstRun();
    const coordinator = await makeCoordinator();
    const staff = await loginAgent(app, coordinator);
    const before = Date.now();
    await staff.get('/admin/users/export.csv');
    const event = await AuditEvent.findOne({ action: 'people.export' }).lean();
    expect(String(event!.actorId)).to.equal(coordinator.id);
    expect(event!.targetType).to.equal('people');
    expect(event!.at.getTime()).to.be.at.least(before - 1000);
  });
});
