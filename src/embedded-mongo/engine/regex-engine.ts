import { RE2JS } from 're2js';
import { bsonTypeOf } from '../bson/type-order.js';
import { assertSafeForBacktracking } from './regex-guard.js';

/**
 * Query regular expressions ($regex, /pattern/ values, regexes in $in) run on RE2 (re2js, a pure
 * JavaScript port), whose matching time is linear in the input: no pattern can stall the store's one
 * worker thread, as `(a|a)*b` against a run of a's does on a backtracking engine. Patterns RE2 cannot
 * express (look-around, back-references) fall back to JavaScript's engine, behind the guard that
 * refuses nested repetition.
 */

export interface CompiledRegex {
  test(value: string): boolean;
}

const cache = new Map<string, CompiledRegex>();
const CACHE_SIZE = 500;

function re2Flags(options: string): number {
  let flags = 0;
  if (options.includes('i')) flags |= RE2JS.CASE_INSENSITIVE;
  if (options.includes('m')) flags |= RE2JS.MULTILINE;
  if (options.includes('s')) flags |= RE2JS.DOTALL;
  return flags;
}

/**
 * The x option (extended): whitespace and #-comments in the pattern are not part of it, except
 * escaped or inside a character class, as PCRE reads it. Neither engine here has the option.
 */
function withoutExtendedSpacing(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      out += ch + (pattern[++i] ?? '');
    } else if (inClass) {
      out += ch;
      if (ch === ']') inClass = false;
    } else if (ch === '#') {
      while (i + 1 < pattern.length && pattern[i + 1] !== '\n') i++;
    } else if (!/\s/.test(ch)) {
      out += ch;
      if (ch === '[') inClass = true;
    }
  }
  return out;
}

function compile(source: string, options: string): CompiledRegex {
  const pattern = options.includes('x') ? withoutExtendedSpacing(source) : source;
  let re2: RE2JS | undefined;
  try {
    re2 = RE2JS.compile(pattern, re2Flags(options));
  } catch {
    re2 = undefined;
  }
  if (re2) {
    const compiled = re2;
    return { test: (value) => compiled.test(value) };
  }
  assertSafeForBacktracking(pattern);
  const js = new RegExp(pattern, options.replace(/[^ims]/g, ''));
  return {
    test(value) {
      js.lastIndex = 0;
      return js.test(value);
    },
  };
}

/** A pattern as a matcher, RE2 when it can express it; compiled once per pattern and options. */
export function compileRegex(pattern: string, options: string): CompiledRegex {
  const key = `${options}/${pattern}`;
  let compiled = cache.get(key);
  if (!compiled) {
    compiled = compile(pattern, options);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(key, compiled);
  }
  return compiled;
}

/** A regex operand of a query: a JavaScript RegExp or a BSON one. */
export function compiledRegexOf(re: unknown): CompiledRegex {
  if (re instanceof RegExp) return compileRegex(re.source, re.flags);
  const r = re as { pattern: string; options: string };
  return compileRegex(r.pattern, r.options);
}

export function isRegex(v: unknown): boolean {
  return v instanceof RegExp || bsonTypeOf(v) === 'BSONRegExp';
}
