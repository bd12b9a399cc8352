import type { ParsedQuestion, ParseProblem } from '../question.types.js';
import { readChoices, readNumerical, readPairs, readShortAnswers, type BodyResult } from './gift-answers.js';
import type { GiftBlock, GiftTree } from './gift-grammar.js';
import { problem } from './import-problems.js';
import { cleanText, stripFormat } from './plain-text.js';

export interface QuestionPlace {
  /** The question's first line in the file. */
  line: number;
  /** Turns a line number within the question into one within the file. */
  lineOf: (lineInQuestion: number) => number;
  category: string;
}

export type BuildResult =
  { question: ParsedQuestion; problems: [] } | { question: null; problems: ParseProblem[] };

/** In the missing-word format the answers stand where the blank goes: "Grant is {…} in Grant's tomb." */
export const BLANK = '_____';

function readBody(block: Exclude<GiftBlock, { kind: 'essay' }>, lineOf: QuestionPlace['lineOf']): BodyResult {
  const line = lineOf(block.line);
  switch (block.kind) {
    case 'truefalse': {
      const [wrong = '', right = ''] = block.feedback.map(stripFormat);
      const body = block.value
        ? { type: 'truefalse' as const, answer: true, feedbackTrue: right, feedbackFalse: wrong }
        : { type: 'truefalse' as const, answer: false, feedbackTrue: wrong, feedbackFalse: right };
      return { body, problems: [] };
    }
    case 'numerical':
      return readNumerical(block.answers, line, lineOf);
    case 'answers': {
      // Moodle's order of tests: a "~" anywhere makes choices; otherwise "->" makes pairs.
      if (block.items.some((item) => item.prefix === '~')) return readChoices(block.items, line, lineOf);
      if (block.items.some((item) => item.text.includes('->'))) return readPairs(block.items, line, lineOf);
      return readShortAnswers(block.items, line, lineOf);
    }
  }
}

/** Checks one question read by the grammar and gives it its final shape, or says what is wrong. */
export function buildQuestion(tree: GiftTree, place: QuestionPlace): BuildResult {
  const { block } = tree;
  const { line } = place;
  const missingWord = block !== null && cleanText(tree.after) !== '';
  const text = cleanText(missingWord ? `${tree.before}${BLANK}${tree.after}` : tree.before);
  // Essays and descriptions are reported, not dropped, so that nobody wonders where a question went.
  // The parameter is i18next's `context`: the message key becomes unsupportedType_essay or _description.
  if (block === null) {
    return {
      question: null,
      problems: [
        text === ''
          ? problem('emptyText', line)
          : problem('unsupportedType', line, { context: 'description' }),
      ],
    };
  }
  if (block.kind === 'essay')
    return { question: null, problems: [problem('unsupportedType', line, { context: 'essay' })] };

  const read = readBody(block, place.lineOf);
  const problems = [...(text === '' ? [problem('emptyText', line)] : []), ...read.problems];
  if (read.body === null || problems.length > 0) return { question: null, problems };
  const common = {
    line,
    name: cleanText(tree.title ?? ''),
    text,
    explanation: stripFormat(block.general ?? ''),
    category: place.category,
    // GIFT has no points; a question is worth 1 until the bank says otherwise.
    points: 1,
  };
  return { question: { ...common, ...read.body }, problems: [] };
}
