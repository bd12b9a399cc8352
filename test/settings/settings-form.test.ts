import { expect } from 'chai';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Express } from 'express';
import type TestAgent from 'supertest/lib/agent.js';
import { AuditEvent } from '../../src/audit/audit-event.model.js';
import type { FileStore } from '../../src/core/file-store.js';
import { diskFileStore } from '../../src/files/disk-file-store.js';
import { Settings } from '../../src/settings/settings.model.js';
import {
  abandonFirstRun,
  claimFirstRun,
  getLogo,
  getRegistrationMode,
  markFirstRunDone,
  organisationTimeZone,
  removeLogo,
  setLogo,
} from '../../src/settings/settings.service.js';
import { buildTestApp, connectTestDb } from '../helpers/app-harness.js';
import {
  completeFirstRun,
  loginAgent,
  makeCoordinator,
  tokenFor,
  type TestUser,
} from '../helpers/factories.js';

describe('organisation settings: the form', () => {
  let app: Express;
  let admin: TestUser;
  let agent: TestAgent;

  beforeEach(async () => {
    app = await buildTestApp();
    admin = await completeFirstRun();
    agent = await loginAgent(app, admin);
  });

  const save = async (fields: Record<string, string>) => {
    const token = await tokenFor(agent, '/admin/settings');
    return agent
      .post('/admin/settings')
      .type('form')
      .send({ _csrf: token, ...fields });
  };

  it('a saved form says so on the page it returns to, and the change is audited with what was set', async () => {
    const res = await save({
      organisationName: 'Herat Network',
      registrationMode: 'open',
      timeZone: 'Asia/Tehran',
    });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/admin/settings?saved=1');
    expect((await agent.get(res.headers.location!)).text).to.contain('Settings saved.');
    const events = await AuditEvent.find({ action: 'settings.update' }).lean();
    expect(events.map((e) => [String(e.actorId), e.targetId, e.details as unknown])).to.deep.equal([
      [
        admin.id,
        'organisation',
        { organisationName: 'Herat Network', registrationMode: 'open', timeZone: 'Asia/Tehran' },
      ],
    ]);
  });

  it('a registration mode that is not offered, or an empty name, is a 422; nothing is stored', async () => {
    const res = await save({ organisationName: 'Kept Name', registrationMode: 'everyone' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Please correct the fields marked below.');
    expect(res.text).to.contain('value="Kept Name"');
    expect(res.text).to.contain('<p class="field-error">Choose one of the options offered.</p>');
    const empty = await save({ organisationName: '   ', registrationMode: 'open' });
    expect(empty.status).to.equal(422);
    expect(empty.text).to.contain('Please fill in this field.');
    const stored = await Settings.findById('organisation').lean();
    expect([stored?.organisationName, stored?.registrationMode]).to.deep.equal(['Test Network', 'invite']);
    expect(await AuditEvent.countDocuments({ action: 'settings.update' })).to.equal(0);
  });

  it('a form sent without a time zone (an older page, a script) leaves the zone as it was', async () => {
    await save({ organisationName: 'Test Network', registrationMode: 'invite', timeZone: 'UTC' });
    expect((await save({ organisationName: 'Renamed', registrationMode: 'invite' })).status).to.equal(303);
    const stored = await Settings.findById('organisation').lean();
    expect([stored?.organisationName, stored?.timeZone]).to.deep.equal(['Renamed', 'UTC']);
  });

  it('a real zone under another name than the list’s (Asia/Kolkata) is kept, and stays selected on the form', async () => {
    expect(
      (await save({ organisationName: 'Test Network', registrationMode: 'invite', timeZone: 'Asia/Kolkata' }))
        .status,
    ).to.equal(303);
    expect(await organisationTimeZone()).to.equal('Asia/Kolkata');
    const page = (await agent.get('/admin/settings')).text;
    expect(page).to.match(/<option value="Asia\/Kolkata" selected>/);
    expect(page.match(/<option value="Asia\/Kolkata"/g)).to.have.length(1);
  });

  it('a coordinator can neither see nor change the settings', async () => {
    const coordinator = await loginAgent(app, await makeCoordinator());
    expect((await coordinator.get('/admin/settings')).status).to.equal(403);
    const token = await tokenFor(coordinator, '/');
    const res = await coordinator
      .post('/admin/settings')
      .type('form')
      .send({ _csrf: token, organisationName: 'Taken over', registrationMode: 'open' });
    expect(res.status).to.equal(403);
    expect((await Settings.findById('organisation').lean())?.organisationName).to.equal('Test Network');
    expect(await getRegistrationMode()).to.equal('invite');
  });
});

describe('organisation settings: first run and the logo file', () => {
  let dir: string;
  let files: FileStore;
  const storedFiles = () =>
    readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;

  beforeEach(async () => {
    await connectTestDb();
    dir = mkdtempSync(path.join(tmpdir(), 'sabaq-settings-'));
    files = diskFileStore(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('first-run setup is claimed once; a claim given back can be made again, a finished setup cannot be given back', async () => {
    expect(await claimFirstRun('First')).to.equal(true);
    expect(await claimFirstRun('Second')).to.equal(false);
    await abandonFirstRun();
    expect(await claimFirstRun('Again')).to.equal(true);
    await markFirstRunDone();
    await abandonFirstRun();
    expect((await Settings.findById('organisation').lean())?.organisationName).to.equal('Again');
    expect(await claimFirstRun('Late')).to.equal(false);
  });

  it('saving the same logo again keeps its file; removing a logo when there is none is harmless', async () => {
    await claimFirstRun('Test Network');
    const saved = await files.save(Readable.from([Buffer.from('logo')]));
    const logo = { fileId: saved.id, mime: 'image/png', size: saved.size, sha256: saved.sha256 };
    await setLogo(logo, files);
    await setLogo(logo, files);
    expect(storedFiles()).to.equal(1);
    expect(await getLogo()).to.deep.equal(logo);
    await removeLogo(files);
    await removeLogo(files);
    expect(storedFiles()).to.equal(0);
    expect(await getLogo()).to.equal(null);
  });
});
