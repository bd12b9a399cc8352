import { expect } from 'chai';
import type { Express } from 'express';
import type TestAgent from 'supertest/lib/agent.js';
import { AuditEvent } from '../../src/audit/audit-event.model.js';
import { User } from '../../src/users/user.model.js';
import { buildTestApp } from '../helpers/app-harness.js';
import {
  completeFirstRun,
  loginAgent,
  makeAdmin,
  makeCoordinator,
  makeMember,
  postForm,
  type TestUser,
} from '../helpers/factories.js';

const valid = {
  displayName: 'Nadia Ahmadi',
  localName: 'نادیه احمدی',
  email: 'Nadia.Ahmadi@Example.org',
  organisation: 'Herat Legal Aid',
  province: 'هرات',
  locale: 'fa-AF',
};

describe("editing a person's details", () => {
  let app: Express;
  let member: TestUser;
  let coordinatorUser: TestUser;
  let coordinator: TestAgent;

  beforeEach(async () => {
    app = await buildTestApp();
    await completeFirstRun();
    member = await makeMember();
    coordinatorUser = await makeCoordinator();
    coordinator = await loginAgent(app, coordinatorUser);
  });

  const edit = (agent: TestAgent, id: string, fields: Record<string, string>) =>
    postForm(agent, `/admin/users/${id}/edit`, fields, '/admin/users');

  it('saves every field and records which fields changed, not their values', async () => {
    const page = await coordinator.get(`/admin/users/${member.id}/edit`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain(`value="${member.email}"`);

    const res = await edit(coordinator, member.id, valid);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`/people/${member.id}?saved=details`);
    const stored = await User.findById(member.id).lean();
    expect(stored).to.include({
      displayName: 'Nadia Ahmadi',
      localName: 'نادیه احمدی',
      email: 'nadia.ahmadi@example.org',
      organisation: 'Herat Legal Aid',
      province: 'هرات',
      locale: 'fa-AF',
    });
    const event = await AuditEvent.findOne({ action: 'user.update' }).lean();
    expect(event!.details).to.deep.equal({
      fields: ['displayName', 'localName', 'email', 'organisation', 'province', 'locale'],
    });
    expect(JSON.stringify(event)).not.to.contain('Herat');
    const after = await coordinator.get(`/people/${member.id}?saved=details`);
    expect(after.text).to.contain('Details saved.');
    expect(after.text).to.contain('Details changed');

    // Saving again unchanged records nothing more.
    await edit(coordinator, member.id, valid);
    expect(await AuditEvent.countDocuments({ action: 'user.update' })).to.equal(1);
  });

  it('bad input is a 422 with the values kept and a message by each field; nothing is saved', async () => {
    const res = await edit(coordinator, member.id, {
      ...valid,
      displayName: '',
      email: 'not-an-email',
      province: 'x'.repeat(101),
      localName: 'نادیه\u202e',
      locale: 'klingon',
    });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Please fill in this field.');
    expect(res.text).to.contain('Enter an email address like name@example.org.');
    expect(res.text).to.contain('This is too long.');
    expect(res.text).to.contain('characters that cannot be shown');
    expect(res.text).to.contain('Choose one of the listed languages.');
    expect(res.text).to.contain('value="Herat Legal Aid"');
    expect((await User.findById(member.id).lean())!.email).to.equal(member.email);
  });

  it('an email another account has is a 422 on the email field', async () => {
    const other = await makeMember();
    const res = await edit(coordinator, member.id, { ...valid, email: other.email.toUpperCase() });
    expect(res.status).to.equal(422);
    expect(res.text).to.match(/id="f-email-error">An account with this email address already exists\./);
    expect((await User.findById(member.id).lean())!.email).to.equal(member.email);
  });

  it('unknown and malformed ids are 404; a coordinator may not edit an admin (403); a member may not edit', async () => {
    for (const id of ['0123456789abcdef01234567', 'not-an-id']) {
      expect((await coordinator.get(`/admin/users/${id}/edit`)).status, id).to.equal(404);
      expect((await edit(coordinator, id, valid)).status, id).to.equal(404);
    }
    const admin = await makeAdmin();
    expect((await coordinator.get(`/admin/users/${admin.id}/edit`)).status).to.equal(403);
    expect((await edit(coordinator, admin.id, { ...valid, email: 'taken@example.org' })).status).to.equal(
      403,
    );
    expect((await User.findById(admin.id).lean())!.email).to.equal(admin.email);

    const self = await loginAgent(app, member);
    expect((await self.get(`/admin/users/${member.id}/edit`)).status).to.equal(403);
    const token = (await self.get(`/people/${member.id}`)).text.match(/name="_csrf" value="([^"]+)"/)?.[1];
    const post = await self
      .post(`/admin/users/${member.id}/edit`)
      .type('form')
      .send({ _csrf: token ?? '', ...valid });
    expect(post.status).to.equal(403);
  });

  it('the new-person form keeps the name in local script, organisation and province', async () => {
    const res = await postForm(
      coordinator,
      '/admin/users',
      {
        email: 'farid@example.org',
        displayName: 'Farid Rahimi',
        localName: 'فرید رحیمی',
        organisation: 'Balkh Network',
        province: 'بلخ',
        roles: 'member',
      },
      '/admin/users/new',
    );
    expect(res.status).to.equal(201);
    expect(await User.findOne({ email: 'farid@example.org' }).lean()).to.include({
      localName: 'فرید رحیمی',
      organisation: 'Balkh Network',
      province: 'بلخ',
    });
  });
});
