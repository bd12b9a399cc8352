/**
 * Certificates as people meet them: a member on a phone, reading Pashto, completes a course and finds
 * their certificate; a partner checks its code on the public page; a coordinator finds it and prints the
 * round. Set SCREENSHOT_DIR to keep screenshots of each page.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { User } from '../../src/users/user.model.js';
import { enrolIn, makeCourse } from '../helpers/courses.js';
import { makeCoordinator, makeMember, makeTrainer } from '../helpers/factories.js';
import { type BrowserApp, browserSuite, screenshot, signIn } from '../helpers/browser.js';

describe('certificates in a browser', function () {
  this.timeout(120_000);
  let run: BrowserApp;
  let page: Page | undefined;

  browserSuite({ started: (r) => (run = r), page: () => page });

  it('complete, find it in Pashto, download it; verify its code; a coordinator prints the round', async () => {
    const { course, lessonIds } = await makeCourse({ authors: [(await makeTrainer()).id], lessons: 1 });
    const member = await makeMember();
    await User.updateOne({ _id: member.id }, { $set: { localName: 'ګلالۍ وردګ' } });
    await enrolIn(member.id, course);
    const m = (page = await run.newPhone());
    await signIn(m, run.base, member);
    await m.getByRole('button', { name: 'پښتو' }).click();
    await m.locator('html[lang="ps-AF"]').waitFor();
    await m.goto(`${run.base}/courses/${course.slug}/lessons/${lessonIds[0]}`);
    await m.locator('form[action$="/complete"] button[type="submit"]').click();
    await m.goto(`${run.base}/me/certificates`);
    await m.getByRole('heading', { name: 'زما سندونه' }).waitFor();
    const code = (await m.locator('main code').first().textContent())!.replace(/-/g, '');
    expect(code).to.match(/^[2-9A-Z]{12}$/);
    await screenshot(m, 'certificates-mine-ps-AF');
    const download = m.waitForEvent('download');
    await m.getByRole('link', { name: 'PDF ښکته کول' }).click();
    expect((await download).suggestedFilename()).to.equal(`certificate-${code}.pdf`);

    // A partner types the code from the paper, in lower case with dashes, signed out.
    const partner = await run.browser.newContext({ viewport: { width: 390, height: 844 } });
    const p = (page = await partner.newPage());
    await p.goto(`${run.base}/verify`);
    await p.getByLabel('Certificate code').fill(code.toLowerCase().replace(/(.{4})(?=.)/g, '$1-'));
    await p.getByRole('button', { name: 'Check' }).click();
    await p.getByText('This certificate is valid.').waitFor();
    expect(await p.content()).not.to.contain(member.displayName);
    await screenshot(p, 'certificates-verify-en');
    await partner.close();

    const c = (page = await run.newPhone());
    await signIn(c, run.base, await makeCoordinator());
    await c.getByRole('link', { name: 'Certificates' }).click();
    await c.getByLabel('Course').first().selectOption(String(course._id));
    await c.getByRole('button', { name: 'Find' }).click();
    await c.getByText(member.displayName).waitFor();
    await screenshot(c, 'certificates-manage-en');
    const round = c.waitForEvent('download');
    await c.getByRole('link', { name: 'One PDF for printing' }).click();
    expect((await round).suggestedFilename()).to.equal(`certificates-${course.slug}.pdf`);
  });
});
