import { expect } from 'chai';
import request from 'supertest';
import { issuePasswordLink } from '../../src/auth/password-link.service.js';
import { buildTestApp } from '../helpers/app-harness.js';
import {
  completeFirstRun,
  loginAgent,
  makeMember,
  openRegistration,
  tokenFor,
} from '../helpers/factories.js';

/** The accessibility and CSP basics every page must meet, checked on the HTML as served. */
function checkPage(html: string, where: string): number {
  let fields = 0;
  expect(html.match(/<h1[\s>]/g) ?? [], `${where}: one <h1>`).to.have.length(1);
  expect(html, `${where}: lang and dir`).to.match(/<html lang="(en|fa-AF|ps-AF)" dir="(ltr|rtl)">/);
  for (const landmark of ['<header', '<main id="main"', '<footer'])
    expect(html, `${where}: ${landmark}`).to.contain(landmark);
  expect(html, `${where}: skip link`).to.match(/<a class="skip-link" href="#main">/);
  expect(html, `${where}: no inline style (CSP)`).not.to.match(/\sstyle=/);
  expect(html, `${where}: no inline script (CSP)`).not.to.match(/<script(?![^>]*\bsrc=)[^>]*>/);
  const labelled = new Set([...html.matchAll(/<label for="([^"]+)"/g)].map((m) => m[1]));
  // Inputs wrapped in their <label> (checkboxes, radios) are labelled by it.
  const unwrapped = html.replace(/<label>[\s\S]*?<\/label>/g, '');
  for (const [tag] of unwrapped.matchAll(/<(input|select|textarea)\b[^>]*>/g)) {
    if (/type="(hidden|submit)"/.test(tag)) continue;
    const id = /\sid="([^"]+)"/.exec(tag)?.[1];
    expect(id && labelled.has(id), `${where}: a label for ${tag.replace(/\s+/g, ' ')}`).to.equal(true);
    fields += 1;
  }
  return fields;
}

describe('page structure: one h1, labels, landmarks, lang/dir, no inline code', () => {
  it('every page, anonymous and signed in, in English and Dari', async () => {
    const app = await buildTestApp();
    const setupPage = await request(app).get('/setup');
    checkPage(setupPage.text, '/setup');
    const admin = await completeFirstRun();
    await openRegistration();
    const member = await makeMember();
    const resetToken = await issuePasswordLink(member.id, admin);

    for (const lang of ['en', 'fa-AF']) {
      for (const path of ['/login', '/register', `/reset/${resetToken}`, '/no-such-page']) {
        const res = await request(app).get(path).set('Cookie', `lang=${lang}`);
        const fields = checkPage(res.text, `${lang} ${path}`);
        if (path === '/login') expect(fields, 'email and password were checked').to.equal(2);
      }
    }
    const agent = await loginAgent(app, admin);
    for (const path of [
      '/',
      '/admin/users',
      '/admin/users/new',
      '/admin/users/import',
      `/admin/users/${member.id}/edit`,
      '/admin/settings',
      '/me',
      `/people/${member.id}`,
    ]) {
      const res = await agent.get(path);
      expect(res.status, path).to.equal(200);
      checkPage(res.text, path);
    }
    const token = await tokenFor(agent, '/admin/users');
    const link = await agent.post(`/admin/users/${member.id}/reset-link`).type('form').send({ _csrf: token });
    checkPage(link.text, 'reset link page');
    const forbidden = await (await loginAgent(app, member)).get('/admin/users');
    expect(forbidden.status).to.equal(403);
    checkPage(forbidden.text, '403 page');
  });
});
