/**
 * npm run seed:demo: loads the whole demo into an empty database and refuses a second time; --force only
 * lets it into an organisation that is set up but has no people or courses. The command itself is run
 * once as a person would; the rest runs the same function in-process against the test store.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { DEFAULT_UPLOAD_LIMITS } from '../../src/config/config.js';
import { projectRoot } from '../../src/core/paths.js';
import { claimFirstRun, getSettings } from '../../src/settings/settings.service.js';
import { DemoRefused, seedDemo } from '../../src/cli/demo/seed.js';
import { issueCertificatesOnCompletion } from '../../src/certificates/certificates.service.js';
import { connectTestDb, testFileStore } from '../helpers/app-harness.js';
import { makeTrainer } from '../helpers/factories.js';

const deps = () => ({ files: testFileStore(), limits: DEFAULT_UPLOAD_LIMITS });
const count = (name: string) => mongoose.connection.db!.collection(name).countDocuments();

function seedCommand(dataDir: string): Promise<{ code: number | null; out: string; err: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    UPLOADS_DIR: path.join(dataDir, 'uploads'),
    NODE_ENV: 'test',
  };
  delete env.MONGODB_URI;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/seed-demo.ts'], {
    cwd: projectRoot,
    env,
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out, err })));
}

describe('npm run seed:demo', function () {
  this.timeout(90_000);
  before(connectTestDb);

  it('as a command: loads on an empty data folder, prints one account per role, and refuses a second time', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sabaq-seed-'));
    try {
      const first = await seedCommand(dataDir);
      const second = await seedCommand(dataDir);

      expect(first.err).to.equal('');
      expect(first.code).to.equal(0);
      expect(first.out).to.match(
        /Loaded the demo in [\d.]+ s: 19 people, 2 courses .*, one round, 11 certificates/,
      );
      for (const email of ['admin@', 'coordinator1@', 'trainer2@', 'member1@'])
        expect(first.out).to.contain(email);
      expect(first.out).to.contain('"demo password for sabaq"');
      expect(second.code).to.equal(1);
      expect(second.err).to.contain('already has people or courses');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('loads the round of April 2019 with attendance, results within its days, a spread of scores and certificates', async () => {
    // As in `npm run demo` (and in any process that has built an app), the app's own listener issues
    // certificates too: the seed's count must still be of every certificate there is.
    issueCertificatesOnCompletion(() => undefined);
    const summary = await seedDemo(deps());

    expect(summary.people).to.equal(19);
    const courses = await mongoose.connection.db!.collection('courses').find().toArray();
    expect(
      courses.map((c) => [c.slug as string, c.status as string, (c.modules as unknown[]).length]),
    ).to.have.deep.members([
      ['advocacy-strategy-to-action', 'published', 4],
      ['tip-law-and-facts', 'published', 4],
    ]);
    const round = (await mongoose.connection.db!.collection('rounds').findOne({}))!;
    expect(round).to.include({
      name: 'Advocacy training — round 2',
      startDate: '2019-04-24',
      endDate: '2019-04-27',
    });
    expect(round.memberIds).to.have.length(14);
    expect(round.courseIds).to.have.length(2);
    const present = Object.values(round.attendance as Record<string, unknown[]>).map((ids) => ids.length);
    expect(present).to.deep.equal([13, 13, 13, 12]);

    const attempts = await mongoose.connection
      .db!.collection('attempts')
      .find({ status: 'submitted' })
      .toArray();
    for (const a of attempts)
      expect(a.submittedAt).to.be.within(new Date('2019-04-24T00:00Z'), new Date('2019-04-27T19:30Z'));
    const quizzes = await mongoose.connection.db!.collection('quizzes').find().toArray();
    const kindOf = new Map(quizzes.map((q) => [String(q._id), q.kind as string]));
    const pre = attempts
      .filter((a) => kindOf.get(String(a.quizId)) === 'pretest')
      .map((a) => a.percent as number);
    const post = attempts
      .filter((a) => kindOf.get(String(a.quizId)) === 'posttest')
      .map((a) => a.percent as number);
    expect(pre.length).to.equal(23);
    expect(Math.min(...pre)).to.be.at.least(30);
    expect(Math.max(...pre)).to.be.at.most(70);
    expect(new Set(pre).size).to.be.at.least(4);
    expect(post.length).to.equal(13);
    expect(post.reduce((a, b) => a + b) / post.length).to.be.above(
      pre.reduce((a, b) => a + b) / pre.length + 25,
    );
    expect(attempts.filter((a) => typeof a.paperKey === 'string')).to.have.length(3);

    const completed = await mongoose.connection
      .db!.collection('enrolments')
      .countDocuments({ completedAt: { $ne: null } });
    expect(completed).to.equal(11);
    expect(summary.certificates).to.equal(11);
    const certificate = (await mongoose.connection.db!.collection('certificates').findOne({}))!;
    expect(certificate.snapshot.roundName).to.equal('Advocacy training — round 2');
    expect(certificate.snapshot.nameLocal).to.match(/[\u0600-\u06ff]/);
    expect(certificate.snapshot.completedAt.toISOString().slice(0, 10)).to.equal('2019-04-27');
    const tried = new Set(attempts.map((a) => `${String(a.userId)}|${String(a.courseId)}`));
    const enrolments = await mongoose.connection.db!.collection('enrolments').find().toArray();
    const notStarted = enrolments.filter(
      (e) => e.completedLessons.length === 0 && !tried.has(`${String(e.userId)}|${String(e.courseId)}`),
    ).length;
    expect(notStarted).to.be.at.least(4);
    // The members enrolled on the round's first morning, so times to complete are days, not years or less.
    for (const e of enrolments) {
      expect((e.createdAt as Date).toISOString()).to.equal('2019-04-24T04:00:00.000Z');
      if (e.completedAt)
        expect((e.completedAt as Date).getTime()).to.be.above((e.createdAt as Date).getTime());
    }
  });

  it('a second load is refused and changes nothing', async () => {
    await seedDemo(deps());
    const before = await Promise.all(['users', 'courses', 'attempts', 'certificates'].map(count));

    const second = await seedDemo(deps()).then(
      () => null,
      (err: unknown) => err,
    );

    expect(second).to.be.instanceOf(DemoRefused);
    expect(await Promise.all(['users', 'courses', 'attempts', 'certificates'].map(count))).to.deep.equal(
      before,
    );
  });

  it('an organisation set up but without people or courses takes the demo only with --force, and keeps its name', async () => {
    await claimFirstRun('Herat Network');

    const refused = await seedDemo(deps()).then(
      () => null,
      (err: unknown) => err,
    );
    await seedDemo(deps(), { force: true });

    expect(refused).to.be.instanceOf(DemoRefused);
    expect((refused as Error).message).to.contain('--force');
    expect((await getSettings())?.organisationName).to.equal('Herat Network');
    expect(await count('courses')).to.equal(2);
  });

  it('--force never loads beside an existing person', async () => {
    await makeTrainer();

    const refused = await seedDemo(deps(), { force: true }).then(
      () => null,
      (err: unknown) => err,
    );

    expect(refused).to.be.instanceOf(DemoRefused);
    expect(await count('users')).to.equal(1);
    expect(await count('courses')).to.equal(0);
  });
});
