import type { Question, QuestionResponse } from './question.types.js';

/**
 * Reads what a member sent for one question, from a form (`a[<question id>]…`) or from the browser's
 * autosave (the same shapes as JSON), into a QuestionResponse of the question's own type. Anything else
 * (wrong types, unknown ids, oversized texts, nested objects) is dropped, not stored: answers come from
 * the network and are read as untrusted.
 */
const MAX_TEXT = 2000;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export function parseResponse(question: Question, raw: unknown): QuestionResponse | undefined {
  switch (question.type) {
    case 'single': {
      const id = str(raw);
      return id !== null && question.options.some((o) => o.id === id)
        ? { type: 'single', optionId: id }
        : undefined;
    }
    case 'multiple': {
      const list = Array.isArray(raw) ? raw : raw === undefined || raw === '' ? [] : [raw];
      const known = new Set(question.options.map((o) => o.id));
      const ids = [...new Set(list.map(str).filter((v): v is string => v !== null && known.has(v)))];
      return { type: 'multiple', optionIds: ids };
    }
    case 'truefalse': {
      const v = str(raw);
      return v === 'true' || v === 'false' ? { type: 'truefalse', value: v === 'true' } : undefined;
    }
    case 'short':
    case 'numerical': {
      const text = str(raw);
      return text === null ? undefined : { type: question.type, text: text.slice(0, MAX_TEXT) };
    }
    case 'matching': {
      if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
      const ids = new Set(question.pairs.map((p) => p.id));
      const chosen: Record<string, string> = {};
      for (const [left, right] of Object.entries(raw as Record<string, unknown>)) {
        const r = str(right);
        if (ids.has(left) && r !== null && ids.has(r)) chosen[left] = r;
      }
      return { type: 'matching', chosen };
    }
  }
}
