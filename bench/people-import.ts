/**
 * People import: 5,000 rows (Dari and Pashto names, a round whose linked course enrols them, a course
 * column) checked in a preview and then imported, all or nothing (goal: both under 10 s together on the
 * embedded store). Baseline, same run: the same 5,000 accounts inserted with one plain insertMany, no
 * checks, no transaction, no memberships, the least any import could cost; figures are also given as a
 * ratio of it.
 */
import mongoose, { Types } from 'mongoose';
import { bindModels, modelsReady } from '../src/core/models.js';
import { startEmbeddedMongo } from '../src/embedded-mongo/index.js';
import { Course } from '../src/courses/course.model.js';
import { confirmImport, previewImport } from '../src/people/people-import.service.js';
import { Enrolment } from '../src/progress/enrolment.model.js';
import { createRound, linkCourse } from '../src/rounds/rounds.service.js';
import { User } from '../src/users/user.model.js';
import { createUser } from '../src/users/users.service.js';
import { makeTempDir, report, type Verdict } from './support/bench-report.js';

const ROWS = Number(process.env.ROWS ?? 5000);
const NAMES = [
  ['Nadia', 'Ahmadi', 'نادیه احمدی'],
  ['Zarghona', 'Wardak', 'زرغونه وردګ'],
  ['Gul Rahman', 'Popal', 'ګل رحمان پوپل'],
  ['Ahmad Shabir', 'Safi', 'احمد شبیر صافی'],
] as const;

function csv(prefix: string): Buffer {
  const lines = ['email,firstname,lastname,localname,organisation,province,roles,round,course1'];
  for (let i = 0; i < ROWS; i++) {
    const [first, last, local] = NAMES[i % 4]!;
    lines.push(
      `${prefix}${i}@example.org,${first},${last} ${i},${local},Network ${i % 12},Herat,member,"Advocacy training, round 2",bench-law`,
    );
  }
  return Buffer.from(`\ufeff${lines.join('\r\n')}\r\n`, 'utf8');
}

async function course(slug: string): Promise<string> {
  const c = await Course.create({
    slug,
    primaryLocale: 'en',
    locales: ['en'],
    title: { en: slug },
    status: 'published',
    authors: [new Types.ObjectId()],
    modules: [],
  });
  return String(c._id);
}

const seconds = (start: number) => (performance.now() - start) / 1000;

const temp = makeTempDir('sabaq-bench-people-import-');
const store = await startEmbeddedMongo({ dataDir: temp.dir });
const verdicts: Verdict[] = [];
try {
  await mongoose.connect(store.uri, { dbName: 'bench' });
  bindModels(mongoose.connection);
  await modelsReady();
  const actor = await createUser({
    email: 'coordinator@example.org',
    displayName: 'Bench Coordinator',
    roles: ['coordinator'],
    password: 'quiet river lantern 42',
  });
  const roundId = await createRound(
    {
      name: 'Advocacy training, round 2',
      startDate: '2026-04-24',
      endDate: '2026-04-27',
      venue: '',
      province: 'Herat',
      partners: [],
    },
    actor.id,
  );
  await linkCourse(roundId, await course('bench-advocacy'));
  await course('bench-law');

  // Baseline: the accounts alone, one insertMany, then removed again.
  const plain = Array.from({ length: ROWS }, (_, i) => ({
    email: `baseline${i}@example.org`,
    displayName: `${NAMES[i % 4]![0]} ${i}`,
    localName: NAMES[i % 4]![2],
    passwordHash: 'x',
    roles: ['member'],
  }));
  let start = performance.now();
  await User.collection.insertMany(plain);
  const base = seconds(start);
  await User.deleteMany({ email: /^baseline/ });
  report(`baseline: insertMany of ${ROWS} accounts`, base, 's');

  start = performance.now();
  const preview = await previewImport(csv('person'), 'bench.csv', actor);
  const previewTime = seconds(start);
  if (preview.problems.length) throw new Error(`unexpected problems: ${JSON.stringify(preview.problems[0])}`);
  report(`preview: ${ROWS} rows read and checked`, previewTime, 's', { baseline: base });

  start = performance.now();
  const outcome = await confirmImport(preview.id!, actor);
  const confirmTime = seconds(start);
  if (!outcome.ok) throw new Error('the import was refused');
  report('confirm: accounts, round, 2 enrolments each', confirmTime, 's', { baseline: base });
  verdicts.push(report('preview + confirm', previewTime + confirmTime, 's', { below: 10 }));
  report('preview + confirm, × the baseline', (previewTime + confirmTime) / base, '×');

  const people = await User.countDocuments({ email: /^person/ });
  const enrolments = await Enrolment.countDocuments({});
  if (people !== ROWS || enrolments !== 2 * ROWS)
    throw new Error(`expected ${ROWS} people and ${2 * ROWS} enrolments, found ${people} and ${enrolments}`);

  // A file with one bad row at the end: every row is still read and checked, and nothing is written.
  const broken = Buffer.concat([csv('other'), Buffer.from('bad@example.org,=1+1,x\r\n')]);
  start = performance.now();
  const refused = await previewImport(broken, 'broken.csv', actor);
  report(`preview of ${ROWS + 1} rows, the last one bad`, seconds(start), 's', { baseline: base });
  if (refused.problems.length !== 1 || refused.id) throw new Error('the bad row was not the only problem');
} finally {
  await mongoose.disconnect();
  await store.stop();
  temp.remove();
}
process.exitCode = verdicts.includes('BELOW') ? 1 : 0;
