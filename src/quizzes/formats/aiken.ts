import type { ParsedOption, ParsedQuestion, ParseProblem, ParseResult } from '../question.types.js';
import { labelKey, matchAnswer, matchOption } from './aiken-labels.js';
import { MIN_OPTIONS } from './gift-answers.js';
import { excerpt, problem } from './import-problems.js';
import { cleanText, splitLines } from './plain-text.js';

/**
 * Moodle's Aiken format: question text, options "A. …" or "A) …", then "ANSWER: A"; always a one-answer
 * choice. Beyond Moodle: the text may run over several lines, blank lines are allowed anywhere, and
 * labels and the answer line may be in Dari or Pashto (see aiken-labels.ts). An option is one line.
 *
 * A line that is neither an option nor an answer, after some options, starts the next question: the
 * question before it had no answer line. So a broken question never hides the ones after it.
 */

interface Draft {
  line: number;
  text: string[];
  /** key: the label as labelKey reads it. */
  options: (ParsedOption & { key: string })[];
  problems: ParseProblem[];
}

function finish(draft: Draft, answer: string, answerLine: number): ParsedQuestion | ParseProblem[] {
  const problems = [...draft.problems];
  const text = cleanText(draft.text.join('\n'));
  if (text === '') problems.push(problem('emptyText', draft.line));
  if (draft.options.length < MIN_OPTIONS) {
    problems.push(problem('tooFewOptions', draft.line, { count: draft.options.length, min: MIN_OPTIONS }));
  }
  const key = labelKey(answer);
  if (!draft.options.some((o) => o.key === key))
    problems.push(problem('answerNotAnOption', answerLine, { answer: excerpt(answer) }));
  if (problems.length > 0) return problems;
  const options = draft.options.map((o) => ({ text: o.text, weight: o.key === key ? 100 : 0, feedback: '' }));
  return {
    line: draft.line,
    name: '',
    text,
    explanation: '',
    category: '',
    points: 1,
    type: 'single',
    options,
  };
}

export function parseAiken(source: string): ParseResult {
  const questions: ParsedQuestion[] = [];
  const problems: ParseProblem[] = [];
  let draft: Draft | null = null;
  const unanswered = (d: Draft) => problems.push(problem('noAnswerLine', d.line));

  splitLines(source).forEach((raw, index) => {
    const line = cleanText(raw);
    const no = index + 1;
    if (line === '') return;
    const answer = matchAnswer(line);
    if (answer !== null) {
      const done = finish(draft ?? { line: no, text: [], options: [], problems: [] }, answer, no);
      if (Array.isArray(done)) problems.push(...done);
      else questions.push(done);
      draft = null;
      return;
    }
    // The first line of a question is its text even when it looks like "A. Smith wrote…".
    const option = draft && draft.text.length > 0 ? matchOption(line) : null;
    if (draft && option) {
      const key = labelKey(option.label);
      const text = cleanText(option.text);
      if (draft.options.some((o) => o.key === key)) {
        draft.problems.push(problem('duplicateLabel', no, { label: option.label }));
      }
      if (text === '') draft.problems.push(problem('emptyAnswer', no));
      draft.options.push({ key, text, weight: 0, feedback: '' });
      return;
    }
    if (draft && draft.options.length > 0) {
      unanswered(draft);
      draft = null;
    }
    if (draft) draft.text.push(line);
    else draft = { line: no, text: [line], options: [], problems: [] };
  });
  if (draft) unanswered(draft);
  problems.sort((a, b) => a.line - b.line);
  return { questions, problems };
}
