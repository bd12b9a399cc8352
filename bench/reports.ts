/**
 * Reports over 50,000 attempts (goal: each page in under 1 s). Seeds an embedded store directly
 * (insertMany in batches): 2,000 members in eight provinces, two courses of four modules, each with a
 * pre-test, a post-test and four module quizzes, 4,000 enrolments, 50,000 submitted attempts with their
 * frozen questions and grades, and two rounds with trainers. Then the app, in this process, serves the
 * heaviest report pages over HTTP to a signed-in coordinator; each is timed (median of 5 after a warm-up).
 * Baseline, same process and run: the coordinator's home page, a signed-in page that reads little.
 */
import { signIn } from './support/sign-in.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import mongoose, { Types } from 'mongoose';
import { bindModels, modelsReady } from '../src/core/models.js';
import { createApp } from '../src/app.js';
import { loadAssets } from '../src/core/assets.js';
import { configureMongoose } from '../src/core/database.js';
import { loadLocaleResources } from '../src/core/i18n.js';
import { createLogger } from '../src/core/logger.js';
import { createSessionStore } from '../src/core/session.js';
import { startEmbeddedMongo } from '../src/embedded-mongo/index.js';
import { diskFileStore } from '../src/files/disk-file-store.js';
import { Course } from '../src/courses/course.model.js';
import { Enrolment } from '../src/progress/enrolment.model.js';
import { Attempt } from '../src/quizzes/attempt.model.js';
import { QuestionModel } from '../src/quizzes/question.model.js';
import { Quiz, type QuizKind } from '../src/quizzes/quiz.model.js';
import { Round } from '../src/rounds/round.model.js';
import { User } from '../src/users/user.model.js';
import { claimFirstRun, markFirstRunDone } from '../src/settings/settings.service.js';
import { createUser } from '../src/users/users.service.js';
import { makeTempDir, report, type Verdict } from './support/bench-report.js';

const MEMBERS = Number(process.env.MEMBERS ?? 2000);
const BATCH = 2000;
const PROVINCES = ['کابل', 'هرات', 'بلخ', 'ننگرهار', 'قندهار', 'بامیان', 'کندز', 'پکتیا'];
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 1, 8);

async function insertInBatches(model: mongoose.Model<never>, docs: object[]): Promise<void> {
  for (let i = 0; i < docs.length; i += BATCH)
    await model.insertMany(docs.slice(i, i + BATCH), { lean: true });
}

/** A deterministic 0 … 1 from two numbers, so every run seeds the same answers. */
const noise = (a: number, b: number) => (Math.sin(a * 12.9898 + b * 78.233) * 43758.5453) % 1;
const chance = (a: number, b: number) => Math.abs(noise(a, b));

