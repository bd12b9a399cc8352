import { expect } from 'chai';
import request from 'supertest';
import { buildTestApp } from '../helpers/app-harness.js';
import { completeFirstRun, linkFrom, loginAgent, postForm, usePasswordLink } from '../helpers/factories.js';
import { capturingLogger } from '../helpers/log-capture.js';

describe('what request logs may contain', () => {
  it('a whole password-link flow, logged at the most detailed level, leaves no usable token in any line', async () => {
    const log = capturingLogger('trace');
    const app = await buildTestApp({ logger: log.logger });
    const admin = await completeFirstRun();
    const staff = await loginAgent(app, admin);

    const created = await postForm(
      staff,
      '/admin/users',
      { email: 'farida@example.org', displayName: 'Farida', roles: 'member' },
      '/admin/users/new',
    );
    const path = linkFrom(created.text);
    const token = path.split('/').pop()!;
    // A wrong first try (422), then the real one, then the sign-in it allows.
    expect((await usePasswordLink(app, path, 'short')).status).to.equal(422);
    expect((await usePasswordLink(app, path, 'river stones at dawn')).status).to.equal(303);
    await loginAgent(app, { email: 'farida@example.org', password: 'river stones at dawn' });
    // A later visit to the used link, with the token also in a query string.
    expect((await staff.get(`${path}?token=${token}`)).status).to.equal(404);

    const resetLines = log.lines.filter((l) => l.includes('/reset/'));
    expect(resetLines.length, 'the reset requests were logged').to.be.at.least(5);
    for (const line of log.lines) expect(line).not.to.contain(token);
    expect(resetLines.every((l) => l.includes('/reset/[redacted]'))).to.equal(true);
  });

  it('the token is redacted however the address is written (upper case, absolute form)', async () => {
    const log = capturingLogger('info');
    const app = await buildTestApp({ logger: log.logger });
    await completeFirstRun();
    const token = 'Abc123-secret-token-value';
    await request(app).get(`/RESET/${token}`);
    await request(app).get(`/Reset/${token}?TOKEN=${token}`);
    expect(log.lines.length).to.be.at.least(2);
    for (const line of log.lines) expect(line).not.to.contain(token);
  });
});
