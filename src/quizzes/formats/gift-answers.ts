import type { ParsedCommon, ParsedOption, ParsedQuestion, ParseProblem } from '../question.types.js';
import type { GiftAnswerItem, GiftNumericItem } from './gift-grammar.js';
import { excerpt, problem } from './import-problems.js';
import { parseNumber, splitNumericSpec } from './numbers.js';
import { cleanText, stripFormat } from './plain-text.js';

/** The type-specific part of a parsed question. */
type WithoutCommon<Q> = Q extends unknown ? Omit<Q, keyof ParsedCommon> : never;
export type ParsedBody = WithoutCommon<ParsedQuestion>;
export type BodyResult = { body: ParsedBody; problems: [] } | { body: null; problems: ParseProblem[] };

type LineOf = (lineInQuestion: number) => number;

/**
 * Moodle's GIFT importer asks for two pairs; its matching question type wants three answers, but a
 * short exercise with two pairs is useful in a training and our grading has no such limit.
 */
export const MIN_PAIRS = 2;
export const MIN_OPTIONS = 2;
/** Weights such as 33.333 × 3 or 16.67 × 6 miss 100 by rounding; a real mistake misses by more. */
const WEIGHT_SLACK = 0.5;

function result(body: ParsedBody, problems: ParseProblem[]): BodyResult {
  return problems.length === 0 ? { body, problems: [] } : { body: null, problems };
}

function readWeight(
  raw: string | null,
  fallback: number,
  min: number,
  line: number,
  problems: ParseProblem[],
): number {
  if (raw === null) return fallback;
  const weight = parseNumber(raw);
  if (weight === null) {
    problems.push(problem('badWeight', line, { text: excerpt(`%${raw}%`) }));
    return fallback;
  }
  if (weight < min || weight > 100) problems.push(problem('weightOutOfRange', line, { weight, min }));
  return weight;
}

/** "{~a =b}" and "{~%50%a ~%50%b ~c}": choices, one or several right. */
export function readChoices(items: GiftAnswerItem[], line: number, lineOf: LineOf): BodyResult {
  const problems: ParseProblem[] = [];
  const options: ParsedOption[] = items.map((item) => {
    const at = lineOf(item.line);
    const text = stripFormat(item.text);
    if (text === '') problems.push(problem('emptyAnswer', at));
    const weight = readWeight(item.weight, item.prefix === '=' ? 100 : 0, -100, at, problems);
    return { text, weight, feedback: stripFormat(item.feedback ?? '') };
  });
  if (options.length < MIN_OPTIONS)
    problems.push(problem('tooFewOptions', line, { count: options.length, min: MIN_OPTIONS }));
  // Moodle's rule: an "=" makes a one-answer question, even when other options carry partial credit
  // ("{=Nazareth ~%50%Galilee ~Jerusalem}"); without one, several options can be ticked.
  const single = items.some((item) => item.prefix === '=');
  if (single) {
    if (!options.some((o) => o.weight === 100)) problems.push(problem('noRightAnswer', line));
    return result({ type: 'single', options }, problems);
  }
  const sum = options.filter((o) => o.weight > 0).reduce((total, o) => total + o.weight, 0);
  if (sum === 0) problems.push(problem('noRightAnswer', line));
  else if (Math.abs(sum - 100) > WEIGHT_SLACK) {
    problems.push(problem('weightsNotHundred', line, { sum: Math.round(sum * 100) / 100 }));
  }
  return result({ type: 'multiple', options }, problems);
}

/** "{=four =4 =%50%for}": every accepted answer starts with "=", full credit unless weighted. */
export function readShortAnswers(items: GiftAnswerItem[], line: number, lineOf: LineOf): BodyResult {
  const problems: ParseProblem[] = [];
  const accepted: ParsedOption[] = items.map((item) => {
    const at = lineOf(item.line);
    // An accepted answer is compared with what members type, so it keeps any "[…]" it starts with.
    const text = cleanText(item.text);
    if (text === '') problems.push(problem('emptyAnswer', at));
    const weight = readWeight(item.weight, 100, 0, at, problems);
    return { text, weight, feedback: stripFormat(item.feedback ?? '') };
  });
  if (!accepted.some((a) => a.weight === 100)) problems.push(problem('noRightAnswer', line));
  return result({ type: 'short', accepted }, problems);
}

/**
 * "{=cat -> cat food =dog -> dog food}". Moodle's "= -> extra" (a right-hand item that matches nothing) is
 * refused: the bank's matching question scores right pairs out of all pairs, so it would be unanswerable.
 */
export function readPairs(items: GiftAnswerItem[], line: number, lineOf: LineOf): BodyResult {
  const problems: ParseProblem[] = [];
  const pairs: { left: string; right: string }[] = [];
  for (const item of items) {
    const at = lineOf(item.line);
    const arrow = item.text.indexOf('->');
    if (arrow < 0) {
      problems.push(problem('pairWithoutArrow', at, { text: excerpt(item.text) }));
      continue;
    }
    if (item.weight !== null || item.feedback !== null) problems.push(problem('pairExtras', at));
    const left = stripFormat(item.text.slice(0, arrow));
    const right = cleanText(item.text.slice(arrow + 2));
    if (left === '') problems.push(problem('pairWithoutLeft', at, { text: excerpt(right) }));
    else if (right === '') problems.push(problem('emptyAnswer', at));
    pairs.push({ left, right });
  }
  const count = pairs.length;
  if (count < MIN_PAIRS) problems.push(problem('tooFewPairs', line, { count, min: MIN_PAIRS }));
  return result({ type: 'matching', pairs }, problems);
}

const roundFloat = (x: number) => Number(x.toPrecision(12));

function readNumericSpec(spec: string, line: number, problems: ParseProblem[]) {
  const text = cleanText(spec);
  const { kind, parts } = splitNumericSpec(text);
  const numbers = parts.map(parseNumber);
  if (numbers.some((n) => n === null)) {
    problems.push(problem('badNumber', line, { text: excerpt(text) }));
    return { value: 0, tolerance: 0 };
  }
  const [a = 0, b = 0] = numbers as number[];
  if (kind === 'exact') return { value: a, tolerance: 0 };
  if (kind === 'tolerance') {
    if (b < 0) problems.push(problem('badRange', line, { text: excerpt(text) }));
    return { value: a, tolerance: b };
  }
  // "1..5" is 3 ± 2: a range becomes its midpoint and half its width, rounded so that 3.141..3.142
  // gives 3.1415 ± 0.0005 and not 3.1414999999999997 ± 0.0004999999999999449.
  if (a > b) problems.push(problem('badRange', line, { text: excerpt(text) }));
  return { value: roundFloat((a + b) / 2), tolerance: roundFloat((b - a) / 2) };
}

/** "{#1822:5}", "{#1..5}" or several "=%w%value:tolerance" answers. */
export function readNumerical(items: GiftNumericItem[], line: number, lineOf: LineOf): BodyResult {
  const problems: ParseProblem[] = [];
  const answers = items.map((item) => {
    const at = lineOf(item.line);
    const weight = readWeight(item.weight, 100, 0, at, problems);
    return {
      ...readNumericSpec(item.spec, at, problems),
      weight,
      feedback: stripFormat(item.feedback ?? ''),
    };
  });
  if (!answers.some((a) => a.weight === 100)) problems.push(problem('noRightAnswer', line));
  return result({ type: 'numerical', answers }, problems);
}