async function seedCourse(n: number, members: Types.ObjectId[]) {
  const modules = [0, 1, 2, 3].map((m) => ({
    _id: new Types.ObjectId(),
    title: { en: `Module ${m + 1}`, 'fa-AF': `بخش ${m + 1}` },
    lessons: [0, 1].map((l) => ({
      _id: new Types.ObjectId(),
      title: { en: `Lesson ${l + 1}` },
      body: { en: 'Text.' },
    })),
  }));
  const course = await Course.create({
    slug: `bench-reports-${n}`,
    primaryLocale: 'fa-AF',
    locales: ['fa-AF', 'en'],
    title: { en: `Advocacy course ${n}`, 'fa-AF': `دورهٔ دادخواهی ${n}` },
    status: 'published',
    authors: [new Types.ObjectId()],
    modules,
  });
  const questions = await QuestionModel.insertMany(
    Array.from({ length: 16 }, (_, i) => ({
      courseId: course._id,
      type: 'truefalse',
      text: {
        en: `Statement ${i + 1} about trafficking law is true.`,
        'fa-AF': `جملهٔ ${i + 1} دربارهٔ قانون قاچاق درست است.`,
      },
      answer: true,
      tags: [`m${Math.floor(i / 4)}`],
    })),
  );
  const frozen = questions.map((q) => ({ ...(q.toObject() as object), id: String(q._id), _id: undefined }));
  const quiz = async (kind: QuizKind, moduleId: Types.ObjectId | null, picks: number[]) => {
    const doc = await Quiz.create({
      courseId: course._id,
      kind,
      moduleId,
      questionIds: picks.map((i) => questions[i]!._id),
      passMark: 60,
    });
    return { id: doc._id, picks };
  };
  const pre = await quiz('pretest', null, [0, 2, 4, 6, 8, 10, 12, 14, 1, 5]);
  const post = await quiz('posttest', null, [0, 2, 4, 6, 8, 10, 12, 14, 1, 5]);
  const mods = await Promise.all(
    modules.map((m, i) => quiz('module', m._id, [4 * i, 4 * i + 1, 4 * i + 2, 4 * i + 3])),
  );

  const enrolments: object[] = [];
  const attempts: object[] = [];
  members.forEach((userId, u) => {
    const enrolledAt = new Date(T0 + (u % 120) * DAY);
    const done = chance(u, n) < 0.6;
    // 12.5 attempts on average: the pre-test once, the post-test once or twice, each module quiz 2 or 3 times.
    const plan: { quiz: { id: Types.ObjectId; picks: number[] }; times: number; skill: number }[] = [
      { quiz: pre, times: 1, skill: 0.35 },
      { quiz: post, times: 1 + (u % 2), skill: 0.75 },
      ...mods.map((q, i) => ({ quiz: q, times: 2 + ((u + i) % 2), skill: 0.6 })),
    ];
    // What progress.service keeps on the enrolment after each submission: best and first percent per quiz.
    const quizBest: Record<string, number> = {};
    const quizFirst: Record<string, number> = {};
    let at = enrolledAt.getTime() + 3_600_000;
    for (const { quiz: q, times, skill } of plan)
      for (let k = 1; k <= times; k++) {
        at += 3_600_000;
        const grades = q.picks.map((p) => {
          const right = chance(u * 31 + p, k + n) < skill + 0.1 * k ? 1 : 0;
          return { questionId: String(questions[p]!._id), score: right, fraction: right, feedback: null };
        });
        const score = grades.reduce((s, g) => s + g.score, 0);
        const percent = Math.round((score / grades.length) * 10_000) / 100;
        const key = String(q.id);
        quizBest[key] = Math.max(quizBest[key] ?? 0, percent);
        quizFirst[key] ??= percent;
        attempts.push({
          quizId: q.id,
          courseId: course._id,
          userId,
          number: k,
          status: 'submitted',
          startedAt: new Date(at - 600_000),
          deadline: null,
          questions: q.picks.map((p) => frozen[p]),
          answers: Object.fromEntries(
            grades.map((g) => [
              g.questionId,
              { response: { type: 'truefalse', value: g.score === 1 }, seq: at, savedAt: new Date(at) },
            ]),
          ),
          submittedAt: new Date(at),
          grades,
          score,
          maxScore: grades.length,
          percent,
          passed: percent >= 60,
        });
      }
    enrolments.push({
      userId,
      courseId: course._id,
      status: 'active',
      completedLessons: modules.flatMap((m) => m.lessons.map((l) => l._id)).slice(0, done ? 8 : u % 5),
      quizBest,
      quizFirst,
      completedAt: done ? new Date(enrolledAt.getTime() + (3 + (u % 30)) * DAY) : null,
      createdAt: enrolledAt,
      updatedAt: enrolledAt,
    });
  });
  await insertInBatches(Enrolment as unknown as mongoose.Model<never>, enrolments);
  await insertInBatches(Attempt as unknown as mongoose.Model<never>, attempts);
  return { id: String(course._id), attempts: attempts.length };
}

