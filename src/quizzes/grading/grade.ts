import type { Grade, Question, QuestionResponse } from '../question.types.js';
import { isRecord, noAnswer } from './score.js';
import { gradeMatching } from './types/matching.js';
import { gradeMultiple } from './types/multiple.js';
import { gradeNumerical } from './types/numerical.js';
import { gradeShort } from './types/short.js';
import { gradeSingle } from './types/single.js';
import { gradeTrueFalse } from './types/truefalse.js';

/**
 * The grade of one answer to one question: a pure function of the two, so a result can be recomputed
 * and tested without a database. The response is typed as stored, but it was sent by a browser as JSON:
 * anything that is not a response of the question's type (undefined, null, another type, wrong field
 * types) grades as unanswered — score 0, no feedback — and nothing here throws.
 */
export function gradeResponse(question: Question, response: QuestionResponse | undefined): Grade {
  const given: unknown = response;
  if (!isRecord(question) || !isRecord(given) || given.type !== question.type) return noAnswer();
  switch (question.type) {
    case 'single':
      return gradeSingle(question, given);
    case 'multiple':
      return gradeMultiple(question, given);
    case 'truefalse':
      return gradeTrueFalse(question, given);
    case 'short':
      return gradeShort(question, given);
    case 'numerical':
      return gradeNumerical(question, given);
    case 'matching':
      return gradeMatching(question, given);
    default:
      return noAnswer();
  }
}
