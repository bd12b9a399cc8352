import { expect } from 'chai';
import { hasRole, isRole, manageableRoles, mayManage } from '../../src/core/roles.js';

describe('roles: who may manage whom', () => {
  const admin = { roles: ['admin'] };
  const coordinator = { roles: ['coordinator'] };
  const trainer = { roles: ['trainer'] };

  it('admins manage every role, coordinators members and trainers, everyone else nobody', () => {
    expect(manageableRoles(admin)).to.deep.equal(['member', 'trainer', 'coordinator', 'admin']);
    expect(manageableRoles(coordinator)).to.deep.equal(['member', 'trainer']);
    expect(manageableRoles(trainer)).to.deep.equal([]);
    expect(manageableRoles(undefined)).to.deep.equal([]);
  });

  it('a person is manageable only when every one of their roles is', () => {
    expect(mayManage(coordinator, { roles: ['member', 'trainer'] })).to.equal(true);
    expect(mayManage(coordinator, { roles: ['member', 'coordinator'] })).to.equal(false);
    expect(mayManage(coordinator, { roles: ['admin'] })).to.equal(false);
    expect(mayManage(admin, { roles: ['admin', 'member'] })).to.equal(true);
    expect(mayManage(trainer, { roles: ['member'] })).to.equal(false);
    expect(mayManage(null, { roles: ['member'] })).to.equal(false);
  });

  it('roles are recognised exactly, and holding one of several is enough', () => {
    expect(isRole('admin')).to.equal(true);
    for (const bad of ['Admin', 'root', '', null, ['admin'], { toString: () => 'admin' }])
      expect(isRole(bad)).to.equal(false);
    expect(hasRole({ roles: ['trainer', 'coordinator'] }, 'admin', 'coordinator')).to.equal(true);
    expect(hasRole({ roles: ['member'] }, 'admin', 'coordinator')).to.equal(false);
  });
});
