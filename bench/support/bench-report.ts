/** Small helpers shared by the benchmarks: timing, temp stores, and one uniform way to print a figure. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export function makeTempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Runs `op` up to `count` times one after the other (one client, one request at a time) and returns
 * ops/s and how many ran. It stops early after `maxMs`, so a slow or loaded machine keeps the whole
 * bench run bounded; the rate is just as valid over fewer operations.
 */
export async function sequentialOps(
  count: number,
  op: (i: number) => Promise<unknown>,
  maxMs = 8_000,
): Promise<{ rate: number; done: number }> {
  const start = performance.now();
  let done = 0;
  while (done < count && performance.now() - start < maxMs) await op(done++);
  return { rate: done / ((performance.now() - start) / 1000), done };
}

export type Verdict = 'PASS' | 'BELOW' | '-';

/**
 * Prints one aligned line: name, figure, target and verdict; returns the verdict. With a `baseline`
 * rate measured in the same run, a rate is also shown as a ratio of it, which stays comparable
 * between a quiet and a loaded machine where the absolute figure does not.
 */
export function report(
  name: string,
  value: number,
  unit: string,
  target?: { atLeast?: number; below?: number; baseline?: number },
): Verdict {
  let verdict: Verdict = '-';
  let targetText = '';
  if (target?.atLeast !== undefined) {
    verdict = value >= target.atLeast ? 'PASS' : 'BELOW';
    targetText = `target >= ${fmt(target.atLeast)} ${unit}`;
  } else if (target?.below !== undefined) {
    verdict = value < target.below ? 'PASS' : 'BELOW';
    targetText = `target < ${fmt(target.below)} ${unit}`;
  }
  const ratio =
    target?.baseline !== undefined && target.baseline > 0 ? `${(value / target.baseline).toFixed(2)}x` : '';
  console.log(
    `${name.padEnd(44)} ${fmt(value).padStart(10)} ${unit.padEnd(8)} ${ratio.padStart(7)} ${targetText.padEnd(26)} ${verdict}`,
  );
  return verdict;
}

function fmt(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2);
}
