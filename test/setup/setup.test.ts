import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import { Settings } from '../../src/settings/settings.model.js';
import { User } from '../../src/users/user.model.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { agentWithToken } from '../helpers/factories.js';

const form = {
  organisationName: 'Kabul Anti-Trafficking Network',
  displayName: 'First Admin',
  email: 'admin@example.org',
  password: 'tall mountain orchard 7',
  passwordConfirm: 'tall mountain orchard 7',
};

describe('first-run setup', () => {
  let app: Express;

  beforeEach(async () => {
    app = await buildTestApp();
  });

  it('while no user exists, every page leads to /setup', async () => {
    for (const path of ['/', '/login', '/admin/users', '/no-such-page']) {
      const res = await request(app).get(path);
      expect(res.status, path).to.equal(303);
      expect(res.headers.location, path).to.equal('/setup');
    }
    expect((await request(app).get('/healthz')).status).to.equal(200);
  });

  it('setup creates the organisation and the first admin, who can then sign in; afterwards /setup is 404', async () => {
    const { agent, token } = await agentWithToken(app, '/setup');

    const res = await agent
      .post('/setup')
      .type('form')
      .send({ _csrf: token, ...form });

    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/login?notice=setupDone');
    const admin = await User.findOne({ email: 'admin@example.org' }).lean();
    expect(admin?.roles).to.deep.equal(['admin']);
    expect(admin?.passwordHash).to.match(/^\$argon2id\$/);
    expect((await Settings.findById('organisation').lean())?.organisationName).to.equal(
      form.organisationName,
    );
    expect((await request(app).get('/setup')).status).to.equal(404);
    const again = await agent
      .post('/setup')
      .type('form')
      .send({ _csrf: token, ...form, email: 'second@example.org' });
    expect(again.status).to.equal(404);
    const login = await agent.get('/login?notice=setupDone');
    expect(login.status).to.equal(200);
    expect(login.text).to.contain('Sabaq is ready');
  });

  it('two concurrent setup posts create exactly one admin', async () => {
    const a = await agentWithToken(app, '/setup');
    const b = await agentWithToken(app, '/setup');

    const [ra, rb] = await Promise.all([
      a.agent
        .post('/setup')
        .type('form')
        .send({ _csrf: a.token, ...form, email: 'a@example.org' }),
      b.agent
        .post('/setup')
        .type('form')
        .send({ _csrf: b.token, ...form, email: 'b@example.org' }),
    ]);

    expect([ra.status, rb.status].sort()).to.deep.equal([303, 404]);
    expect(await User.countDocuments({})).to.equal(1);
  });

  it('a common password is refused with 422, a message by the field and the other values kept', async () => {
    const { agent, token } = await agentWithToken(app, '/setup');

    const res = await agent
      .post('/setup')
      .type('form')
      .send({ _csrf: token, ...form, password: 'password123', passwordConfirm: 'password123' });

    expect(res.status).to.equal(422);
    expect(res.text).to.contain('This password is too common');
    expect(res.text).to.contain('value="Kabul Anti-Trafficking Network"');
    expect(res.text).not.to.contain('password123');
    expect(await User.countDocuments({})).to.equal(0);
    expect(await Settings.countDocuments({})).to.equal(0);
  });
});
