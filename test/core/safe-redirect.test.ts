import { expect } from 'chai';
import { safeLocalPath } from '../../src/core/safe-redirect.js';
import type { Express } from 'express';
import { buildTestApp } from '../helpers/app-harness.js';
import { agentWithToken, completeFirstRun, type TestUser } from '../helpers/factories.js';

describe('safe local redirects', () => {
  it('keeps a local path with its query', () => {
    expect(safeLocalPath('/courses/tip-law?x=1')).to.equal('/courses/tip-law?x=1');
  });

  for (const bad of [
    '//evil.example',
    '/\\evil.example',
    'https://evil.example',
    'javascript:alert(1)',
    '/%0d%0aSet-Cookie:x',
    '',
    42,
    '/a\r\nb',
    '/..//evil.example',
    '/.//evil.example',
    '/%2e%2e//evil.example',
    '/a/..//evil.example',
  ]) {
    it(`falls back for ${JSON.stringify(bad)}`, () => {
      const result = safeLocalPath(bad, '/');
      expect(result.startsWith('//')).to.equal(false);
      expect(result).to.match(/^\/(?!\/)/);
      expect(result).not.to.match(/[\r\n]/);
    });
  }

  it('rejects protocol-relative and absolute URLs outright', () => {
    expect(safeLocalPath('//evil.example')).to.equal('/');
    expect(safeLocalPath('https://evil.example')).to.equal('/');
  });
});

describe('adversarial: redirects after sign-in', () => {
  let app: Express;
  let admin: TestUser;

  beforeEach(async () => {
    app = await buildTestApp();
    admin = await completeFirstRun();
  });

  for (const evil of [
    '/..//evil.example',
    '/.//evil.example/x',
    '/%2e%2e//evil.example',
    '/a/..//evil.example',
  ]) {
    it(`a return path of ${evil} is not turned into //evil.example by dot-segment resolution`, async () => {
      const { agent, token } = await agentWithToken(app);
      const res = await agent
        .post('/login')
        .type('form')
        .send({ _csrf: token, email: admin.email, password: admin.password, next: evil });
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal('/');
      // Already signed in, the login page redirects straight away: the same rule applies.
      const again = await agent.get(`/login?next=${encodeURIComponent(evil)}`);
      expect(again.headers.location).to.equal('/');
    });
  }
});
