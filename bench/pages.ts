/**
 * Page throughput: Sabaq's pages against bare Express 5 rendering one EJS template of the same size, in
 * the same run on the same machine, each server in its own process and the load (autocannon, 20
 * connections) from a third. Sabaq runs as in production (NODE_ENV=production, embedded store) with the
 * demo organisation; the signed-in pages are a member's home page, and a lesson, a quiz's page and an
 * open attempt of a course they are in. Then, in this process and on the same data, one request of each
 * page by the same member is replayed against an app whose database driver counts the commands it sends.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { makeTempDir, report } from './support/bench-report.js';
import { startAppProcess } from './support/app-process.js';
import { loadTest, type LoadResult } from './support/load.js';
import { startBare } from './support/bare-process.js';
import { countCommandsPerPage } from './support/command-count.js';
import { cpuTime, perRequestUs } from './support/process-cpu.js';
import { signIn } from './support/sign-in.js';
import type { BenchPaths } from './support/lesson-fixture.js';

const CONNECTIONS = 20;
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 8);
const root = path.resolve(import.meta.dirname, '..');
const MEMBER = { email: 'member2@demo.sabaq', password: 'demo password for sabaq' };

const data = makeTempDir('sabaq-bench-pages-');
const seedEnv = { cwd: root, env: { ...process.env, DATA_DIR: data.dir, LOG_LEVEL: 'warn' } };
await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/seed-demo.ts'], seedEnv);
const paths = JSON.parse(
  (
    await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'bench/support/seed-course.ts', MEMBER.email],
      seedEnv,
    )
  ).stdout,
) as BenchPaths;
const app = await startAppProcess({
  dataDir: data.dir,
  env: { NODE_ENV: 'production', BASE_URL: 'http://127.0.0.1', LOG_LEVEL: 'warn' },
});
try {
  const cookie = await signIn(app.url, MEMBER);
  const home = await (await fetch(`${app.url}/`, { headers: { cookie } })).text();
  const bare = await startBare(Buffer.byteLength(home));
  const results: Record<string, LoadResult> = {};
  const cpu: Record<string, { main: number; all: number } | null> = {};
  try {
    const opts = { connections: CONNECTIONS, durationS: DURATION_S };
    /** One page's load, with the CPU time its server spent per request. */
    const measure = async (name: string, pid: number, url: string, headers?: Record<string, string>) => {
      const before = cpuTime(pid);
      const result = await loadTest(url, { ...opts, headers });
      cpu[name] = perRequestUs(before, cpuTime(pid), result.total);
      return result;
    };
    // Alternated, so a machine that grows busier during the run does not favour one side.
    results.bare = await measure('bare', bare.pid, bare.url);
    results.signIn = await measure('signIn', app.pid, `${app.url}/login`);
    results.home = await measure('home', app.pid, `${app.url}/`, { cookie });
    results.lesson = await measure('lesson', app.pid, `${app.url}${paths.lesson}`, { cookie });
    results.quiz = await measure('quiz', app.pid, `${app.url}${paths.quiz}`, { cookie });
    results.attempt = await measure('attempt', app.pid, `${app.url}${paths.attempt}`, { cookie });
    results.bare2 = await measure('bare2', bare.pid, bare.url);
  } finally {
    await bare.stop();
  }
  const baseline = (results.bare.rps + results.bare2.rps) / 2;
  console.log(
    `pages at ${CONNECTIONS} connections for ${DURATION_S} s each; page size ${Buffer.byteLength(home)} bytes`,
  );
  report('bare Express + EJS (baseline)', baseline, 'req/s', { baseline });
  report('sign-in page, anonymous', results.signIn.rps, 'req/s', { baseline });
  report('home page, signed-in member', results.home.rps, 'req/s', { baseline, atLeast: 0.4 * baseline });
  // CPU per request drifts far less than req/s on a shared machine: the figure to compare across runs.
  const us = (v: number | undefined) => (v === undefined ? '   n/a' : `${Math.round(v)}`.padStart(6));
  for (const [name, r] of Object.entries(results))
    console.log(
      `  ${name.padEnd(8)} p50 ${String(r.p50).padStart(4)} ms  p99 ${String(r.p99).padStart(4)} ms  CPU per request: main thread ${us(cpu[name]?.main)} µs, whole process ${us(cpu[name]?.all)} µs`,
    );
  report('lesson page, enrolled member', results.lesson.rps, 'req/s', { baseline, atLeast: 0.4 * baseline });
  report('quiz page, enrolled member', results.quiz.rps, 'req/s', { baseline, atLeast: 0.4 * baseline });
  report('attempt page, open attempt', results.attempt.rps, 'req/s', { baseline, atLeast: 0.4 * baseline });
  report('home page p99', results.home.p99, 'ms', { below: 50 });
  report('lesson page p99', results.lesson.p99, 'ms', { below: 50 });
  report('quiz page p99', results.quiz.p99, 'ms', { below: 50 });
  report('attempt page p99', results.attempt.p99, 'ms', { below: 50 });
} finally {
  await app.stop();
}

try {
  const commands = await countCommandsPerPage({ dataDir: data.dir, member: MEMBER, paths });
  console.log('store commands sent for one request of each page:');
  for (const [page, list] of Object.entries(commands))
    console.log(`  ${page.padEnd(28)} ${list.length}  (${list.join(', ')})`);
} finally {
  data.remove();
}
