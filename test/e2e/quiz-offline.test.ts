/// <reference lib="dom" />
/**
 * A quiz on a phone whose connection drops: the member answers the rest offline, reloads the page while
 * still offline, and finds every answer; back online, the submission goes through and counts once.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { Types } from 'mongoose';
import { Attempt, type AttemptDoc } from '../../src/quizzes/attempt.model.js';
import { makeMember, makeTrainer } from '../helpers/factories.js';
import { enrolIn, makeCourse } from '../helpers/courses.js';
import { makeQuiz } from '../helpers/quizzes.js';
import { type BrowserApp, browserSuite, screenshot, signIn } from '../helpers/browser.js';

describe('a quiz survives a dropped connection', function () {
  this.timeout(120_000);
  let run: BrowserApp;
  let page: Page | undefined;

  browserSuite({ started: (r) => (run = r), page: () => page });

  /** A member signed in on a phone-sized page, on a quiz attempt they have just started. */
  async function startQuizOnPhone() {
    const trainer = await makeTrainer();
    const fixture = await makeCourse({ authors: [trainer.id], lessons: 1 });
    const { quiz } = await makeQuiz(fixture);
    const member = await makeMember();
    await enrolIn(member.id, fixture.course);
    const context = await run.browser.newContext({ viewport: { width: 390, height: 844 } });
    const p = (page = await context.newPage());
    await signIn(p, run.base, member);
    await p.goto(`${run.base}/courses/${fixture.course.slug}/quizzes/${String(quiz._id)}`);
    await p.getByRole('button', { name: 'Start the quiz' }).click();
    await p.waitForURL(/\/attempts\/[0-9a-f]{24}$/);
    return { member, context, p, attemptUrl: p.url() };
  }

  it('answers given offline are kept through a reload and submitted once when the network is back', async () => {
    const { member, context, p, attemptUrl } = await startQuizOnPhone();
    // The service worker is in charge, and this page is kept for offline use.
    await p.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await p.waitForFunction(
      async () => (await caches.open('sabaq-quiz-v1').then((c) => c.match(location.pathname))) !== undefined,
    );

    const questions = p.locator('fieldset[data-question]');
    await questions.nth(0).getByLabel('Purpose').check();
    await questions.nth(0).getByText('Saved.').waitFor();

    await context.setOffline(true);
    await questions.nth(1).getByLabel('True').check();
    await questions.nth(2).getByRole('textbox').fill('TIP');
    await questions.nth(3).getByRole('textbox').fill('۳۵۷');
    await questions.nth(3).getByRole('textbox').blur();
    await questions.nth(1).getByText('Kept on this phone').waitFor();
    await questions.nth(3).getByText('Kept on this phone').waitFor({ timeout: 10_000 });
    await screenshot(p, 'quiz-offline');
    // The service worker queued the answers the network refused, for Background Sync (Chromium has it).
    const tags = await p.evaluate(async () => {
      const reg = (await navigator.serviceWorker.ready) as ServiceWorkerRegistration & {
        sync?: { getTags(): Promise<string[]> };
      };
      return reg.sync ? reg.sync.getTags() : ['unsupported'];
    });
    expect(tags).to.include('workbox-background-sync:sabaq-answers');

    // Reloaded with no connection: the kept page comes back with every answer.
    await p.reload();
    await p.locator('fieldset[data-question]').first().waitFor();
    expect(await questions.nth(0).getByLabel('Purpose').isChecked()).to.equal(true);
    expect(await questions.nth(1).getByLabel('True').isChecked()).to.equal(true);
    expect(await questions.nth(2).getByRole('textbox').inputValue()).to.equal('TIP');
    expect(await questions.nth(3).getByRole('textbox').inputValue()).to.equal('۳۵۷');

    // Submitting offline keeps everything and says so.
    await p.getByRole('button', { name: 'Submit' }).click();
    await p.getByText('You are offline').waitFor();
    expect(p.url()).to.equal(attemptUrl);

    await context.setOffline(false);
    await questions.nth(3).getByText('Saved.').waitFor({ timeout: 15_000 });
    await p.getByRole('button', { name: 'Submit' }).click();
    await p.waitForURL(/\/result$/);
    await p.getByText('100% · passed').waitFor();

    const attempts = await Attempt.find({ userId: new Types.ObjectId(member.id) }).lean<AttemptDoc[]>();
    expect(attempts).to.have.length(1);
    expect(attempts[0]).to.include({ status: 'submitted', percent: 100 });
    await context.close();
  });

  it('an answer given after the session ended says so, is kept on the phone, and is saved once the member signs in again', async () => {
    const { member, context, p, attemptUrl } = await startQuizOnPhone();
    const questions = p.locator('fieldset[data-question]');
    await questions.nth(0).getByLabel('Purpose').check();
    await questions.nth(0).getByText('Saved.').waitFor();

    // Signed out behind the page's back (another tab, an expired session): not "Saved.", and nothing stored.
    await context.clearCookies();
    await questions.nth(1).getByLabel('True').check();
    await questions.nth(1).getByText('you are signed out').waitFor();
    await screenshot(p, 'quiz-signed-out');
    const stored = async () =>
      (await Attempt.findOne({ userId: new Types.ObjectId(member.id) }).lean<AttemptDoc>())!.answers;
    expect(Object.keys(await stored())).to.have.length(1);

    // Signed in again, the attempt page sends what was kept.
    await signIn(p, run.base, member);
    await p.goto(attemptUrl);
    await questions.nth(1).getByText('Saved.').waitFor({ timeout: 15_000 });
    expect(Object.keys(await stored())).to.have.length(2);
    await context.close();
  });
});
