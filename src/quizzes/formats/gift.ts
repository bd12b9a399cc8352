import type { ParsedQuestion, ParseProblem, ParseResult } from '../question.types.js';
import { buildQuestion } from './gift-build.js';
import { isSyntaxError, parseGiftQuestion, type GiftSyntaxError } from './gift-grammar.js';
import { excerpt, isImportReason, problem } from './import-problems.js';
import { cleanText, splitLines } from './plain-text.js';

/**
 * Moodle's GIFT format (https://docs.moodle.org/en/GIFT_format) → questions in one language.
 *
 * The file is cut into questions here, at blank lines as Moodle does, and each question goes through the
 * grammar (gift.peggy) on its own: a broken question gives its problems and the next one is still read.
 * Like Moodle, whole lines starting with "//" are comments and every line is trimmed; "$CATEGORY: a/b"
 * sets the category of the questions after it. Never throws on any text.
 */

interface SourceLine {
  text: string;
  /** 1-based, in the file. */
  no: number;
}

const CATEGORY = /^\$CATEGORY:/;

/** Questions as runs of non-blank lines, comment lines left out but the numbering kept. */
function questionChunks(text: string): SourceLine[][] {
  const chunks: SourceLine[][] = [];
  let current: SourceLine[] = [];
  splitLines(text).forEach((raw, index) => {
    const line = cleanText(raw);
    if (line === '') {
      if (current.length > 0) chunks.push(current);
      current = [];
    } else if (!line.startsWith('//')) {
      current.push({ text: line, no: index + 1 });
    }
  });
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function syntaxProblem(error: GiftSyntaxError, line: number): ParseProblem {
  const reason = error.reason !== null && isImportReason(error.reason) ? error.reason : 'syntax';
  return problem(reason, line, { text: excerpt(error.text) });
}

export function parseGift(text: string): ParseResult {
  const questions: ParsedQuestion[] = [];
  const problems: ParseProblem[] = [];
  let category = '';
  for (const chunk of questionChunks(text)) {
    let lines = chunk;
    const first = lines[0];
    // Moodle takes the whole chunk as the category; the line alone is read here so that a question
    // written right under it is not lost.
    if (first && CATEGORY.test(first.text)) {
      category = cleanText(first.text.replace(CATEGORY, ''));
      lines = lines.slice(1);
    }
    const start = lines[0];
    if (!start) continue;
    const lineOf = (lineInQuestion: number) =>
      (lines[Math.min(lineInQuestion, lines.length) - 1] ?? start).no;
    const tree = parseGiftQuestion(lines.map((l) => l.text).join('\n'));
    if (isSyntaxError(tree)) {
      problems.push(syntaxProblem(tree, lineOf(tree.line)));
      continue;
    }
    const built = buildQuestion(tree, { line: start.no, lineOf, category });
    if (built.question) questions.push(built.question);
    problems.push(...built.problems);
  }
  return { questions, problems };
}