const temp = makeTempDir('sabaq-bench-reports-');
const store = await startEmbeddedMongo({ dataDir: temp.dir });
const verdicts: Verdict[] = [];
try {
  configureMongoose();
  await mongoose.connect(store.uri, { dbName: 'sabaq' });
  bindModels(mongoose.connection);
  await modelsReady();
  const password = 'quiet river lantern 42';
  await claimFirstRun('Bench Network');
  await createUser({ email: 'admin@bench.test', displayName: 'Admin', password, roles: ['admin'] });
  await markFirstRunDone();
  await createUser({
    email: 'coord@bench.test',
    displayName: 'هماهنگ‌کننده',
    password,
    roles: ['coordinator'],
    locale: 'fa-AF',
  });

  const seedStart = performance.now();
  const users = Array.from({ length: MEMBERS }, (_, i) => ({
    _id: new Types.ObjectId(),
    email: `member${i}@bench.test`,
    displayName: `Member ${i}`,
    passwordHash: 'unused',
    roles: ['member'],
    province: PROVINCES[i % PROVINCES.length],
    organisation: `Partner ${i % 12}`,
  }));
  await insertInBatches(User as unknown as mongoose.Model<never>, users);
  const trainers = Array.from({ length: 4 }, (_, i) => ({
    _id: new Types.ObjectId(),
    email: `trainer${i}@bench.test`,
    displayName: `Trainer ${i}`,
    passwordHash: 'unused',
    roles: ['trainer'],
  }));
  await User.insertMany(trainers);
  const memberIds = users.map((u) => u._id);
  const courses = [await seedCourse(1, memberIds), await seedCourse(2, memberIds)];
  const roundMembers = memberIds.slice(0, 500);
  const days = ['2026-04-24', '2026-04-25', '2026-04-26', '2026-04-27'];
  const round = await Round.create({
    name: 'دور دوم آموزش دادخواهی',
    startDate: days[0],
    endDate: days[3],
    province: 'کابل',
    trainerIds: [trainers[0]!._id, trainers[1]!._id],
    memberIds: roundMembers,
    courseIds: courses.map((c) => new Types.ObjectId(c.id)),
    attendance: Object.fromEntries(days.map((d, i) => [d, roundMembers.filter((_, j) => (j + i) % 5 !== 0)])),
  });
  await Round.create({
    name: 'Round 3',
    startDate: '2026-05-10',
    endDate: '2026-05-12',
    trainerIds: [trainers[2]!._id],
    memberIds: memberIds.slice(500, 1500),
    courseIds: [new Types.ObjectId(courses[0]!.id)],
  });
  const attemptCount = courses.reduce((n, c) => n + c.attempts, 0);
  console.log(
    `seeded ${MEMBERS} members, ${MEMBERS * courses.length} enrolments, ${attemptCount} attempts in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
  );

  const app = createApp({
    config: { isProduction: true, trustProxy: false, baseUrl: 'http://127.0.0.1', env: 'production' },
    connection: mongoose.connection,
    sessionStore: createSessionStore(mongoose.connection.getClient(), mongoose.connection.name),
    sessionSecret: 'bench-session-secret-bench-session-secret-0123',
    logger: createLogger('silent'),
    locales: loadLocaleResources(),
    assets: await loadAssets(),
    fileStore: diskFileStore(`${temp.dir}/uploads`),
  });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const cookie = await signIn(base, { email: 'coord@bench.test', password });

    const time = async (path: string): Promise<{ ms: number; bytes: number }> => {
      const first = await fetch(`${base}${path}`, { headers: { cookie } });
      if (first.status !== 200) throw new Error(`${path}: ${first.status}`);
      const bytes = (await first.text()).length;
      const runs: number[] = [];
      for (let i = 0; i < 5; i++) {
        const start = performance.now();
        const res = await fetch(`${base}${path}`, { headers: { cookie } });
        await res.text();
        runs.push(performance.now() - start);
      }
      return { ms: runs.sort((a, b) => a - b)[2]!, bytes };
    };
    const baseline = await time('/');
    report('coordinator home page (baseline)', baseline.ms, 'ms', { baseline: baseline.ms });
    const pages: [string, string][] = [
      ['course report', `/coord/reports/course/${courses[0]!.id}`],
      ['knowledge gain (modules, questions)', `/coord/reports/knowledge-gain?course=${courses[0]!.id}`],
      ['provinces (all courses)', '/coord/reports/provinces'],
      ['trainers', '/coord/reports/trainers'],
      ['round of 500, two courses', `/coord/reports/round/${String(round._id)}`],
      ['provinces, April only', '/coord/reports/provinces?from=2026-04-01&to=2026-04-30'],
      ['provinces as CSV', '/coord/reports/provinces.csv'],
    ];
    for (const [name, path] of pages) {
      const r = await time(path);
      verdicts.push(
        report(`${name} (${Math.round(r.bytes / 1024)} kB)`, r.ms, 'ms', {
          baseline: baseline.ms,
          below: 1000,
        }),
      );
    }
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
} finally {
  await mongoose.disconnect();
  await store.stop();
  temp.remove();
}
process.exitCode = verdicts.every((v) => v === 'PASS') ? 0 : 1;
