/**
 * CPU time a process has used, its main thread apart (Linux /proc; elsewhere null). Requests per second
 * on a shared two-core machine drift by a fifth from one minute to the next; the CPU time one request
 * costs the server hardly does, so it is the figure to compare across runs.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

export interface CpuTime {
  /** Milliseconds on the process's main thread (the event loop of a Node server). */
  mainMs: number;
  /** Milliseconds on all its threads (workers such as the embedded store, the thread pool, GC helpers). */
  allMs: number;
}

let tickMs: number | undefined;

function ticksToMs(ticks: number): number {
  tickMs ??= 1000 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim() || 100);
  return ticks * tickMs;
}

/** utime + stime of one /proc stat line, in clock ticks (fields 14 and 15, after the command's name). */
function statTicks(path: string): number {
  const stat = readFileSync(path, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

export function cpuTime(pid: number): CpuTime | null {
  try {
    let all = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) all += statTicks(`/proc/${pid}/task/${tid}/stat`);
    return { mainMs: ticksToMs(statTicks(`/proc/${pid}/task/${pid}/stat`)), allMs: ticksToMs(all) };
  } catch {
    return null;
  }
}

/** Microseconds per request between two readings, or null where /proc is not there. */
export function perRequestUs(
  before: CpuTime | null,
  after: CpuTime | null,
  requests: number,
): { main: number; all: number } | null {
  if (!before || !after || requests === 0) return null;
  return {
    main: ((after.mainMs - before.mainMs) * 1000) / requests,
    all: ((after.allMs - before.allMs) * 1000) / requests,
  };
}
