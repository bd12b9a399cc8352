/**
 * A quiz burst: MEMBERS members (2,000 by default), each already signed in, start a 16-question quiz
 * within 10 seconds, save every answer one by one as a phone does (THINK_MS, about 3 s, over each
 * question; THINK_MS=0 fires them back to back), and submit. Against the app as it runs
 * in production on the embedded store, in a process of its own; the members are simulated from this
 * process. Prints latency (p50/p95/p99) per kind of request and overall, throughput, and the same run's
 * bare-Express baseline; then checks in the database that every attempt and every answer was recorded
 * exactly once and that no request failed.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import http from 'node:http';
import { startAppProcess } from './support/app-process.js';
import { startBare } from './support/bare-process.js';
import { makeTempDir, report } from './support/bench-report.js';
import { loadTest } from './support/load.js';
import { cpuTime, perRequestUs } from './support/process-cpu.js';

const MEMBERS = Number(process.env.MEMBERS ?? 2000);
const START_WINDOW_MS = 10_000;
/** Time a member takes over each question (2–4 s, at random), as a person reading on a phone. */
const THINK_MS = Number(process.env.THINK_MS ?? 3000);
const SECRET = 'bench-session-secret-bench-session-secret-0123';
const root = path.resolve(import.meta.dirname, '..');
const run = promisify(execFile);

const data = makeTempDir('sabaq-bench-burst-');
const env = {
  ...process.env,
  DATA_DIR: data.dir,
  LOG_LEVEL: 'warn',
  SESSION_SECRET: SECRET,
  MEMBERS: String(MEMBERS),
};
await run(process.execPath, ['--import', 'tsx', 'src/cli/seed-demo.ts'], { cwd: root, env });
const seeded = JSON.parse(
  (
    await run(process.execPath, ['--import', 'tsx', 'bench/support/quiz-burst-seed.ts'], {
      cwd: root,
      env,
      maxBuffer: 64 * 1024 * 1024,
    })
  ).stdout,
) as { quizPath: string; cookies: string[] };

