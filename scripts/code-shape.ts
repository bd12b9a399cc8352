/**
 * npm run shape — the shape of the code, for the app and for the embedded store separately: how many
 * source files, their median and largest size in lines, how many pass 300 lines, and test lines per source
 * line. Reads the files git tracks (and new ones it does not ignore).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' })
  .split('\n')
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));

function lines(file: string): number {
  try {
    return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').length;
  } catch {
    return 0; // listed by git but deleted in the working tree
  }
}

function shape(source: string[], tests: string[]) {
  const sizes = source.map(lines).filter((n) => n > 0).sort((a, b) => a - b);
  const sourceLines = sizes.reduce((a, b) => a + b, 0);
  const testLines = tests.map(lines).reduce((a, b) => a + b, 0);
  const mid = sizes.length / 2;
  const median = sizes.length % 2 ? sizes[Math.floor(mid)]! : (sizes[mid - 1]! + sizes[mid]!) / 2;
  return {
    files: sizes.length,
    median,
    max: sizes.at(-1) ?? 0,
    over300: sizes.filter((n) => n > 300).length,
    sourceLines,
    testLines,
    testPerSource: Number((testLines / sourceLines).toFixed(2)),
  };
}

const store = (f: string) => f.startsWith('src/embedded-mongo/');
const storeTest = (f: string) => f.startsWith('test/embedded-mongo/');
const rows = {
  app: shape(
    files.filter((f) => f.startsWith('src/') && !store(f)),
    files.filter((f) => f.startsWith('test/') && !storeTest(f)),
  ),
  store: shape(files.filter(store), files.filter(storeTest)),
};
console.log('non-blank lines per .ts file');
console.table(rows);
