/**
 * `npm run bench`: runs every bench/*.ts (except this file) one after the other, each in its own Node
 * process so one bench's heap and worker threads cannot skew the next.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const self = path.basename(fileURLToPath(import.meta.url));
const benches = readdirSync(benchDir)
  .filter((name) => name.endsWith('.ts') && name !== self)
  .sort();

function run(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    // --expose-gc: a bench measuring memory collects before it samples, so it reports what is kept.
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(benchDir, file)], {
      stdio: 'inherit',
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

let failed = 0;
for (const file of benches) {
  console.log(`\n== ${file} ==`);
  const started = performance.now();
  const code = await run(file);
  console.log(
    `(${file}: ${((performance.now() - started) / 1000).toFixed(1)} s${code === 0 ? '' : `, exit code ${code}`})`,
  );
  if (code !== 0) failed += 1;
}
process.exitCode = failed === 0 ? 0 : 1;