const app = await startAppProcess({
  dataDir: data.dir,
  env: { NODE_ENV: 'production', BASE_URL: 'http://127.0.0.1', LOG_LEVEL: 'warn', SESSION_SECRET: SECRET },
});
// One kept-alive connection per member, as each phone has its own. (One agent shared by all would hand a
// member whichever connection is free, and keep at most 256 of them open between requests: members would
// keep reconnecting, which phones do not.)
const agents: http.Agent[] = [];

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function send(
  agent: http.Agent,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? 'GET', headers: init.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

type Kind = 'quiz page' | 'start' | 'attempt page' | 'save answer' | 'submit';
const latencies = new Map<Kind, number[]>();
const errors: string[] = [];
let requests = 0;

async function timed(
  agent: http.Agent,
  kind: Kind,
  url: string,
  init: Parameters<typeof send>[2],
  expect: number,
) {
  const t0 = performance.now();
  const failed: Reply = { status: 0, headers: {}, body: '' };
  const res = await send(agent, url, init).catch((err: Error) => {
    errors.push(`${kind}: ${err.message}`);
    return failed;
  });
  const ms = performance.now() - t0;
  requests += 1;
  (latencies.get(kind) ?? latencies.set(kind, []).get(kind)!).push(ms);
  if (res.status !== expect) errors.push(`${kind}: ${res.status}`);
  return { res, body: res.body };
}

async function member(i: number): Promise<number> {
  await new Promise((r) => setTimeout(r, (i * START_WINDOW_MS) / MEMBERS));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  agents.push(agent);
  const jar = [seeded.cookies[i]!];
  const headers = () => ({ cookie: jar.join('; ') });
  const quiz = await timed(agent, 'quiz page', `${app.url}${seeded.quizPath}`, { headers: headers() }, 200);
  for (const c of quiz.res.headers['set-cookie'] ?? [])
    if (c.startsWith('csrf=')) jar.push(c.split(';')[0] ?? '');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(quiz.body)?.[1] ?? '';
  const start = await timed(
    agent,
    'start',
    `${app.url}${seeded.quizPath}/start`,
    {
      method: 'POST',
      headers: { ...headers(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf }).toString(),
    },
    303,
  );
  const startedAt = performance.now();
  const attemptPath = start.res.headers.location ?? '';
  const page = await timed(agent, 'attempt page', `${app.url}${attemptPath}`, { headers: headers() }, 200);
  const token = /name="token" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  const questionIds = [...page.body.matchAll(/data-question="([0-9a-f]{24})"/g)].map((m) => m[1]!);
  if (questionIds.length !== 16) errors.push(`attempt page: ${questionIds.length} questions`);
  let seq = 0;
  for (const questionId of questionIds) {
    await new Promise((r) => setTimeout(r, THINK_MS * (0.67 + Math.random() * 0.66)));
    await timed(
      agent,
      'save answer',
      `${app.url}${attemptPath}/answers`,
      {
        method: 'POST',
        headers: { ...headers(), 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify({ questionId, value: 'o0', seq: (seq += 1) }),
      },
      200,
    );
  }
  await timed(
    agent,
    'submit',
    `${app.url}${attemptPath}/submit`,
    {
      method: 'POST',
      headers: { ...headers(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, token, action: 'submit' }).toString(),
    },
    303,
  );
  return startedAt;
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
let verdictOk: boolean;
try {
  const cpuBefore = cpuTime(app.pid);
  const t0 = performance.now();
  const starts = await Promise.all(Array.from({ length: MEMBERS }, (_, i) => member(i)));
  const wallS = (performance.now() - t0) / 1000;
  const cpu = perRequestUs(cpuBefore, cpuTime(app.pid), requests);
  const all = [...latencies.values()].flat().sort((a, b) => a - b);
  console.log(
    `quiz burst: ${MEMBERS} members, 16 questions each, starts spread over ${START_WINDOW_MS / 1000} s`,
  );
  console.log(
    `  every member had started within ${((Math.max(...starts) - t0) / 1000).toFixed(1)} s; all done in ${wallS.toFixed(1)} s`,
  );
  for (const [kind, list] of latencies) {
    list.sort((a, b) => a - b);
    console.log(
      `  ${kind.padEnd(13)} n=${String(list.length).padStart(6)}  p50 ${pct(list, 50).toFixed(0).padStart(5)} ms  p95 ${pct(list, 95).toFixed(0).padStart(5)} ms  p99 ${pct(list, 99).toFixed(0).padStart(5)} ms`,
    );
  }
  console.log(
    `  all requests  n=${String(all.length).padStart(6)}  p50 ${pct(all, 50).toFixed(0).padStart(5)} ms  p95 ${pct(all, 95).toFixed(0).padStart(5)} ms  p99 ${pct(all, 99).toFixed(0).padStart(5)} ms`,
  );
  // What the burst asks of the machine: the app's CPU time per request against the two cores' capacity.
  if (cpu)
    console.log(
      `  app CPU per request: main thread ${Math.round(cpu.main)} µs, whole process ${Math.round(cpu.all)} µs (${((cpu.all * requests) / 1e6 / wallS).toFixed(2)} cores busy on average)`,
    );
  console.log(
    `  errors: ${errors.length}${errors.length ? ` (${[...new Set(errors)].slice(0, 5).join('; ')})` : ''}`,
  );
  const bare = await startBare(8000);
  let baseline: number;
  try {
    baseline = (await loadTest(bare.url, { connections: 100, durationS: 5 })).rps;
  } finally {
    await bare.stop();
  }
  report('bare Express + EJS (baseline)', baseline, 'req/s', { baseline });
  report('quiz burst throughput', requests / wallS, 'req/s', { baseline });
  report('quiz burst p95', pct(all, 95), 'ms', { below: 500 });
  verdictOk = errors.length === 0;
} finally {
  for (const agent of agents) agent.destroy();
  await app.stop();
}

// Every attempt and every answer, exactly once: read from the store the app has just closed.
process.env.DATA_DIR = data.dir;
const { loadConfig } = await import('../src/config/config.js');
const { openDatabase } = await import('../src/core/database.js');
const { createLogger } = await import('../src/core/logger.js');
const { Attempt } = await import('../src/quizzes/attempt.model.js');
const db = await openDatabase(loadConfig(), createLogger('warn'));
try {
  // The burst's quiz only: the demo organisation the bench starts from has attempts of its own.
  const quizId = seeded.quizPath.split('/').pop();
  const attempts = await Attempt.find({ quizId }, { answers: 1, status: 1, percent: 1 }).lean();
  const submitted = attempts.filter((a) => a.status === 'submitted').length;
  const answers = attempts.reduce((n, a) => n + Object.keys((a.answers ?? {}) as object).length, 0);
  const full = attempts.filter((a) => a.percent === 100).length;
  console.log(
    `  recorded: ${attempts.length} attempts (${submitted} submitted, ${full} at 100%), ${answers} answers; expected ${MEMBERS} and ${MEMBERS * 16}`,
  );
  const exact =
    attempts.length === MEMBERS && submitted === MEMBERS && answers === MEMBERS * 16 && full === MEMBERS;
  console.log(`  exactly once, no errors: ${exact && verdictOk ? 'PASS' : 'FAIL'}`);
  if (!exact || !verdictOk) process.exitCode = 1;
} finally {
  await db.close();
  data.remove();
}
