/**
 * A coordinator runs a round as they would: creates it, adds members by email, links a course, ticks
 * attendance on a phone with JavaScript off, in Dari. Set SCREENSHOT_DIR to keep screenshots.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { Enrolment } from '../../src/progress/enrolment.model.js';
import { Round, type RoundDoc } from '../../src/rounds/round.model.js';
import { User } from '../../src/users/user.model.js';
import { makeCourse } from '../helpers/courses.js';
import { makeCoordinator, makeMember, makeTrainer } from '../helpers/factories.js';
import { type BrowserApp, browserSuite, screenshot, signIn } from '../helpers/browser.js';

describe('training rounds in a browser', function () {
  this.timeout(120_000);
  let run: BrowserApp;
  let page: Page | undefined;

  browserSuite({ started: (r) => (run = r), page: () => page });

  it('create a round, add members, link a course, take attendance in Dari without JavaScript', async () => {
    const coordinator = await makeCoordinator();
    const { course } = await makeCourse({ authors: [(await makeTrainer()).id], selfEnrol: false });
    const people = [
      ['Fatima Noori', 'فاطمه نوری', 'Herat'],
      ['Gul Ahmad Zazai', 'ګل احمد ځاځی', 'Paktia'],
      ['Sayed Jawad Hashimi', 'سید جواد هاشمی', 'Kabul'],
    ];
    const members = [];
    for (const [name, local, province] of people) {
      const m = await makeMember();
      await User.updateOne({ _id: m.id }, { $set: { displayName: name, localName: local, province } });
      members.push(m);
    }
    const context = await run.browser.newContext({
      viewport: { width: 390, height: 844 },
      javaScriptEnabled: false,
    });
    const p = (page = await context.newPage());
    await signIn(p, run.base, coordinator);
    await p.getByRole('link', { name: 'Rounds', exact: true }).click();
    await p.getByRole('link', { name: 'New round' }).click();
    await p.getByLabel('Name').fill('Advocacy training, round 2');
    await p.getByLabel('First day').fill('2026-04-24');
    await p.getByLabel('Last day').fill('2026-04-27');
    await p.getByLabel('Venue').fill("Partner's hall");
    await p.getByLabel('Province').fill('Herat');
    await p.getByLabel('Partner organisations').fill('ANCTIP\nUNODC');
    await p.getByRole('button', { name: 'Save round' }).click();
    await p.getByRole('heading', { name: 'Advocacy training, round 2' }).waitFor();

    await p.getByLabel('Add members').fill(members.map((m) => m.email).join('\n'));
    await p.getByRole('button', { name: 'Add', exact: true }).first().click();
    await p.getByRole('status').getByText('Members added').waitFor();
    await p.getByLabel('Course to link').selectOption(String(course._id));
    await p.getByRole('button', { name: 'Link', exact: true }).click();
    await p.getByRole('status').getByText('Courses saved').waitFor();
    expect(await Enrolment.countDocuments({ courseId: course._id, status: 'active' })).to.equal(3);
    await screenshot(p, 'round-en');

    await p.getByRole('button', { name: 'دری' }).click();
    await p.locator('html[lang="fa-AF"][dir="rtl"]').waitFor();
    await screenshot(p, 'round-fa-AF');
    await p.getByRole('link', { name: 'حاضری', exact: true }).click();
    await p.getByRole('link', { name: 'روز ۲' }).click();
    await p.getByLabel(/Fatima Noori/).check();
    await p.getByLabel(/Sayed Jawad Hashimi/).check();
    await p.getByRole('button', { name: 'ذخیرهٔ حاضری' }).click();
    await p.getByRole('status').getByText('حاضری ذخیره شد.').waitFor();
    await screenshot(p, 'attendance-fa-AF');
    const round = await Round.findOne().lean<RoundDoc>();
    expect(round!.attendance['2026-04-25']!.map(String).sort()).to.deep.equal(
      [members[0]!.id, members[2]!.id].sort(),
    );
    await p.goto(`${run.base}/coord/rounds/${String(round!._id)}/attendance`);
    await screenshot(p, 'attendance-grid-fa-AF');
  });
});
