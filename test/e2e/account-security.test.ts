/**
 * Sessions as people meet them, in headless Chromium: a phone and a laptop of the same person, "keep me
 * signed in", "sign out everywhere else", and staff ending a person's sessions from their page.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { completeFirstRun, makeMember, type TestUser } from '../helpers/factories.js';
import {
  screenshot,
  screenshotOnFailure,
  skipWithoutChromium,
  startBrowserApp,
  type BrowserApp,
} from '../helpers/browser.js';

describe('account security in a real browser', function () {
  this.timeout(60_000);
  let run: BrowserApp;
  let current: Page | undefined;

  before(function () {
    skipWithoutChromium(this);
  });

  beforeEach(async () => {
    run = await startBrowserApp();
  });

  afterEach(async function () {
    await screenshotOnFailure(this, current);
    await run.close();
  });

  async function signIn(user: TestUser, options: { remember?: boolean } = {}): Promise<Page> {
    const page = await run.newPhone();
    current = page;
    await page.goto(`${run.base}/login`);
    await page.getByLabel('Email address').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    if (options.remember) await page.getByLabel('Keep me signed in on this device').check();
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(new URL(page.url()).pathname).to.equal('/');
    return page;
  }

  async function isSignedIn(page: Page): Promise<boolean> {
    await page.goto(`${run.base}/me`);
    return new URL(page.url()).pathname === '/me';
  }

  it('a person signs out their lost phone from their laptop, and stays signed in on the laptop', async () => {
    await completeFirstRun();
    const member = await makeMember();
    const phone = await signIn(member);
    const laptop = await signIn(member, { remember: true });
    const cookie = (await laptop.context().cookies()).find((c) => c.name === 'sid');
    expect(cookie!.expires * 1000).to.be.greaterThan(Date.now() + 29 * 24 * 3600 * 1000);

    await laptop.getByRole('link', { name: 'My account' }).click();
    expect(await laptop.getByRole('heading', { level: 1 }).textContent()).to.equal('My account');
    await laptop.getByRole('button', { name: 'Sign out everywhere else' }).click();
    expect(await laptop.getByRole('status').textContent()).to.contain('signed out on every other device');
    await screenshot(laptop, 'account-en');

    expect(await isSignedIn(phone)).to.equal(false);
    expect(await isSignedIn(laptop)).to.equal(true);
    await laptop.getByRole('button', { name: 'دری' }).click();
    await laptop.locator('html[lang="fa-AF"]').waitFor();
    await screenshot(laptop, 'account-fa-AF');
  });

  it('an admin signs a member out everywhere and disables the account from the person’s page', async () => {
    const admin = await completeFirstRun();
    const member = await makeMember();
    const memberPhone = await signIn(member);
    const staff = await signIn(admin);

    await staff.getByRole('navigation').getByRole('link', { name: 'People' }).click();
    await staff.getByRole('link', { name: member.displayName }).click();
    expect(await staff.getByRole('heading', { level: 1 }).textContent()).to.equal(member.displayName);
    await staff.getByRole('button', { name: 'Sign out everywhere' }).click();
    expect(await staff.getByRole('status').textContent()).to.contain('signed out everywhere');
    expect(await isSignedIn(memberPhone)).to.equal(false);

    await staff.getByRole('button', { name: 'Disable account' }).click();
    expect(await staff.getByText('Disabled', { exact: true }).first().isVisible()).to.equal(true);
    await screenshot(staff, 'person-en');
    await staff.getByRole('button', { name: 'پښتو' }).click();
    await staff.locator('html[lang="ps-AF"]').waitFor();
    await screenshot(staff, 'person-ps-AF');

    await memberPhone.goto(`${run.base}/login`);
    await memberPhone.getByLabel('Email address').fill(member.email);
    await memberPhone.getByLabel('Password').fill(member.password);
    await memberPhone.getByRole('button', { name: 'Sign in' }).click();
    expect(await memberPhone.getByRole('alert').textContent()).to.contain('not correct');
  });
});
