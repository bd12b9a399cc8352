import { readFileSync } from 'node:fs';
import path from 'node:path';
import peggy from 'peggy';
import { projectRoot } from '../../core/paths.js';

/** What gift.peggy makes of one question: structure and unescaped text, nothing checked yet. */
export interface GiftTree {
  title: string | null;
  format: string | null;
  before: string;
  block: GiftBlock | null;
  after: string;
}

/** `line` numbers count from 1 within the text given to the parser. */
export type GiftBlock = { line: number; general: string | null } & (
  | { kind: 'truefalse'; value: boolean; feedback: string[] }
  | { kind: 'numerical'; answers: GiftNumericItem[] }
  | { kind: 'answers'; items: GiftAnswerItem[] }
  | { kind: 'essay' }
);

export interface GiftAnswerItem {
  prefix: '=' | '~';
  weight: string | null;
  text: string;
  feedback: string | null;
  line: number;
}

export interface GiftNumericItem {
  weight: string | null;
  spec: string;
  feedback: string | null;
  line: number;
}

export interface GiftSyntaxError {
  /** A quizzes.import.* reason from the grammar, or null when the parser failed on its own. */
  reason: string | null;
  line: number;
  /** The text at the error, for the message. */
  text: string;
}

let parser: peggy.Parser | undefined;

/**
 * Built from the grammar on first use rather than at import, so that nothing is read from disk until a
 * file is imported; generating takes a few tens of milliseconds and is done once per process. Read from
 * the project root, not next to this module, because tsc does not copy .peggy files into dist/.
 */
function giftParser(): peggy.Parser {
  parser ??= peggy.generate(
    readFileSync(path.join(projectRoot, 'src', 'quizzes', 'formats', 'gift.peggy'), 'utf8'),
  );
  return parser;
}

export function parseGiftQuestion(text: string): GiftTree | GiftSyntaxError {
  const p = giftParser();
  try {
    return p.parse(text) as GiftTree;
  } catch (error) {
    if (!(error instanceof p.SyntaxError)) throw error;
    const { start, end } = error.location;
    const found = text.slice(start.offset, Math.max(end.offset, start.offset + 1));
    return { reason: error.expected === null ? error.message : null, line: start.line, text: found };
  }
}

export function isSyntaxError(result: GiftTree | GiftSyntaxError): result is GiftSyntaxError {
  return 'reason' in result;
}
