/**
 * The offline verifier as a partner uses it: the page is opened once, then the connection is cut, and a
 * credential file is checked in the browser (a changed copy is refused, a revoked one reported with the
 * saved list). Set SCREENSHOT_DIR to keep a screenshot.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { completedMember } from '../helpers/certificates.js';
import { completeFirstRun, loginAgent, makeCoordinator, postForm } from '../helpers/factories.js';
import {
  screenshot,
  screenshotOnFailure,
  skipWithoutChromium,
  startBrowserApp,
  type BrowserApp,
} from '../helpers/browser.js';

describe('offline credential verifier page', function () {
  this.timeout(120_000);
  let run: BrowserApp;
  let page: Page | undefined;
  let dir: string;

  before(function () {
    skipWithoutChromium(this);
  });
  beforeEach(async () => {
    run = await startBrowserApp();
    await completeFirstRun();
    dir = mkdtempSync(path.join(tmpdir(), 'sabaq-verifier-'));
  });
  afterEach(async function () {
    await screenshotOnFailure(this, page);
    await run.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('checks a credential with the connection cut: valid, changed, revoked', async () => {
    const { member, certificate } = await completedMember(run.app);
    const agent = await loginAgent(run.app, member);
    const credential = (await agent.get(`/certificates/${certificate.code}.json`)).text;
    const files = {
      good: path.join(dir, 'good.json'),
      changed: path.join(dir, 'changed.json'),
      status: path.join(dir, 'status.json'),
    };
    writeFileSync(files.good, credential);
    writeFileSync(
      files.changed,
      credential.replace(/"validFrom": "[^"]+"/, '"validFrom": "2020-01-01T00:00:00Z"'),
    );

    const context = await run.browser.newContext();
    const p = (page = await context.newPage());
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(e.message));
    await p.goto(`${run.base}/verify/offline.html`);
    await context.setOffline(true);

    await p.locator('#f-credential').setInputFiles(files.good);
    await p.getByRole('button', { name: 'Check' }).click();
    await p.locator('#verdict.alert-success').waitFor();
    expect(await p.locator('#verdict').textContent())
      .to.contain('VALID')
      .and.to.contain('revocation not checked');
    await screenshot(p, 'offline-verifier-en');

    await p.locator('#f-credential').setInputFiles(files.changed);
    await p.getByRole('button', { name: 'Check' }).click();
    await p.locator('#verdict.alert-error').waitFor();
    expect(await p.locator('#verdict').textContent()).to.contain('NOT VALID');

    const staff = await loginAgent(run.app, await makeCoordinator());
    await postForm(
      staff,
      `/certificates/${certificate.code}/revoke`,
      { reason: 'Issued in error' },
      '/certificates',
    );
    writeFileSync(files.status, (await request(run.app).get('/credentials/status/0')).text);
    await p.locator('#f-credential').setInputFiles(files.good);
    await p.locator('#f-status').setInputFiles(files.status);
    await p.getByRole('button', { name: 'Check' }).click();
    await p.getByText('REVOKED').waitFor();
    expect(errors).to.deep.equal([]);
    await context.close();
  });
});
