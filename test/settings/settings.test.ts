import { expect } from 'chai';
import { Settings } from '../../src/settings/settings.model.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { AuditEvent } from '../../src/audit/audit-event.model.js';
import { completeFirstRun, loginAgent, makeAdmin, tokenFor } from '../helpers/factories.js';

describe('organisation settings', () => {
  it('an admin created by the CLI (no settings yet) saves the organisation settings, and they are stored', async () => {
    const app = await buildTestApp();
    const admin = await makeAdmin();
    const agent = await loginAgent(app, admin);
    const token = await tokenFor(agent, '/admin/settings');

    const res = await agent
      .post('/admin/settings')
      .type('form')
      .send({ _csrf: token, organisationName: 'Herat Network', registrationMode: 'open' });

    expect(res.status).to.equal(303);
    const stored = await Settings.findById('organisation').lean();
    expect(stored?.organisationName).to.equal('Herat Network');
    expect(stored?.registrationMode).to.equal('open');
    expect((await agent.get('/admin/settings')).text).to.contain('value="Herat Network"');
  });

  it('the time zone setting changes every time shown, and a made-up zone is refused by its field with the other values kept', async () => {
    const app = await buildTestApp();
    const admin = await completeFirstRun();
    const agent = await loginAgent(app, admin);
    // A change made at 14:16 UTC, shown on the admin's own page.
    await AuditEvent.create({
      actorId: null,
      action: 'user.sessions.end',
      targetType: 'user',
      targetId: admin.id,
      at: new Date(Date.UTC(2026, 11, 2, 14, 16)),
    });
    expect((await agent.get(`/people/${admin.id}`)).text).to.contain('Dec 2, 2026, 6:46 PM');
    const page = await agent.get('/admin/settings');
    expect(page.text).to.match(/<option value="Asia\/Kabul" selected>/);

    const bad = await agent
      .post('/admin/settings')
      .type('form')
      .send({
        _csrf: await tokenFor(agent, '/admin/settings'),
        organisationName: 'Kept Name',
        registrationMode: 'invite',
        timeZone: 'Mars/Olympus',
      });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('Choose a time zone from the list.');
    expect(bad.text).to.contain('value="Kept Name"');
    expect(bad.text).not.to.contain('Mars/Olympus');

    const ok = await agent
      .post('/admin/settings')
      .type('form')
      .send({
        _csrf: await tokenFor(agent, '/admin/settings'),
        organisationName: 'Test Network',
        registrationMode: 'invite',
        timeZone: 'UTC',
      });
    expect(ok.status).to.equal(303);
    expect((await Settings.findById('organisation').lean())?.timeZone).to.equal('UTC');
    expect((await agent.get('/admin/settings')).text).to.match(/<option value="UTC" selected>/);
    // The same moment, four and a half hours earlier on the clock.
    expect((await agent.get(`/people/${admin.id}`)).text).to.contain('Dec 2, 2026, 2:16 PM');
  });
});
