/**
 * Runs mongoose's own test suite against the embedded store, started the way `npm run db` starts it,
 * and prints how many tests passed and failed, with the failures grouped by file.
 *
 *   npx tsx test/embedded-mongo/mongoose-suite/run-mongoose-suite.ts <mongoose checkout> [options]
 *     --grep <pattern>   only tests whose full title matches
 *     --files <glob>     test files relative to the checkout (default: test/**\/*.test.js)
 *     --json <file>      also write the failures as JSON, for comparing two runs
 *
 * The checkout is a clone of mongoose at the tag matching the installed mongoose. Its runtime
 * dependencies are installed into it (`npm install --omit=dev --ignore-scripts`), and the few packages
 * its tests use (mocha, sinon, ...) into `<checkout>/.suite-deps`: its full development dependencies
 * would pull in mongodb-memory-server, which downloads a MongoDB binary, and the point is to test this
 * store. Mongoose's own mocha fixture is skipped for the same reason; MONGOOSE_TEST_URI is set instead.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { spawnStoreProcess } from '../support/store-process.js';

/** What mongoose's tests require beyond its runtime dependencies (versions from its package.json). */
const TEST_PACKAGES = [
  'mocha@12.0.0-rc.5',
  'sinon@22.1.0',
  'uuid@14.0.1',
  'moment@2.30.1',
  'ajv@8.20.0',
  'lodash.isequal@4.5.0',
  'lodash.isequalwith@4.4.0',
];

interface MochaFailure {
  fullTitle: string;
  file?: string;
  err: { message?: string };
}

interface MochaReport {
  stats: { tests: number; passes: number; failures: number; pending: number; duration: number };
  failures: MochaFailure[];
}

function npm(cwd: string, args: string[]): void {
  const result = spawnSync('npm', args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`npm ${args.join(' ')} failed in ${cwd}`);
}

function prepare(checkout: string): string {
  const pkg = JSON.parse(readFileSync(path.join(checkout, 'package.json'), 'utf8')) as { name?: string };
  if (pkg.name !== 'mongoose') throw new Error(`${checkout} is not a mongoose checkout`);
  if (!existsSync(path.join(checkout, 'node_modules', 'mongodb'))) {
    npm(checkout, ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund']);
  }
  const deps = path.join(checkout, '.suite-deps');
  if (!existsSync(path.join(deps, 'node_modules', 'mocha'))) {
    mkdirSync(deps, { recursive: true });
    writeFileSync(path.join(deps, 'package.json'), '{ "private": true }\n');
    npm(checkout, [
      'install',
      '--prefix',
      deps,
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      ...TEST_PACKAGES,
    ]);
  }
  return deps;
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n')[0]!.slice(0, 160);
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { grep: { type: 'string' }, files: { type: 'string' }, json: { type: 'string' } },
  });
  if (positionals.length !== 1) {
    process.stderr.write(
      'usage: run-mongoose-suite.ts <mongoose checkout> [--grep p] [--files glob] [--json out]\n',
    );
    process.exit(2);
  }
  const checkout = path.resolve(positionals[0]!);
  const deps = prepare(checkout);
  const work = mkdtempSync(path.join(tmpdir(), 'sabaq-mongoose-suite-'));
  const store = await spawnStoreProcess(path.join(work, 'data'), {}, ['--port', '0']);
  const reportFile = path.join(work, 'report.json');
  try {
    const args = [
      path.join(deps, 'node_modules', 'mocha', 'bin', 'mocha.js'),
      '--no-config',
      '--ui=bdd',
      '--extension=test.js',
      '--node-option=disable-warning=MONGOOSE',
      '--timeout=10000',
      '--exit',
      '--reporter=json',
      `--reporter-option=output=${reportFile}`,
      '--ignore=test/encryption/**/*.test.js',
      ...(values.grep ? [`--grep=${values.grep}`] : []),
      values.files ?? 'test/**/*.test.js',
    ];
    const env = { ...process.env, MONGOOSE_TEST_URI: store.uri, NODE_PATH: path.join(deps, 'node_modules') };
    const code = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, args, {
        cwd: checkout,
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let errTail = '';
      child.stderr.on('data', (chunk: Buffer) => (errTail = (errTail + chunk.toString()).slice(-4000)));
      child.on('exit', (exitCode) => {
        if (!existsSync(reportFile)) process.stderr.write(errTail);
        resolve(exitCode ?? 1);
      });
    });
    if (!existsSync(reportFile)) throw new Error(`mocha wrote no report (exit code ${code})`);
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as MochaReport;
    const byFile = new Map<string, MochaFailure[]>();
    for (const f of report.failures) {
      const file = path.relative(checkout, f.file ?? '(no file)');
      byFile.set(file, [...(byFile.get(file) ?? []), f]);
    }
    for (const [file, failures] of [...byFile.entries()].sort()) {
      console.log(`\n${file} (${failures.length})`);
      for (const f of failures) console.log(`  - ${f.fullTitle}\n      ${firstLine(f.err.message)}`);
    }
    const { tests, passes, failures, pending } = report.stats;
    console.log(`\nmongoose suite against the embedded store: ${tests} tests`);
    console.log(`${passes} passed, ${failures} failed, ${pending} skipped`);
    if (values.json) {
      const rows = report.failures.map((f) => ({
        file: path.relative(checkout, f.file ?? ''),
        title: f.fullTitle,
        message: firstLine(f.err.message),
      }));
      writeFileSync(values.json, JSON.stringify(rows, null, 2) + '\n');
    }
  } finally {
    await store.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
