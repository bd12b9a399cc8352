import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../../src/core/paths.js';

/** A file of test/fixtures/quizzes/, e.g. readFixture('gift', 'moodle-docs.gift'). */
export function readFixture(...parts: string[]): string {
  return readFileSync(path.join(projectRoot, 'test', 'fixtures', 'quizzes', ...parts), 'utf8');
}

/** Problems as "line reason" strings: one equality check shows every difference at once. */
export function problemList(problems: { line: number; message: string }[]): string[] {
  return problems.map((p) => `${p.line} ${p.message.replace('quizzes.import.', '')}`);
}
